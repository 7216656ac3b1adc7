"""Reads of the IT plans shared by the pages, the API, the rules and the reminders, scoped to
what the user may see: another municipality's object, or a plan of a board the user neither
sits on, serves as secretary, nor reads everything of, is a 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from stadga.organisation.access import Access
from stadga.organisation.models import Board, Municipality

from .access import plan_q
from .choices import PLANNING_BOARD_KINDS
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

ZERO = Decimal("0")


def plans_settings_for(municipality: Municipality) -> PlansSettings:
    """The municipality's plan settings: the stored row, or the defaults (unsaved). One query."""
    return PlansSettings.for_municipality(
        municipality, related=("technical_department", "central_office")
    )


# --- goals and cost categories: every member reads them --------------------------------------


def goal_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Goal]:
    qs = Goal.objects.filter(access.organisation_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality")


def goal_get(*, access: Access, municipality: Municipality, pk: int) -> Goal:
    qs = Goal.objects.filter(access.organisation_q(), municipality=municipality)
    return get_object_or_404(qs.select_related("municipality"), pk=pk)


def cost_category_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[CostCategory]:
    qs = CostCategory.objects.filter(access.organisation_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality")


def cost_category_get(*, access: Access, municipality: Municipality, pk: int) -> CostCategory:
    qs = CostCategory.objects.filter(access.organisation_q(), municipality=municipality)
    return get_object_or_404(qs.select_related("municipality"), pk=pk)


# --- premises and their tenants (P3.7, P3.10): every member reads them ------------------------


def premises_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Premises]:
    qs = Premises.objects.filter(access.organisation_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality")


def premises_get(*, access: Access, municipality: Municipality, pk: int) -> Premises:
    qs = Premises.objects.filter(access.organisation_q(), municipality=municipality)
    return get_object_or_404(qs.select_related("municipality"), pk=pk)


def tenancy_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Tenancy]:
    qs = Tenancy.objects.filter(access.organisation_q(), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "premises", "department")


def premises_tenancies(premises: Premises) -> list[Tenancy]:
    """The premises' current (not archived) tenancies, latest first: one query."""
    return list(
        premises.tenancies.filter(archived_at__isnull=True)
        .select_related("department")
        .order_by("-valid_from", "department__name")
    )


# --- plans and items -------------------------------------------------------------------------


def plan_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ITPlan]:
    """The plans the user reads, each with its board and its current items' planned costs."""
    qs = ITPlan.objects.filter(plan_q(access), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "board")


def plan_get(*, access: Access, municipality: Municipality, pk: int) -> ITPlan:
    qs = ITPlan.objects.filter(plan_q(access), municipality=municipality)
    return get_object_or_404(qs.select_related("municipality", "board", "copied_from"), pk=pk)


_ITEM_RELATED = (
    "municipality",
    "plan__board",
    "plan__municipality",
    "responsible",
    "department",
    "cost_category",
    "bearer",
    "premises",
)


def item_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[PlanItem]:
    qs = PlanItem.objects.filter(plan_q(access, "plan__"), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related(*_ITEM_RELATED)


def item_get(*, access: Access, municipality: Municipality, pk: int) -> PlanItem:
    qs = PlanItem.objects.filter(plan_q(access, "plan__"), municipality=municipality)
    return get_object_or_404(
        qs.select_related(*_ITEM_RELATED).prefetch_related(
            "goals", "systems", "products", "product_requests", "external_organisations", "costs"
        ),
        pk=pk,
    )


def plan_items(plan: ITPlan) -> list[PlanItem]:
    """The plan's current items with everything the plan page and its PDF show: a fixed number
    of queries, however many items."""
    return list(
        plan.plan_items.filter(archived_at__isnull=True)
        .select_related(
            "municipality", "plan__board", "responsible", "department", "cost_category", "bearer"
        )
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "code")),
            "systems",
            "products",
            "product_requests",
            "external_organisations",
            Prefetch("costs", queryset=PlanItemCost.objects.order_by("year")),
        )
        .order_by("pk")
    )


@dataclass
class YearCost:
    """Planned (and, at follow-up, actual) costs of one year, in whole kronor."""

    year: int
    investment: Decimal = ZERO
    running: Decimal = ZERO
    actual_investment: Decimal = ZERO
    actual_running: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.investment + self.running

    @property
    def actual_total(self) -> Decimal:
        return self.actual_investment + self.actual_running


