"""The compliance rules the IT plans answer (P1.2, P2.1–P2.4, P3.4, P3.5).

Each rule counts in one aggregate query and, only when something offends, lists the first
offenders in one more (the board rule reads the plan settings first): a fixed number of queries,
however many boards, plans and items there are. Archived boards, plans, items and goals count for
nothing.

"This year" is the server's local date's year. The boards that answer for an IT plan (P3.4) are
the executive board and the boards (nämnder); the municipality's companies answer to their own
boards' governance, not to this policy's plan. A board narrowing reads the board's own plans; a
department narrowing reads its board's plans (and, for items, the department's own items).

The four goals (P2.1–P2.4) are four rules, one bound to each clause, built from one function: a
rule bound to several clauses gives each of them the same result, and each goal needs its own.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.organisation.models import Board
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule
from stadga.security.rules import counted

from .choices import ADOPTED_STATUSES, FOLLOWED_UP_STATUSES, PLANNING_BOARD_KINDS
from .defaults import DEFAULT_GOALS
from .models import Goal, ITPlan, PlanItem, PlanItemCost
from .selectors import plans_settings_for

PLANNING_BOARDS = PLANNING_BOARD_KINDS


def planning_boards(ctx: RuleContext) -> QuerySet[Board]:
    """The current boards that answer for an IT plan, narrowed as the context says."""
    boards = Board.objects.filter(
        municipality=ctx.municipality, archived_at__isnull=True, kind__in=PLANNING_BOARDS
    )
    if ctx.board is not None:
        boards = boards.filter(pk=ctx.board.pk)
    if ctx.department is not None:
        boards = boards.filter(departments=ctx.department)
    return boards


def current_plans(ctx: RuleContext) -> QuerySet[ITPlan]:
    plans = ITPlan.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
    return ctx.narrow(plans, board="board", department="board__departments")


# --- P3.4: a plan every year, followed up and evaluated ---------------------------------------


@rule(
    "plans.board_plan_adopted",
    clauses=["P3.4"],
    title=gettext_lazy(
        "Every board has an adopted IT plan for this year, and last year's plan is followed up "
        "by its due date"
    ),
)
def board_plan_adopted(ctx: RuleContext) -> RuleResult:
    """P3.4: each board draws up an IT plan that is followed up and evaluated every year. A
    board keeps the rule when its plan for this year is adopted (or further along) and, once the
    follow-up date of the plan settings has passed (31 March by default), its plan for last year,
    if it had one, is followed up or evaluated. Three queries at most: the settings, the count,
    the offenders."""
    today = timezone.localdate()
    year = today.year
    follow_up_due = plans_settings_for(ctx.municipality).follow_up_by(year - 1) < today
    plans = ITPlan.objects.filter(board=OuterRef("pk"), archived_at__isnull=True)
    adopted = Exists(plans.filter(year=year, status__in=ADOPTED_STATUSES))
    unfollowed = Exists(plans.filter(year=year - 1).exclude(status__in=FOLLOWED_UP_STATUSES))
    boards = planning_boards(ctx).annotate(adopted=adopted, unfollowed=unfollowed)
    kept = Q(adopted=True) & (Q(unfollowed=False) if follow_up_due else Q())
    offending = Q(adopted=False) | (Q(unfollowed=True) if follow_up_due else Q(pk__in=[]))

    def offender(board: Board) -> Offender:
        reasons = []
        if not board.adopted:  # type: ignore[attr-defined]
            reasons.append(_("No adopted IT plan for %(year)s") % {"year": year})
        if follow_up_due and board.unfollowed:  # type: ignore[attr-defined]
            reasons.append(_("The plan for %(year)s is not followed up") % {"year": year - 1})
        return Offender.of(board, "; ".join(reasons))

    return counted(
        boards,
        kept=kept,
        offending=offending,
        summary=lambda k, t: (
            ngettext(
                "%(kept)s of %(total)s board has an adopted IT plan for this year, its last "
                "one followed up",
                "%(kept)s of %(total)s boards have an adopted IT plan for this year, their "
                "last one followed up",
                t,
            )
            % {"kept": k, "total": t}
        ),
        offender=offender,
        fetch=lambda rows: rows.select_related("municipality"),
    )


# --- P3.5: the plan's economic consequences, per year ----------------------------------------


@rule(
    "plans.plan_costs_per_year",
    clauses=["P3.5"],
    title=gettext_lazy(
        "Every adopted IT plan for this year states each initiative's costs per year"
    ),
)
def plan_costs_per_year(ctx: RuleContext) -> RuleResult:
    """P3.5: the IT plan's economic consequences are weighed every year in the budget and
    operational plan. This year's adopted plans keep the rule when each of their current items
    has its costs for at least one year (investment and running, possibly zero), so the plans
    roll up per board and year for the budget. Two queries at most."""
    year = timezone.localdate().year
    costless_items = PlanItem.objects.filter(plan=OuterRef("pk"), archived_at__isnull=True).exclude(
        Exists(PlanItemCost.objects.filter(item=OuterRef("pk")))
    )
    plans = current_plans(ctx).filter(year=year, status__in=ADOPTED_STATUSES)
    plans = plans.annotate(costless=Exists(costless_items))
    costless_count = Subquery(
        costless_items.order_by().values("plan").annotate(n=Count("pk")).values("n")[:1]
    )
    return counted(
        plans,
        kept=Q(costless=False),
        offending=Q(costless=True),
        summary=lambda k, t: (
            ngettext(
                "%(kept)s of %(total)s adopted IT plan for this year states its costs per year",
                "%(kept)s of %(total)s adopted IT plans for this year state their costs per year",
                t,
            )
            % {"kept": k, "total": t}
        ),
        offender=lambda plan: Offender.of(
            plan,
            ngettext(
                "%(count)s initiative without costs",
                "%(count)s initiatives without costs",
                plan.costless_count,  # type: ignore[attr-defined]
            )
            % {"count": plan.costless_count},  # type: ignore[attr-defined]
        ),
        fetch=lambda rows: rows.select_related("municipality", "board").annotate(
            costless_count=costless_count
        ),
    )


# --- P1.2: every initiative states its benefit --------------------------------------------------


def current_items(ctx: RuleContext) -> QuerySet[PlanItem]:
    """Items of this year's and later plans (history is not re-judged), narrowed by the plan's
    board, or by the item's department."""
    items = PlanItem.objects.filter(
        municipality=ctx.municipality,
        archived_at__isnull=True,
        plan__archived_at__isnull=True,
        plan__year__gte=timezone.localdate().year,
    )
    return ctx.narrow(items, board="plan__board", department="department")


