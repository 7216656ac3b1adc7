"""Every write to the IT plans: atomic, validated, logged with who and when.

A plan goes draft → adopted (the board's meeting date and the minutes' paragraph) → followed up
(every item's follow-up recorded) → evaluated (P3.4). Only a draft's items change; an adopted
plan's items are followed up. The IT coordinator, or a member or the secretary of the board,
takes each step; the system itself (`actor=None`: the demo loader, a migration) may too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality

from . import access as plans_access
from .choices import FINISHED_ITEM_STATUSES, BearerKind, ItemStatus, PlanStatus
from .defaults import DEFAULT_COST_CATEGORIES, DEFAULT_GOALS
from .models import (
    CostCategory,
    Goal,
    ITPlan,
    PlanItem,
    PlanItemCost,
    PlansSettings,
    Premises,
    Tenancy,
)
from .selectors import plans_settings_for

# --- who may ---------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _may_write_board(actor: Any, municipality_id: int, board_id: int | None) -> bool:
    if actor is None:  # the system itself
        return True
    access = Access.for_user(actor)
    return plans_access.can_write_board_plan(access, municipality_id, board_id)


def _require_plan_writer(actor: Any, plan: ITPlan) -> None:
    _require(
        _may_write_board(actor, plan.municipality_id, plan.board_id),
        _(
            "Only the IT coordinator, or a member or the secretary of the board, changes the "
            "board's IT plan."
        ),
    )


def _require_keeper(actor: Any, municipality: Municipality) -> None:
    if actor is None:
        return
    _require(
        plans_access.keeps_plan_data(Access.for_user(actor), municipality.pk),
        _("Only the IT coordinator keeps the goals, cost categories and plan settings."),
    )


# --- defaults --------------------------------------------------------------------------------


def plans_defaults_seed(*, municipality: Municipality, actor: Any) -> int:
    """Give the municipality the policy's four goals (P2.1–P2.4) and the default cost
    categories (P3.6–P3.9) it does not have yet; returns how many were created. What exists,
    archived or renamed, is left alone."""
    created = 0
    with governed_write(actor):
        goals = set(Goal.objects.filter(municipality=municipality).values_list("code", flat=True))
        for order, (code, name, description) in enumerate(DEFAULT_GOALS, start=1):
            if code not in goals:
                object_create(
                    model=Goal,
                    data={"code": code, "name": name, "description": description, "order": order},
                    actor=actor,
                    municipality=municipality,
                )
                created += 1
        categories = set(
            CostCategory.objects.filter(municipality=municipality).values_list("name", flat=True)
        )
        for name, description, bearer, rent in DEFAULT_COST_CATEGORIES:
            if name not in categories:
                object_create(
                    model=CostCategory,
                    data={
                        "name": name,
                        "description": description,
                        "default_bearer": bearer,
                        "recovered_through_rent": rent,
                    },
                    actor=actor,
                    municipality=municipality,
                )
                created += 1
    return created


# --- goals and cost categories -----------------------------------------------------------------


def goal_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Goal:
    _require_keeper(actor, municipality)
    return object_create(model=Goal, data=data, actor=actor, municipality=municipality)


def goal_update(*, goal: Goal, data: Mapping[str, Any], actor: Any) -> tuple[Goal, bool]:
    _require_keeper(actor, goal.municipality)
    return object_update(instance=goal, data=data, actor=actor)


def cost_category_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> CostCategory:
    _require_keeper(actor, municipality)
    return object_create(model=CostCategory, data=data, actor=actor, municipality=municipality)


def cost_category_update(
    *, category: CostCategory, data: Mapping[str, Any], actor: Any
) -> tuple[CostCategory, bool]:
    _require_keeper(actor, category.municipality)
    return object_update(instance=category, data=data, actor=actor)


def plans_settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> tuple[PlansSettings, bool]:
    """The technical department, the central office and the due dates; the row is created on
    the first save."""
    _require_keeper(actor, municipality)
    row = PlansSettings.objects.filter(municipality=municipality).first()
    if row is None:
        return object_create(
            model=PlansSettings, data=data, actor=actor, municipality=municipality
        ), True
    return object_update(instance=row, data=data, actor=actor)


def archive(*, instance: Any, actor: Any) -> Any:
    """Archive a goal, cost category, plan or item (the permission is the caller's)."""
    return object_archive(instance=instance, actor=actor)


def restore(*, instance: Any, actor: Any) -> Any:
    return object_restore(instance=instance, actor=actor)


# --- plans -----------------------------------------------------------------------------------


def it_plan_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> ITPlan:
    """A board's draft plan for a year (P3.4); one per board and year."""
    board = data.get("board")
    _require(
        _may_write_board(actor, municipality.pk, getattr(board, "pk", None)),
        _("Only the IT coordinator or a member of the board draws up the board's IT plan."),
    )
    return object_create(model=ITPlan, data=data, actor=actor, municipality=municipality)


def it_plan_update(*, plan: ITPlan, data: Mapping[str, Any], actor: Any) -> tuple[ITPlan, bool]:
    """Board and year change only while the plan is a draft; notes always."""
    _require_plan_writer(actor, plan)
    if not plan.is_draft and any(
        name in data and data[name] != getattr(plan, name) for name in ("board", "year")
    ):
        raise ValidationError(_("An adopted plan keeps its board and year."))
    if "board" in data and data["board"] != plan.board:
        _require_plan_writer(actor, ITPlan(municipality=plan.municipality, board=data["board"]))
    return object_update(instance=plan, data=data, actor=actor)


def _set_status(plan: ITPlan, actor: Any, **fields: Any) -> ITPlan:
    with governed_write(actor):
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.full_clean()
        plan.save(update_fields=[*fields, "updated_at"])
    return plan


def it_plan_adopt(
    *, plan: ITPlan, adopted_on: datetime.date | None, decision_paragraph: str, actor: Any
) -> ITPlan:
    """The board adopted the plan at its meeting on `adopted_on`, in the minutes' paragraph
    `decision_paragraph` (e.g. "§ 45") (P3.4)."""
    _require_plan_writer(actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be adopted."))
    errors = {}
    if adopted_on is None:
        errors["adopted_on"] = _("Give the date of the board's meeting.")
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = _("A plan is recorded as adopted after the meeting, not before.")
    if not (decision_paragraph or "").strip():
        errors["decision_paragraph"] = _("Give the paragraph of the minutes, e.g. § 45.")
    if errors:
        raise ValidationError(errors)
    return _set_status(
        plan,
        actor,
        status=PlanStatus.ADOPTED,
        adopted_on=adopted_on,
        decision_paragraph=decision_paragraph.strip(),
    )


def it_plan_follow_up(
    *, plan: ITPlan, followed_up_on: datetime.date | None = None, actor: Any
) -> ITPlan:
    """The year's follow-up is done (P3.4): every current item's follow-up is recorded."""
    _require_plan_writer(actor, plan)
    if plan.status != PlanStatus.ADOPTED:
        raise ValidationError(_("Only an adopted plan is followed up."))
    missing = plan.plan_items.filter(archived_at__isnull=True, followed_up_at__isnull=True)
    if missing.exists():
        names = ", ".join(str(item) for item in missing[:5])
        raise ValidationError(
            _("Record the follow-up of every item first; not yet: %(items)s.") % {"items": names}
        )
    return _set_status(
        plan,
        actor,
        status=PlanStatus.FOLLOWED_UP,
        followed_up_on=followed_up_on or timezone.localdate(),
    )


def it_plan_evaluate(
    *,
    plan: ITPlan,
    evaluation: str,
    evaluated_on: datetime.date | None = None,
    actor: Any,
) -> ITPlan:
    """The year's evaluation (P3.4): what the plan achieved, in words."""
    _require_plan_writer(actor, plan)
    if plan.status != PlanStatus.FOLLOWED_UP:
        raise ValidationError(_("A plan is evaluated after it is followed up."))
    if not (evaluation or "").strip():
        raise ValidationError({"evaluation": _("Write the evaluation.")})
    return _set_status(
        plan,
        actor,
        status=PlanStatus.EVALUATED,
        evaluation=evaluation.strip(),
        evaluated_on=evaluated_on or timezone.localdate(),
    )


def it_plan_archive(*, plan: ITPlan, actor: Any) -> ITPlan:
    _require_plan_writer(actor, plan)
    return object_archive(instance=plan, actor=actor)


def it_plan_restore(*, plan: ITPlan, actor: Any) -> ITPlan:
    _require_plan_writer(actor, plan)
    return object_restore(instance=plan, actor=actor)


def it_plan_copy_to_next_year(*, plan: ITPlan, actor: Any) -> ITPlan:
    """Start next year's draft from the unfinished items: every current item not done or
    cancelled is copied, with its links and its costs from next year on. Refused when the
    board already has a plan for next year."""
    _require_plan_writer(actor, plan)
    year = plan.year + 1
    if ITPlan.objects.filter(municipality=plan.municipality, board=plan.board, year=year).exists():
        raise ValidationError(
            _("%(board)s already has an IT plan for %(year)s.")
            % {"board": plan.board, "year": year}
        )
    items = list(
        plan.plan_items.filter(archived_at__isnull=True)
        .exclude(follow_up_status__in=FINISHED_ITEM_STATUSES)
        .prefetch_related(
            "goals", "systems", "products", "product_requests", "external_organisations", "costs"
        )
    )
    with governed_write(actor):
        new_plan = object_create(
            model=ITPlan,
            data={"board": plan.board, "year": year, "copied_from": plan},
            actor=actor,
            municipality=plan.municipality,
        )
        for item in items:
            copy = object_create(
                model=PlanItem,
                data={
                    "plan": new_plan,
                    "title": item.title,
                    "description": item.description,
                    "business_benefit": item.business_benefit,
                    "societal_benefit": item.societal_benefit,
                    "responsible": item.responsible,
                    "department": item.department,
                    "cost_category": item.cost_category,
                    "bearer": item.bearer,
                    "bearer_reason": item.bearer_reason,
                    "premises": item.premises,
                    "copied_from": item,
                    "goals": list(item.goals.all()),
                    "systems": list(item.systems.all()),
                    "products": list(item.products.all()),
                    "product_requests": list(item.product_requests.all()),
                    "external_organisations": list(item.external_organisations.all()),
                },
                actor=actor,
                municipality=plan.municipality,
            )
            for cost in item.costs.all():
                if cost.year >= year:
                    object_create(
                        model=PlanItemCost,
                        data={
                            "item": copy,
                            "year": cost.year,
                            "investment": cost.investment,
                            "running": cost.running,
                        },
                        actor=actor,
                        municipality=plan.municipality,
                    )
    return new_plan


# --- who bears an item's cost (P3.6–P3.9) -------------------------------------------------------


def default_bearer(
    *,
    category: CostCategory | None,
    department: Department | None,
    settings: PlansSettings,
) -> Department | None:
    """Who bears an item's cost by its category: the technical department, the central office
    (as the plan settings name them) or the item's own department. None when unknown."""
    if category is None:
        return department
    if category.default_bearer == BearerKind.TECHNICAL_DEPARTMENT:
        return settings.technical_department
    if category.default_bearer == BearerKind.CENTRAL_OFFICE:
        return settings.central_office
    return department


def _resolve_bearer(values: dict[str, Any], municipality: Municipality) -> None:
    """Fill a blank bearer from the category's default; require a reason for another."""
    settings = plans_settings_for(municipality)
    default = default_bearer(
        category=values.get("cost_category"),
        department=values.get("department"),
        settings=settings,
    )
    bearer = values.get("bearer")
    if bearer is None:
        values["bearer"] = default
        values["bearer_reason"] = ""
    elif default is not None and bearer.pk == default.pk:
        values["bearer_reason"] = ""
    elif not (values.get("bearer_reason") or "").strip():
        raise ValidationError(
            {
                "bearer_reason": _(
                    "The cost category's default bearer is %(default)s; say why %(bearer)s "
                    "bears it instead."
                )
                % {"default": default or _("not named in the plan settings"), "bearer": bearer}
            }
        )


_ITEM_FIELDS = ("cost_category", "department", "bearer", "bearer_reason")


def plan_item_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> PlanItem:
    """An initiative of a draft plan; its bearer defaults from the cost category."""
    plan = data.get("plan")
    if plan is None:
        raise ValidationError({"plan": _("Choose the IT plan.")})
    _require_plan_writer(actor, plan)
    if not plan.is_draft:
        raise ValidationError({"plan": _("Items are added to a draft plan only.")})
    values = dict(data)
    _resolve_bearer(values, municipality)
    return object_create(model=PlanItem, data=values, actor=actor, municipality=municipality)


def plan_item_update(
    *, item: PlanItem, data: Mapping[str, Any], actor: Any
) -> tuple[PlanItem, bool]:
    _require_plan_writer(actor, item.plan)
    if not item.plan.is_draft:
        raise ValidationError(_("An adopted plan's items are followed up, not changed."))
    if "plan" in data and data["plan"] != item.plan:
        _require_plan_writer(actor, data["plan"])
        if not data["plan"].is_draft:
            raise ValidationError({"plan": _("Items are moved to a draft plan only.")})
    values = dict(data)
    if any(name in values for name in _ITEM_FIELDS):
        merged = {name: values.get(name, getattr(item, name)) for name in _ITEM_FIELDS}
        _resolve_bearer(merged, item.municipality)
        values.update(merged)
    return object_update(instance=item, data=values, actor=actor)


def plan_item_archive(*, item: PlanItem, actor: Any) -> PlanItem:
    _require_plan_writer(actor, item.plan)
    if not item.plan.is_draft and item.archived_at is None:
        raise ValidationError(_("An adopted plan's items are followed up, not archived."))
    return object_archive(instance=item, actor=actor)


def plan_item_restore(*, item: PlanItem, actor: Any) -> PlanItem:
    _require_plan_writer(actor, item.plan)
    return object_restore(instance=item, actor=actor)


def plan_item_costs_set(
    *,
    item: PlanItem,
    costs: Iterable[tuple[int, Decimal | int, Decimal | int]],
    actor: Any,
) -> bool:
    """Set the item's planned (year, investment, running) costs in whole kronor (P3.5). A year
    not given is left as it is; returns whether anything changed."""
    _require_plan_writer(actor, item.plan)
    if not item.plan.is_draft:
        raise ValidationError(_("An adopted plan's costs are followed up, not changed."))
    rows = list(costs)
    years = [year for year, _inv, _run in rows]
    if len(years) != len(set(years)):
        raise ValidationError(_("Each year once."))
    existing = {c.year: c for c in item.costs.all()}
    changed = False
    with governed_write(actor):
        for year, investment, running in rows:
            data = {"investment": Decimal(investment), "running": Decimal(running)}
            if year in existing:
                _cost, did = object_update(instance=existing[year], data=data, actor=actor)
                changed = changed or did
            else:
                object_create(
                    model=PlanItemCost,
                    data={"item": item, "year": year, **data},
                    actor=actor,
                    municipality=item.municipality,
                )
                changed = True
    return changed


def plan_item_follow_up(
    *,
    item: PlanItem,
    status: str,
    comment: str,
    actuals: Mapping[int, tuple[Decimal | None, Decimal | None]] | None = None,
    actor: Any,
) -> PlanItem:
    """How the initiative stood at follow-up (P3.4), and what it actually cost per year."""
    _require_plan_writer(actor, item.plan)
    if item.plan.status not in (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP):
        raise ValidationError(_("Items are followed up once the plan is adopted."))
    if status not in ItemStatus.values:
        raise ValidationError({"follow_up_status": _("Choose a status.")})
    if status in (ItemStatus.POSTPONED, ItemStatus.CANCELLED) and not comment.strip():
        raise ValidationError(
            {"follow_up_comment": _("Say why the initiative is postponed or cancelled.")}
        )
    costs = {c.year: c for c in item.costs.all()}
    with governed_write(actor):
        item.follow_up_status = status
        item.follow_up_comment = comment.strip()
        item.followed_up_at = timezone.now()
        item.full_clean()
        item.save(
            update_fields=["follow_up_status", "follow_up_comment", "followed_up_at", "updated_at"]
        )
        for year, (investment, running) in (actuals or {}).items():
            data = {"actual_investment": investment, "actual_running": running}
            if year in costs:
                object_update(instance=costs[year], data=data, actor=actor)
            else:
                object_create(
                    model=PlanItemCost,
                    data={"item": item, "year": year, **data},
                    actor=actor,
                    municipality=item.municipality,
                )
    return item


# --- premises and their tenants (P3.6, P3.7, P3.10) -----------------------------------------------


def premises_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Premises:
    _require_keeper(actor, municipality)
    return object_create(model=Premises, data=data, actor=actor, municipality=municipality)


def premises_update(
    *, premises: Premises, data: Mapping[str, Any], actor: Any
) -> tuple[Premises, bool]:
    _require_keeper(actor, premises.municipality)
    return object_update(instance=premises, data=data, actor=actor)


def premises_archive(*, premises: Premises, actor: Any) -> Premises:
    _require_keeper(actor, premises.municipality)
    return object_archive(instance=premises, actor=actor)


def premises_restore(*, premises: Premises, actor: Any) -> Premises:
    _require_keeper(actor, premises.municipality)
    return object_restore(instance=premises, actor=actor)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %".replace(".", ",")


def tenancies_set(
    *,
    premises: Premises,
    valid_from: datetime.date,
    shares: Iterable[tuple[Department, Decimal]],
    actor: Any,
) -> list[Tenancy]:
    """The premises' tenants from `valid_from` on, with their shares (P3.7), which must sum to
    exactly one; no tenants at all means the premises stands empty from that day.

    Tenancies in force the day before end then; those starting on or after `valid_from` are
    superseded and archived (kept, not deleted). So on every day the tenancies in force sum to
    one or there are none: the invariant the internal-rent allocation relies on."""
    _require_keeper(actor, premises.municipality)
    rows = [(department, Decimal(share)) for department, share in shares]
    errors: list[str] = []
    departments = [d.pk for d, _share in rows]
    if len(departments) != len(set(departments)):
        errors.append(_("Each department once."))
    if any(d.municipality_id != premises.municipality_id for d, _share in rows):
        errors.append(_("A department belongs to another municipality."))
    if any(not Decimal("0") < share <= Decimal("1") for _d, share in rows):
        errors.append(_("Each share is more than 0 and at most 1."))
    total = sum((share for _d, share in rows), Decimal("0"))
    if rows and total != Decimal("1"):
        errors.append(
            _(
                "The shares of %(premises)s sum to %(total)s; together the tenants must hold "
                "100 %% of the premises."
            )
            % {"premises": premises, "total": _percent(total)}
        )
    if errors:
        raise ValidationError(errors)
    day_before = valid_from - datetime.timedelta(days=1)
    current = Tenancy.objects.filter(premises=premises, archived_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    created = []
    with governed_write(actor):
        for tenancy in current:
            if tenancy.valid_from >= valid_from:
                object_archive(instance=tenancy, actor=actor)
            else:
                object_update(instance=tenancy, data={"valid_until": day_before}, actor=actor)
        for department, share in rows:
            created.append(
                object_create(
                    model=Tenancy,
                    data={
                        "premises": premises,
                        "department": department,
                        "share": share,
                        "valid_from": valid_from,
                    },
                    actor=actor,
                    municipality=premises.municipality,
                )
            )
    return created
