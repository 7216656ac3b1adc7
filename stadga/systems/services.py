"""Every write to the IT system register: atomic, validated, logged with who and when."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import (
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.models import Municipality

from .models import IDENTIFIER_PREFIX, ExternalResponsibility, System

_NUMBERED = re.compile(rf"^{re.escape(IDENTIFIER_PREFIX)}(\d+)$")


def next_identifier(*, municipality: Municipality) -> str:
    """The next free SYS-NNNN key in the municipality."""
    identifiers = System.objects.filter(
        municipality=municipality, identifier__startswith=IDENTIFIER_PREFIX
    ).values_list("identifier", flat=True)
    numbers = [int(m.group(1)) for i in identifiers if (m := _NUMBERED.match(i))]
    return f"{IDENTIFIER_PREFIX}{max(numbers, default=0) + 1:04d}"


def system_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> System:
    """Register a system; it gets the next SYS-NNNN key unless the data names one."""
    data = dict(data)
    if not data.get("identifier"):
        data["identifier"] = next_identifier(municipality=municipality)
    return object_create(model=System, data=data, actor=actor, municipality=municipality)


def system_update(*, system: System, data: Mapping[str, Any], actor: Any) -> tuple[System, bool]:
    """Change a system; returns whether anything changed (an unchanged import writes nothing)."""
    return object_update(instance=system, data=data, actor=actor)


def system_archive(*, system: System, actor: Any) -> System:
    return object_archive(instance=system, actor=actor)


def system_restore(*, system: System, actor: Any) -> System:
    return object_restore(instance=system, actor=actor)


# --- External organisations' responsibilities (P3.11, P8) -------------------------------------


def external_responsibility_create(
    *, system: System, data: Mapping[str, Any], actor: Any
) -> ExternalResponsibility:
    """Record what an external organisation answers for in the system; the organisation must be
    the system's municipality's."""
    plain = {k: v for k, v in data.items() if k not in ("system", "municipality")}
    return object_create(
        model=ExternalResponsibility,
        data=plain,
        actor=actor,
        municipality=system.municipality,
        system=system,
    )


def external_responsibility_update(
    *, responsibility: ExternalResponsibility, data: Mapping[str, Any], actor: Any
) -> tuple[ExternalResponsibility, bool]:
    """Change a responsibility; it stays with its system."""
    plain = {k: v for k, v in data.items() if k not in ("system", "municipality")}
    return object_update(instance=responsibility, data=plain, actor=actor)


def external_responsibility_archive(
    *, responsibility: ExternalResponsibility, actor: Any
) -> ExternalResponsibility:
    """The organisation no longer answers for it: archived, kept as history."""
    return object_archive(instance=responsibility, actor=actor)


def external_responsibility_restore(
    *, responsibility: ExternalResponsibility, actor: Any
) -> ExternalResponsibility:
    """Bring it back; refused if the same responsibility was recorded again meanwhile."""
    if responsibility.archived_at is not None:
        again = ExternalResponsibility.objects.filter(
            system_id=responsibility.system_id,
            organisation_id=responsibility.organisation_id,
            kind=responsibility.kind,
            archived_at__isnull=True,
        ).exclude(pk=responsibility.pk)
        if again.exists():
            raise ValidationError(
                _("The organisation already has this responsibility for the system.")
            )
    return object_restore(instance=responsibility, actor=actor)