@rule(
    "plans.items_state_benefit",
    clauses=["P1.2"],
    title=gettext_lazy(
        "Every initiative of this year's and later IT plans states its expected benefit to the "
        "work and to society"
    ),
)
def items_state_benefit(ctx: RuleContext) -> RuleResult:
    """P1.2: every IT initiative is judged by its overall benefit to the municipality's work
    and to society. An item of a current plan keeps the rule when both its expected business
    benefit and its expected societal benefit are written. Two queries at most."""
    items = current_items(ctx).annotate(
        business=Trim("business_benefit"), societal=Trim("societal_benefit")
    )
    blank_business, blank_societal = Q(business=""), Q(societal="")

    def offender(item: PlanItem) -> Offender:
        missing = []
        if not item.business:  # type: ignore[attr-defined]
            missing.append(_("no business benefit"))
        if not item.societal:  # type: ignore[attr-defined]
            missing.append(_("no societal benefit"))
        return Offender(
            label=f"{item.plan}: {item.title}",
            url=item.get_absolute_url(),
            reason=", ".join(missing),
        )

    return counted(
        items,
        kept=~blank_business & ~blank_societal,
        offending=blank_business | blank_societal,
        summary=lambda k, t: (
            ngettext(
                "%(kept)s of %(total)s initiative states its business and societal benefit",
                "%(kept)s of %(total)s initiatives state their business and societal benefit",
                t,
            )
            % {"kept": k, "total": t}
        ),
        offender=offender,
        fetch=lambda rows: rows.select_related("municipality", "plan__board"),
    )


# --- P2.1–P2.4: each goal is served -------------------------------------------------------------


def goal_served(ctx: RuleContext, code: str) -> RuleResult:
    """The goal `code` keeps the rule when at least one current initiative of this year's
    adopted plans serves it. One query. A goal the municipality has archived or removed is not
    applicable: there is nothing to measure."""
    year = timezone.localdate().year
    serving = Q(
        plan_items__archived_at__isnull=True,
        plan_items__plan__archived_at__isnull=True,
        plan_items__plan__year=year,
        plan_items__plan__status__in=ADOPTED_STATUSES,
    )
    if ctx.board is not None:
        serving &= Q(plan_items__plan__board=ctx.board)
    if ctx.department is not None:
        serving &= Q(plan_items__department=ctx.department)
    goal = (
        Goal.objects.filter(municipality=ctx.municipality, code=code, archived_at__isnull=True)
        .annotate(serving=Count("plan_items", filter=serving, distinct=True))
        .select_related("municipality")
        .first()
    )
    if goal is None:
        return RuleResult.from_counts(
            kept=0, total=0, summary=_("The goal %(code)s is not kept as data.") % {"code": code}
        )
    count = goal.serving  # type: ignore[attr-defined]
    summary = ngettext(
        "%(count)s initiative of this year's adopted IT plans serves %(goal)s",
        "%(count)s initiatives of this year's adopted IT plans serve %(goal)s",
        count,
    ) % {"count": count, "goal": goal}
    offenders = (
        []
        if count
        else [Offender.of(goal, _("No initiative of this year's adopted plans serves it"))]
    )
    return RuleResult.from_counts(
        kept=1 if count else 0, total=1, summary=summary, offenders=offenders[:OFFENDER_LIMIT]
    )


def _goal_rule(code: str, name: str) -> None:
    def evaluate(ctx: RuleContext) -> RuleResult:
        return goal_served(ctx, code)

    evaluate.__name__ = evaluate.__qualname__ = f"goal_{code.replace('.', '_')}_served"
    evaluate.__doc__ = f"{code} ({name}): {goal_served.__doc__}"
    rule(
        f"plans.goal_{code.replace('.', '_').lower()}_served",
        clauses=[code],
        title=format_lazy(
            "{} ({})",
            gettext_lazy("An initiative of this year's adopted IT plans serves the goal"),
            code,
        ),
    )(evaluate)


for _code, _name, _description in DEFAULT_GOALS:
    _goal_rule(_code, _name)
