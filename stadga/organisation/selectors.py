"""Reads of the organisation shared by views and the API, scoped to the user's municipalities."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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


def person_of(municipality: Municipality, actor: Any) -> Person | None:
    """The person linked to the actor's login in the municipality (None for the system or an
    operator who is nobody there)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Person.objects.filter(
        municipality=municipality, user=actor, archived_at__isnull=True
    ).first()


def current_assignments(municipality: Municipality, q: Q) -> QuerySet[RoleAssignment]:
    """The municipality's role assignments in force within `q` (e.g. some roles, a board),
    held by current people, with the person, by name."""
    return (
        RoleAssignment.objects.filter(
            q, municipality=municipality, archived_at__isnull=True, person__archived_at__isnull=True
        )
        .select_related("person")
        .order_by("person__name", "pk")
    )


def role_holders(
    municipality: Municipality, roles: Iterable[str], *, q: Q | None = None
) -> list[Person]:
    """The current people who hold one of `roles` in the municipality (within `q`, e.g. a
    department), each once, by name. One query."""
    people: dict[int, Person] = {}
    for assignment in current_assignments(municipality, Q(role__in=list(roles)) & (q or Q())):
        people.setdefault(assignment.person_id, assignment.person)
    return list(people.values())


def municipalities_with_members() -> QuerySet[Municipality]:
    """Every municipality of the installation, archived ones too, each with `member_count`: the
    logins linked to a live person there (one query, whatever the number of municipalities)."""
    members = (
        Person.objects.filter(
            municipality=OuterRef("pk"), user__isnull=False, archived_at__isnull=True
        )
        .order_by()
        .values("municipality")
        .annotate(count=Count("user", distinct=True))
        .values("count")
    )
    return Municipality.objects.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
    ).order_by("name")
