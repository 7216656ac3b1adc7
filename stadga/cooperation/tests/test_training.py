"""Training sessions open to partners' staff (issue 10, item 2; P8.1, P6.2): who may book a
place on a partner's session and when it is refused, the places it takes, cancelling, the
partners' sessions page and the giver's session page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadga.cooperation import services_training as services
from stadga.cooperation.models import CooperationGroup, Membership, PartnerBooking
from stadga.cooperation.models import PartnerBookingStatus as Status
from stadga.notifications.models import Notification
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.testing.factories import MunicipalityFactory, RegistrationFactory, member
from stadga.training.choices import RegistrationStatus
from stadga.training.models import Registration, TrainingSession
from stadga.training.selectors import session_list, session_places
from stadga.training.services_sessions import register, session_cancel
from stadga.training.tests.helpers import department, session, staff

from .conftest import share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def person_of(user: Any) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def giving(group: CooperationGroup, neighbour: Any) -> Any:
    """Hjo shares its training sessions with the group."""
    return share(neighbour, group, shares_training=True)


@pytest.fixture
def open_session(neighbour: Any, giving: Any) -> TrainingSession:
    """A session of Hjo's a week ahead, open to partners' staff, with two places."""
    return session(neighbour, capacity=2, open_to_partners=True)


@pytest.fixture
def dept(home: Any) -> Any:
    return department(home, name="Socialtjänsten")


@pytest.fixture
def employee(dept: Any) -> Person:
    return staff(dept, name="Anna Andersson")


def book(coordinator: Any, home: Any, open_session: TrainingSession, person: Person) -> Any:
    return services.booking_create(
        municipality=home, session=open_session, person=person, actor=coordinator
    )


# --- booking -----------------------------------------------------------------------------------


def test_the_coordinator_books_a_place_and_the_giver_is_told(
    home: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    booking.refresh_from_db()
    assert (booking.municipality, booking.session, booking.person) == (
        home,
        open_session,
        employee,
    )
    assert booking.status == Status.BOOKED and booking.booked_by == coordinator
    told = Notification.objects.filter(recipient=person_of(neighbour_coordinator))
    assert told.count() == 1
    # The change log names the actor (P8.1: whoever booked on the partner's session).
    entry = LogEntry.objects.get_for_object(booking).get()
    assert entry.actor == coordinator
    assert entry.additional_data == {"municipality_id": home.pk}


def _no_sharing(**kw: Any) -> None:
    share(kw["neighbour"], kw["group"], shares_training=False)


def _membership_left(**kw: Any) -> None:
    Membership.objects.filter(municipality=kw["home"]).update(archived_at=timezone.now())


def _group_ended(**kw: Any) -> None:
    CooperationGroup.objects.filter(pk=kw["group"].pk).update(archived_at=timezone.now())


def _not_open(**kw: Any) -> None:
    TrainingSession.objects.filter(pk=kw["s"].pk).update(open_to_partners=False)


def _cancelled(**kw: Any) -> None:
    TrainingSession.objects.filter(pk=kw["s"].pk).update(cancelled_at=timezone.now())


def _started(**kw: Any) -> None:
    TrainingSession.objects.filter(pk=kw["s"].pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )


def _full(**kw: Any) -> None:
    for _ in range(2):
        RegistrationFactory(session=kw["s"])


def _waiting_list(**kw: Any) -> None:
    RegistrationFactory(session=kw["s"], status=RegistrationStatus.WAITING)


def _person_left(**kw: Any) -> None:
    Person.objects.filter(pk=kw["person"].pk).update(archived_at=timezone.now())


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_no_sharing, "does not share its training sessions"),
        (_membership_left, "does not share its training sessions"),
        (_group_ended, "does not share its training sessions"),
        (_not_open, "not open to partners"),
        (_cancelled, "cancelled"),
        (_started, "already started"),
        (_full, "full"),
        (_waiting_list, "full"),
        (_person_left, "current people"),
    ],
    ids=lambda v: getattr(v, "__name__", "")[1:] if callable(v) else "",
)
def test_a_booking_is_refused_when_a_check_fails(
    breaks: Any,
    message: str,
    home: Any,
    neighbour: Any,
    group: Any,
    coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    breaks(home=home, neighbour=neighbour, group=group, s=open_session, person=employee)
    open_session.refresh_from_db()
    employee.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        book(coordinator, home, open_session, employee)
    assert message in " ".join(refused.value.messages)
    assert not PartnerBooking.objects.exists()


def test_a_person_of_another_municipality_is_refused_on_the_person(
    home: Any, neighbour: Any, coordinator: Any, open_session: TrainingSession
) -> None:
    theirs = staff(department(neighbour))
    with pytest.raises(ValidationError) as refused:
        book(coordinator, home, open_session, theirs)
    assert "person" in refused.value.message_dict
    assert not PartnerBooking.objects.exists()


def test_the_municipalitys_own_session_is_booked_in_training_not_here(
    home: Any, group: Any, coordinator: Any, employee: Person
) -> None:
    share(home, group, shares_training=True)
    own = session(home, open_to_partners=True)
    with pytest.raises(ValidationError, match="own session"):
        book(coordinator, home, own, employee)


def test_the_same_person_is_booked_once(
    home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    book(coordinator, home, open_session, employee)
    with pytest.raises(ValidationError) as refused:
        book(coordinator, home, open_session, employee)
    assert "already booked" in refused.value.message_dict["person"][0]
    assert PartnerBooking.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "in_dept", "allowed"),
    [
        (Role.IT_COORDINATOR, False, True),
        (Role.IT_TECHNICIAN, False, True),  # the IT department books anyone (training.access)
        (Role.DEPARTMENT_HEAD, True, True),  # the head of the person's department
        (Role.DEPARTMENT_HEAD, False, False),  # the head of another department
        (Role.EMPLOYEE, False, False),
        (None, False, False),
    ],
)
def test_who_may_book(
    role: Any,
    in_dept: bool,
    allowed: bool,
    home: Any,
    dept: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    scope: dict[str, Any] = {}
    if role == Role.DEPARTMENT_HEAD:
        scope["department"] = dept if in_dept else department(home)
    user = member(home, role, **scope)
    if allowed:
        assert book(user, home, open_session, employee).status == Status.BOOKED
    else:
        with pytest.raises(PermissionDenied):
            book(user, home, open_session, employee)
        assert not PartnerBooking.objects.exists()


def test_the_givers_coordinator_books_nobody_for_the_partner(
    home: Any, neighbour_coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    with pytest.raises(PermissionDenied):
        book(neighbour_coordinator, home, open_session, employee)


# --- places ------------------------------------------------------------------------------------


def test_partner_bookings_take_the_givers_places(
    home: Any,
    neighbour: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    own = staff(department(neighbour))
    register(session=open_session, person=own, actor=neighbour_coordinator)
    book(coordinator, home, open_session, employee)
    places = session_places(open_session)
    assert (places.taken, places.free, len(places.partner_bookings)) == (2, 0, 1)
    listed = session_list(
        access=Access.for_user(neighbour_coordinator), municipality=neighbour
    ).get(pk=open_session.pk)
    assert listed.places_taken == 2  # type: ignore[attr-defined]
    # The giver's next registration waits: the partner holds the last place.
    later = register(
        session=open_session, person=staff(department(neighbour)), actor=neighbour_coordinator
    )
    assert later.status == RegistrationStatus.WAITING
    # And no second partner place.
    with pytest.raises(ValidationError, match="full"):
        book(coordinator, home, open_session, staff(employee.department))


def test_cancelling_frees_the_place_for_the_givers_waiting_list(
    home: Any,
    neighbour: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    register(session=open_session, person=staff(department(neighbour)), actor=None)
    waiting = register(session=open_session, person=staff(department(neighbour)), actor=None)
    assert waiting.status == RegistrationStatus.WAITING
    services.booking_cancel(booking=booking, actor=coordinator)
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED
    assert LogEntry.objects.get_for_object(booking).order_by("-pk")[0].actor == coordinator


def test_a_cancelled_booking_lets_another_partner_place_be_booked(
    home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    TrainingSession.objects.filter(pk=open_session.pk).update(capacity=1)
    open_session.refresh_from_db()
    booking = book(coordinator, home, open_session, employee)
    with pytest.raises(ValidationError, match="full"):
        book(coordinator, home, open_session, staff(employee.department))
    services.booking_cancel(booking=booking, actor=coordinator)
    # The same person again: a new booking, the cancelled one kept (never deleted).
    assert book(coordinator, home, open_session, employee).status == Status.BOOKED
    assert PartnerBooking.objects.filter(person=employee).count() == 2


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("booker_coordinator", True),
        ("giver_coordinator", True),  # the giver's training managers (the IT department)
        ("giver_employee", False),
        ("booker_employee", False),
    ],
)
def test_who_may_cancel(
    who: str,
    allowed: bool,
    home: Any,
    neighbour: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    actor = {
        "booker_coordinator": coordinator,
        "giver_coordinator": neighbour_coordinator,
        "giver_employee": member(neighbour, Role.EMPLOYEE),
        "booker_employee": member(home, Role.EMPLOYEE),
    }[who]
    if allowed:
        services.booking_cancel(booking=booking, actor=actor)
        booking.refresh_from_db()
        assert booking.status == Status.CANCELLED
    else:
        with pytest.raises(PermissionDenied):
            services.booking_cancel(booking=booking, actor=actor)


def test_no_cancelling_once_started_or_twice(
    home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    booking = book(coordinator, home, open_session, employee)
    TrainingSession.objects.filter(pk=open_session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="started"):
        services.booking_cancel(booking=booking, actor=coordinator)
    TrainingSession.objects.filter(pk=open_session.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    services.booking_cancel(booking=booking, actor=coordinator)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.booking_cancel(booking=booking, actor=coordinator)


def test_withdrawn_sharing_keeps_the_bookings_made_and_stops_new_ones(
    home: Any,
    neighbour: Any,
    group: Any,
    coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    share(neighbour, group, shares_training=False)
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED
    assert session_places(open_session).taken == 1
    with pytest.raises(ValidationError, match="does not share"):
        book(coordinator, home, open_session, staff(employee.department))


def test_a_booking_is_never_deleted(
    home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    booking = book(coordinator, home, open_session, employee)
    with pytest.raises(PermissionError):
        booking.delete()


# --- the partners' sessions page ---------------------------------------------------------------


def page_url(municipality: Any) -> str:
    return reverse("cooperation:partner_sessions", kwargs={"municipality": municipality.slug})


def book_url(municipality: Any, s: TrainingSession) -> str:
    return reverse(
        "cooperation:partner_book", kwargs={"municipality": municipality.slug, "session_pk": s.pk}
    )


def cancel_url(municipality: Any, booking: PartnerBooking) -> str:
    return reverse(
        "cooperation:partner_booking_cancel",
        kwargs={"municipality": municipality.slug, "pk": booking.pk},
    )


def test_the_page_lists_only_sharing_partners_open_upcoming_sessions(
    client: Any,
    home: Any,
    neighbour: Any,
    group: Any,
    coordinator: Any,
    open_session: TrainingSession,
) -> None:
    closed = session(neighbour, open_to_partners=False)
    past = session(neighbour, days=-2, open_to_partners=True)
    cancelled = session(neighbour, open_to_partners=True)
    TrainingSession.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    stranger = session(MunicipalityFactory(name="Tidaholm"), open_to_partners=True)
    RegistrationFactory(session=open_session)
    client.force_login(coordinator)
    response = client.get(page_url(home))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="session-{open_session.pk}"' in body
    assert open_session.course.name in body and "Hjo" in body
    assert '<td class="places-left">1</td>' in body
    for hidden in (closed, past, cancelled, stranger):
        assert f'id="session-{hidden.pk}"' not in body
    assert f'id="id_session-{open_session.pk}-person"' in body
    # Sharing withdrawn: the session is gone from the page at once.
    share(neighbour, group, shares_training=False)
    body = client.get(page_url(home)).content.decode()
    assert f'id="session-{open_session.pk}"' not in body


def test_the_page_is_linked_from_the_overview(client: Any, home: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    body = client.get(reverse("cooperation:overview", args=[home.slug])).content.decode()
    assert page_url(home) in body


def test_the_page_runs_a_fixed_number_of_queries(
    client: Any, home: Any, neighbour: Any, coordinator: Any, giving: Any, dept: Any
) -> None:
    client.force_login(coordinator)
    counts = []
    for rows in (2, 6):
        while TrainingSession.objects.filter(municipality=neighbour).count() < rows:
            s = session(neighbour, open_to_partners=True)
            RegistrationFactory(session=s)
            booking = services.booking_create(
                municipality=home, session=s, person=staff(dept), actor=None
            )
            assert booking.pk
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(home))
        assert response.status_code == 200
        assert response.content.decode().count('class="places-left"') == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_booking_on_the_page(
    client: Any, home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    client.force_login(coordinator)
    response = client.post(book_url(home, open_session), {"person": employee.pk})
    assert response.status_code == 302 and response["Location"] == page_url(home)
    booking = PartnerBooking.objects.get()
    assert booking.person == employee and booking.booked_by == coordinator
    body = client.get(page_url(home)).content.decode()
    assert f'id="booking-{booking.pk}"' in body and cancel_url(home, booking) in body


def test_bad_input_is_told_on_the_field(
    client: Any, home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    client.force_login(coordinator)
    response = client.post(book_url(home, open_session), {"person": ""})
    assert response.status_code == 400
    assert "Choose the person to book." in response.content.decode()
    response = client.post(book_url(home, open_session), {"person": "999999"})
    assert response.status_code == 400
    assert "Choose one of the people listed." in response.content.decode()
    _full(s=open_session)
    response = client.post(book_url(home, open_session), {"person": employee.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The session is full" in body
    # The choice is kept.
    assert f'<option value="{employee.pk}" selected>' in body
    assert not PartnerBooking.objects.exists()


def test_a_member_who_may_not_book_gets_no_form_and_a_403(
    client: Any, home: Any, open_session: TrainingSession, employee: Person
) -> None:
    client.force_login(member(home, Role.EMPLOYEE))
    body = client.get(page_url(home)).content.decode()
    assert f'id="session-{open_session.pk}"' in body
    assert "id_session-" not in body
    response = client.post(book_url(home, open_session), {"person": employee.pk})
    assert response.status_code == 403
    assert not PartnerBooking.objects.exists()


def test_a_session_of_a_municipality_that_does_not_share_is_a_404(
    client: Any, home: Any, neighbour: Any, coordinator: Any, employee: Person
) -> None:
    """Hjo does not share its training; a third municipality is in no group with Karlsborg."""
    client.force_login(coordinator)
    for s in (
        session(neighbour, open_to_partners=True),
        session(MunicipalityFactory(), open_to_partners=True),
    ):
        response = client.post(book_url(home, s), {"person": employee.pk})
        assert response.status_code == 404
    assert not PartnerBooking.objects.exists()


def test_cancelling_on_the_page_asks_first(
    client: Any, home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    booking = book(coordinator, home, open_session, employee)
    client.force_login(coordinator)
    response = client.get(cancel_url(home, booking))
    assert response.status_code == 200
    assert "Cancel the booking" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED  # the GET changed nothing
    response = client.post(cancel_url(home, booking))
    assert response.status_code == 302 and response["Location"] == page_url(home)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_another_municipalitys_booking_is_a_404(
    client: Any, home: Any, coordinator: Any, open_session: TrainingSession, employee: Person
) -> None:
    booking = book(coordinator, home, open_session, employee)
    third = MunicipalityFactory()
    client.force_login(member(third, Role.IT_COORDINATOR))
    for method in (client.get, client.post):
        assert method(cancel_url(third, booking)).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


# --- the giver's session page ------------------------------------------------------------------


def test_the_giver_sees_the_partners_bookings_and_may_cancel_them(
    client: Any,
    home: Any,
    neighbour: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    client.force_login(neighbour_coordinator)
    body = client.get(open_session.get_absolute_url()).content.decode()
    assert f'id="partner-booking-{booking.pk}"' in body
    row = body.split(f'id="partner-booking-{booking.pk}"')[1].split("</tr>")[0]
    assert "Anna Andersson" in row and "Karlsborg" in row
    assert booking.created_at.strftime("%Y-%m-%d") in row
    assert "1 of 2 taken, 1 free" in body
    assert cancel_url(neighbour, booking) in body
    response = client.post(cancel_url(neighbour, booking))
    assert response.status_code == 302
    assert response["Location"] == open_session.get_absolute_url()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_an_employee_of_the_giver_sees_the_count_not_the_names(
    client: Any,
    home: Any,
    neighbour: Any,
    coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    client.force_login(member(neighbour, Role.EMPLOYEE))
    body = client.get(open_session.get_absolute_url()).content.decode()
    assert "1 place is booked by a partner municipality." in body
    assert "Anna Andersson" not in body
    assert client.get(cancel_url(neighbour, booking)).status_code == 403
    assert client.post(cancel_url(neighbour, booking)).status_code == 403
    assert Registration.objects.count() == 0


def test_cancelling_the_session_cancels_the_partners_places_and_tells_them(
    home: Any,
    coordinator: Any,
    neighbour_coordinator: Any,
    open_session: TrainingSession,
    employee: Person,
) -> None:
    booking = book(coordinator, home, open_session, employee)
    session_cancel(session=open_session, actor=neighbour_coordinator)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    told = Notification.objects.get(recipient=employee)
    assert told.municipality == home
    assert (
        LogEntry.objects.get_for_object(booking).order_by("-pk")[0].actor == neighbour_coordinator
    )
