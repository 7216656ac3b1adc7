"""Every write of sessions, their registrations and their attendance (P6.2): atomic, validated,
logged.

- A session is for the departments it names (several sharing one is the cooperation P6.2 asks
  for), or for everyone when it names none.
- A registration takes a place while there is one, otherwise joins the waiting list; places
  are served first come, first served (by when the registration was made). When a place is
  freed — a cancellation, more places — the first on the waiting list moves up and is told.
- Cancelling a session tells everyone registered or waiting.
- A session open to partners (P8.1) also gives places to partner municipalities' staff
  (`cooperation.PartnerBooking`); a partner's booking holds a place like a registration does, so
  every count of places taken counts both (`places_taken`).
- After the session has started the IT department records attendance; each attendance becomes
  a competence record through `services_records.record_create`, once.

The views and the API decide who may write (`training.access`); these services decide what may
be written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stadga.cooperation.models import PartnerBookingStatus
from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.notifications.services import notify
from stadga.organisation.models import Municipality, Person

from .choices import RecordSource, RegistrationStatus
from .models import CompetenceRecord, Registration, TrainingSession
from .services_records import record_archive, record_create

# A registration in one of these holds one of the session's places.
HOLDS_PLACE = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.ABSENT,
)
# A registration in one of these is still in play: a place or a place in the queue.
ACTIVE = (*HOLDS_PLACE, RegistrationStatus.WAITING)


def _when(session: TrainingSession) -> str:
    return date_format(timezone.localtime(session.starts_at), "Y-m-d H:i")


def session_day(session: TrainingSession) -> Any:
    """The local date of the session: the date its attendance is recorded as completed on."""
    return timezone.localtime(session.starts_at).date()


def places_taken(session: TrainingSession) -> int:
    """The places taken on the session: its own registrations that hold one and the partners'
    bookings (P8.1). Two queries."""
    own = session.registrations.filter(status__in=HOLDS_PLACE).count()
    partners = session.partner_bookings.filter(status=PartnerBookingStatus.BOOKED).count()
    return own + partners


def _locked(session: TrainingSession) -> TrainingSession:
    """The session row locked for the rest of the transaction (PostgreSQL), so two bookings of
    the last place cannot both take it."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


# --- sessions ----------------------------------------------------------------------------------


def session_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> TrainingSession:
    """Plan a session of a course, for the departments named (none: open to all, P6.2)."""
    course = data.get("course")
    if course is not None and course.archived_at is not None:
        raise ValidationError(_("The course is archived: it is no longer given."))
    return object_create(model=TrainingSession, data=data, actor=actor, municipality=municipality)


def session_update(
    *, session: TrainingSession, data: Mapping[str, Any], actor: Any
) -> tuple[TrainingSession, bool]:
    """Change a session that is not cancelled. More places move the waiting list up; fewer
    places than are taken keep everyone booked (nobody loses a place they were given)."""
    if session.cancelled_at is not None:
        raise ValidationError(_("The session is cancelled and is no longer changed."))
    with governed_write(actor):
        session, changed = object_update(instance=session, data=data, actor=actor)
        if changed:
            _promote_waiting(session, actor=actor)
    return session, changed


