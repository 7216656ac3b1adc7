"""Reads of the requirements and the system users (P6), scoped to what the user may see.

Requirements are read by every member; who uses a system by those who read the person's
competence (`access.person_q`): the IT department and those who read everything all of them, a
department head their staff.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality, Person
from stadga.systems.models import System

from .access import coverage_department_q, keeps_training, person_q, reads_coverage, reads_training
from .choices import RequirementScope
from .models import Course, SystemUse, TrainingRequirement

_REQUIREMENT_RELATED = ("municipality", "course", "department", "system")


def requirement_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[TrainingRequirement]:
    qs = TrainingRequirement.objects.filter(
        municipality=municipality, archived_at__isnull=not archived
    )
    if not reads_training(access, municipality.pk):
        return qs.none()
    return qs.select_related(*_REQUIREMENT_RELATED)


def requirement_get(*, access: Access, municipality: Municipality, pk: int) -> TrainingRequirement:
    if not reads_training(access, municipality.pk):
        raise Http404
    qs = TrainingRequirement.objects.filter(municipality=municipality)
    return get_object_or_404(qs.select_related(*_REQUIREMENT_RELATED), pk=pk)


# --- system users ------------------------------------------------------------------------------


def reads_system_users(access: Access, municipality_id: int) -> bool:
    """Who opens a system's users page: those who read everything and department heads (for
    their staff) — the same as who reads coverage."""
    return reads_coverage(access, municipality_id)


def system_for_users(*, access: Access, municipality: Municipality, pk: int) -> System:
    """A current or archived system of the municipality whose users the user may see; a 404
    otherwise. A department head reaches every system: their staff may use another
    department's system (the finance system) too."""
    if not reads_system_users(access, municipality.pk):
        raise Http404
    qs = System.objects.filter(municipality=municipality).select_related("municipality")
    return get_object_or_404(qs, pk=pk)


def system_uses(*, access: Access, system: System, ended: bool = False) -> QuerySet[SystemUse]:
    """The system's users that the user reads: current ones, or `ended` ones (archived uses)."""
    return (
        SystemUse.objects.filter(
            person_q(access, "person__"), system=system, archived_at__isnull=not ended
        )
        .select_related("municipality", "person__department", "archived_by")
        .order_by("person__name", "pk")
    )


def system_use_get(*, access: Access, system: System, pk: int) -> SystemUse:
    qs = SystemUse.objects.filter(person_q(access, "person__"), system=system)
    return get_object_or_404(qs.select_related("municipality", "person", "system"), pk=pk)


def people_for_system_use(*, access: Access, municipality: Municipality) -> QuerySet[Person]:
    """The current people the user may add as users of a system: everyone for the IT
    department, a department head's staff."""
    people = Person.objects.filter(municipality=municipality, archived_at__isnull=True)
    if keeps_training(access, municipality.pk):
        return people
    return people.filter(department_id__in=access.department_head_of)


def system_required_courses(system: System) -> QuerySet[Course]:
    """The courses required of the system's users."""
    return Course.objects.filter(
        requirements__system=system,
        requirements__scope=RequirementScope.SYSTEM_USERS,
        requirements__archived_at__isnull=True,
        archived_at__isnull=True,
    ).distinct()


# --- the coverage page's choices -----------------------------------------------------------------


def coverage_departments(*, access: Access, municipality: Municipality) -> QuerySet[Department]:
    """The current departments whose coverage the user reads."""
    return Department.objects.filter(
        coverage_department_q(access, municipality.pk),
        municipality=municipality,
        archived_at__isnull=True,
    )


def required_systems(municipality: Municipality) -> QuerySet[System]:
    """The current systems some current requirement names (the coverage page's system
    filter)."""
    return System.objects.filter(
        Q(
            training_requirements__archived_at__isnull=True,
            training_requirements__scope=RequirementScope.SYSTEM_USERS,
        ),
        municipality=municipality,
        archived_at__isnull=True,
    ).distinct()


def required_courses(municipality: Municipality) -> QuerySet[Course]:
    """The current courses some current requirement names."""
    return Course.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        requirements__archived_at__isnull=True,
    ).distinct()
