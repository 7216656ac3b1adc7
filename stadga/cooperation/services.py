"""Every write on cooperation groups and memberships (P8.1): atomic, validated and logged.

The operator (a superuser) forms groups and adds or removes members; the member's IT coordinator
chooses what the municipality shares and may leave the group. Nothing is deleted: a group that
ends and a member that leaves are archived.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .access import forms_groups, manages_sharing
from .choices import SHARING_CATEGORIES
from .models import CooperationGroup, Membership


def _require_operator(actor: Any) -> None:
    """The operator, or the system itself (`actor` None: the demo loader, a command run by the
    operator at the server's shell), as for `municipality_onboard`."""
    if actor is not None and not forms_groups(actor):
        raise PermissionDenied(_("Only the operator forms cooperation groups and places members."))


def _require_coordinator(actor: Any, membership: Membership) -> None:
    if actor is not None and not manages_sharing(
        Access.for_user(actor), membership.municipality_id
    ):
        raise PermissionDenied(
            _("Only the municipality's IT coordinator decides what it shares with its partners.")
        )


def _require_current(membership: Membership) -> None:
    if membership.archived_at is not None:
        raise ValidationError(_("The municipality has left this cooperation group."))
    if membership.group.archived_at is not None:
        raise ValidationError(_("This cooperation group has ended."))


def group_create(*, name: str, description: str = "", actor: Any) -> CooperationGroup:
    """The operator forms a cooperation group (P8.1)."""
    _require_operator(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the cooperation group a name.")})
    return object_create(
        model=CooperationGroup, data={"name": name, "description": description}, actor=actor
    )


def group_archive(*, group: CooperationGroup, actor: Any) -> CooperationGroup:
    """The cooperation has ended: nothing is shared through the group any more."""
    _require_operator(actor)
    return object_archive(instance=group, actor=actor)


def membership_add(
    *, group: CooperationGroup, municipality: Municipality, actor: Any
) -> Membership:
    """The operator adds a municipality to a group. It shares nothing until its IT coordinator
    opts in; a municipality that left and rejoins starts again from sharing nothing."""
    _require_operator(actor)
    if group.archived_at is not None:
        raise ValidationError(_("This cooperation group has ended."))
    if municipality.archived_at is not None:
        raise ValidationError(_("The municipality is archived."))
    existing = Membership.objects.filter(group=group, municipality=municipality).first()
    if existing is None:
        return object_create(
            model=Membership, data={}, actor=actor, group=group, municipality=municipality
        )
    if existing.archived_at is None:
        raise ValidationError(
            _("%(municipality)s is already a member of %(group)s.")
            % {"municipality": municipality, "group": group}
        )
    with governed_write(actor):
        object_update(instance=existing, data=dict.fromkeys(SHARING_CATEGORIES, False), actor=actor)
        return object_restore(instance=existing, actor=actor)


def membership_remove(*, membership: Membership, actor: Any) -> Membership:
    """The operator takes a municipality out of a group; its sharing stops at once."""
    _require_operator(actor)
    return object_archive(instance=membership, actor=actor)


def membership_leave(*, membership: Membership, actor: Any) -> Membership:
    """The member's IT coordinator leaves the group; its sharing stops at once."""
    _require_coordinator(actor, membership)
    if membership.archived_at is not None:
        raise ValidationError(_("The municipality has left this cooperation group."))
    return object_archive(instance=membership, actor=actor)


def sharing_update(
    *, membership: Membership, data: Mapping[str, Any], actor: Any
) -> tuple[Membership, bool]:
    """The member's IT coordinator chooses what the municipality shares with the group. `data`
    holds some of the categories (`SHARING_CATEGORIES`) as booleans; the rest stay as they are.
    Returns the membership and whether anything changed."""
    _require_coordinator(actor, membership)
    _require_current(membership)
    unknown = sorted(set(data) - set(SHARING_CATEGORIES))
    if unknown:
        raise ValidationError(
            _("Unknown sharing choices: %(names)s.") % {"names": ", ".join(unknown)}
        )
    not_boolean = sorted(name for name, value in data.items() if not isinstance(value, bool))
    if not_boolean:
        raise ValidationError(
            _("A sharing choice is yes or no: %(names)s.") % {"names": ", ".join(not_boolean)}
        )
    return object_update(instance=membership, data=dict(data), actor=actor)
