"""Sessions, registration with a waiting list, and attendance (P6.2): the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    CompetenceRecordFactory,
    CourseFactory,
    MunicipalityFactory,
    PersonFactory,
    member,
)
from stadga.training import services_sessions as svc
from stadga.training.choices import RecordSource, RegistrationStatus
from stadga.training.models import CompetenceRecord, Registration

from .helpers import department, session, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def m():
    return MunicipalityFactory()


@pytest.fixture
def actor(m):
    return member(m, Role.IT_COORDINATOR)


def _status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


class TestRegister:
    def test_places_then_waiting_list_first_come_first_served(self, m, actor) -> None:
        s = session(m, capacity=2)
        people = [PersonFactory(municipality=m) for _ in range(4)]
        rows = [svc.register(session=s, person=p, actor=actor) for p in people]
        assert [r.status for r in rows] == [
            RegistrationStatus.REGISTERED,
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITING,
            RegistrationStatus.WAITING,
        ]
        assert rows[0].registered_by == actor

    def test_booking_twice_changes_nothing(self, m, actor) -> None:
        s = session(m, capacity=1)
        p = PersonFactory(municipality=m)
        first = svc.register(session=s, person=p, actor=actor)
        again = svc.register(session=s, person=p, actor=actor)
        assert first.pk == again.pk
        assert Registration.objects.filter(session=s).count() == 1

    def test_cancelling_moves_the_first_waiting_up_and_tells_them(self, m, actor) -> None:
        s = session(m, capacity=1)
        a, b, c = (PersonFactory(municipality=m) for _ in range(3))
        ra = svc.register(session=s, person=a, actor=actor)
        rb = svc.register(session=s, person=b, actor=actor)
        rc = svc.register(session=s, person=c, actor=actor)
        svc.registration_cancel(registration=ra, actor=actor)
        assert _status(ra) == RegistrationStatus.CANCELLED
        assert _status(rb) == RegistrationStatus.REGISTERED  # first on the list
        assert _status(rc) == RegistrationStatus.WAITING
        told = Notification.objects.get(recipient=b)
        assert told.link == s.get_absolute_url()
        assert not Notification.objects.filter(recipient=c).exists()

    def test_rejoining_after_cancelling_goes_to_the_back(self, m, actor) -> None:
        s = session(m, capacity=1)
        a, b, c = (PersonFactory(municipality=m) for _ in range(3))
        svc.register(session=s, person=a, actor=actor)
        rb = svc.register(session=s, person=b, actor=actor)
        svc.registration_cancel(registration=rb, actor=actor)
        rc = svc.register(session=s, person=c, actor=actor)
        rb = svc.register(session=s, person=b, actor=actor)  # joins again, after c
        assert rb.status == RegistrationStatus.WAITING
        ra = Registration.objects.get(session=s, person=a)
        svc.registration_cancel(registration=ra, actor=actor)
        assert _status(rc) == RegistrationStatus.REGISTERED
        assert _status(rb) == RegistrationStatus.WAITING

    def test_more_places_move_the_waiting_list_up(self, m, actor) -> None:
        s = session(m, capacity=1)
        rows = [
            svc.register(session=s, person=PersonFactory(municipality=m), actor=actor)
            for _ in range(3)
        ]
        svc.session_update(session=s, data={"capacity": 2}, actor=actor)
        assert [_status(r) for r in rows] == [
            RegistrationStatus.REGISTERED,
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITING,
        ]

    def test_a_department_the_session_is_not_for_is_refused(self, m, actor) -> None:
        """P6.2: a session names the departments it is for; empty means open to all."""
        ours, theirs = department(m), department(m)
        s = session(m, departments=[ours])
        outsider = staff(theirs, name="Ada Utanför")
        with pytest.raises(ValidationError) as error:
            svc.register(session=s, person=outsider, actor=actor)
        assert "Ada Utanför" in error.value.messages[0]
        assert "department the session is not for" in error.value.messages[0]
        assert svc.register(session=s, person=staff(ours), actor=actor).pk
        open_session = session(m)
        assert svc.register(session=open_session, person=outsider, actor=actor).pk

    def test_past_and_cancelled_sessions_cannot_be_booked(self, m, actor) -> None:
        p = PersonFactory(municipality=m)
        with pytest.raises(ValidationError, match="already taken place"):
            svc.register(session=session(m, days=-1), person=p, actor=actor)
        s = session(m)
        svc.session_cancel(session=s, actor=actor)
        with pytest.raises(ValidationError, match="cancelled"):
            svc.register(session=s, person=p, actor=actor)

    def test_another_municipality_person_is_refused(self, m, actor) -> None:
        s = session(m)
        with pytest.raises(ValidationError):
            svc.register(session=s, person=PersonFactory(), actor=actor)
        assert not Registration.objects.exists()

    def test_register_many_is_all_or_nothing(self, m, actor) -> None:
        ours, theirs = department(m), department(m)
        s = session(m, departments=[ours])
        with pytest.raises(ValidationError):
            svc.register_many(session=s, people=[staff(ours), staff(theirs)], actor=actor)
        assert not Registration.objects.exists()
        rows = svc.register_many(session=s, people=[staff(ours), staff(ours)], actor=actor)
        assert len(rows) == 2

    def test_a_started_session_place_is_not_cancelled(self, m, actor) -> None:
        s = session(m)
        r = svc.register(session=s, person=PersonFactory(municipality=m), actor=actor)
        s.starts_at = timezone.now() - datetime.timedelta(hours=1)
        s.save()
        with pytest.raises(ValidationError, match="record the attendance"):
            svc.registration_cancel(registration=r, actor=actor)


class TestCancelSession:
    def test_cancelling_tells_everyone_booked_or_waiting(self, m, actor) -> None:
        s = session(m, capacity=1)
        a, b = PersonFactory(municipality=m), PersonFactory(municipality=m)
        ra = svc.register(session=s, person=a, actor=actor)
        rb = svc.register(session=s, person=b, actor=actor)
        svc.session_cancel(session=s, actor=actor, reason="Läraren är sjuk.")
        s.refresh_from_db()
        assert s.cancelled_at is not None
        assert _status(ra) == _status(rb) == RegistrationStatus.CANCELLED
        for person in (a, b):
            note = Notification.objects.get(recipient=person)
            assert "Läraren är sjuk." in note.body
        with pytest.raises(ValidationError, match="already cancelled"):
            svc.session_cancel(session=s, actor=actor)
        with pytest.raises(ValidationError):
            svc.session_update(session=s, data={"place": "Annat"}, actor=actor)


class TestAttendance:
    def _held(self, m, actor, *, validity: int | None = 24, people: int = 2):
        course = CourseFactory(municipality=m, validity_months=validity)
        s = session(m, course=course)
        rows = [
            svc.register(session=s, person=PersonFactory(municipality=m), actor=actor)
            for _ in range(people)
        ]
        s.starts_at = timezone.now() - datetime.timedelta(hours=2)
        s.save()
        return s, rows

    def test_attended_get_a_record_valid_for_the_course(self, m, actor) -> None:
        s, (a, b) = self._held(m, actor)
        changed = svc.attendance_record(session=s, attended={a: True, b.pk: False}, actor=actor)
        assert changed == 2
        assert _status(a) == RegistrationStatus.ATTENDED
        assert _status(b) == RegistrationStatus.ABSENT
        record = CompetenceRecord.objects.get()
        day = timezone.localtime(s.starts_at).date()
        assert record.person_id == a.person_id
        assert record.source == RecordSource.SESSION
        assert record.session == s
        assert record.completed_on == day
        assert record.valid_until == s.course.valid_until(day)
        assert record.valid_until is not None and record.valid_until > day

    def test_recording_twice_does_not_duplicate(self, m, actor) -> None:
        s, (a, b) = self._held(m, actor)
        svc.attendance_record(session=s, attended={a: True, b: True}, actor=actor)
        assert svc.attendance_record(session=s, attended={a: True, b: True}, actor=actor) == 0
        assert CompetenceRecord.objects.filter(archived_at__isnull=True).count() == 2

    def test_unmarking_archives_the_record_it_made_and_remarking_restores_one(
        self, m, actor
    ) -> None:
        s, (a,) = self._held(m, actor, people=1)
        svc.attendance_record(session=s, attended={a: True}, actor=actor)
        svc.attendance_record(session=s, attended={a: False}, actor=actor)
        assert CompetenceRecord.objects.get().archived_at is not None
        svc.attendance_record(session=s, attended={a: True}, actor=actor)
        assert CompetenceRecord.objects.filter(archived_at__isnull=True).count() == 1

    def test_a_record_by_hand_that_day_is_kept_not_doubled_nor_archived(self, m, actor) -> None:
        s, (a,) = self._held(m, actor, people=1)
        day = timezone.localtime(s.starts_at).date()
        manual = CompetenceRecordFactory(person=a.person, course=s.course, completed_on=day)
        svc.attendance_record(session=s, attended={a: True}, actor=actor)
        svc.attendance_record(session=s, attended={a: False}, actor=actor)
        manual.refresh_from_db()
        assert manual.archived_at is None
        assert CompetenceRecord.objects.count() == 1

    def test_not_before_the_session_nor_for_others(self, m, actor) -> None:
        s = session(m)
        r = svc.register(session=s, person=PersonFactory(municipality=m), actor=actor)
        with pytest.raises(ValidationError, match="once the session has started"):
            svc.attendance_record(session=s, attended={r: True}, actor=actor)
        held, _rows = self._held(m, actor, people=1)
        with pytest.raises(ValidationError, match="only for those booked"):
            svc.attendance_record(session=held, attended={r: True}, actor=actor)

    def test_a_course_without_validity_gives_a_record_that_does_not_expire(self, m, actor) -> None:
        s, (a,) = self._held(m, actor, validity=None, people=1)
        svc.attendance_record(session=s, attended={a: True}, actor=actor)
        assert CompetenceRecord.objects.get().valid_until is None

    def test_a_held_session_is_not_cancelled(self, m, actor) -> None:
        s, (a,) = self._held(m, actor, people=1)
        svc.attendance_record(session=s, attended={a: True}, actor=actor)
        with pytest.raises(ValidationError, match="was held"):
            svc.session_cancel(session=s, actor=actor)