def session_cancel(*, session: TrainingSession, actor: Any, reason: str = "") -> TrainingSession:
    """Cancel a session: its registrations and the partners' bookings are cancelled and
    everyone registered, waiting or booked by a partner is told, in the inbox and by e-mail."""
    if session.cancelled_at is not None:
        raise ValidationError(_("The session is already cancelled."))
    if session.registrations.filter(status=RegistrationStatus.ATTENDED).exists():
        raise ValidationError(_("Attendance is recorded: the session was held."))
    with governed_write(actor):
        _locked(session)
        affected = list(
            session.registrations.filter(status__in=ACTIVE).select_related("person", "session")
        )
        for registration in affected:
            object_update(
                instance=registration,
                data={"status": RegistrationStatus.CANCELLED},
                actor=actor,
            )
        # Partners' staff lose their places too, and are told in their own municipality (P8.1).
        partner_bookings = list(
            session.partner_bookings.filter(status=PartnerBookingStatus.BOOKED).select_related(
                "person", "municipality"
            )
        )
        for booking in partner_bookings:
            object_update(
                instance=booking, data={"status": PartnerBookingStatus.CANCELLED}, actor=actor
            )
        session.cancelled_at = timezone.now()
        session.save(update_fields=["cancelled_at", "updated_at"])
        values = {"course": session.course, "when": _when(session)}
        body = _("The session of %(course)s on %(when)s is cancelled.") % values
        if reason.strip():
            body += "\n\n" + reason.strip()
        notify(
            municipality=session.municipality,
            recipients=[r.person for r in affected],
            key=f"training-session-cancelled:{session.pk}",
            subject=_("Cancelled: %(course)s %(when)s") % values,
            body=body,
            link=session.get_absolute_url(),
        )
        for booking in partner_bookings:
            notify(
                municipality=booking.municipality,
                recipients=[booking.person],
                key=f"training-session-cancelled:{session.pk}",
                subject=_("Cancelled: %(course)s %(when)s") % values,
                body=body,
                link=booking.get_absolute_url(),
            )
    return session


def session_archive(*, session: TrainingSession, actor: Any) -> TrainingSession:
    """Archive a session registered by mistake; one that is not held is cancelled instead."""
    return object_archive(instance=session, actor=actor)


def session_restore(*, session: TrainingSession, actor: Any) -> TrainingSession:
    return object_restore(instance=session, actor=actor)


# --- registrations -----------------------------------------------------------------------------


def booking_refusal(session: TrainingSession, person: Person) -> str | None:
    """Why `person` cannot be booked on `session`, or None if they can. The session's
    departments must be prefetched or this costs a query."""
    if session.archived_at is not None or session.cancelled_at is not None:
        return _("The session is cancelled.")
    if session.starts_at <= timezone.now():
        return _("The session has already taken place.")
    if person.municipality_id != session.municipality_id or person.archived_at is not None:
        return _("Only the municipality's current people can be booked.")
    departments = {d.pk for d in session.departments.all()}
    if departments and person.department_id not in departments:
        return _(
            "%(person)s works in a department the session is not for; "
            "choose a session for their department."
        ) % {"person": person}
    return None


def register(
    *, session: TrainingSession, person: Person, actor: Any, note: str = ""
) -> Registration:
    """Book `person` on `session`: a place if one is free, otherwise the waiting list. Booking
    someone already registered or waiting changes nothing; someone who had cancelled joins
    again at the back of the queue."""
    refusal = booking_refusal(session, person)
    if refusal:
        raise ValidationError(refusal)
    with governed_write(actor):
        session = _locked(session)
        existing = Registration.objects.filter(session=session, person=person).first()
        if existing is not None and existing.status in ACTIVE:
            return existing
        taken = places_taken(session)
        waiting = session.registrations.filter(status=RegistrationStatus.WAITING).exists()
        status = (
            RegistrationStatus.REGISTERED
            if taken < session.capacity and not waiting
            else RegistrationStatus.WAITING
        )
        if existing is None:
            return object_create(
                model=Registration,
                data={
                    "session": session,
                    "person": person,
                    "status": status,
                    "note": note,
                    "registered_by": actor if getattr(actor, "pk", None) else None,
                },
                actor=actor,
                municipality=session.municipality,
            )
        # Joining again: the queue is served by when one joined, so the registration is dated
        # now (a cancelled place does not keep its turn).
        existing.status = status
        existing.created_at = timezone.now()
        existing.registered_by = actor if getattr(actor, "pk", None) else None
        if note:
            existing.note = note
        existing.full_clean()
        existing.save(update_fields=["status", "created_at", "registered_by", "note", "updated_at"])
        return existing


def register_many(
    *, session: TrainingSession, people: Iterable[Person], actor: Any
) -> list[Registration]:
    """Book several people in one go (a department head booking their staff, P6.2), in the
    order given: all or none, the first refusal names who could not be booked."""
    people = list(people)
    for person in people:
        refusal = booking_refusal(session, person)
        if refusal:
            raise ValidationError(refusal)
    with governed_write(actor):
        return [register(session=session, person=person, actor=actor) for person in people]


