"""The IT group's services (P3.12): one department per person at a time, minutes that become a
record when approved, attendance linked to seats, the notice to the members."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stadga.core.dates import months_before
from stadga.itgroup import services
from stadga.itgroup.access import manages_group, reads_group
from stadga.itgroup.choices import GroupRole, MeetingStatus, Presence
from stadga.itgroup.models import ITGroupMember, MeetingAttendance
from stadga.notifications.models import Notification
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.testing.factories import MunicipalityFactory, PersonFactory, UserFactory, member

from .helpers import department, meeting, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor() -> object:
    return UserFactory()


def test_member_create_is_logged(actor: object) -> None:
    m = MunicipalityFactory()
    dept = department(m)
    person = PersonFactory(municipality=m)
    created = services.member_create(
        municipality=m,
        data={"person": person, "department": dept, "role": GroupRole.MEMBER,
              "since": datetime.date(2026, 1, 1)},
        actor=actor,
    )  # fmt: skip
    assert LogEntry.objects.get_for_object(created).get().actor == actor


def test_a_person_represents_one_department_at_a_time(actor: object) -> None:
    m = MunicipalityFactory()
    first = seat(m, since=datetime.date(2025, 1, 1))
    other = department(m)
    data = {"person": first.person, "department": other, "since": datetime.date(2026, 1, 1)}
    with pytest.raises(ValidationError) as error:
        services.member_create(municipality=m, data=data, actor=actor)
    assert "person" in error.value.message_dict
    # once the first seat has ended, the person may represent another department
    services.member_update(member=first, data={"until": datetime.date(2025, 12, 31)}, actor=actor)
    services.member_create(municipality=m, data=data, actor=actor)
    # and a seat ending before another begins does not overlap it; one spanning it does
    with pytest.raises(ValidationError):
        services.member_create(
            municipality=m,
            data={**data, "since": datetime.date(2025, 6, 1), "until": datetime.date(2026, 2, 1)},
            actor=actor,
        )


def test_the_database_refuses_two_open_seats_for_one_person() -> None:
    m = MunicipalityFactory()
    first = seat(m)
    with pytest.raises(IntegrityError), transaction.atomic():
        ITGroupMember.objects.create(
            municipality=m,
            person=first.person,
            department=department(m),
            since=datetime.date(2026, 1, 1),
        )


def test_a_seat_of_another_municipality_is_refused(actor: object) -> None:
    m = MunicipalityFactory()
    with pytest.raises(ValidationError) as error:
        services.member_create(
            municipality=m,
            data={"person": PersonFactory(), "department": department(MunicipalityFactory())},
            actor=actor,
        )
    assert {"person", "department"} <= set(error.value.message_dict)


def test_restoring_a_seat_that_would_overlap_is_refused(actor: object) -> None:
    m = MunicipalityFactory()
    first = seat(m)
    services.member_archive(member=first, actor=actor)
    seat(m, person=first.person)
    with pytest.raises(ValidationError):
        services.member_restore(member=first, actor=actor)
    first.refresh_from_db()
    assert first.is_archived


def test_approved_minutes_are_a_record(actor: object) -> None:
    """Once approved the meeting, its attendance and decisions' wording are not changed."""
    m = MunicipalityFactory()
    s = seat(m)
    held = meeting(m, days=-2, status=MeetingStatus.PLANNED)
    services.meeting_record_minutes(meeting=held, minutes="§1", actor=actor)
    services.attendance_record(meeting=held, presences={s.person_id: Presence.PRESENT}, actor=actor)
    decision = services.decision_create(
        meeting=held, data={"text": "Byt brandvägg", "responsible": s.person}, actor=actor
    )
    with pytest.raises(ValidationError):
        services.meeting_approve_minutes(
            meeting=meeting(m, status=MeetingStatus.PLANNED), actor=actor
        )
    approved = services.meeting_approve_minutes(meeting=held, actor=actor)
    assert approved.minutes_approved_at is not None and approved.minutes_approved_by == actor
    refused = [
        lambda: services.meeting_update(meeting=held, data={"minutes": "x"}, actor=actor),
        lambda: services.meeting_record_minutes(meeting=held, minutes="x", actor=actor),
        lambda: services.meeting_approve_minutes(meeting=held, actor=actor),
        lambda: services.attendance_record(
            meeting=held, presences={s.person_id: Presence.ABSENT}, actor=actor
        ),
        lambda: services.decision_create(meeting=held, data={"text": "Ny"}, actor=actor),
        lambda: services.decision_update(decision=decision, data={"text": "Ny"}, actor=actor),
        lambda: services.decision_archive(decision=decision, actor=actor),
    ]
    for write in refused:
        with pytest.raises(ValidationError):
            write()
    held.refresh_from_db()
    assert held.minutes == "§1"
    assert MeetingAttendance.objects.get(meeting=held).presence == Presence.PRESENT
    _, changed = services.decision_update(
        decision=decision, data={"text": "Byt brandvägg", "done": True}, actor=actor
    )
    assert changed
    services.meeting_archive(meeting=held, actor=actor)  # archive only


