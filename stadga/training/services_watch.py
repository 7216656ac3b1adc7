"""The IT department's outside-world watch (omvärldsanalys, P6.4): every write to the watch
log, atomic, validated and logged. A note may concern the municipality's own products, systems
and plan items only.

The views and the API decide who may write (the IT department, `training.access.keeps_training`);
these services decide what may be written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import object_archive, object_create, object_restore, object_update
from stadga.organisation.models import Municipality

from .models import WatchNote

LINKS = ("products", "systems", "plan_items")


def _check_links(municipality_id: int, data: Mapping[str, Any]) -> None:
    """Nothing crosses the municipality's line: `full_clean` does not see many-to-many values."""
    errors: dict[str, Any] = {}
    for name in LINKS:
        values: Iterable[Any] = data.get(name) or ()
        if any(getattr(o, "municipality_id", municipality_id) != municipality_id for o in values):
            errors[name] = _("It belongs to another municipality.")
    if errors:
        raise ValidationError(errors)


def watch_note_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> WatchNote:
    """Note a change in technology or the market and what it means for the municipality."""
    _check_links(municipality.pk, data)
    return object_create(model=WatchNote, data=data, actor=actor, municipality=municipality)


def watch_note_update(
    *, note: WatchNote, data: Mapping[str, Any], actor: Any
) -> tuple[WatchNote, bool]:
    _check_links(note.municipality_id, data)
    return object_update(instance=note, data=data, actor=actor)


def watch_note_archive(*, note: WatchNote, actor: Any) -> WatchNote:
    return object_archive(instance=note, actor=actor)


def watch_note_restore(*, note: WatchNote, actor: Any) -> WatchNote:
    return object_restore(instance=note, actor=actor)
