"""Which department a device belongs to: an inventory source reports a department as text (a
department's name, an abbreviation such as "BUF", an Active Directory unit); the municipality's
departments match by name, ignoring case, and `DepartmentMapping`s map any other text.

Mapping a text moves the current snapshots' devices that report it at once, and their tallies are
written again, so the report's figures per department follow (P5.5). Only the IT department (who
keeps the register, P3.2) maps; every mapping is logged with who and when, and an unmapped text
is archived, not deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality

from .models import DepartmentMapping, Device, Tally, department_key
from .reconciliation import current_snapshot_ids, tally_write


def department_names(municipality: Municipality | int) -> dict[str, int]:
    """Reported department (as `department_key` makes it) → department id: the current
    departments' own names, and the mappings in force, which win. Two queries."""
    names = {
        department_key(name): pk
        for pk, name in Department.objects.filter(
            municipality=municipality, archived_at__isnull=True
        ).values_list("pk", "name")
    }
    names.update(
        DepartmentMapping.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            department__archived_at__isnull=True,
        ).values_list("key", "department_id")
    )
    return names


@dataclass
class ReportedDepartment:
    """A department text of the current snapshots: how many devices report it and which
    department it maps to (by a department's name, by a mapping, or not at all)."""

    text: str
    devices: int
    department_id: int | None
    mapping: DepartmentMapping | None

    @property
    def by_name(self) -> bool:
        return self.department_id is not None and self.mapping is None


def reported_departments(municipality: Municipality) -> list[ReportedDepartment]:
    """Every department text the current snapshots report, unmapped ones first, then by the
    number of devices. A fixed number of queries (four)."""
    names = department_names(municipality)
    mappings = {
        m.key: m
        for m in DepartmentMapping.objects.filter(
            municipality=municipality, archived_at__isnull=True
        ).select_related("department")
    }
    # Texts that differ only in case or spaces are one department, shown as most devices
    # report it.
    counts: dict[str, dict[str, int]] = {}
    for text, n in (
        Device.objects.filter(snapshot_id__in=current_snapshot_ids(municipality))
        .values_list("department_text")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        spellings = counts.setdefault(department_key(text), {})
        spellings[text.strip()] = spellings.get(text.strip(), 0) + n
    rows = [
        ReportedDepartment(
            text=min(spellings, key=lambda t: (-spellings[t], t)),
            devices=sum(spellings.values()),
            department_id=names.get(key),
            mapping=mappings.get(key),
        )
        for key, spellings in counts.items()
        if key
    ]
    return sorted(rows, key=lambda r: (r.department_id is not None, -r.devices, r.text))


def _check_may_map(municipality: Municipality, actor: Any) -> None:
    if actor is not None and not Access.for_user(actor).keeps_register(municipality.pk):
        raise PermissionDenied(_("Only the IT department maps departments."))


def department_mappings_save(
    *,
    municipality: Municipality,
    choices: Mapping[str, Department | None],
    actor: Any,
) -> int:
    """Map each reported text in `choices` to its department (None: no mapping; a text that is
    a department's own name needs none), then move the current snapshots' devices and rewrite
    their tallies once. Returns how many devices changed department."""
    _check_may_map(municipality, actor)
    with governed_write(actor):
        existing = {
            m.key: m
            for m in DepartmentMapping.objects.select_for_update().filter(municipality=municipality)
        }
        for text, department in choices.items():
            key = department_key(text)
            if not key:
                continue
            if department is not None and department.municipality_id != municipality.pk:
                raise PermissionDenied
            mapping = existing.get(key)
            if department is None:
                if mapping is not None and mapping.archived_at is None:
                    object_archive(instance=mapping, actor=actor)
                continue
            if mapping is None:
                object_create(
                    model=DepartmentMapping,
                    data={"reported_name": text.strip(), "department": department},
                    actor=actor,
                    municipality=municipality,
                )
                continue
            if mapping.archived_at is not None:
                object_restore(instance=mapping, actor=actor)
            if mapping.department_id != department.pk:
                object_update(instance=mapping, data={"department": department}, actor=actor)
        return inventory_departments_apply(municipality)


def inventory_departments_apply(municipality: Municipality) -> int:
    """Give the current snapshots' devices the department their text maps to now and, if any
    moved, write those snapshots' tallies again. One UPDATE per department text that moves;
    returns how many devices moved."""
    snapshot_ids = current_snapshot_ids(municipality)
    names = department_names(municipality)
    moved = 0
    with governed_write(None):
        for text, department_id in (
            Device.objects.filter(snapshot_id__in=snapshot_ids)
            .values_list("department_text", "department_id")
            .distinct()
            .order_by()
        ):
            wanted = names.get(department_key(text))
            if wanted != department_id:
                moved += Device.objects.filter(
                    snapshot_id__in=snapshot_ids,
                    department_text=text,
                    department_id=department_id,
                ).update(department_id=wanted)
        if moved:
            Tally.objects.filter(snapshot_id__in=snapshot_ids).delete()
            for snapshot_id in snapshot_ids:
                tally_write(snapshot_id)
    return moved