def test_attendance_links_the_seat_and_skips_blank(actor: object) -> None:
    m = MunicipalityFactory()
    s = seat(m)
    guest = PersonFactory(municipality=m)
    held = meeting(m)
    count = services.attendance_record(
        meeting=held,
        presences={s.person_id: Presence.PRESENT, guest.pk: Presence.EXCUSED, 0: ""},
        actor=actor,
    )
    assert count == 2
    assert MeetingAttendance.objects.get(person=s.person).member == s
    assert MeetingAttendance.objects.get(person=guest).member is None
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=held, presences={PersonFactory().pk: Presence.PRESENT}, actor=actor
        )
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting(m, status=MeetingStatus.CANCELLED),
            presences={s.person_id: Presence.PRESENT},
            actor=actor,
        )


def test_convening_tells_current_members_once_per_time(actor: object) -> None:
    m = MunicipalityFactory()
    current = seat(m)
    left = seat(m)
    Person.objects.filter(pk=left.person_id).update(archived_at=left.created_at)
    planned = meeting(m, days=7, status=MeetingStatus.PLANNED, agenda="Punkt 1")
    sent = services.meeting_convene(meeting=planned, actor=actor)
    assert [n.recipient_id for n in sent] == [current.person_id]
    assert services.meeting_convene(meeting=planned, actor=actor) == []
    # moved: announced again
    services.meeting_update(
        meeting=planned, data={"starts_at": planned.starts_at + datetime.timedelta(hours=2)},
        actor=actor,
    )  # fmt: skip
    assert len(services.meeting_convene(meeting=planned, actor=actor)) == 1
    assert Notification.objects.filter(recipient=current.person).count() == 2
    with pytest.raises(ValidationError):
        services.meeting_convene(meeting=meeting(m, days=-3), actor=actor)


def test_settings_row_is_created_on_first_save(actor: object) -> None:
    m = MunicipalityFactory()
    row = services.settings_update(municipality=m, data={"meeting_interval_months": 4}, actor=actor)
    assert (
        services.settings_update(
            municipality=m, data={"meeting_interval_months": 3}, actor=actor
        ).pk
        == row.pk
    )
    with pytest.raises(ValidationError):
        services.settings_update(municipality=m, data={"meeting_interval_months": 0}, actor=actor)


def test_who_reads_and_keeps_the_group() -> None:
    m = MunicipalityFactory()
    dept = department(m)

    def access(role: str | None = None, **scope: object) -> Access:
        return Access.for_user(member(m, role, **scope))

    assert manages_group(access(Role.IT_COORDINATOR), m.pk)
    assert manages_group(access(Role.IT_TECHNICIAN), m.pk)
    assert not manages_group(access(Role.AUDITOR), m.pk)
    assert reads_group(access(Role.AUDITOR), m.pk)
    assert reads_group(access(Role.DEPARTMENT_HEAD, department=dept), m.pk)
    assert not reads_group(access(Role.EMPLOYEE), m.pk)
    user = member(m)
    seat(m, person=Person.objects.get(user=user))
    assert reads_group(Access.for_user(user), m.pk)
    assert not reads_group(Access.for_user(user), MunicipalityFactory().pk)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
        (datetime.date(2024, 8, 29), 6, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 1, 31), -1, datetime.date(2026, 2, 28)),
    ],
)
def test_months_before(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert months_before(day, months) == expected
