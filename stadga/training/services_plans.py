"""The departments' training plans (P6.2) and the IT department's competence plan (P6.4): every
write, atomic, validated and logged.

A plan is drawn up as a draft, adopted, and after its year followed up. Its lines (the planned
training, how many take part, what it costs) may change until the plan is followed up; from
then on the plan is a record. A new plan is linked to its board's IT plan for the same year
when the board has one, so the training's cost reaches the board's plan (P6.2, P3.5).

The views and the API decide who may write (`training.access.keeps_plan`); these services decide
what may be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.models import Municipality
from stadga.plans.models import ITPlan

from .choices import TrainingPlanStatus
from .models import TrainingPlan, TrainingPlanLine


def _refuse_if_followed_up(plan: TrainingPlan) -> None:
    if plan.status == TrainingPlanStatus.FOLLOWED_UP:
        raise ValidationError(
            _("The plan is followed up: it is a record of the year and is not changed.")
        )


def board_it_plan(*, department: Any, year: int | None) -> ITPlan | None:
    """The current IT plan of the department's board for `year`, if the board has one."""
    if department is None or not year:
        return None
    return ITPlan.objects.filter(
        municipality_id=department.municipality_id,
        board_id=department.board_id,
        year=year,
        archived_at__isnull=True,
    ).first()


# --- plans -------------------------------------------------------------------------------------


def plan_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> TrainingPlan:
    """Draw up a department's training plan for a year, as a draft. Unless `data` names an IT
    plan, the plan is linked to the board's IT plan for the same year if there is one."""
    values = dict(data)
    values.pop("status", None)  # a plan is adopted and followed up by its own services
    if not values.get("it_plan"):
        values["it_plan"] = board_it_plan(
            department=values.get("department"), year=values.get("year")
        )
    return object_create(model=TrainingPlan, data=values, actor=actor, municipality=municipality)


def plan_update(
    *, plan: TrainingPlan, data: Mapping[str, Any], actor: Any
) -> tuple[TrainingPlan, bool]:
    """Change a plan that is not yet followed up. Its status moves only through
    `plan_adopt` and `plan_follow_up`."""
    _refuse_if_followed_up(plan)
    values = {k: v for k, v in data.items() if k not in ("status", "follow_up")}
    return object_update(instance=plan, data=values, actor=actor)


def plan_adopt(*, plan: TrainingPlan, actor: Any) -> TrainingPlan:
    """Adopt a draft plan. A plan without any planned training has nothing to adopt."""
    if plan.archived_at is not None:
        raise ValidationError(_("An archived plan is not adopted."))
    if plan.status != TrainingPlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan is adopted."))
    if not plan.lines.filter(archived_at__isnull=True).exists():
        raise ValidationError(_("Add the planned training before adopting the plan."))
    with governed_write(actor):
        plan.status = TrainingPlanStatus.ADOPTED
        plan.full_clean()
        plan.save(update_fields=["status", "updated_at"])
    return plan


def plan_follow_up(*, plan: TrainingPlan, follow_up: str, actor: Any) -> TrainingPlan:
    """Follow up an adopted plan: what was done, what it cost, what is carried over. From now
    on the plan is a record."""
    if plan.archived_at is not None:
        raise ValidationError(_("An archived plan is not followed up."))
    if plan.status != TrainingPlanStatus.ADOPTED:
        raise ValidationError(_("Only an adopted plan is followed up."))
    if not follow_up.strip():
        raise ValidationError({"follow_up": _("Write how the plan was carried out.")})
    with governed_write(actor):
        plan.status = TrainingPlanStatus.FOLLOWED_UP
        plan.follow_up = follow_up
        plan.full_clean()
        plan.save(update_fields=["status", "follow_up", "updated_at"])
    return plan


def plan_archive(*, plan: TrainingPlan, actor: Any) -> TrainingPlan:
    """Archive a plan drawn up by mistake; it no longer counts for P6.2."""
    return object_archive(instance=plan, actor=actor)


def plan_restore(*, plan: TrainingPlan, actor: Any) -> TrainingPlan:
    if plan.archived_at is not None:
        # The department may have drawn up another plan for the year since.
        probe = TrainingPlan.objects.get(pk=plan.pk)
        probe.archived_at = None
        probe.full_clean()
    return object_restore(instance=plan, actor=actor)


# --- lines -------------------------------------------------------------------------------------


def line_create(*, plan: TrainingPlan, data: Mapping[str, Any], actor: Any) -> TrainingPlanLine:
    """Add a planned training to a plan that is not followed up."""
    _refuse_if_followed_up(plan)
    if plan.archived_at is not None:
        raise ValidationError(_("The plan is archived."))
    return object_create(
        model=TrainingPlanLine,
        data={**data, "plan": plan},
        actor=actor,
        municipality=plan.municipality,
    )


def line_update(
    *, line: TrainingPlanLine, data: Mapping[str, Any], actor: Any
) -> tuple[TrainingPlanLine, bool]:
    _refuse_if_followed_up(line.plan)
    values = {k: v for k, v in data.items() if k != "plan"}
    return object_update(instance=line, data=values, actor=actor)


def line_archive(*, line: TrainingPlanLine, actor: Any) -> TrainingPlanLine:
    _refuse_if_followed_up(line.plan)
    return object_archive(instance=line, actor=actor)


def line_restore(*, line: TrainingPlanLine, actor: Any) -> TrainingPlanLine:
    _refuse_if_followed_up(line.plan)
    return object_restore(instance=line, actor=actor)
