"""Reads of courses, sessions and people's competence (P6) shared by the pages and the API,
scoped by `training.access`: courses and sessions to every member, a person's competence to
the person, their department head and those who read everything."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stadga.cooperation.models import PartnerBooking, PartnerBookingStatus
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality, Person

from .access import keeps_training, person_q, reads_training
from .choices import RegistrationStatus
from .models import (
    CompetenceRecord,
    Course,
    Registration,
    SystemUse,
    TrainingRequirement,
    TrainingSession,
    TrainingSettings,
)
from .services_sessions import ACTIVE, HOLDS_PLACE


def settings_for(municipality: Municipality) -> TrainingSettings:
    """The municipality's training settings: the stored row, or the defaults (unsaved)."""
    return TrainingSettings.for_municipality(municipality)


# --- courses -----------------------------------------------------------------------------------


def course_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[Course]:
    """The municipality's courses; every member reads them."""
    qs = Course.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_training(access, municipality.pk):
        return qs.none()
    return qs.select_related("municipality", "given_by")


def course_get(*, access: Access, municipality: Municipality, pk: int) -> Course:
    if not reads_training(access, municipality.pk):
        raise Http404
    qs = Course.objects.filter(municipality=municipality).select_related("municipality", "given_by")
    return get_object_or_404(qs, pk=pk)


def course_requirements(course: Course) -> list[TrainingRequirement]:
    """Who must have the course (read-only on the course's page)."""
    return list(
        course.requirements.filter(archived_at__isnull=True)
        .select_related("municipality", "course", "department", "system")
        .order_by("scope", "role", "system__name", "pk")
    )


# --- sessions ----------------------------------------------------------------------------------


def with_places(qs: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Each session with `places_taken` (its registrations holding a place and the partners'
    bookings, P8.1) and `waiting_count`. Distinct counts: the two joins multiply the rows."""
    return qs.annotate(
        own_places=Count(
            "registrations", filter=Q(registrations__status__in=HOLDS_PLACE), distinct=True
        ),
        partner_places=Count(
            "partner_bookings",
            filter=Q(partner_bookings__status=PartnerBookingStatus.BOOKED),
            distinct=True,
        ),
        waiting_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITING),
            distinct=True,
        ),
    ).annotate(places_taken=F("own_places") + F("partner_places"))


def session_list(
    *,
    access: Access,
    municipality: Municipality,
    archived: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[TrainingSession]:
    """The municipality's sessions, those ahead first (soonest first), then those behind
    (latest first), each with its places taken and its waiting list counted and its
    departments at hand. A fixed number of queries, whatever the number of sessions."""
    qs = TrainingSession.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_training(access, municipality.pk):
        return qs.none()
    now = now or timezone.now()
    return (
        with_places(qs)
        .annotate(
            is_past=Case(
                When(starts_at__lt=now, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            ahead_at=Case(When(starts_at__gte=now, then=F("starts_at"))),
            behind_at=Case(When(starts_at__lt=now, then=F("starts_at"))),
        )
        .select_related("municipality", "course")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name", "pk"))
        )
        .order_by(
            "is_past",
            F("ahead_at").asc(nulls_last=True),
            F("behind_at").desc(nulls_last=True),
            "pk",
        )
    )


def session_get(*, access: Access, municipality: Municipality, pk: int) -> TrainingSession:
    if not reads_training(access, municipality.pk):
        raise Http404
    qs = (
        TrainingSession.objects.filter(municipality=municipality)
        .select_related("municipality", "course")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name", "pk"))
        )
    )
    return get_object_or_404(qs, pk=pk)


def course_sessions(course: Course) -> list[TrainingSession]:
    """The course's sessions, latest first, with their places counted."""
    return list(
        with_places(course.sessions.filter(archived_at__isnull=True))
        .select_related("municipality", "course")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name", "pk"))
        )
        .order_by("-starts_at", "-pk")
    )


@dataclass
class SessionPlaces:
    """A session's registrations, the partners' bookings (P8.1) and what they add up to: a
    partner's booking holds a place like a registration."""

    registrations: list[Registration]
    capacity: int
    partner_bookings: list[PartnerBooking] = field(default_factory=list)
    taken: int = 0
    waiting: int = 0
    attended: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def holding(self) -> list[Registration]:
        """Those with a place: the ones whose attendance is recorded."""
        return [r for r in self.registrations if r.status in HOLDS_PLACE]

    @property
    def queue(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == RegistrationStatus.WAITING]


