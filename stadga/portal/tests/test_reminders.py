"""Reminders of residents' messages (P7.1): to the recipient when due within three days or
overdue, and to the IT coordinators once overdue."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.notifications.models import Notification
from stadga.notifications.reminders import all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import Role
from stadga.portal.choices import MessageStatus
from stadga.portal.models import ResidentMessage
from stadga.portal.reminders import messages_due
from stadga.testing.factories import PersonFactory, ResidentMessageFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(published: Any) -> Any:
    person = PersonFactory(municipality=published)
    RoleAssignmentFactory(person=person, role=Role.IT_COORDINATOR)
    return person


def received(m: Any, days: int, **fields: Any) -> ResidentMessage:
    row = ResidentMessageFactory(municipality=m, recipient=PersonFactory(municipality=m), **fields)
    ResidentMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    row.refresh_from_db()
    return row


def reminders(m: Any) -> list[Any]:
    return list(messages_due(m, timezone.localdate()))


def test_the_source_is_registered() -> None:
    assert "portal.messages_due" in all_reminder_sources()


def test_due_within_three_days_reminds_the_recipient(published: Any, coordinator: Any) -> None:
    soon = received(published, 12)  # due in two days
    received(published, 5)  # due in nine days: not yet
    found = reminders(published)
    assert [(r.recipient, r.key) for r in found] == [
        (soon.recipient, f"resident-message:{soon.pk}:due")
    ]
    assert found[0].link == soon.get_absolute_url()
    assert found[0].due_date == timezone.localdate() + datetime.timedelta(days=2)
    assert soon.reference in found[0].subject


def test_overdue_reminds_the_recipient_and_escalates_to_the_coordinators(
    published: Any, coordinator: Any
) -> None:
    late = received(published, 20)
    found = reminders(published)
    key = f"resident-message:{late.pk}:overdue"
    assert {(r.recipient, r.key) for r in found} == {(late.recipient, key), (coordinator, key)}
    escalation = next(r for r in found if r.recipient == coordinator)
    assert escalation.subject.startswith("Overdue:")


def test_answered_closed_and_archived_ones_are_not_reminded(
    published: Any, coordinator: Any
) -> None:
    received(published, 20, status=MessageStatus.ANSWERED, answered_at=timezone.now())
    received(published, 20, status=MessageStatus.CLOSED, closed_at=timezone.now())
    received(published, 20, archived_at=timezone.now())
    assert reminders(published) == []


def test_a_message_whose_recipient_left_still_reaches_the_coordinators(
    published: Any, coordinator: Any
) -> None:
    late = received(published, 20)
    late.recipient.archived_at = timezone.now()
    late.recipient.save()
    assert [r.recipient for r in reminders(published)] == [coordinator]


def test_the_daily_job_sends_each_once(published: Any, coordinator: Any) -> None:
    late = received(published, 20)
    key = f"resident-message:{late.pk}:overdue"
    assert notifications_send(municipality=published) > 0
    assert Notification.objects.filter(key=key).count() == 2
    assert notifications_send(municipality=published) == 0  # not repeated the next day
    assert Notification.objects.filter(key=key).count() == 2


def test_a_fixed_number_of_queries(published: Any, coordinator: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            reminders(published)
        return len(queries)

    received(published, 20)
    few = count()
    for n in range(8):
        received(published, 12 + n)
    assert count() == few == 3
