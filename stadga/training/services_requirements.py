"""Training requirements and system users (P6): who must have which course, and who works in
which system — the two things coverage (`training.coverage`) is resolved from.

The views decide who may write (`training.access`: the IT department keeps requirements; the IT
department and a person's department head record the systems they use); these services decide
what may be written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import object_archive, object_create, object_restore, object_update
from stadga.organisation.models import Municipality

from .models import SystemUse, TrainingRequirement

# --- requirements ------------------------------------------------------------------------------


def requirement_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> TrainingRequirement:
    """Require a course of a role's holders (optionally in one department) or of a system's
    users."""
    return object_create(
        model=TrainingRequirement, data=data, actor=actor, municipality=municipality
    )


def requirement_update(
    *, requirement: TrainingRequirement, data: Mapping[str, Any], actor: Any
) -> tuple[TrainingRequirement, bool]:
    return object_update(instance=requirement, data=data, actor=actor)


def requirement_archive(*, requirement: TrainingRequirement, actor: Any) -> TrainingRequirement:
    """Archive a requirement: from then on it counts in no coverage figure."""
    return object_archive(instance=requirement, actor=actor)


def requirement_restore(*, requirement: TrainingRequirement, actor: Any) -> TrainingRequirement:
    return object_restore(instance=requirement, actor=actor)


# --- system users --------------------------------------------------------------------------------


def system_use_add(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> SystemUse:
    """Record that `data["person"]` works in `data["system"]` (since `data["since"]`, today by
    default): the system's required training applies to them from then on."""
    return object_create(model=SystemUse, data=data, actor=actor, municipality=municipality)


def system_use_end(*, use: SystemUse, actor: Any) -> SystemUse:
    """The person no longer works in the system: the use is archived (kept as a record) and the
    system's requirements no longer apply to them."""
    return object_archive(instance=use, actor=actor)


def system_use_restore(*, use: SystemUse, actor: Any) -> SystemUse:
    """Undo an ending made by mistake, unless the person has been added as a user since."""
    taken = SystemUse.objects.filter(
        person_id=use.person_id, system_id=use.system_id, archived_at__isnull=True
    )
    if use.archived_at is not None and taken.exists():
        raise ValidationError(_("This person is already a user of the system."))
    return object_restore(instance=use, actor=actor)


def system_use_since(*, use: SystemUse, since: datetime.date, actor: Any) -> SystemUse:
    """Correct the day a person became a user (the reminders' grace period counts from it)."""
    return object_update(instance=use, data={"since": since}, actor=actor)[0]
