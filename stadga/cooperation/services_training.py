"""Every write of partners' bookings on training sessions open to partners' staff (P8.1, P6.2):
atomic, validated, logged.

A municipality that shares its training with a group (`Membership.shares_training`) opens some
of its sessions to partners (`TrainingSession.open_to_partners`); the other members of that
group book places for their own staff. A booking belongs to the booking municipality and holds
one of the giver's places like a registration does (`training.services_sessions.places_taken`);
there is no waiting list for partners. Sharing withdrawn stops new bookings; those made stay,
as records of the giver's session. A booking is never deleted: it is cancelled, and the place
it frees goes to the giver's waiting list. Attendance and competence records of partners' staff
are not kept here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stadga.core.services import governed_write, object_create, object_update
from stadga.notifications.services import notify
from stadga.organisation.access import Access
from stadga.organisation.choices import EDIT_ALL_SYSTEMS_ROLES
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import role_holders
from stadga.training.access import keeps_training, may_book
from stadga.training.choices import RegistrationStatus
from stadga.training.models import TrainingSession
from stadga.training.services_sessions import places_taken, waiting_promote

from .access import manages_sharing
from .models import PartnerBooking, PartnerBookingStatus
from .selectors_training import shares_training


def may_book_partner_place(access: Access, municipality_id: int, person: Person) -> bool:
    """Who books (or cancels) a partner's place for a person of their municipality: its IT
    coordinator, or whoever the training app lets book that person there — the IT department,
    the head of the person's department (P6.2)."""
    return manages_sharing(access, municipality_id) or may_book(
        access, municipality_id, person.department_id
    )


def _when(session: TrainingSession) -> str:
    return date_format(timezone.localtime(session.starts_at), "Y-m-d H:i")


def _tell_the_giver(booking: PartnerBooking, *, key: str, subject: str, body: str) -> None:
    """The giver's training managers (the IT department, `training.access.keeps_training`)
    hear of every partner booking on their session and of its cancellation."""
    session = booking.session
    notify(
        municipality=session.municipality,
        recipients=role_holders(session.municipality, EDIT_ALL_SYSTEMS_ROLES),
        key=key,
        subject=subject,
        body=body,
        link=session.get_absolute_url(),
    )


def booking_refusal(
    *, municipality: Municipality, session: TrainingSession, person: Person
) -> ValidationError | None:
    """Why `municipality` cannot book `person` on `session`, or None. Checks everything but the
    free place, which is counted under the session's lock."""
    if session.municipality_id == municipality.pk:
        return ValidationError(
            _("This is the municipality's own session: book on the session's page instead.")
        )
    if not shares_training(giver=session.municipality, booker=municipality):
        return ValidationError(
            _("%(giver)s does not share its training sessions with %(municipality)s.")
            % {"giver": session.municipality, "municipality": municipality}
        )
    if not session.open_to_partners:
        return ValidationError(_("The session is not open to partners' staff."))
    if session.archived_at is not None or session.cancelled_at is not None:
        return ValidationError(_("The session is cancelled."))
    if session.starts_at <= timezone.now():
        return ValidationError(_("The session has already started."))
    if person.municipality_id != municipality.pk or person.archived_at is not None:
        return ValidationError(
            {"person": _("Only the municipality's current people can be booked.")}
        )
    return None


def booking_create(
    *, municipality: Municipality, session: TrainingSession, person: Person, actor: Any
) -> PartnerBooking:
    """Book a place on a partner's session for one of the municipality's own staff (P8.1,
    P6.2). Refused unless the giver shares its training with the municipality, the session is
    open to partners, not cancelled and not started, has a free place, and the person is the
    municipality's current staff whom `actor` may book."""
    if actor is not None and not may_book_partner_place(
        Access.for_user(actor), municipality.pk, person
    ):
        raise PermissionDenied(_("You may not book places for this person."))
    refusal = booking_refusal(municipality=municipality, session=session, person=person)
    if refusal is not None:
        raise refusal
    with governed_write(actor):
        session = (
            TrainingSession.objects.select_for_update()
            .select_related("course", "municipality")
            .get(pk=session.pk)
        )
        if PartnerBooking.objects.filter(
            session=session, person=person, status=PartnerBookingStatus.BOOKED
        ).exists():
            raise ValidationError(
                {"person": _("%(person)s is already booked on the session.") % {"person": person}}
            )
        waiting = session.registrations.filter(status=RegistrationStatus.WAITING).exists()
        if places_taken(session) >= session.capacity or waiting:
            raise ValidationError(_("The session is full: there is no free place."))
        booking = object_create(
            model=PartnerBooking,
            data={
                "session": session,
                "person": person,
                "status": PartnerBookingStatus.BOOKED,
                "booked_by": actor if getattr(actor, "pk", None) else None,
            },
            actor=actor,
            municipality=municipality,
        )
        values = {
            "municipality": municipality,
            "person": person,
            "course": session.course,
            "when": _when(session),
        }
        _tell_the_giver(
            booking,
            key=f"partner-booking:{booking.pk}",
            subject=_("%(municipality)s booked a place: %(course)s %(when)s") % values,
            body=_("%(municipality)s booked a place for %(person)s on %(course)s on %(when)s.")
            % values,
        )
    return booking


def booking_cancel(*, booking: PartnerBooking, actor: Any) -> PartnerBooking:
    """Give up a partner's place before the session: the booking municipality's IT
    coordinator or whoever may book the person there, or the giver's training managers. The
    freed place goes to the giver's waiting list."""
    if actor is not None:
        access = Access.for_user(actor)
        if not (
            may_book_partner_place(access, booking.municipality_id, booking.person)
            or keeps_training(access, booking.session.municipality_id)
        ):
            raise PermissionDenied(_("You may not cancel this booking."))
    if booking.status != PartnerBookingStatus.BOOKED:
        raise ValidationError(_("The booking is already cancelled."))
    with governed_write(actor):
        session = TrainingSession.objects.select_for_update().get(pk=booking.session_id)
        if session.starts_at <= timezone.now():
            raise ValidationError(
                _("The session has started: the booking can no longer be cancelled.")
            )
        object_update(
            instance=booking, data={"status": PartnerBookingStatus.CANCELLED}, actor=actor
        )
        waiting_promote(session=session, actor=actor)
        values = {
            "municipality": booking.municipality,
            "person": booking.person,
            "course": booking.session.course,
            "when": _when(booking.session),
        }
        _tell_the_giver(
            booking,
            key=f"partner-booking-cancelled:{booking.pk}",
            subject=_("%(municipality)s's place cancelled: %(course)s %(when)s") % values,
            body=_(
                "The place of %(person)s (%(municipality)s) on %(course)s on %(when)s is cancelled."
            )
            % values,
        )
    return booking
