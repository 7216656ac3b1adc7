"""Requirement resolution and coverage (P6.1–P6.3): who must have which course, and whether
they have it on a day.

A **requirement** applies to a person when

- it is on a role and the person holds that role in force (an assignment not archived, the
  person not archived). A requirement that names a department applies only to the holders who
  belong to that department — or, for a role held over a department (a department head), who
  hold it over that department. A requirement on the system owner role also applies to every
  named `System.system_owner` of a current system (the register names owners there, P9.3);
- it is on a system's users and the person is a current user of the system (a `SystemUse` not
  archived).

Requirements, courses and systems that are archived count for nothing; nor do archived people.
One person may be required to have one course by several requirements: that is one **pair**
(person, course), counted once.

A pair is **met** on a day by a competence record of the course, not archived, completed on or
before the day and valid until the day or later (or without an end). It is **expiring** when it
is met but its best record runs out within the municipality's notice period
(`TrainingSettings.expiry_notice_days`); **expired** when there are records, but all ran out;
**missing** when there is none. An expiring pair counts as met in the figures and is listed
among what is lacking, so that it is booked in time.

Everything is resolved set-wise: at most seven queries, whatever the number of people,
requirements, uses or records (`resolve`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import DateField, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Municipality, Person
from stadga.organisation.selectors import current_assignments
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System

from .choices import RequirementScope
from .models import CompetenceRecord, Course, SystemUse, TrainingRequirement, TrainingSettings

# A record without an end is valid "for ever": the latest date compares above every real one.
_NEVER = datetime.date(9999, 12, 31)


class CoverageStatus(models.TextChoices):
    """Where one person stands with one required course on a day."""

    MET = "met", _("Met")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


# Counted as met in the figures.
MET_STATUSES = frozenset({CoverageStatus.MET, CoverageStatus.EXPIRING})
# Listed as what someone lacks: to be booked on a session.
LACKING_STATUSES = (CoverageStatus.MISSING, CoverageStatus.EXPIRED, CoverageStatus.EXPIRING)


@dataclass
class CoverageLine:
    """One person required to have one course, and where they stand with it."""

    person: Person
    course: Course
    status: str = CoverageStatus.MISSING
    valid_until: datetime.date | None = None  # of the best record; None: does not expire
    completed_on: datetime.date | None = None  # the latest completion on or before the day
    requirements: list[TrainingRequirement] = field(default_factory=list)
    # The systems whose use requires the course, and the earliest day the person used one.
    systems: list[System] = field(default_factory=list)
    user_since: datetime.date | None = None
    department: Department | None = None

    @property
    def is_met(self) -> bool:
        return self.status in MET_STATUSES

    @property
    def is_lacking(self) -> bool:
        return self.status in LACKING_STATUSES

    def get_status_display(self) -> str:
        return str(CoverageStatus(self.status).label)


@dataclass
class Figure:
    """Required pairs and how many are met, for a department, a system or the whole."""

    subject: Any = None  # a Department, a System, or None (no department / the whole)
    required: int = 0
    met: int = 0

    @property
    def lacking(self) -> int:
        return self.required - self.met

    @property
    def share(self) -> int | None:
        """Whole per cent met, rounded down (99.6 % is not 100 %); None when nothing is
        required."""
        return self.met * 100 // self.required if self.required else None

    def add(self, line: CoverageLine) -> None:
        self.required += 1
        self.met += line.is_met


@dataclass
class Coverage:
    """The resolved pairs of a municipality (or of the departments a user reads) on a day."""

    day: datetime.date
    notice_days: int
    lines: list[CoverageLine]
    departments: list[Figure]
    systems: list[Figure]
    total: Figure

    def lacking(self, status: str | None = None) -> list[CoverageLine]:
        """Who lacks what (missing, expired, expiring), or only those of `status`."""
        if status:
            return [line for line in self.lines if line.status == status]
        return [line for line in self.lines if line.is_lacking]


def _people_q(prefix: str, departments: QuerySet[Department] | None, department: Any) -> Q:
    q = Q()
    if departments is not None:
        q &= Q(**{f"{prefix}department__in": departments})
    if department is not None:
        q &= Q(**{f"{prefix}department": department})
    return q


def resolve(
    municipality: Municipality,
    *,
    day: datetime.date | None = None,
    departments: QuerySet[Department] | None = None,
    department: Department | None = None,
    system: System | None = None,
    course: Course | None = None,
    notice_days: int | None = None,
) -> Coverage:
    """Resolve the municipality's requirements into (person, course) pairs and their status on
    `day` (today by default).

    `departments` limits the people to those departments (what a department head reads, see
    `training.access.coverage_department_q`); None counts everyone, people without a department
    included. `department`, `system` and `course` narrow further: one department's people, the
    users of one system (its requirements only), one course. At most seven queries.
    """
    day = day or timezone.localdate()
    if notice_days is None:
        notice_days = TrainingSettings.for_municipality(municipality).expiry_notice_days
    people = _people_q("person__", departments, department)

    current = TrainingRequirement.objects.filter(
        municipality=municipality, archived_at__isnull=True, course__archived_at__isnull=True
    ).filter(Q(system__isnull=True) | Q(system__archived_at__isnull=True))
    if course is not None:
        current = current.filter(course=course)
    if system is not None:
        current = current.filter(system=system)
    requirements = list(
        current.select_related("course__municipality", "system__municipality", "department")
    )
    role_requirements = [r for r in requirements if r.scope == RequirementScope.ROLE]
    system_requirements = [r for r in requirements if r.scope == RequirementScope.SYSTEM_USERS]

    lines: dict[tuple[int, int], CoverageLine] = {}

    def line_for(person: Person, required: TrainingRequirement) -> CoverageLine:
        line = lines.get((person.pk, required.course_id))
        if line is None:
            line = lines[(person.pk, required.course_id)] = CoverageLine(
                person=person, course=required.course
            )
        if required not in line.requirements:
            line.requirements.append(required)
        return line

    # Holders of roles in force.
    by_role: dict[str, list[TrainingRequirement]] = defaultdict(list)
    for required in role_requirements:
        by_role[required.role].append(required)
    if by_role:
        for assignment in current_assignments(
            municipality, Q(role__in=list(by_role)) & _people_q("person__", departments, department)
        ):
            person = assignment.person
            for required in by_role[assignment.role]:
                if required.department_id is None or required.department_id in (
                    person.department_id,
                    assignment.department_id,
                ):
                    line_for(person, required)
    # P9.3: the system owners the register names hold the role too.
    if Role.SYSTEM_OWNER in by_role:
        owned = System.objects.filter(
            _people_q("system_owner__", departments, department),
            municipality=municipality,
            archived_at__isnull=True,
            system_owner__isnull=False,
            system_owner__archived_at__isnull=True,
        ).exclude(lifecycle_phase=LifecyclePhase.RETIRED)
        for owner in Person.objects.filter(pk__in=owned.values("system_owner_id")):
            for required in by_role[Role.SYSTEM_OWNER]:
                if required.department_id in (None, owner.department_id):
                    line_for(owner, required)

    # Users of systems.
    by_system: dict[int, list[TrainingRequirement]] = defaultdict(list)
    for required in system_requirements:
        assert required.system_id is not None
        by_system[required.system_id].append(required)
    if by_system:
        uses = SystemUse.objects.filter(
            people,
            municipality=municipality,
            archived_at__isnull=True,
            person__archived_at__isnull=True,
            system_id__in=list(by_system),
        ).select_related("person", "system__municipality")
        for use in uses:
            for required in by_system[use.system_id]:
                if required.department_id not in (None, use.person.department_id):
                    continue
                line = line_for(use.person, required)
                if use.system not in line.systems:
                    line.systems.append(use.system)
                if line.user_since is None or use.since < line.user_since:
                    line.user_since = use.since

    # The best record of each required course, for everyone at once.
    if lines:
        best = (
            CompetenceRecord.objects.filter(
                people,
                municipality=municipality,
                archived_at__isnull=True,
                person__archived_at__isnull=True,
                course_id__in={course_id for _person, course_id in lines},
                completed_on__lte=day,
            )
            .values("person_id", "course_id")
            .annotate(
                until=Max(Coalesce("valid_until", Value(_NEVER, output_field=DateField()))),
                last=Max("completed_on"),
            )
            .order_by()
        )
        notice_end = day + datetime.timedelta(days=notice_days)
        for row in best:
            held = lines.get((row["person_id"], row["course_id"]))
            if held is None:
                continue
            until = row["until"]
            held.completed_on = row["last"]
            held.valid_until = None if until == _NEVER else until
            if until < day:
                held.status = CoverageStatus.EXPIRED
            elif until <= notice_end:
                held.status = CoverageStatus.EXPIRING
            else:
                held.status = CoverageStatus.MET

    # The figures, per department (every one read, even with nothing required) and system.
    shown = Department.objects.filter(municipality=municipality, archived_at__isnull=True)
    if departments is not None:
        shown = shown.filter(pk__in=departments.values("pk"))
    if department is not None:
        shown = shown.filter(pk=department.pk)
    per_department = {d.pk: Figure(subject=d) for d in shown.select_related("municipality")}
    elsewhere = Figure()  # people without a (current) department
    per_system: dict[int, Figure] = {}
    total = Figure()
    ordered = sorted(
        lines.values(),
        key=lambda ln: (ln.person.name.lower(), ln.person.pk, ln.course.name.lower()),
    )
    for line in ordered:
        figure = per_department.get(line.person.department_id or 0)
        line.department = figure.subject if figure is not None else None
        (figure or elsewhere).add(line)
        total.add(line)
        for used in line.systems:
            per_system.setdefault(used.pk, Figure(subject=used)).add(line)
    department_figures = list(per_department.values())
    if elsewhere.required:
        department_figures.append(elsewhere)
    return Coverage(
        day=day,
        notice_days=notice_days,
        lines=ordered,
        departments=department_figures,
        systems=sorted(per_system.values(), key=lambda f: (f.subject.name.lower(), f.subject.pk)),
        total=total,
    )
