"""Session pages (P6.2): the generic pages, the joint-session mark, booking oneself and one's
staff without script, attendance by the IT department, cancelling, and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    CourseFactory,
    MunicipalityFactory,
    PersonFactory,
    RegistrationFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix
from stadga.training.choices import RegistrationStatus, SessionMode
from stadga.training.models import CompetenceRecord, Registration, TrainingSession

from .helpers import department, login_for, session, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def book_url(s: TrainingSession) -> str:
    return f"/k/{s.municipality.slug}/training/sessions/{s.pk}/book/"


def attendance_url(s: TrainingSession) -> str:
    return f"/k/{s.municipality.slug}/training/sessions/{s.pk}/attendance/"


def _start_in_past(s: TrainingSession) -> None:
    s.starts_at = timezone.now() - datetime.timedelta(hours=3)
    s.save(update_fields=["starts_at"])


class TestSessionPages(ViewMatrix):
    url_prefix = "training/sessions"

    def model_class(self) -> Any:
        return TrainingSession

    def make(self, municipality: Municipality, **kwargs: Any) -> TrainingSession:
        return session(municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        course = CourseFactory(municipality=municipality)
        return {
            "course": course.pk,
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T12:00",
            "mode": SessionMode.ON_SITE,
            "place": "Stadshuset",
            "trainer": "",
            "capacity": "12",
        }

    def edit_data(self, obj: TrainingSession) -> dict[str, Any]:
        return {
            "course": obj.course_id,
            "starts_at": timezone.localtime(obj.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": "",
            "mode": obj.mode,
            "place": "Biblioteket",
            "trainer": "",
            "capacity": str(obj.capacity),
        }

    def edited_values(self) -> dict[str, Any]:
        return {"place": "Biblioteket"}

    def invalid_data(self, obj: TrainingSession) -> dict[str, Any]:
        return {**self.edit_data(obj), "capacity": "0"}

    def test_joint_session_is_shown_as_such(self, client: Any) -> None:
        """P6.2: several departments sharing one session is the cooperation asked for."""
        m = MunicipalityFactory()
        joint = session(m, departments=[department(m), department(m)])
        single = session(m, departments=[department(m)])
        client.force_login(member(m))
        listing = client.get(self.url(m)).content.decode()
        assert listing.count("data-joint-session") == 1
        assert 'id="joint-session"' in client.get(joint.get_absolute_url()).content.decode()
        assert 'id="joint-session"' not in client.get(single.get_absolute_url()).content.decode()

    def test_list_puts_sessions_ahead_first(self, client: Any) -> None:
        m = MunicipalityFactory()
        past = session(m, days=-30)
        later = session(m, days=20)
        soon = session(m, days=2)
        client.force_login(member(m))
        page = client.get(self.url(m)).content.decode()
        positions = [page.index(f'href="{s.get_absolute_url()}"') for s in (soon, later, past)]
        assert positions == sorted(positions)
        upcoming = client.get(self.url(m) + "?when=upcoming").content.decode()
        assert f'href="{past.get_absolute_url()}"' not in upcoming

    def test_filter_by_department_includes_sessions_open_to_all(self, client: Any) -> None:
        m = MunicipalityFactory()
        ours, theirs = department(m), department(m)
        for_us, for_them, open_to_all = (
            session(m, departments=[ours]),
            session(m, departments=[theirs]),
            session(m),
        )
        RegistrationFactory(session=for_us)
        client.force_login(member(m))
        page = client.get(self.url(m) + f"?department={ours.pk}").content.decode()
        assert f'href="{for_us.get_absolute_url()}"' in page
        assert f'href="{open_to_all.get_absolute_url()}"' in page
        assert f'href="{for_them.get_absolute_url()}"' not in page
        assert "1 / 10" in page  # the places are counted once, whatever the filter joins


class TestBooking:
    def test_an_employee_books_themselves(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m, capacity=1)
        person = PersonFactory(municipality=m)
        client.force_login(login_for(person))
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'name="me"' in page
        assert 'id="booking-form"' not in page  # nobody else to book
        response = client.post(book_url(s), {"me": "1"})
        assert response.status_code == 302
        registration = Registration.objects.get(session=s, person=person)
        assert registration.status == RegistrationStatus.REGISTERED
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'id="my-registration"' in page
        # and gives the place up
        cancel = f"/k/{m.slug}/training/sessions/{s.pk}/registrations/{registration.pk}/cancel/"
        assert client.post(cancel).status_code == 302
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CANCELLED

    def test_a_full_session_puts_one_on_the_waiting_list(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m, capacity=1)
        RegistrationFactory(session=s)
        person = PersonFactory(municipality=m)
        client.force_login(login_for(person))
        client.post(book_url(s), {"me": "1"})
        assert Registration.objects.get(person=person).status == RegistrationStatus.WAITING

    def test_an_employee_cannot_book_others_nor_cancel_their_place(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m)
        other = PersonFactory(municipality=m)
        client.force_login(member(m))
        assert client.post(book_url(s), {"people": [other.pk]}).status_code == 403
        row = RegistrationFactory(session=s, person=other)
        cancel = f"/k/{m.slug}/training/sessions/{s.pk}/registrations/{row.pk}/cancel/"
        assert client.post(cancel).status_code == 403
        assert not Registration.objects.filter(person=other, status="cancelled").exists()

    def test_department_head_books_staff_lacking_a_course_on_a_joint_session(
        self, client: Any
    ) -> None:
        """The issue's done-means: a department head books their staff on a joint session,
        with checkboxes and no script."""
        m = MunicipalityFactory()
        ours, theirs = department(m), department(m)
        s = session(m, departments=[ours, theirs], capacity=2)
        a, b, c = staff(ours, name="Anna A"), staff(ours, name="Bo B"), staff(ours, name="Cia C")
        stranger = staff(theirs, name="Dan D")
        client.force_login(member(m, Role.DEPARTMENT_HEAD, department=ours))
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'id="booking-form"' in page
        for person in (a, b, c):
            assert f'value="{person.pk}"' in page
        assert "Dan D" not in page  # another department's staff are not offered
        response = client.post(book_url(s), {"people": [a.pk, b.pk, c.pk]})
        assert response.status_code == 302
        statuses = dict(Registration.objects.values_list("person__name", "status"))
        assert statuses == {
            "Anna A": RegistrationStatus.REGISTERED,
            "Bo B": RegistrationStatus.REGISTERED,
            "Cia C": RegistrationStatus.WAITING,
        }
        assert client.post(book_url(s), {"people": [stranger.pk]}).status_code == 403

    def test_department_head_of_a_department_the_session_is_not_for(self, client: Any) -> None:
        m = MunicipalityFactory()
        ours, theirs = department(m), department(m)
        s = session(m, departments=[theirs])
        mine = staff(ours)
        client.force_login(member(m, Role.DEPARTMENT_HEAD, department=ours))
        page = client.get(s.get_absolute_url() + f"?person={mine.pk}").content.decode()
        assert 'id="booking-form"' not in page
        assert 'id="preselect-refusal"' in page
        response = client.post(book_url(s), {"people": [mine.pk]}, follow=True)
        assert "department the session is not for" in response.content.decode()
        assert not Registration.objects.exists()

    def test_person_preselect_ticks_the_person(self, client: Any) -> None:
        """The coverage page links to a session with `?person=` for one who lacks the course."""
        m = MunicipalityFactory()
        ours = department(m)
        s = session(m)
        a, b = staff(ours), staff(ours)
        client.force_login(member(m, Role.DEPARTMENT_HEAD, department=ours))
        page = client.get(s.get_absolute_url() + f"?person={a.pk}").content.decode()
        assert f'value="{a.pk}" id="id_people_0" checked' in page or (
            f'value="{a.pk}"' in page and "checked" in page
        )
        assert page.count("checked") == 1
        assert f'value="{b.pk}"' in page

    def test_it_department_chooses_whose_staff_to_list(self, client: Any) -> None:
        m = MunicipalityFactory()
        ours, theirs = department(m), department(m)
        s = session(m)
        a, d = staff(ours), staff(theirs)
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'id="department-chooser"' in page
        page = client.get(s.get_absolute_url() + f"?department={theirs.pk}").content.decode()
        assert f'value="{d.pk}"' in page and f'name="people" value="{a.pk}"' not in page
        assert client.post(book_url(s), {"people": [a.pk, d.pk]}).status_code == 302
        assert Registration.objects.filter(session=s).count() == 2

    def test_past_session_offers_no_booking(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m, days=-3)
        person = PersonFactory(municipality=m)
        client.force_login(login_for(person))
        assert 'id="booking"' not in client.get(s.get_absolute_url()).content.decode()
        response = client.post(book_url(s), {"me": "1"}, follow=True)
        assert "already taken place" in response.content.decode()
        assert not Registration.objects.exists()

    def test_other_municipality_is_404(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m)
        row = RegistrationFactory(session=s)
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.post(book_url(s), {"me": "1"}).status_code == 404
        assert client.post(attendance_url(s)).status_code == 404
        cancel = f"/k/{m.slug}/training/sessions/{s.pk}/registrations/{row.pk}/cancel/"
        assert client.post(cancel).status_code == 404
        assert client.get(f"/k/{m.slug}/training/sessions/{s.pk}/cancel/").status_code == 404

    def test_booking_a_person_of_another_municipality_is_404(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        foreign = PersonFactory()
        assert client.post(book_url(s), {"people": [foreign.pk]}).status_code == 404


class TestAttendancePage:
    def test_it_department_records_attendance_creating_records(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m, course=CourseFactory(municipality=m, validity_months=12))
        a = RegistrationFactory(session=s)
        b = RegistrationFactory(session=s)
        waiting = RegistrationFactory(session=s, status=RegistrationStatus.WAITING)
        client.force_login(member(m, Role.IT_COORDINATOR))
        assert 'id="attendance-form"' not in client.get(s.get_absolute_url()).content.decode()
        _start_in_past(s)
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'id="attendance-form"' in page
        assert f'name="attended_{waiting.pk}"' not in page  # no place, no attendance
        response = client.post(attendance_url(s), {f"attended_{a.pk}": "on"})
        assert response.status_code == 302
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.status, b.status) == (RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT)
        record = CompetenceRecord.objects.get()
        assert record.person_id == a.person_id and record.valid_until is not None
        # the same form again does not duplicate; the ticked box now shows ticked
        client.post(attendance_url(s), {f"attended_{a.pk}": "on"})
        assert CompetenceRecord.objects.count() == 1
        page = client.get(s.get_absolute_url()).content.decode()
        assert f'name="attended_{a.pk}" id="id_attended_{a.pk}" checked' in page

    def test_others_may_not_record_attendance(self, client: Any) -> None:
        m = MunicipalityFactory()
        dept = department(m)
        s = session(m)
        a = RegistrationFactory(session=s, person=staff(dept))
        _start_in_past(s)
        for user in (member(m), member(m, Role.DEPARTMENT_HEAD, department=dept)):
            client.force_login(user)
            assert 'id="attendance-form"' not in client.get(s.get_absolute_url()).content.decode()
            assert client.post(attendance_url(s), {f"attended_{a.pk}": "on"}).status_code == 403
        assert not CompetenceRecord.objects.exists()


class TestCancelPage:
    def test_it_department_cancels_and_those_booked_are_told(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m)
        row = RegistrationFactory(session=s)
        url = f"/k/{m.slug}/training/sessions/{s.pk}/cancel/"
        client.force_login(member(m))
        assert client.get(url).status_code == 403
        client.force_login(member(m, Role.IT_COORDINATOR))
        assert client.get(url).status_code == 200
        assert client.post(url, {"reason": "Lokalen är upptagen."}).status_code == 302
        s.refresh_from_db()
        assert s.cancelled_at is not None
        assert "Lokalen är upptagen." in Notification.objects.get(recipient=row.person).body
        page = client.get(s.get_absolute_url()).content.decode()
        assert 'id="session-cancelled"' in page and 'id="booking"' not in page
        assert client.get(url).status_code == 403  # not twice
        assert client.get(f"/k/{m.slug}/training/sessions/{s.pk}/edit/").status_code == 403


class TestQueryCounts:
    def test_session_page_does_not_grow_with_registrations(self, client: Any) -> None:
        m = MunicipalityFactory()
        dept = department(m)
        s = session(m, departments=[dept, department(m)], capacity=100)
        client.force_login(member(m, Role.DEPARTMENT_HEAD, department=dept))
        counts = []
        for rows in (2, 30):
            while Registration.objects.filter(session=s).count() < rows:
                RegistrationFactory(session=s, person=staff(dept))
                staff(dept)  # and someone still to book
            with CaptureQueriesContext(connection) as queries:
                assert client.get(s.get_absolute_url()).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    def test_attendance_form_page_does_not_grow_with_registrations(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m, capacity=100)
        _start_in_past(s)
        client.force_login(member(m, Role.IT_COORDINATOR))
        counts = []
        for rows in (2, 30):
            while Registration.objects.filter(session=s).count() < rows:
                RegistrationFactory(session=s)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(s.get_absolute_url()).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts


def test_who_sees_whom_on_a_session(client: Any) -> None:
    """Who is booked is part of a person's competence: every member sees the figures, the
    names only of themselves (a department head: of their staff; the IT department: all)."""
    m = MunicipalityFactory()
    ours, theirs = department(m), department(m)
    s = session(m)
    mine = RegistrationFactory(session=s, person=staff(ours, name="Egen Anställd"))
    other = RegistrationFactory(session=s, person=staff(theirs, name="Annan Anställd"))
    me = PersonFactory(municipality=m, department=theirs)
    RegistrationFactory(session=s, person=me)
    cases = [
        (member(m, Role.IT_COORDINATOR), {mine, other}),
        (member(m, Role.DEPARTMENT_HEAD, department=ours), {mine}),
        (login_for(me), set()),
    ]
    for user, expected in cases:
        client.force_login(user)
        page = client.get(s.get_absolute_url()).content.decode()
        assert "3 of 10 taken" in page
        for row in (mine, other):
            assert (f'id="registration-{row.pk}"' in page) is (row in expected), user
    assert "Annan Anställd" not in page and f"{me.name}" in page
