"""Every write to the organisation (P3): atomic, validated, logged with who and when."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.services import governed_write, object_create, object_update

from .choices import Role
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


# --- Operator: a new municipality in the installation (issue 10) ---------------------------------


@dataclass(frozen=True)
class Onboarding:
    """What `municipality_onboard` created: the municipality and, if asked for, its adoption of a
    policy and its first IT coordinator with a login that has no password yet."""

    municipality: Municipality
    adoption: Any = None  # stadga.policy.models.PolicyAdoption
    coordinator: Person | None = None
    login: Any = None  # the coordinator's User


def municipality_onboard(
    *,
    slug: str,
    name: str,
    code: str,
    policy: Any = None,
    adopted_on: datetime.date | None = None,
    decision_reference: str = "",
    coordinator_name: str = "",
    coordinator_email: str = "",
    coordinator_username: str = "",
    actor: Any,
) -> Onboarding:
    """Add a municipality to the installation in one transaction: the municipality with its
    consequence scale, optionally its adoption of a loaded policy (`adopted_on` defaults to
    today) and optionally its first IT coordinator: a person, a login with an unusable password
    (they set one through the operator) and the role.

    Every problem is reported at once as a ValidationError keyed by the input's name; nothing is
    written then. `actor` None is the system itself, as when the demo loader writes."""
    # The policy app builds on the organisation; imported here so the layering stays one-way.
    from stadga.policy.services_library import policy_adopt

    slug, name, code = slug.strip(), name.strip(), code.strip()
    coordinator_name = coordinator_name.strip()
    coordinator_email = coordinator_email.strip()
    coordinator_username = coordinator_username.strip()
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    candidate = Municipality(slug=slug, name=name, code=code)
    try:
        # Uniqueness is checked below, with messages that name the municipality in the way.
        candidate.full_clean(exclude=["role_labels"], validate_unique=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                add(key, message)
    taken = Municipality.objects.filter(Q(slug=slug) | Q(code=code)).only("slug", "code", "name")
    for other in taken:
        if slug and other.slug == slug:
            add(
                "slug",
                _("The short name “%(slug)s” is already used by %(name)s.")
                % {"slug": slug, "name": other.name},
            )
        if code and other.code == code:
            add(
                "code",
                _("The municipality code %(code)s is already used by %(name)s.")
                % {"code": code, "name": other.name},
            )

    if policy is None and adopted_on is not None:
        add("adopted_on", _("Choose a policy to adopt, or leave the date empty."))
    if policy is None and decision_reference.strip():
        add("decision_reference", _("Choose a policy to adopt, or leave the decision empty."))
    if policy is not None and adopted_on is not None and adopted_on < policy.adopted_on:
        add(
            "adopted_on",
            _("A policy cannot be adopted before its text was adopted (%(date)s).")
            % {"date": policy.adopted_on.isoformat()},
        )

    user_model = get_user_model()
    wants_coordinator = bool(coordinator_name or coordinator_email or coordinator_username)
    if wants_coordinator:
        if not coordinator_name:
            add("coordinator_name", _("Give the IT coordinator's name."))
        if not coordinator_email:
            add("coordinator_email", _("Give the IT coordinator's e-mail address."))
        else:
            try:
                validate_email(coordinator_email)
            except ValidationError:
                add("coordinator_email", _("Enter a valid e-mail address."))
        # The e-mail address is the login's name unless another is given.
        coordinator_username = coordinator_username or coordinator_email.lower()
        username_field = cast(Field, user_model._meta.get_field(user_model.USERNAME_FIELD))
        if coordinator_username:
            try:
                username_field.run_validators(coordinator_username)
            except ValidationError as error:
                for message in error.messages:
                    add("coordinator_username", message)
            if user_model._default_manager.filter(
                **{f"{user_model.USERNAME_FIELD}__iexact": coordinator_username}
            ).exists():
                add(
                    "coordinator_username",
                    _("The username “%(username)s” is already taken.")
                    % {"username": coordinator_username},
                )
    if errors:
        raise ValidationError(errors)

    with governed_write(actor):
        municipality = municipality_create(slug=slug, name=name, code=code, actor=actor)
        adoption = None
        if policy is not None:
            adoption = policy_adopt(
                municipality=municipality,
                policy=policy,
                adopted_on=adopted_on or timezone.localdate(),
                decision_reference=decision_reference,
                actor=actor,
            )
        person = login = None
        if wants_coordinator:
            first_name, _space, last_name = coordinator_name.rpartition(" ")
            login = user_model._default_manager.create_user(
                username=coordinator_username,
                email=coordinator_email,
                password=None,  # unusable: the coordinator sets their own
                first_name=first_name or last_name,
                last_name=last_name if first_name else "",
            )
            person = person_create(
                municipality=municipality,
                data={"name": coordinator_name, "email": coordinator_email, "user": login},
                actor=actor,
            )
            role_assign(
                municipality=municipality,
                data={"person": person, "role": Role.IT_COORDINATOR},
                actor=actor,
            )
    return Onboarding(municipality=municipality, adoption=adoption, coordinator=person, login=login)
