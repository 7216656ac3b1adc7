"""Every write to the organisation (P3): atomic, validated, logged with who and when."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from stadga.core.services import governed_write, object_create, object_update

from .models import (
    Board,
    ConsequenceLevel,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)

# SKR's KLASSA scale, the default consequence scale (P9.1).
DEFAULT_CONSEQUENCE_LEVELS = [
    (1, "Måttlig", "Måttlig skada för verksamheten, enskilda eller samhället."),
    (2, "Betydande", "Betydande skada för verksamheten, enskilda eller samhället."),
    (3, "Allvarlig", "Allvarlig skada för verksamheten, enskilda eller samhället."),
    (
        4,
        "Synnerligen allvarlig",
        "Synnerligen allvarlig skada för verksamheten, enskilda eller samhället.",
    ),
]


def municipality_create(
    *, slug: str, name: str, code: str, actor: Any, is_demo: bool = False
) -> Municipality:
    """A new tenant with the default four-step consequence scale."""
    with governed_write(actor):
        municipality = object_create(
            model=Municipality,
            data={"slug": slug, "name": name, "code": code, "is_demo": is_demo},
            actor=actor,
        )
        for level, level_name, description in DEFAULT_CONSEQUENCE_LEVELS:
            object_create(
                model=ConsequenceLevel,
                data={"level": level, "name": level_name, "description": description},
                actor=actor,
                municipality=municipality,
            )
    return municipality


def municipality_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> Municipality:
    return object_update(instance=municipality, data=data, actor=actor)[0]


def municipality_settings_update(
    *,
    municipality: Municipality,
    role_labels: Mapping[str, str],
    levels: Mapping[int, tuple[str, str]],
    actor: Any,
) -> bool:
    """The municipality's own names for the roles and its consequence scale, in one change.

    Empty role names fall back to the defaults. Returns whether anything changed.
    """
    labels = {role: label.strip() for role, label in role_labels.items() if label.strip()}
    with governed_write(actor):
        _, changed = object_update(instance=municipality, data={"role_labels": labels}, actor=actor)
        for level in municipality.consequence_levels.all():
            if level.level in levels:
                name, description = levels[level.level]
                _, level_changed = object_update(
                    instance=level, data={"name": name, "description": description}, actor=actor
                )
                changed = changed or level_changed
    return changed


def board_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Board:
    return object_create(model=Board, data=data, actor=actor, municipality=municipality)


def board_update(*, board: Board, data: Mapping[str, Any], actor: Any) -> Board:
    return object_update(instance=board, data=data, actor=actor)[0]


def department_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> Department:
    return object_create(model=Department, data=data, actor=actor, municipality=municipality)


def department_update(*, department: Department, data: Mapping[str, Any], actor: Any) -> Department:
    return object_update(instance=department, data=data, actor=actor)[0]


def person_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Person:
    return object_create(model=Person, data=data, actor=actor, municipality=municipality)


def person_update(*, person: Person, data: Mapping[str, Any], actor: Any) -> Person:
    return object_update(instance=person, data=data, actor=actor)[0]


def external_organisation_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ExternalOrganisation:
    return object_create(
        model=ExternalOrganisation, data=data, actor=actor, municipality=municipality
    )


def external_organisation_update(
    *, external_organisation: ExternalOrganisation, data: Mapping[str, Any], actor: Any
) -> ExternalOrganisation:
    return object_update(instance=external_organisation, data=data, actor=actor)[0]


def role_assign(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> RoleAssignment:
    """Give a person a role over a scope; the same live assignment is never made twice."""
    from django.core.exceptions import ValidationError

    duplicate = RoleAssignment.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        person=data.get("person"),
        role=data.get("role"),
        board=data.get("board"),
        department=data.get("department"),
        system=data.get("system"),
    ).exists()
    if duplicate:
        raise ValidationError(_("The person already holds this role over this scope."))
    return object_create(model=RoleAssignment, data=data, actor=actor, municipality=municipality)


def role_assignment_update(
    *, role_assignment: RoleAssignment, data: Mapping[str, Any], actor: Any
) -> RoleAssignment:
    return object_update(instance=role_assignment, data=data, actor=actor)[0]
