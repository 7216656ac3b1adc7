"""The IT department's decisions on a product's phase (P5.4): the only way a product's phase
changes. Each decision is dated, has written reasons and is kept as a `PhaseDecision`; the
product carries the latest one so that lists and rules read it without a join.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.services import governed_write
from stadga.organisation.models import Person

from .choices import Phase
from .models import PhaseDecision, Product, ProductRequest


def product_phase_set(
    *,
    product: Product,
    phase: str,
    reason: str,
    actor: Any,
    effective_from: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    constraints: str = "",
    decided_by: Person | None = None,
    request: ProductRequest | None = None,
) -> PhaseDecision:
    """Record a decision on `product`'s phase and make it the product's current phase.

    Reasons are always written. 'Approved with constraints' states the constraints in words;
    'phase-out' has the date it ends. A decision of another municipality's person or request
    is refused, as is moving a product back to 'not assessed'."""
    errors: dict[str, str] = {}
    if phase not in Phase.values or phase == Phase.NOT_ASSESSED:
        errors["phase"] = _("Choose the phase the decision puts the product in.")
    if not reason.strip():
        errors["reason"] = _("Write the reasons for the decision.")
    if phase == Phase.APPROVED_WITH_CONSTRAINTS and not constraints.strip():
        errors["constraints"] = _("State the constraints in words.")
    if phase == Phase.PHASE_OUT and ends_on is None:
        errors["ends_on"] = _("A phase-out has the date it ends.")
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from > today:
        errors["effective_from"] = _(
            "A decision takes effect today or earlier; a coming end is a phase-out's end date."
        )
    if ends_on is not None and ends_on < effective_from:
        errors["ends_on"] = _("The phase-out cannot end before it starts.")
    for name, related in (("decided_by", decided_by), ("request", request)):
        if related is not None and related.municipality_id != product.municipality_id:
            errors[name] = _("It belongs to another municipality.")
    if errors:
        raise ValidationError(errors)
    with governed_write(actor):
        decision = PhaseDecision(
            municipality=product.municipality,
            product=product,
            phase=phase,
            effective_from=effective_from,
            ends_on=ends_on if phase == Phase.PHASE_OUT else None,
            constraints=constraints.strip() if phase == Phase.APPROVED_WITH_CONSTRAINTS else "",
            reason=reason.strip(),
            decided_by=decided_by,
            request=request,
        )
        decision.full_clean()
        decision.save()
        product.phase = decision.phase
        product.phase_since = decision.effective_from
        product.phase_ends_on = decision.ends_on
        product.constraints = decision.constraints
        product.full_clean()
        product.save(
            update_fields=["phase", "phase_since", "phase_ends_on", "constraints", "updated_at"]
        )
    return decision
