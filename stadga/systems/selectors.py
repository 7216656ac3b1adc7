"""Reads of the register shared by views, the API and exports, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .models import System


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