def cost_totals(items: list[PlanItem]) -> list[YearCost]:
    """The items' costs summed per year (from their prefetched costs), earliest year first."""
    years: dict[int, YearCost] = {}
    for item in items:
        for cost in item.costs.all():
            total = years.setdefault(cost.year, YearCost(cost.year))
            total.investment += cost.investment
            total.running += cost.running
            total.actual_investment += cost.actual_investment or ZERO
            total.actual_running += cost.actual_running or ZERO
    return [years[y] for y in sorted(years)]


# --- the roll-up for the budget and operational plan (P3.5) -----------------------------------


@dataclass
class RollupRow:
    board: Board
    plan: ITPlan | None
    costs: dict[int, YearCost] = field(default_factory=dict)
    can_open: bool = False  # may the user open the plan behind the row?

    def cost(self, year: int) -> YearCost:
        return self.costs.get(year) or YearCost(year)


@dataclass
class Rollup:
    """Each board's plan for one plan year and its items' costs per cost year (P3.5): what the
    finance office weighs when the budget and operational plan is prepared."""

    year: int
    years: list[int]
    rows: list[RollupRow]

    def totals(self) -> list[YearCost]:
        result = []
        for year in self.years:
            total = YearCost(year)
            for row in self.rows:
                cost = row.cost(year)
                total.investment += cost.investment
                total.running += cost.running
            result.append(total)
        return result

    def row_cells(self) -> list[tuple[RollupRow, list[YearCost]]]:
        return [(row, [row.cost(y) for y in self.years]) for row in self.rows]


def plan_rollup(*, access: Access, municipality: Municipality, year: int) -> Rollup:
    """Every board that answers for an IT plan (and any other with a plan for `year`), with its
    plan for `year` and the planned costs of its current items per cost year (P3.5). Three
    queries, however many boards, plans and items.

    Every member reads the roll-up: it is the budget's raw material, costs per board and year,
    which the finance office works from and the budget makes public anyway. The plans behind it
    stay their boards' (`RollupRow.can_open`)."""
    plans = {
        p.board_id: p
        for p in ITPlan.objects.filter(
            municipality=municipality, year=year, archived_at__isnull=True
        ).select_related("municipality", "board")
    }
    boards = Board.objects.filter(
        Q(kind__in=PLANNING_BOARD_KINDS) | Q(pk__in=list(plans)),
        municipality=municipality,
        archived_at__isnull=True,
    )
    sums = (
        PlanItemCost.objects.filter(
            item__plan_id__in=[p.pk for p in plans.values()],
            item__archived_at__isnull=True,
        )
        .values("item__plan__board_id", "year")
        .annotate(investment=Sum("investment"), running=Sum("running"))
        .order_by()
    )
    costs: dict[int, dict[int, YearCost]] = defaultdict(dict)
    years: set[int] = set()
    for row in sums:
        years.add(row["year"])
        costs[row["item__plan__board_id"]][row["year"]] = YearCost(
            row["year"], investment=row["investment"] or ZERO, running=row["running"] or ZERO
        )
    reads_all = access.reads_all(municipality.pk)
    rows = [
        RollupRow(
            board=board,
            plan=plans.get(board.pk),
            costs=costs.get(board.pk, {}),
            can_open=reads_all or board.pk in access.board_of,
        )
        for board in boards.order_by("name")
    ]
    return Rollup(year=year, years=sorted(years | {year}), rows=rows)


def plan_years(*, municipality: Municipality) -> list[int]:
    """The years the municipality's plans cover, latest first (for the roll-up's year)."""
    return list(
        ITPlan.objects.filter(municipality=municipality, archived_at__isnull=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def visible_boards(access: Access, municipality: Municipality) -> QuerySet[Board]:
    """Boards whose plans the user may write: all for the IT coordinator, else those they are a
    member or the secretary of."""
    from .access import is_coordinator

    boards = Board.objects.filter(municipality=municipality, archived_at__isnull=True)
    if is_coordinator(access, municipality.pk):
        return boards
    return boards.filter(pk__in=access.board_of)


def writable_draft_plans(access: Access, municipality: Municipality) -> QuerySet[ITPlan]:
    """Draft plans the user may add items to."""
    return ITPlan.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        status="draft",
        board__in=visible_boards(access, municipality),
    ).select_related("board")
