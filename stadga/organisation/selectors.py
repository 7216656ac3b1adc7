"""Reads of the organisation shared by views and the API, scoped to the user's municipalities."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from .access import Access
from .models import (
    Board,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)

# What each organisation list shows beside the object itself, fetched up front.
_RELATED: dict[type[Model], tuple[str, ...]] = {
    Board: ("municipality",),
    Department: ("municipality", "board"),
    Person: ("municipality", "department", "user"),
    ExternalOrganisation: ("municipality",),
    RoleAssignment: ("municipality", "person__municipality", "board", "department", "system"),
}


def municipality_list(*, access: Access) -> QuerySet[Municipality]:
    qs = Municipality.objects.filter(archived_at__isnull=True)
    return qs if access.is_operator else qs.filter(pk__in=access.member_of)


def municipality_get(*, access: Access, slug: str) -> Municipality:
    """The municipality named in the URL; a 404 for one the user is not a member of."""
    return get_object_or_404(municipality_list(access=access), slug=slug)


def organisation_list(
    *,
    model: type[Model],
    access: Access,
    municipality: Municipality | None = None,
    archived: bool = False,
) -> QuerySet:
    qs = model._default_manager.filter(access.organisation_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related(*_RELATED[model])


def organisation_get(
    *, model: type[Model], access: Access, municipality: Municipality, pk: int
) -> Model:
    qs = model._default_manager.filter(access.organisation_q(), municipality=municipality)
    return get_object_or_404(qs.select_related(*_RELATED[model]), pk=pk)
