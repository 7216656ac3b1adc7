"""The IT plans' compliance rules, each met and broken, narrowed, and in a fixed number of
queries: P3.4 (a plan every year, followed up), P3.5 (costs per year), P1.2 (benefit stated)
and P2.1–P2.4 (each goal served)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.organisation.choices import BoardKind
from stadga.organisation.models import Municipality
from stadga.plans import rules
from stadga.plans.choices import PlanStatus
from stadga.plans.models import Goal
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule, rules_for_clause
from stadga.testing.factories import BoardFactory, DepartmentFactory, MunicipalityFactory

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan, cost, goal

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


def evaluate(rule_id: str, municipality: Municipality, **narrow: Any) -> Any:
    return get_rule(rule_id).evaluate(RuleContext(municipality=municipality, **narrow))


def queries_of(rule_id: str, municipality: Municipality) -> int:
    with CaptureQueriesContext(connection) as queries:
        evaluate(rule_id, municipality)
    return len(queries)


def test_the_rules_are_bound_to_their_clauses() -> None:
    assert [r.id for r in rules_for_clause("P3.4")] == ["plans.board_plan_adopted"]
    assert [r.id for r in rules_for_clause("P3.5")] == ["plans.plan_costs_per_year"]
    assert [r.id for r in rules_for_clause("P1.2")] == ["plans.items_state_benefit"]
    # One rule per goal: a rule bound to several clauses would give them all one result.
    for code in ("P2.1", "P2.2", "P2.3", "P2.4"):
        assert [r.id for r in rules_for_clause(code)] == [
            f"plans.goal_{code.replace('.', '_').lower()}_served"
        ]


# --- P3.4 ---------------------------------------------------------------------------------------


def test_p34_each_board_has_an_adopted_plan_and_followed_up_last_year(
    municipality: Municipality,
) -> None:
    kept = BoardFactory(municipality=municipality, name="A")
    adopted_plan(municipality, YEAR, board=kept)
    adopted_plan(municipality, YEAR - 1, board=kept, status=PlanStatus.EVALUATED)
    draft_only = BoardFactory(municipality=municipality, name="B")
    ITPlanFactory(municipality=municipality, board=draft_only, year=YEAR)
    unfollowed = BoardFactory(municipality=municipality, name="C")
    adopted_plan(municipality, YEAR, board=unfollowed)
    adopted_plan(municipality, YEAR - 1, board=unfollowed)  # adopted, never followed up
    BoardFactory(municipality=municipality, kind=BoardKind.COMPANY_BOARD)  # not asked
    BoardFactory(municipality=municipality, archived_at=timezone.now())  # not asked
    archived = BoardFactory(municipality=municipality, name="D")
    adopted_plan(municipality, YEAR, board=archived, archived_at=timezone.now())

    result = evaluate("plans.board_plan_adopted", municipality)

    assert (result.status, result.numerator, result.denominator) == (Status.PARTLY_MET, 1, 4)
    reasons = {o.label: o.reason for o in result.offenders}
    assert set(reasons) == {"B", "C", "D"}
    assert str(YEAR) in reasons["B"]
    assert str(YEAR - 1) in reasons["C"] and ";" not in reasons["C"]
    # Narrowed to one board.
    narrowed = evaluate("plans.board_plan_adopted", municipality, board=kept)
    assert (narrowed.status, narrowed.denominator) == (Status.MET, 1)


def test_p34_last_years_follow_up_is_not_due_before_its_date(
    municipality: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = BoardFactory(municipality=municipality)
    adopted_plan(municipality, YEAR, board=board)
    adopted_plan(municipality, YEAR - 1, board=board)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(YEAR, 3, 31))
    assert evaluate("plans.board_plan_adopted", municipality).status == Status.MET
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(YEAR, 4, 1))
    assert evaluate("plans.board_plan_adopted", municipality).status == Status.NOT_MET


def test_p34_query_count_does_not_grow(municipality: Municipality) -> None:
    counts = []
    for boards in (2, 12):
        while rules.planning_boards(RuleContext(municipality=municipality)).count() < boards:
            board = BoardFactory(municipality=municipality)
            ITPlanFactory(municipality=municipality, board=board, year=YEAR)
        counts.append(queries_of("plans.board_plan_adopted", municipality))
    assert counts[0] == counts[1] <= 3, counts


# --- P3.5 ---------------------------------------------------------------------------------------


def test_p35_adopted_plans_state_each_items_costs(municipality: Municipality) -> None:
    full = adopted_plan(municipality, YEAR)
    cost(PlanItemFactory(plan=full), YEAR, 0, 0)  # a year stated, even at zero, counts
    gap = adopted_plan(municipality, YEAR)
    cost(PlanItemFactory(plan=gap), YEAR, 100, 0)
    PlanItemFactory(plan=gap)
    PlanItemFactory(plan=gap)
    PlanItemFactory(plan=full, archived_at=timezone.now())  # archived: not counted
    PlanItemFactory(plan=ITPlanFactory(municipality=municipality, year=YEAR))  # a draft
    PlanItemFactory(plan=adopted_plan(municipality, YEAR + 1))  # another year

    result = evaluate("plans.plan_costs_per_year", municipality)

    assert (result.status, result.numerator, result.denominator) == (Status.PARTLY_MET, 1, 2)
    assert [o.url for o in result.offenders] == [gap.get_absolute_url()]
    assert "2" in result.offenders[0].reason


def test_p35_query_count_does_not_grow(municipality: Municipality) -> None:
    counts = []
    for plans in (2, 10):
        while len(evaluate("plans.plan_costs_per_year", municipality).offenders) < plans:
            PlanItemFactory(plan=adopted_plan(municipality, YEAR))
        counts.append(queries_of("plans.plan_costs_per_year", municipality))
    assert counts[0] == counts[1] == 2, counts


# --- P1.2 ---------------------------------------------------------------------------------------


def test_p12_initiatives_state_business_and_societal_benefit(municipality: Municipality) -> None:
    plan = ITPlanFactory(municipality=municipality, year=YEAR)
    PlanItemFactory(plan=plan)
    PlanItemFactory(plan=plan, business_benefit="  ")
    PlanItemFactory(plan=plan, societal_benefit="")
    PlanItemFactory(plan=adopted_plan(municipality, YEAR - 1), business_benefit="")  # history
    with translation.override("en"):
        result = evaluate("plans.items_state_benefit", municipality)
    assert (result.status, result.numerator, result.denominator) == (Status.PARTLY_MET, 1, 3)
    assert sorted(o.reason for o in result.offenders) == [
        "no business benefit",
        "no societal benefit",
    ]
    department = DepartmentFactory(board=plan.board)
    narrowed = evaluate("plans.items_state_benefit", municipality, department=department)
    assert narrowed.status == Status.NOT_APPLICABLE


def test_p12_query_count_does_not_grow(municipality: Municipality) -> None:
    plan = ITPlanFactory(municipality=municipality, year=YEAR)
    counts = []
    for items in (2, 20):
        while plan.plan_items.count() < items:
            PlanItemFactory(plan=plan, business_benefit="")
        counts.append(queries_of("plans.items_state_benefit", municipality))
    assert counts[0] == counts[1] == 2, counts


# --- P2.1–P2.4 ----------------------------------------------------------------------------------


def test_p2_each_goal_served_by_this_years_adopted_plans(municipality: Municipality) -> None:
    served = PlanItemFactory(plan=adopted_plan(municipality, YEAR))
    served.goals.set([goal(municipality, "P2.1"), goal(municipality, "P2.3")])
    draft = PlanItemFactory(plan=ITPlanFactory(municipality=municipality, year=YEAR))
    draft.goals.set([goal(municipality, "P2.2")])  # a draft serves nothing yet
    old = PlanItemFactory(plan=adopted_plan(municipality, YEAR - 1))
    old.goals.set([goal(municipality, "P2.4")])  # nor does last year's plan
    Goal.objects.filter(municipality=municipality, code="P2.4").update(archived_at=timezone.now())

    results = {
        code: evaluate(f"plans.goal_{code.replace('.', '_').lower()}_served", municipality)
        for code in ("P2.1", "P2.2", "P2.3", "P2.4")
    }

    assert results["P2.1"].status == Status.MET and "1" in str(results["P2.1"].summary)
    assert results["P2.3"].status == Status.MET
    assert results["P2.2"].status == Status.NOT_MET
    assert results["P2.2"].offenders[0].url == goal(municipality, "P2.2").get_absolute_url()
    assert results["P2.4"].status == Status.NOT_APPLICABLE  # the goal is archived
    narrowed = get_rule("plans.goal_p2_1_served").evaluate(
        RuleContext(municipality=municipality, board=BoardFactory(municipality=municipality))
    )
    assert narrowed.status == Status.NOT_MET


def test_p2_one_query_per_goal(municipality: Municipality) -> None:
    counts = []
    for items in (1, 10):
        plan = adopted_plan(municipality, YEAR)
        for _ in range(items):
            PlanItemFactory(plan=plan).goals.set([goal(municipality, "P2.1")])
        counts.append(queries_of("plans.goal_p2_1_served", municipality))
    assert counts == [1, 1]
