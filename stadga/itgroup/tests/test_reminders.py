"""The IT group's reminders (P3.12): a department without a representative, a group that has not
met within its interval, a decision past its due date — who, once, and in fixed queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.itgroup.choices import MeetingStatus
from stadga.itgroup.models import ITGroupSettings, MeetingDecision
from stadga.itgroup.reminders import decisions_overdue, departments_unrepresented, meeting_due
from stadga.notifications.models import Notification
from stadga.notifications.reminders import all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.testing.factories import MunicipalityFactory, PersonFactory, member

from .helpers import department, meeting, seat

pytestmark = pytest.mark.django_db


def person_with(m: object, role: str, **scope: object) -> Person:
    return Person.objects.get(user=member(m, role, **scope))


def test_the_sources_are_registered() -> None:
    sources = all_reminder_sources()
    for source_id in (
        "itgroup.department_unrepresented",
        "itgroup.meeting_due",
        "itgroup.decision_overdue",
    ):
        assert source_id in sources


def test_a_department_without_representative_reminds_coordinator_and_head() -> None:
    m = MunicipalityFactory()
    seat(m)
    missing = department(m)
    coordinator = person_with(m, Role.IT_COORDINATOR)
    head = person_with(m, Role.DEPARTMENT_HEAD, department=missing)
    person_with(m, Role.DEPARTMENT_HEAD, department=department(m))  # another department's head
    today = timezone.localdate()
    reminders = [r for r in departments_unrepresented(m, today) if missing.name in r.subject]
    assert {r.recipient.pk for r in reminders} == {coordinator.pk, head.pk}
    assert all(r.key == f"itgroup-unrepresented:{missing.pk}:never" for r in reminders)


def test_a_department_whose_seat_ended_is_reminded_anew() -> None:
    m = MunicipalityFactory()
    ended = seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2024, 3, 1))
    person_with(m, Role.IT_COORDINATOR)
    (reminder,) = departments_unrepresented(m, timezone.localdate())
    assert reminder.key == f"itgroup-unrepresented:{ended.department_id}:2024-03-01"


def test_nothing_when_every_department_is_represented() -> None:
    m = MunicipalityFactory()
    seat(m)
    person_with(m, Role.IT_COORDINATOR)
    assert list(departments_unrepresented(m, timezone.localdate())) == []


def test_nothing_is_reminded_before_the_group_is_kept_in_stadga() -> None:
    m = MunicipalityFactory()
    head_of = department(m)
    person_with(m, Role.IT_COORDINATOR)
    person_with(m, Role.DEPARTMENT_HEAD, department=head_of)
    today = timezone.localdate()
    assert list(departments_unrepresented(m, today)) == []
    assert list(meeting_due(m, today)) == []
    seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2020, 2, 1))
    assert len(list(departments_unrepresented(m, today))) == 3  # 2 departments, 1 head
    assert len(list(meeting_due(m, today))) == 1


def test_meeting_due_after_the_interval_unless_one_is_planned() -> None:
    m = MunicipalityFactory()
    coordinator = person_with(m, Role.IT_COORDINATOR)
    seat(m)
    today = timezone.localdate()
    assert [r.key for r in meeting_due(m, today)] == ["itgroup-meeting-due:never"]
    last = meeting(m, days=-100)
    assert list(meeting_due(m, today)) == []  # within six months
    ITGroupSettings.objects.create(municipality=m, meeting_interval_months=3)
    (reminder,) = meeting_due(m, today)
    assert reminder.recipient == coordinator
    assert reminder.due_date is not None and reminder.due_date < today
    assert reminder.key == f"itgroup-meeting-due:{reminder.due_date.isoformat()}"
    assert reminder.due_date.day == timezone.localtime(last.starts_at).day
    meeting(m, days=10, status=MeetingStatus.PLANNED)
    assert list(meeting_due(m, today)) == []


def test_overdue_decision_reminds_the_responsible_and_the_coordinator() -> None:
    m = MunicipalityFactory()
    coordinator = person_with(m, Role.IT_COORDINATOR)
    responsible = PersonFactory(municipality=m)
    held = meeting(m)
    today = timezone.localdate()
    late = MeetingDecision.objects.create(
        municipality=m,
        meeting=held,
        text="Inventera skrivarna",
        responsible=responsible,
        due_date=today - datetime.timedelta(days=1),
    )
    for kwargs in (
        {"due_date": today},  # not yet past
        {"due_date": today - datetime.timedelta(days=9), "done": True},
        {"due_date": None},
    ):
        MeetingDecision.objects.create(municipality=m, meeting=held, text="Annat", **kwargs)
    reminders = list(decisions_overdue(m, today))
    assert {r.recipient.pk for r in reminders} == {coordinator.pk, responsible.pk}
    assert {r.key for r in reminders} == {f"itgroup-decision-overdue:{late.pk}:{late.due_date}"}
    assert reminders[0].link == late.get_absolute_url()


def test_each_reminder_is_sent_once() -> None:
    m = MunicipalityFactory()
    seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2020, 2, 1))
    person_with(m, Role.IT_COORDINATOR)
    today = timezone.localdate()
    # Other apps' reminders (the IT plans') may be sent too; only the IT group's are counted.
    assert notifications_send(municipality=m, today=today) >= 2
    sent = Notification.objects.filter(key__startswith="itgroup-").count()
    assert sent == 2  # the department and the meeting
    assert notifications_send(municipality=m, today=today) == 0
    assert Notification.objects.filter(key__startswith="itgroup-").count() == sent


def test_query_counts_do_not_grow_with_rows() -> None:
    m = MunicipalityFactory()
    person_with(m, Role.IT_COORDINATOR)
    seat(m)
    today = timezone.localdate()
    counts = []
    for size in (2, 12):
        while MeetingDecision.objects.filter(municipality=m).count() < size:
            dept = department(m)
            person_with(m, Role.DEPARTMENT_HEAD, department=dept)
            MeetingDecision.objects.create(
                municipality=m,
                meeting=meeting(m, days=-400),
                text="Gör",
                responsible=PersonFactory(municipality=m),
                due_date=today - datetime.timedelta(days=3),
            )
        with CaptureQueriesContext(connection) as queries:
            for source in (departments_unrepresented, meeting_due, decisions_overdue):
                list(source(m, today))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