def session_places(session: TrainingSession) -> SessionPlaces:
    """Every registration of the session (cancelled ones last), in the order they were made,
    the partners' current bookings, and the places taken, free and waiting. Two queries."""
    rows: list[Registration] = list(
        session.registrations.select_related("person__department", "session")
        .annotate(
            cancelled=Case(
                When(status=RegistrationStatus.CANCELLED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("cancelled", "created_at", "pk")
    )
    bookings = list(
        session.partner_bookings.filter(status=PartnerBookingStatus.BOOKED)
        .select_related("person", "municipality")
        .order_by("created_at", "pk")
    )
    places = SessionPlaces(
        registrations=rows,
        capacity=session.capacity,
        partner_bookings=bookings,
        taken=len(bookings),
    )
    for row in rows:
        if row.status in HOLDS_PLACE:
            places.taken += 1
        if row.status == RegistrationStatus.WAITING:
            places.waiting += 1
        if row.status == RegistrationStatus.ATTENDED:
            places.attended += 1
    return places


def bookable_people(
    *,
    access: Access,
    session: TrainingSession,
    department: Department | None = None,
) -> list[Person]:
    """The people the user may book on the session in one go (P6.2): the staff of the
    departments they head, or — for the IT department — of `department`; only departments the
    session is for, and only people not already booked or waiting. One query (two with the
    session's departments not prefetched)."""
    municipality_id = session.municipality_id
    departments = set(access.department_head_of)
    if keeps_training(access, municipality_id) and department is not None:
        departments.add(department.pk)
    for_departments = {d.pk for d in session.departments.all()}
    if for_departments:
        departments &= for_departments
    if not departments:
        return []
    booked = Registration.objects.filter(session=session, status__in=ACTIVE).values("person_id")
    return list(
        Person.objects.filter(
            municipality_id=municipality_id,
            archived_at__isnull=True,
            department_id__in=departments,
        )
        .exclude(pk__in=booked)
        .select_related("department")
        .order_by("department__name", "name", "pk")
    )


# --- people's competence -----------------------------------------------------------------------


class RecordStatus:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


@dataclass
class RecordLine:
    record: CompetenceRecord
    status: str

    @property
    def is_valid(self) -> bool:
        return self.status != RecordStatus.EXPIRED


@dataclass
class PersonCompetence:
    """A person's competence page: what they completed (and whether it is still valid), the
    sessions they are booked on, and the systems they use."""

    person: Person
    records: list[RecordLine] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    system_uses: list[SystemUse] = field(default_factory=list)
    expiry_notice_days: int = 0


def record_status(record: CompetenceRecord, today: datetime.date, notice_days: int) -> str:
    """Valid, expiring (within the notice period of the settings) or expired."""
    if record.valid_until is None or record.valid_until >= today + datetime.timedelta(
        days=notice_days
    ):
        return RecordStatus.VALID
    if record.valid_until >= today:
        return RecordStatus.EXPIRING
    return RecordStatus.EXPIRED


def person_get(*, access: Access, municipality: Municipality, pk: int) -> Person:
    """A person whose competence the user reads; anyone else is a 404."""
    qs = Person.objects.filter(person_q(access), municipality=municipality)
    if not access.is_member(municipality.pk):
        raise Http404
    return get_object_or_404(qs.select_related("municipality", "department"), pk=pk)


def person_competence(person: Person, *, today: datetime.date | None = None) -> PersonCompetence:
    """Four queries: the settings, the records, the registrations, the system uses."""
    today = today or timezone.localdate()
    notice_days = settings_for(person.municipality).expiry_notice_days
    records = (
        person.competence_records.filter(archived_at__isnull=True)
        .select_related("municipality", "course__municipality", "session__municipality")
        .order_by("-completed_on", "-pk")
    )
    registrations = (
        person.training_registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session__course", "session__municipality")
        .order_by("-session__starts_at", "-pk")
    )
    uses = (
        person.system_uses.filter(archived_at__isnull=True, system__archived_at__isnull=True)
        .select_related("system__municipality")
        .order_by("system__name", "pk")
    )
    return PersonCompetence(
        person=person,
        records=[RecordLine(r, record_status(r, today, notice_days)) for r in records],
        registrations=list(registrations),
        system_uses=list(uses),
        expiry_notice_days=notice_days,
    )


def my_person(*, access: Access, municipality: Municipality) -> Person | None:
    """The person of the user's login in the municipality (the first, if several). One
    query."""
    ids = access.persons.get(municipality.pk, set())
    if not ids:
        return None
    return (
        Person.objects.filter(pk__in=ids, archived_at__isnull=True)
        .select_related("municipality", "department")
        .order_by("pk")
        .first()
    )


def record_get(*, access: Access, municipality: Municipality, pk: int) -> CompetenceRecord:
    """A competence record of a person whose competence the user reads; else a 404."""
    if not access.is_member(municipality.pk):
        raise Http404
    qs = CompetenceRecord.objects.filter(person_q(access, "person__"), municipality=municipality)
    return get_object_or_404(qs.select_related("municipality", "person", "course"), pk=pk)


def registration_get(*, access: Access, session: TrainingSession, pk: int) -> Registration:
    """A registration on the session (any reader of the session finds it; the view decides
    whether they may change it)."""
    return get_object_or_404(
        Registration.objects.filter(session=session).select_related(
            "person", "session__municipality", "session__course"
        ),
        pk=pk,
    )
