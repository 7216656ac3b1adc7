"""The plan services: the defaults every municipality starts with (P2, P3.6–P3.9), a plan's way
from draft to evaluated (P3.4), who may take each step, who bears an item's cost (P3.6–P3.9) and
next year's draft from the unfinished items."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stadga.organisation import services as org
from stadga.organisation.choices import Role
from stadga.plans import services
from stadga.plans.choices import BearerKind, ItemStatus, PlanStatus
from stadga.plans.models import CostCategory, Goal, ITPlan, PlanItem, PlanItemCost
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan, category, cost, goal

pytestmark = pytest.mark.django_db


# --- defaults (P2, P3.6–P3.9) ---------------------------------------------------------------


def test_a_new_municipality_gets_the_four_goals_and_the_cost_categories() -> None:
    municipality = org.municipality_create(slug="hjo", name="Hjo kommun", code="1497", actor=None)
    goals = list(Goal.objects.filter(municipality=municipality))
    assert [g.code for g in goals] == ["P2.1", "P2.2", "P2.3", "P2.4"]
    bearers = set(
        CostCategory.objects.filter(municipality=municipality).values_list(
            "default_bearer", flat=True
        )
    )
    assert bearers == set(BearerKind.values)
    # Logged like any other write.
    assert LogEntry.objects.get_for_object(goals[0]).count() == 1


def test_seeding_again_creates_nothing_and_leaves_changes_alone() -> None:
    municipality = MunicipalityFactory()
    services.goal_update(goal=goal(municipality, "P2.1"), data={"name": "Tjänster"}, actor=None)
    assert services.plans_defaults_seed(municipality=municipality, actor=None) == 0
    assert goal(municipality, "P2.1").name == "Tjänster"
    assert Goal.objects.filter(municipality=municipality).count() == 4


def test_only_the_it_coordinator_keeps_goals() -> None:
    municipality = MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        services.goal_create(
            municipality=municipality,
            data={"code": "P2.5", "name": "Hållbarhet"},
            actor=member(municipality, Role.AUDITOR),
        )
    created = services.goal_create(
        municipality=municipality,
        data={"code": "P2.5", "name": "Hållbarhet"},
        actor=member(municipality, Role.IT_COORDINATOR),
    )
    assert created.code == "P2.5"


# --- a plan's way (P3.4) --------------------------------------------------------------------


def test_a_board_member_draws_up_their_boards_plan_only() -> None:
    municipality = MunicipalityFactory()
    board, other = BoardFactory(municipality=municipality), BoardFactory(municipality=municipality)
    user = member(municipality, Role.BOARD_MEMBER, board=board)
    plan = services.it_plan_create(
        municipality=municipality, data={"board": board, "year": 2027}, actor=user
    )
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.it_plan_create(
            municipality=municipality, data={"board": other, "year": 2027}, actor=user
        )
    with pytest.raises(ValidationError):  # one plan per board and year
        services.it_plan_create(
            municipality=municipality, data={"board": board, "year": 2027}, actor=user
        )


def test_adopting_needs_the_meeting_date_and_the_paragraph() -> None:
    plan = ITPlanFactory()
    user = member(plan.municipality, Role.IT_COORDINATOR)
    with pytest.raises(ValidationError) as error:
        services.it_plan_adopt(plan=plan, adopted_on=None, decision_paragraph=" ", actor=user)
    assert set(error.value.message_dict) == {"adopted_on", "decision_paragraph"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.it_plan_adopt(plan=plan, adopted_on=tomorrow, decision_paragraph="§ 4", actor=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    services.it_plan_adopt(
        plan=plan, adopted_on=datetime.date(2025, 11, 20), decision_paragraph=" § 45 ", actor=user
    )
    plan.refresh_from_db()
    assert (plan.status, plan.adopted_on, plan.decision_paragraph) == (
        PlanStatus.ADOPTED,
        datetime.date(2025, 11, 20),
        "§ 45",
    )
    assert LogEntry.objects.get_for_object(plan).latest("pk").actor == user
    with pytest.raises(ValidationError):  # once
        services.it_plan_adopt(
            plan=plan, adopted_on=datetime.date(2025, 11, 20), decision_paragraph="§ 45", actor=user
        )


def test_an_employee_or_another_boards_member_may_not_adopt() -> None:
    plan = ITPlanFactory()
    m = plan.municipality
    for user in (
        member(m),
        member(m, Role.AUDITOR),
        member(m, Role.BOARD_MEMBER, board=BoardFactory(municipality=m)),
    ):
        with pytest.raises(PermissionDenied):
            services.it_plan_adopt(
                plan=plan,
                adopted_on=datetime.date(2025, 1, 1),
                decision_paragraph="§ 1",
                actor=user,
            )
    board_member = member(m, Role.BOARD_MEMBER, board=plan.board)
    services.it_plan_adopt(
        plan=plan,
        adopted_on=datetime.date(2025, 1, 1),
        decision_paragraph="§ 1",
        actor=board_member,
    )


def test_follow_up_needs_every_item_followed_up_then_evaluation() -> None:
    plan = adopted_plan(MunicipalityFactory(), 2025)
    first, second = PlanItemFactory(plan=plan), PlanItemFactory(plan=plan)
    archived = PlanItemFactory(plan=plan, archived_at=timezone.now())
    user = member(plan.municipality, Role.IT_COORDINATOR)
    with pytest.raises(ValidationError):
        services.it_plan_evaluate(plan=plan, evaluation="Bra år.", actor=user)
    services.plan_item_follow_up(item=first, status=ItemStatus.DONE, comment="", actor=user)
    with pytest.raises(ValidationError) as error:
        services.it_plan_follow_up(plan=plan, actor=user)
    assert second.title in error.value.messages[0]
    assert archived.title not in error.value.messages[0]
    with pytest.raises(ValidationError):  # a postponed item says why
        services.plan_item_follow_up(
            item=second, status=ItemStatus.POSTPONED, comment="", actor=user
        )
    services.plan_item_follow_up(
        item=second,
        status=ItemStatus.POSTPONED,
        comment="Väntar på upphandling.",
        actuals={2025: (Decimal("1000"), None)},
        actor=user,
    )
    services.it_plan_follow_up(plan=plan, actor=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FOLLOWED_UP
    with pytest.raises(ValidationError):
        services.it_plan_evaluate(plan=plan, evaluation="  ", actor=user)
    services.it_plan_evaluate(plan=plan, evaluation="Målen nåddes delvis.", actor=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EVALUATED and plan.evaluated_on == timezone.localdate()
    actual = PlanItemCost.objects.get(item=second, year=2025)
    assert (actual.actual_investment, actual.actual_running) == (Decimal("1000"), None)


def test_an_adopted_plans_items_are_followed_up_not_changed() -> None:
    plan = adopted_plan(MunicipalityFactory(), 2026)
    item = PlanItemFactory(plan=plan)
    user = member(plan.municipality, Role.IT_COORDINATOR)
    with pytest.raises(ValidationError):
        services.plan_item_update(item=item, data={"title": "Nytt"}, actor=user)
    with pytest.raises(ValidationError):
        services.plan_item_costs_set(item=item, costs=[(2026, 1, 1)], actor=user)
    with pytest.raises(ValidationError):
        services.plan_item_create(
            municipality=plan.municipality, data={"plan": plan, "title": "Ny"}, actor=user
        )
    with pytest.raises(ValidationError):
        services.plan_item_archive(item=item, actor=user)


# --- costs (P3.5) ----------------------------------------------------------------------------


def test_costs_per_year_are_set_in_whole_kronor_and_logged() -> None:
    item = PlanItemFactory()
    user = member(item.municipality, Role.IT_COORDINATOR)
    assert services.plan_item_costs_set(
        item=item, costs=[(2026, 100_000, 20_000), (2027, 0, 20_000)], actor=user
    )
    assert not services.plan_item_costs_set(item=item, costs=[(2026, 100_000, 20_000)], actor=user)
    assert services.plan_item_costs_set(item=item, costs=[(2026, 90_000, 20_000)], actor=user)
    costs = {c.year: (c.investment, c.running) for c in item.costs.all()}
    assert costs == {2026: (Decimal(90_000), Decimal(20_000)), 2027: (Decimal(0), Decimal(20_000))}
    with pytest.raises(ValidationError):
        services.plan_item_costs_set(item=item, costs=[(2028, 1, 1), (2028, 2, 2)], actor=user)
    with pytest.raises(ValidationError):  # never negative
        services.plan_item_costs_set(item=item, costs=[(2029, -1, 0)], actor=user)
    entry = LogEntry.objects.get_for_object(item.costs.get(year=2026)).latest("pk")
    assert entry.actor == user


# --- who pays (P3.6–P3.9) --------------------------------------------------------------------


@pytest.fixture
def payers() -> dict[str, object]:
    municipality = MunicipalityFactory()
    board = BoardFactory(municipality=municipality)
    technical = DepartmentFactory(board=board, name="Tekniska förvaltningen")
    central = DepartmentFactory(board=board, name="Kommunledningskontoret")
    school = DepartmentFactory(board=board, name="Barn- och utbildningsförvaltningen")
    coordinator = member(municipality, Role.IT_COORDINATOR)
    services.plans_settings_update(
        municipality=municipality,
        data={"technical_department": technical, "central_office": central},
        actor=coordinator,
    )
    return {
        "municipality": municipality,
        "plan": ITPlanFactory(municipality=municipality, board=board),
        "technical": technical,
        "central": central,
        "school": school,
        "user": coordinator,
    }


def _item(payers: dict, bearer_kind: str, **data: object) -> PlanItem:
    m = payers["municipality"]
    return services.plan_item_create(
        municipality=m,
        data={
            "plan": payers["plan"],
            "title": f"Satsning {bearer_kind}",
            "department": payers["school"],
            "cost_category": category(m, bearer_kind),
            **data,
        },
        actor=payers["user"],
    )


def test_the_bearer_defaults_from_the_category(payers: dict) -> None:
    assert _item(payers, BearerKind.TECHNICAL_DEPARTMENT).bearer == payers["technical"]  # P3.7
    assert _item(payers, BearerKind.CENTRAL_OFFICE).bearer == payers["central"]  # P3.8, P3.9
    assert _item(payers, BearerKind.OWN_DEPARTMENT).bearer == payers["school"]  # P3.3


def test_another_bearer_needs_a_reason(payers: dict) -> None:
    with pytest.raises(ValidationError) as error:
        _item(payers, BearerKind.CENTRAL_OFFICE, bearer=payers["school"])
    assert "bearer_reason" in error.value.message_dict
    item = _item(
        payers,
        BearerKind.CENTRAL_OFFICE,
        bearer=payers["school"],
        bearer_reason="Skolan bär licensen enligt KS § 12.",
    )
    assert item.bearer == payers["school"]
    # Changing the category back to the bearer's own clears the reason …
    item, changed = services.plan_item_update(
        item=item,
        data={"cost_category": category(payers["municipality"], BearerKind.OWN_DEPARTMENT)},
        actor=payers["user"],
    )
    assert changed and item.bearer_reason == ""
    # … and moving to a category with another default keeps the override only with a reason.
    with pytest.raises(ValidationError):
        services.plan_item_update(
            item=item,
            data={"cost_category": category(payers["municipality"], BearerKind.CENTRAL_OFFICE)},
            actor=payers["user"],
        )


# --- next year's draft ------------------------------------------------------------------------


def test_next_years_draft_copies_the_unfinished_items_with_their_later_costs() -> None:
    municipality = MunicipalityFactory()
    plan = adopted_plan(municipality, 2026)
    system = SystemFactory(municipality=municipality)
    user = member(municipality, Role.IT_COORDINATOR)
    done = PlanItemFactory(plan=plan, title="Klart")
    ongoing = PlanItemFactory(plan=plan, title="Pågår")
    ongoing.goals.set([goal(municipality, "P2.3")])
    ongoing.systems.set([system])
    cancelled = PlanItemFactory(plan=plan, title="Strukits")
    never_followed = PlanItemFactory(plan=plan, title="Ej uppföljd")
    PlanItemFactory(plan=plan, title="Arkiverad", archived_at=timezone.now())
    for item in (done, ongoing, cancelled, never_followed):
        cost(item, 2026, 100, 10)
        cost(item, 2027, 0, 10)
    cost(ongoing, 2028, 0, 12)
    services.plan_item_follow_up(item=done, status=ItemStatus.DONE, comment="", actor=user)
    services.plan_item_follow_up(item=ongoing, status=ItemStatus.ONGOING, comment="", actor=user)
    services.plan_item_follow_up(
        item=cancelled, status=ItemStatus.CANCELLED, comment="Behövs inte.", actor=user
    )

    new = services.it_plan_copy_to_next_year(plan=plan, actor=user)

    assert (new.board, new.year, new.status, new.copied_from) == (
        plan.board,
        2027,
        PlanStatus.DRAFT,
        plan,
    )
    items = {i.title: i for i in new.plan_items.all()}
    assert set(items) == {"Pågår", "Ej uppföljd"}
    copy = items["Pågår"]
    assert copy.copied_from == ongoing
    assert copy.follow_up_status == ItemStatus.NOT_STARTED and copy.followed_up_at is None
    assert list(copy.goals.all()) == [goal(municipality, "P2.3")]
    assert list(copy.systems.all()) == [system]
    assert copy.business_benefit == ongoing.business_benefit
    assert {c.year: (c.investment, c.running) for c in copy.costs.all()} == {
        2027: (Decimal(0), Decimal(10)),
        2028: (Decimal(0), Decimal(12)),
    }
    with pytest.raises(ValidationError):  # once per board and year
        services.it_plan_copy_to_next_year(plan=plan, actor=user)
    assert ITPlan.objects.filter(board=plan.board).count() == 2
