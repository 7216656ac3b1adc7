"""Sending reminders: each once, e-mailed once after the commit, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.notifications.models import CalendarFeed, Notification
from stadga.notifications.services import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    notification_mark_read,
    notifications_mark_all_read,
    notifications_send,
)
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.systems.choices import LifecyclePhase
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    UserFactory,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def department_with_head(municipality: Municipality, **head: object):
    department = DepartmentFactory(board__municipality=municipality)
    person = PersonFactory(municipality=municipality, **head)
    RoleAssignmentFactory(person=person, role=Role.DEPARTMENT_HEAD, department=department)
    return department, person


def ownerless(department, n: int = 1) -> list:
    return [
        SystemFactory(
            municipality=department.municipality,
            board=department.board,
            department=department,
            system_owner=None,
            lifecycle_phase=LifecyclePhase.PLANNED,
        )
        for _ in range(n)
    ]


def test_each_reminder_is_sent_once(
    municipality: Municipality, django_capture_on_commit_callbacks, settings
) -> None:
    settings.DEFAULT_FROM_EMAIL = "stadga@kommun.example"
    department, head = department_with_head(municipality, email="chef@kommun.example")
    systems = ownerless(department, 2)

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(municipality=municipality, today=TODAY) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(municipality=municipality, today=TODAY) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(municipality=municipality, today=TODAY + datetime.timedelta(days=1))

    notifications = Notification.objects.filter(recipient=head)
    assert sorted(n.key for n in notifications) == sorted(
        f"system-without-owner:{s.pk}" for s in systems
    )
    assert all(n.emailed_at is not None and n.municipality == municipality for n in notifications)
    assert len(mail.outbox) == 2
    assert {m.subject for m in mail.outbox} == {n.subject for n in notifications}
    assert all(m.to == ["chef@kommun.example"] for m in mail.outbox)
    assert all(m.from_email == "stadga@kommun.example" for m in mail.outbox)
    assert systems[0].get_absolute_url() in "".join(m.body for m in mail.outbox)
    assert all(municipality.name in m.body for m in mail.outbox)


def test_a_new_item_is_sent_beside_the_old_ones(
    municipality: Municipality, django_capture_on_commit_callbacks
) -> None:
    department, _head = department_with_head(municipality)
    ownerless(department)
    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(municipality=municipality, today=TODAY)
    (new,) = ownerless(department)

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(municipality=municipality, today=TODAY) == 1

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == Notification.objects.get(key__endswith=f":{new.pk}").subject


def test_no_e_mail_before_the_commit(
    municipality: Municipality, django_capture_on_commit_callbacks
) -> None:
    department, _head = department_with_head(municipality)
    ownerless(department)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications_send(municipality=municipality, today=TODAY)

    assert len(callbacks) == 1
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_people_without_e_mail_get_the_inbox_only(
    municipality: Municipality, django_capture_on_commit_callbacks
) -> None:
    department, _head = department_with_head(municipality, email="")
    ownerless(department)

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(municipality=municipality, today=TODAY) == 1

    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_a_failed_e_mail_is_tried_again(
    municipality: Municipality, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    department, _head = department_with_head(municipality)
    ownerless(department)

    def refuse(self, *args, **kwargs):
        raise OSError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_send(municipality=municipality, today=TODAY) == 1
    assert Notification.objects.get().emailed_at is None
    assert mail.outbox == []

    for _ in range(2):  # the mail server is back: sent once, then no more
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_send(municipality=municipality, today=TODAY) == 0
    assert Notification.objects.get().emailed_at is not None
    assert len(mail.outbox) == 1


def test_an_unreachable_mail_server_fails_no_run(
    municipality: Municipality, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    department, _head = department_with_head(municipality)
    ownerless(department)

    def unreachable(*args, **kwargs):
        raise OSError("no route to host")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.open", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(municipality=municipality, today=TODAY) == 1
    assert Notification.objects.get().emailed_at is None


def test_an_old_failure_is_not_tried_again(
    municipality: Municipality, django_capture_on_commit_callbacks
) -> None:
    department, _head = department_with_head(municipality)
    ownerless(department)
    notifications_send(municipality=municipality, today=TODAY)  # e-mail never sent (no commit)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))

    with django_capture_on_commit_callbacks(execute=True):
        notifications_send(municipality=municipality, today=TODAY)
    assert mail.outbox == []


def test_reminders_stay_in_their_municipality(
    municipality: Municipality, django_capture_on_commit_callbacks
) -> None:
    """Each municipality's run sends its own reminders, not its neighbour's."""
    other = MunicipalityFactory()
    department, _head = department_with_head(other)
    ownerless(department)

    assert notifications_send(municipality=municipality, today=TODAY) == 0
    assert notifications_send(municipality=other, today=TODAY) == 1
    assert Notification.objects.get().municipality == other


def test_archived_people_are_not_reminded(municipality: Municipality) -> None:
    department, head = department_with_head(municipality)
    ownerless(department)
    head.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    head.save()

    assert notifications_send(municipality=municipality, today=TODAY) == 0


def test_queries_do_not_grow_with_the_systems(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """10 and 100 systems without an owner: the same queries, except that SQLite (Django caps
    it at 999 parameters a statement) inserts the notifications in batches of some 80 rows.

    Counted with the systems' and the policy's sources only: each app's sources count their
    own queries in their own tests (e.g. stadga/security/tests/test_security_reminders.py)."""
    from stadga.notifications import reminders, services

    counted = {
        source_id: source
        for source_id, source in reminders.all_reminder_sources().items()
        if source_id.split(".")[0] in ("systems", "policy")
    }
    monkeypatch.setattr(services, "all_reminder_sources", lambda: counted)

    def run(rows: int) -> tuple[list[str], list[str]]:
        municipality = MunicipalityFactory()
        department, _head = department_with_head(municipality)
        ownerless(department, rows)
        with (
            CaptureQueriesContext(connection) as first,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert notifications_send(municipality=municipality, today=TODAY) == rows
        with CaptureQueriesContext(connection) as again:
            assert notifications_send(municipality=municipality, today=TODAY) == 0
        return [q["sql"] for q in first], [q["sql"] for q in again]

    few, few_again = run(10)
    many, many_again = run(100)

    def inserts(queries: list[str]) -> int:
        return sum(q.startswith("INSERT") for q in queries)

    def others(queries: list[str]) -> int:
        return len(queries) - inserts(queries)

    # Sources (2 + 1 with no adopted policy), unsent e-mails, existing keys, e-mailed update,
    # and the savepoint pair of the transaction inside the test's transaction; the insert(s).
    assert others(few) == others(many) == 8
    assert inserts(few) == 1
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    per_batch = min(500, connection.ops.bulk_batch_size(fields, [None] * 100))
    assert inserts(many) == -(-100 // per_batch)  # 1 on PostgreSQL, 2 on SQLite
    assert len(few_again) == len(many_again) == 7
    assert len(mail.outbox) == 110


def test_mark_read_and_unread(municipality: Municipality) -> None:
    person = PersonFactory(municipality=municipality)
    notification = Notification.objects.create(
        municipality=municipality, recipient=person, key="k", subject="s"
    )

    notification_mark_read(notification=notification)
    assert Notification.objects.get().read_at is not None
    notification_mark_read(notification=notification, read=False)
    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_given_people(municipality: Municipality) -> None:
    mine, theirs = (
        PersonFactory(municipality=municipality),
        PersonFactory(municipality=municipality),
    )
    for n, person in enumerate((mine, mine, theirs)):
        Notification.objects.create(municipality=municipality, recipient=person, key=f"k{n}")

    assert notifications_mark_all_read(municipality=municipality, person_ids={mine.pk}) == 2
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == theirs


def test_a_regenerated_token_replaces_the_old() -> None:
    user = UserFactory()
    first = calendar_feed_create(user=user).token
    assert calendar_feed_create(user=user).token == first  # created once, then the same

    second = calendar_feed_regenerate(user=user).token

    assert second != first and len(second) >= 40
    assert CalendarFeed.objects.get(user=user).token == second
    calendar_feed_revoke(user=user)
    assert not CalendarFeed.objects.exists()
