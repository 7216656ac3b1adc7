"""Reads of the register shared by views, the API and exports, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .models import ExternalResponsibility, System


def system_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[System]:
    """Systems the user may read, with everything a list row shows fetched up front."""
    qs = System.objects.filter(access.system_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "board", "department", "system_owner")


def system_get(*, access: Access, municipality: Municipality, pk: int) -> System:
    """One system, archived or not; another municipality's or an unseen one is a 404."""
    from django.shortcuts import get_object_or_404

    qs = System.objects.filter(access.system_q(), municipality=municipality).select_related(
        "municipality", "board", "department", "system_owner", "archived_by"
    )
    return get_object_or_404(qs.prefetch_related("contacts", "depends_on", "dependants"), pk=pk)


def system_editable(*, access: Access) -> QuerySet[System]:
    return System.objects.filter(access.system_edit_q())


# --- External organisations' responsibilities (P3.11, P8) -------------------------------------
# They follow their system: whoever reads the system reads them, whoever may edit it keeps them.


def external_responsibility_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ExternalResponsibility]:
    """Responsibilities in the systems the user may read."""
    qs = ExternalResponsibility.objects.filter(
        access.system_q(prefix="system__"), archived_at__isnull=not archived
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "system__municipality", "organisation__municipality")


def external_responsibility_get(
    *, access: Access, municipality: Municipality, pk: int
) -> ExternalResponsibility:
    """One responsibility, archived or not; another municipality's or one of a system the user
    may not read is a 404."""
    from django.shortcuts import get_object_or_404

    qs = ExternalResponsibility.objects.filter(
        access.system_q(prefix="system__"), municipality=municipality
    ).select_related("municipality", "system__municipality", "organisation", "archived_by")
    return get_object_or_404(qs, pk=pk)


def system_external_responsibilities(system: System) -> list[ExternalResponsibility]:
    """The system's responsibilities, archived ones too, for its page: one query, with each
    organisation's link resolved without another."""
    rows = list(
        ExternalResponsibility.objects.filter(system=system)
        .select_related("organisation")
        .order_by("organisation__name", "kind", "pk")
    )
    for row in rows:
        row.municipality = system.municipality
        row.organisation.municipality = system.municipality
    return rows
