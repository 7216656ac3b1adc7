"""What a municipality reads of its partners' training sessions open to partners' staff, and of
its own bookings on them (P8.1, P6.2).

A partner's sessions are read only while that partner shares its training with the municipality
in a current group both are current members of (`selectors.partners`); a withdrawn choice hides
them at once. The municipality's own bookings stay readable: they are its records. Each function
runs a fixed number of queries, whatever the number of sessions or bookings.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality, Person
from stadga.training.access import keeps_training
from stadga.training.models import TrainingSession
from stadga.training.selectors import with_places

from .access import manages_sharing
from .models import PartnerBooking, PartnerBookingStatus
from .selectors import partners


def training_givers(municipality: Municipality) -> list[int]:
    """The partners that share their training sessions with the municipality (P8.1). One
    query."""
    return [p.municipality.pk for p in partners(municipality) if p.shares("shares_training")]


def shares_training(*, giver: Municipality, booker: Municipality) -> bool:
    """Whether `giver` shares its training with `booker` in a current group that both are
    current members of: read through `partners`, the one place that decides what a partner
    shares. One query."""
    return giver.pk in training_givers(booker)


def _open_sessions(giver_ids: list[int]) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(
        municipality_id__in=giver_ids, open_to_partners=True, archived_at__isnull=True
    )


def partner_sessions(
    municipality: Municipality, *, now: datetime.datetime | None = None
) -> list[TrainingSession]:
    """The partners' upcoming sessions open to partners' staff, soonest first, each with its
    course, its municipality and its places taken (`places_taken`). Two queries."""
    givers = training_givers(municipality)
    if not givers:
        return []
    now = now or timezone.now()
    return list(
        with_places(_open_sessions(givers).filter(cancelled_at__isnull=True, starts_at__gt=now))
        .select_related("course", "municipality")
        .order_by("starts_at", "pk")
    )


def partner_session_get(municipality: Municipality, pk: int) -> TrainingSession:
    """A session open to partners of a partner that shares its training with the municipality;
    any other session is a 404. Two queries."""
    return get_object_or_404(
        _open_sessions(training_givers(municipality)).select_related("course", "municipality"),
        pk=pk,
    )


def own_bookings(municipality: Municipality) -> list[PartnerBooking]:
    """The municipality's current bookings on partners' sessions, soonest first. One query."""
    return list(
        PartnerBooking.objects.filter(municipality=municipality, status=PartnerBookingStatus.BOOKED)
        .select_related("person", "session__course", "session__municipality")
        .order_by("session__starts_at", "person__name", "pk")
    )


def booking_get(municipality: Municipality, pk: int) -> PartnerBooking:
    """A booking the municipality made, or one made on its own session (the giver's record);
    anything else is a 404."""
    return get_object_or_404(
        PartnerBooking.objects.filter(
            Q(municipality=municipality) | Q(session__municipality=municipality)
        ).select_related(
            "municipality", "person__department", "session__course", "session__municipality"
        ),
        pk=pk,
    )


def bookable_people(*, access: Access, municipality: Municipality) -> list[Person]:
    """The municipality's current people the user may book on a partner's session: all of them
    for the IT coordinator and the IT department, a department head's staff, nobody for anyone
    else (`services_training.may_book_partner_place`). One query, none when nobody."""
    people = Person.objects.filter(municipality=municipality, archived_at__isnull=True)
    if not (manages_sharing(access, municipality.pk) or keeps_training(access, municipality.pk)):
        if not access.department_head_of:
            return []
        people = people.filter(department_id__in=access.department_head_of)
    return list(people.select_related("department").order_by("name", "pk"))
