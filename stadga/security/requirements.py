"""Which baseline requirements a system's classification triggers, and which of them a measure
answers (P9.1, P9.5).

The requirements come from the current catalogue: the one loaded last. A requirement applies to
a system when the system's level for the requirement's aspect has reached the requirement's level,
and, if the requirement concerns personal data, whenever the system handles personal data.

A measure answers a requirement by the requirement's catalogue key and code, not by the row: the
measure someone recorded for KR-12 of one version still answers KR-12 when the next version is
loaded. Any current measure counts, whatever its status; one that does not apply says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from stadga.systems.choices import Aspect

from .choices import MeasureStatus, RequirementCategory
from .models import Measure, Requirement, RequirementCatalogue

RequirementKey = tuple[str, str]  # (catalogue key, requirement code)


def current_catalogue() -> RequirementCatalogue | None:
    """The requirement catalogue loaded last: the one systems are measured against."""
    return RequirementCatalogue.objects.order_by("-created_at", "-pk").first()


def current_requirements() -> QuerySet[Requirement]:
    """The requirements of the current catalogue, in the catalogue's order (one query)."""
    latest = RequirementCatalogue.objects.order_by("-created_at", "-pk").values("pk")[:1]
    return Requirement.objects.filter(catalogue__in=latest).select_related("catalogue")


def applies(
    requirement: Requirement, *, levels: Mapping[str, int | None], personal_data: bool
) -> bool:
    """Whether `requirement` applies to a system with these levels and personal data flag."""
    level = levels.get(requirement.aspect)
    if level is not None and requirement.level <= level:
        return True
    return requirement.personal_data and personal_data


def _triggered(system: Any, requirements: Iterable[Requirement]) -> list[Requirement]:
    levels = {aspect: getattr(system, aspect) for aspect in Aspect.values}
    return [
        r for r in requirements if applies(r, levels=levels, personal_data=system.personal_data)
    ]


def triggered_requirements(system: Any) -> list[Requirement]:
    """The current catalogue's requirements that the system's classification triggers (one
    query). Empty when no catalogue is loaded or the system is not classified at all."""
    return _triggered(system, current_requirements())


def triggered_requirements_bulk(systems: Iterable[Any]) -> dict[int, list[Requirement]]:
    """`triggered_requirements` for many systems in one query: system id → requirements. The
    requirement objects are shared between systems; do not change them."""
    requirements = list(current_requirements())
    return {system.pk: _triggered(system, requirements) for system in systems}


def requirement_key(requirement: Requirement) -> RequirementKey:
    return (requirement.catalogue.key, requirement.code)


def measures_by_requirement(
    system_ids: Iterable[int],
) -> dict[tuple[int, RequirementKey], list[Measure]]:
    """The current measures of these systems that answer a requirement, by (system id,
    (catalogue key, code)), in one query."""
    found: dict[tuple[int, RequirementKey], list[Measure]] = {}
    measures = (
        Measure.objects.filter(
            system_id__in=list(system_ids),
            requirement__isnull=False,
            archived_at__isnull=True,
        )
        .select_related("requirement__catalogue", "municipality")
        .order_by("pk")
    )
    for measure in measures:
        assert measure.requirement is not None and measure.system_id is not None
        key = (measure.system_id, requirement_key(measure.requirement))
        found.setdefault(key, []).append(measure)
    return found


@dataclass
class TriggeredRequirement:
    """A requirement a system's classification triggers, with the measures that answer it."""

    requirement: Requirement
    measures: list[Measure] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        """A measure answers it; one marked not applicable (with its reason) counts too."""
        return bool(self.measures)

    @property
    def not_applicable(self) -> bool:
        return bool(self.measures) and all(
            m.status == MeasureStatus.NOT_APPLICABLE for m in self.measures
        )


def triggered_with_measures(systems: Iterable[Any]) -> dict[int, list[TriggeredRequirement]]:
    """For each system, its triggered requirements and the measures answering each: two
    queries, whatever the number of systems."""
    systems = list(systems)
    triggered = triggered_requirements_bulk(systems)
    measures = measures_by_requirement(triggered)
    return {
        system_id: [
            TriggeredRequirement(r, measures.get((system_id, requirement_key(r)), []))
            for r in requirements
        ]
        for system_id, requirements in triggered.items()
    }


def by_category(
    rows: Iterable[TriggeredRequirement],
) -> list[tuple[str, str, list[TriggeredRequirement]]]:
    """(category, its label, rows) in the order of `RequirementCategory`, empty ones left out."""
    grouped: dict[str, list[TriggeredRequirement]] = {}
    for row in rows:
        grouped.setdefault(row.requirement.category, []).append(row)
    return [
        (value, str(label), grouped[value])
        for value, label in RequirementCategory.choices
        if value in grouped
    ]
