"""Attestations: a person's statement that a clause is kept, for what no rule measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stadga.core.services import object_create
from stadga.organisation.models import Municipality

from .models import Attestation, Clause


def attestation_create(
    *, municipality: Municipality, clause: Clause, data: Mapping[str, Any], actor: Any
) -> Attestation:
    """Record an attestation of `clause`; it is kept for ever and simply expires."""
    return object_create(
        model=Attestation, data=data, actor=actor, municipality=municipality, clause=clause
    )
