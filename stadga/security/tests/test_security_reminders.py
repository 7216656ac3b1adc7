"""The security app's reminder sources: who is reminded of what, keys that keep each reminder
to once, a fixed number of queries, and the daily run that escalates shortfall notices."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.notifications.reminders import Reminder, all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.models import (
    Incident,
    InformationType,
    Measure,
    SecuritySettings,
    ShortfallNotice,
)
from stadga.security.reminders import (
    classification_reviews_due,
    follow_ups_due,
    incident_deadlines_due,
    shortfall_notices_escalated,
)
from stadga.security.services_notices import shortfall_notice_acknowledge
from stadga.systems.choices import LifecyclePhase
from stadga.testing.factories import MunicipalityFactory, PersonFactory, SystemFactory, member

from .test_notices import Setting, filed_on, person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)
TZ = timezone.get_default_timezone()


def keys(reminders: Iterable[Reminder]) -> list[tuple[int, str]]:
    return sorted((r.recipient.pk, r.key) for r in reminders)


def query_counts(
    source: Callable[[Municipality, datetime.date], Iterable[Reminder]],
    municipality: Municipality,
    make: Callable[[int], None],
    today: datetime.date = TODAY,
) -> list[int]:
    """Queries of one run with one row, then with six: they must be the same."""
    counts = []
    for rows in (1, 5):
        make(rows)
        list(source(municipality, today))  # the first run may write (settings, escalations)
        with CaptureQueriesContext(connection) as queries:
            produced = list(source(municipality, today))
        assert produced
        counts.append(len(queries))
    return counts


def test_the_sources_are_discovered() -> None:
    sources = all_reminder_sources()
    assert sources["security.follow_up_due"] is follow_ups_due
    assert sources["security.classification_review_due"] is classification_reviews_due
    assert sources["security.shortfall_notice_escalated"] is shortfall_notices_escalated
    assert sources["security.incident_deadlines"] is incident_deadlines_due


# --- follow-ups (P9.5) --------------------------------------------------------------------------


def measure(municipality: Municipality, **kwargs: Any) -> Measure:
    values = {"title": "Återläsningstest", "status": "implemented", **kwargs}
    return Measure.objects.create(municipality=municipality, **values)


class TestFollowUps:
    def test_the_responsible_then_the_owner_then_the_it_coordinator(self) -> None:
        m = MunicipalityFactory()
        coordinator = person(member(m, Role.IT_COORDINATOR))
        system = SystemFactory(municipality=m)
        responsible = PersonFactory(municipality=m)
        due = TODAY + datetime.timedelta(days=10)
        by_responsible = measure(m, system=system, responsible=responsible, next_follow_up=due)
        by_owner = measure(m, system=system, next_follow_up=due)
        platform = measure(m, next_follow_up=due)
        left = PersonFactory(municipality=m, archived_at=timezone.now())
        owner_left = measure(
            m, system=SystemFactory(municipality=m, system_owner=left), next_follow_up=due
        )

        reminders = {r.key: r for r in follow_ups_due(m, TODAY)}
        key = "measure-follow-up-due:{}:2026-05-14"
        assert reminders[key.format(by_responsible.pk)].recipient == responsible
        assert reminders[key.format(by_owner.pk)].recipient == system.system_owner
        assert reminders[key.format(platform.pk)].recipient == coordinator
        assert reminders[key.format(owner_left.pk)].recipient == coordinator
        first = reminders[key.format(by_owner.pk)]
        assert first.due_date == due
        assert first.link == by_owner.get_absolute_url()
        assert "P9.5" in first.body

    def test_due_soon_and_then_overdue(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        item = measure(m, system=system, next_follow_up=datetime.date(2026, 5, 20))
        assert list(follow_ups_due(m, TODAY)) == []  # more than two weeks ahead
        (soon,) = follow_ups_due(m, datetime.date(2026, 5, 6))
        assert soon.key == f"measure-follow-up-due:{item.pk}:2026-05-20"
        (due_today,) = follow_ups_due(m, datetime.date(2026, 5, 20))
        assert due_today.key == soon.key
        (overdue,) = follow_ups_due(m, datetime.date(2026, 5, 21))
        assert overdue.key == f"measure-follow-up-overdue:{item.pk}:2026-05-20"
        # The next period is a new key.
        Measure.objects.filter(pk=item.pk).update(next_follow_up=datetime.date(2027, 5, 20))
        (next_year,) = follow_ups_due(m, datetime.date(2027, 5, 10))
        assert next_year.key == f"measure-follow-up-due:{item.pk}:2027-05-20"

    def test_not_for_what_needs_no_follow_up(self) -> None:
        m = MunicipalityFactory()
        due = {"next_follow_up": TODAY}
        measure(m, status="not_applicable", not_applicable_reason="Ej relevant", **due)
        measure(m, archived_at=timezone.now(), **due)
        measure(m, next_follow_up=None)
        for phase in (LifecyclePhase.RETIRED, LifecyclePhase.PLANNED):
            measure(m, system=SystemFactory(municipality=m, lifecycle_phase=phase), **due)
        measure(m, system=SystemFactory(municipality=m, archived_at=timezone.now()), **due)
        measure(SystemFactory().municipality, **due)  # another municipality's
        member(m, Role.IT_COORDINATOR)
        assert list(follow_ups_due(m, TODAY)) == []

    def test_a_fixed_number_of_queries(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)

        def make(rows: int) -> None:
            for i in range(rows):
                system = SystemFactory(municipality=m)
                measure(m, system=system, next_follow_up=TODAY, responsible=None)
                measure(m, next_follow_up=TODAY - datetime.timedelta(days=i))

        counts = query_counts(follow_ups_due, m, make)
        assert counts[0] == counts[1] <= 2, counts


# --- classification review (P9.1) ---------------------------------------------------------------


def classify(system: Any, on: datetime.date, name: str = "Ärenden", **kwargs: Any) -> Any:
    return InformationType.objects.create(
        municipality=system.municipality,
        system=system,
        name=name,
        confidentiality=2,
        integrity=2,
        availability=2,
        traceability=2,
        classified_on=on,
        **kwargs,
    )


class TestClassificationReview:
    def test_the_system_owner_when_the_interval_has_passed(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        classify(system, datetime.date(2025, 5, 5))
        assert list(classification_reviews_due(m, TODAY)) == []
        (reminder,) = classification_reviews_due(m, datetime.date(2026, 5, 5))
        assert reminder.recipient == system.system_owner
        assert reminder.key == f"classification-review:{system.pk}:2026-05-05"
        assert reminder.due_date == datetime.date(2026, 5, 5)
        assert "P9.1" in reminder.body
        assert system.name in reminder.subject

    def test_one_stale_type_is_enough_and_the_municipalitys_interval(self) -> None:
        m = MunicipalityFactory()
        SecuritySettings.objects.create(municipality=m, classification_review_months=6)
        system = SystemFactory(municipality=m)
        classify(system, datetime.date(2025, 10, 1), name="Gammal")
        classify(system, datetime.date(2026, 5, 1), name="Ny")
        (reminder,) = classification_reviews_due(m, TODAY)
        assert reminder.key == f"classification-review:{system.pk}:2026-04-01"

    def test_not_for_these(self) -> None:
        m = MunicipalityFactory()
        old = datetime.date(2020, 1, 1)
        classify(SystemFactory(municipality=m), old, archived_at=timezone.now())
        classify(SystemFactory(municipality=m, lifecycle_phase=LifecyclePhase.RETIRED), old)
        classify(SystemFactory(municipality=m, system_owner=None, lifecycle_phase="planned"), old)
        classify(SystemFactory(municipality=m, archived_at=timezone.now()), old)
        SystemFactory(municipality=m)  # nothing classified: a rule's matter, not a review
        classify(SystemFactory(municipality=m), TODAY)
        classify(SystemFactory(), old)  # another municipality's
        assert list(classification_reviews_due(m, TODAY)) == []

    def test_a_fixed_number_of_queries(self) -> None:
        m = MunicipalityFactory()

        def make(rows: int) -> None:
            for _ in range(rows):
                system = SystemFactory(municipality=m)
                classify(system, datetime.date(2024, 1, 1), name="A")
                classify(system, datetime.date(2024, 2, 1), name="B")

        counts = query_counts(classification_reviews_due, m, make)
        assert counts[0] == counts[1] <= 2, counts


# --- escalation of shortfall notices (P9.6) -----------------------------------------------------


class TestEscalation:
    @pytest.mark.django_db(transaction=True)
    def test_the_daily_run_escalates_once(self) -> None:
        """With real commits: the escalation's e-mails go when it commits, and the daily run's
        own sending (and retrying) does not repeat them."""
        s = Setting()
        filed = datetime.date(2026, 4, 1)
        notice = filed_on(s.file(), filed)
        mail.outbox.clear()
        notifications_send(municipality=s.municipality, today=filed + datetime.timedelta(days=13))
        notice.refresh_from_db()
        assert notice.escalated_at is None
        key = f"shortfall-notice:{notice.pk}:escalated"
        assert not Notification.objects.filter(key=key).exists()

        for later in (14, 15, 16):
            notifications_send(
                municipality=s.municipality, today=filed + datetime.timedelta(days=later)
            )
        told = Notification.objects.filter(key=key)
        assert {n.recipient for n in told} == {person(s.executive), person(s.coordinator)}
        subject = told.first().subject  # type: ignore[union-attr]
        escalations = [m for m in mail.outbox if m.subject == subject]
        assert sorted(m.to[0] for m in escalations) == sorted(n.recipient.email for n in told)

    def test_someone_who_takes_up_the_role_later_is_told(self) -> None:
        s = Setting()
        notice = filed_on(s.file(), datetime.date(2026, 4, 1))
        day = datetime.date(2026, 4, 20)
        notifications_send(municipality=s.municipality, today=day)
        newcomer = person(member(s.municipality, Role.EXECUTIVE_BOARD_READER))
        assert notifications_send(municipality=s.municipality, today=day) == 1
        assert Notification.objects.get(recipient=newcomer).key.startswith(
            f"shortfall-notice:{notice.pk}:"
        )

    def test_not_once_acknowledged(self) -> None:
        s = Setting()
        notice = filed_on(s.file(), datetime.date(2026, 4, 1))
        shortfall_notices_escalated_list = list(
            shortfall_notices_escalated(s.municipality, datetime.date(2026, 4, 20))
        )
        assert len(shortfall_notices_escalated_list) == 2
        shortfall_notice_acknowledge(notice=notice, actor=s.head)
        assert list(shortfall_notices_escalated(s.municipality, datetime.date(2026, 4, 21))) == []

    def test_a_fixed_number_of_queries(self) -> None:
        s = Setting()

        def make(rows: int) -> None:
            for _ in range(rows):
                filed_on(s.file(), datetime.date(2026, 3, 1))

        counts = query_counts(shortfall_notices_escalated, s.municipality, make)
        assert counts[0] == counts[1], counts
        assert ShortfallNotice.objects.filter(escalated_at__isnull=True).count() == 0


# --- incident deadlines -------------------------------------------------------------------------


def incident(municipality: Municipality, **kwargs: Any) -> Incident:
    values = {
        "title": "Intrång",
        "description": "Upptäckt.",
        "significant": True,
        "discovered_at": timezone.make_aware(datetime.datetime(2026, 5, 2, 12, 0), TZ),
        **kwargs,
    }
    return Incident.objects.create(municipality=municipality, **values)


class TestIncidentDeadlines:
    def test_the_it_coordinator_and_the_reporter(self) -> None:
        m = MunicipalityFactory()
        coordinator = person(member(m, Role.IT_COORDINATOR))
        reporter = PersonFactory(municipality=m)
        item = incident(m, reported_by=reporter)
        reminders = list(incident_deadlines_due(m, TODAY))
        assert keys(reminders) == sorted(
            (who.pk, f"incident:{item.pk}:{name}:{day}")
            for who in (coordinator, reporter)
            for name, day in (("early_warning", "2026-05-03"), ("notification", "2026-05-05"))
        )
        early = next(r for r in reminders if "early_warning" in r.key)
        assert early.subject.startswith("Overdue") or "försen" in early.subject.lower()
        assert early.link == item.get_absolute_url()
        assert early.due_date == datetime.date(2026, 5, 3)
        assert "2025:1506" in early.body

    def test_the_final_report_a_week_ahead_and_nothing_once_sent(self) -> None:
        m = MunicipalityFactory()
        coordinator = person(member(m, Role.IT_COORDINATOR))
        sent = timezone.make_aware(datetime.datetime(2026, 5, 2, 18, 0), TZ)
        item = incident(m, early_warning_sent_at=sent, notification_sent_at=sent)
        assert list(incident_deadlines_due(m, datetime.date(2026, 5, 25))) == []
        (final,) = incident_deadlines_due(m, datetime.date(2026, 5, 26))
        assert final.recipient == coordinator
        assert final.key == f"incident:{item.pk}:final_report:2026-06-02"
        Incident.objects.filter(pk=item.pk).update(final_report_sent_at=sent)
        assert list(incident_deadlines_due(m, datetime.date(2026, 6, 3))) == []

    def test_not_for_these(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        incident(m, significant=False)
        incident(m, closed_at=timezone.now())
        incident(m, archived_at=timezone.now())
        incident(MunicipalityFactory())
        assert list(incident_deadlines_due(m, TODAY)) == []

    def test_a_corrected_discovery_is_a_new_reminder_and_the_rest_once(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        item = incident(m)

        def sent() -> int:
            """The incident's notifications (other apps' reminders may be sent too)."""
            return Notification.objects.filter(key__startswith=f"incident:{item.pk}:").count()

        notifications_send(municipality=m, today=TODAY)
        assert sent() == 2
        assert notifications_send(municipality=m, today=TODAY) == 0
        later = timezone.make_aware(datetime.datetime(2026, 5, 3, 12, 0), TZ)
        with disable_auditlog():
            Incident.objects.filter(pk=item.pk).update(discovered_at=later)
        assert notifications_send(municipality=m, today=TODAY) == 2
        assert sent() == 4
        assert notifications_send(municipality=m, today=TODAY) == 0

    def test_a_fixed_number_of_queries(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)

        def make(rows: int) -> None:
            for _ in range(rows):
                incident(m, reported_by=PersonFactory(municipality=m))

        counts = query_counts(incident_deadlines_due, m, make)
        assert counts[0] == counts[1] <= 2, counts


def test_the_daily_run_sends_each_once() -> None:
    """Everything above in one municipality: a second run of the same day sends nothing."""
    s = Setting()
    m = s.municipality
    measure(m, system=s.system, next_follow_up=TODAY)
    classify(s.system, datetime.date(2024, 1, 1))
    filed_on(s.file(), datetime.date(2026, 4, 1))
    incident(m, reported_by=person(s.owner))
    first = notifications_send(municipality=m, today=TODAY)
    assert first >= 4
    assert notifications_send(municipality=m, today=TODAY) == 0
    prefixes = {n.key.split(":")[0] for n in Notification.objects.all()}
    assert {
        "measure-follow-up-overdue",
        "measure-follow-up-due",
        "classification-review",
        "shortfall-notice",
        "incident",
    } & prefixes == {
        "measure-follow-up-due",
        "classification-review",
        "shortfall-notice",
        "incident",
    }
