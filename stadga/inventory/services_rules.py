"""Every write to the software dictionary. Only the IT department (those who keep the register,
P3.2) edits the rules; every change is replayed over the municipality's titles in the same
transaction, so the stored results always follow the rules in force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
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

from .dictionary import dictionary_apply, place_rule
from .models import NormalisationRule


def _check_may_edit(municipality: Municipality, actor: Any) -> None:
    """The system itself (actor None, e.g. the demo loader) may; a user must keep the register."""
    if actor is None:
        return
    if not Access.for_user(actor).keeps_register(municipality.pk):
        raise PermissionDenied(_("Only the IT department edits the software dictionary."))


def normalisation_rule_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any, replay: bool = True
) -> NormalisationRule:
    """Add a rule and replay the dictionary (`replay=False` for a caller that replays once after
    many writes, such as the spreadsheet import)."""
    _check_may_edit(municipality, actor)
    with governed_write(actor):
        rule = object_create(
            model=NormalisationRule, data=data, actor=actor, municipality=municipality
        )
        if replay:
            dictionary_apply(municipality=municipality, actor=actor)
    return rule


def normalisation_rule_update(
    *, rule: NormalisationRule, data: Mapping[str, Any], actor: Any, replay: bool = True
) -> tuple[NormalisationRule, bool]:
    """Change a rule; returns whether anything changed. The dictionary is replayed only then."""
    _check_may_edit(rule.municipality, actor)
    with governed_write(actor):
        rule, changed = object_update(instance=rule, data=data, actor=actor)
        if changed and replay and rule.archived_at is None:
            dictionary_apply(municipality=rule.municipality, actor=actor)
    return rule, changed


def normalisation_rule_archive(
    *, rule: NormalisationRule, actor: Any, replay: bool = True
) -> NormalisationRule:
    """Take a rule out of force (kept, restorable); the titles it decided are decided again."""
    _check_may_edit(rule.municipality, actor)
    with governed_write(actor):
        object_archive(instance=rule, actor=actor)
        if replay:
            dictionary_apply(municipality=rule.municipality, actor=actor)
    return rule


def normalisation_rule_restore(
    *, rule: NormalisationRule, actor: Any, replay: bool = True
) -> NormalisationRule:
    _check_may_edit(rule.municipality, actor)
    with governed_write(actor):
        object_restore(instance=rule, actor=actor)
        if replay:
            dictionary_apply(municipality=rule.municipality, actor=actor)
    return rule


def rules_reorder(
    *,
    municipality: Municipality,
    ordered_ids: Sequence[int],
    actor: Any,
    replay: bool = True,
) -> list[NormalisationRule]:
    """Put the municipality's rules in force in the order of `ordered_ids` (every one of them,
    each once). The rules keep the positions they hold between them, handed out in the new
    order, so archived rules keep theirs; then the dictionary is replayed once."""
    _check_may_edit(municipality, actor)
    with governed_write(actor):
        rules = {
            rule.pk: rule
            for rule in NormalisationRule.objects.select_for_update().filter(
                municipality=municipality, archived_at__isnull=True
            )
        }
        if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(rules):
            raise ValidationError(
                _("Give every rule in force exactly once to put the rules in a new order.")
            )
        positions = sorted(rule.position for rule in rules.values())
        wanted = {pk: position for pk, position in zip(ordered_ids, positions, strict=True)}
        moving = [pk for pk, position in wanted.items() if rules[pk].position != position]
        if not moving:
            return [rules[pk] for pk in ordered_ids]
        # Move the rules out of the way first: (municipality, position) is unique at every step.
        top = (
            NormalisationRule.objects.filter(municipality=municipality).aggregate(
                top=Max("position")
            )["top"]
            or 0
        )
        for offset, pk in enumerate(moving, start=1):
            NormalisationRule.objects.filter(pk=pk).update(position=top + offset)
        for pk in moving:
            object_update(instance=rules[pk], data={"position": wanted[pk]}, actor=actor)
        if replay:
            dictionary_apply(municipality=municipality, actor=actor)
    return [rules[pk] for pk in ordered_ids]


# --- the dictionary's pages: each write replays once and says how many titles changed -----------


def dictionary_replay(*, municipality: Municipality, actor: Any) -> int:
    """Replay the rules in force over all the municipality's titles (say after the catalogue
    changed) and return how many titles changed."""
    _check_may_edit(municipality, actor)
    with governed_write(actor):
        return dictionary_apply(municipality=municipality, actor=actor)


def _put_at(rule: NormalisationRule, position: int, actor: Any) -> None:
    """Move the saved rule in force `rule` to `position` among the rules in force, as
    `dictionary.place_rule` orders them (the rules between move by one place); no replay."""
    in_force = NormalisationRule.objects.filter(
        municipality_id=rule.municipality_id, archived_at__isnull=True
    )
    wanted = copy(rule)
    wanted.position = position
    ordered = place_rule(in_force, wanted)
    rules_reorder(
        municipality=rule.municipality,
        ordered_ids=[r.pk for r in ordered],
        actor=actor,
        replay=False,
    )


def normalisation_rule_save(
    *,
    municipality: Municipality,
    rule: NormalisationRule | None,
    data: Mapping[str, Any],
    actor: Any,
) -> tuple[NormalisationRule, int]:
    """Create (`rule` None) or change a rule as the dictionary's page does, replay once, and
    return the rule and how many titles changed.

    A position another rule holds puts this rule in its place, as the page's trial showed:
    before that rule, or after it when an existing rule moves down; the rules between move by
    one place (`rules_reorder`). A position no rule holds is taken as it is."""
    _check_may_edit(municipality, actor)
    data = dict(data)
    position = data.get("position")
    with governed_write(actor):
        taken = False
        if position is not None:
            holders = NormalisationRule.objects.filter(municipality=municipality, position=position)
            if rule is not None:
                holders = holders.exclude(pk=rule.pk)
            taken = holders.exists()
        if taken:
            if rule is None:
                top = NormalisationRule.objects.filter(municipality=municipality).aggregate(
                    top=Max("position")
                )["top"]
                data["position"] = (top or 0) + 1
            else:
                data["position"] = rule.position
        if rule is None:
            rule = normalisation_rule_create(
                municipality=municipality, data=data, actor=actor, replay=False
            )
        else:
            rule, _changed = normalisation_rule_update(
                rule=rule, data=data, actor=actor, replay=False
            )
        if taken and rule.archived_at is None:
            _put_at(rule, position, actor)  # type: ignore[arg-type]
            rule.refresh_from_db()
        changed = dictionary_apply(municipality=municipality, actor=actor)
    return rule, changed


def normalisation_rule_move(*, rule: NormalisationRule, position: int, actor: Any) -> int:
    """Move a rule in force to `position` (as `normalisation_rule_save` places it), replay once
    and return how many titles changed."""
    _check_may_edit(rule.municipality, actor)
    if rule.archived_at is not None:
        raise ValidationError(_("An archived rule has no place in the order; restore it first."))
    with governed_write(actor):
        _put_at(rule, position, actor)
        rule.refresh_from_db()
        return dictionary_apply(municipality=rule.municipality, actor=actor)