def registration_cancel(*, registration: Registration, actor: Any) -> Registration:
    """Give up a place or leave the waiting list before the session; a freed place goes to
    the first on the waiting list, who is told."""
    if registration.status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        raise ValidationError(_("Only a place or a place on the waiting list can be cancelled."))
    with governed_write(actor):
        session = _locked(registration.session)  # and read afresh
        if session.starts_at <= timezone.now():
            raise ValidationError(_("The session has started: record the attendance instead."))
        object_update(
            instance=registration, data={"status": RegistrationStatus.CANCELLED}, actor=actor
        )
        _promote_waiting(session, actor=actor)
    return registration


def waiting_promote(*, session: TrainingSession, actor: Any) -> list[Registration]:
    """A place was freed outside the registrations (a partner's booking cancelled, P8.1): give
    it to the first on the waiting list, who is told. Run inside the caller's transaction."""
    with governed_write(actor):
        return _promote_waiting(_locked(session), actor=actor)


def _promote_waiting(session: TrainingSession, *, actor: Any) -> list[Registration]:
    """Give the free places, if any, to the first on the waiting list, and tell them."""
    if session.cancelled_at is not None or session.archived_at is not None:
        return []
    if session.starts_at <= timezone.now():
        return []
    free = session.capacity - places_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")[:free]
    )
    values = {"course": session.course, "when": _when(session)}
    for registration in promoted:
        object_update(
            instance=registration, data={"status": RegistrationStatus.REGISTERED}, actor=actor
        )
        notify(
            municipality=session.municipality,
            recipients=[registration.person],
            key=f"training-place:{registration.pk}:{registration.created_at.isoformat()}",
            subject=_("You have a place: %(course)s %(when)s") % values,
            body=_(
                "A place became free on the session of %(course)s on %(when)s and it is yours: "
                "you moved up from the waiting list."
            )
            % values,
            link=session.get_absolute_url(),
        )
    return promoted


# --- attendance --------------------------------------------------------------------------------


def attendance_record(*, session: TrainingSession, attended: Mapping[Any, bool], actor: Any) -> int:
    """Record who attended: {registration (or its id): attended}. Those who attended get a
    competence record of the course, completed on the session's date and valid for the course's
    validity (through `record_create`); recording again creates no second record, and marking
    someone absent archives the record their attendance made. Returns how many registrations
    changed."""
    if session.cancelled_at is not None or session.archived_at is not None:
        raise ValidationError(_("Nobody attends a cancelled session."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    wanted = {int(getattr(key, "pk", key)): bool(value) for key, value in attended.items()}
    registrations = {
        r.pk: r
        for r in session.registrations.filter(pk__in=wanted, status__in=HOLDS_PLACE)
        .select_related("person")
        .order_by("pk")
    }
    if set(wanted) - set(registrations):
        raise ValidationError(_("Attendance is recorded only for those booked on the session."))
    day = session_day(session)
    course = session.course
    person_ids = {r.person_id for r in registrations.values()}
    # The records the session made, and any other record of the course that day (by hand or
    # imported): either way the person has the completion and needs no second one.
    made_here = {
        record.person_id: record
        for record in CompetenceRecord.objects.filter(
            session=session, source=RecordSource.SESSION, archived_at__isnull=True
        )
    }
    has_that_day = set(
        CompetenceRecord.objects.filter(
            course=course, completed_on=day, person_id__in=person_ids, archived_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    changed = 0
    with governed_write(actor):
        for pk, came in wanted.items():
            registration = registrations[pk]
            status = RegistrationStatus.ATTENDED if came else RegistrationStatus.ABSENT
            if object_update(instance=registration, data={"status": status}, actor=actor)[1]:
                changed += 1
            if came and registration.person_id not in has_that_day:
                record_create(
                    municipality=session.municipality,
                    data={
                        "person": registration.person,
                        "course": course,
                        "completed_on": day,
                        "source": RecordSource.SESSION,
                        "session": session,
                    },
                    actor=actor,
                )
                has_that_day.add(registration.person_id)
            elif not came and registration.person_id in made_here:
                record_archive(record=made_here.pop(registration.person_id), actor=actor)
                has_that_day.discard(registration.person_id)
    return changed
