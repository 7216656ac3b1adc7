"""The IT plans' API: goals, cost categories, plans and items through the generic matrix, the
plan's steps as actions (P3.4), the items' costs (P3.5) and follow-up, and who may take them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stadga.api.testing import ApiMatrix, api_url, client_for
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.choices import ItemStatus, PlanStatus
from stadga.plans.models import CostCategory, Goal, ITPlan, PlanItem
from stadga.testing.factories import BoardFactory, MunicipalityFactory, member

from .factories import ITPlanFactory, PlanItemFactory, cost, goal

pytestmark = pytest.mark.django_db


class TestGoalApi(ApiMatrix):
    resource = "goal"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return Goal

    def make(self, municipality: Municipality, **kwargs: Any) -> Goal:
        number = Goal.objects.filter(municipality=municipality).count() + 1
        return Goal.objects.create(
            municipality=municipality, code=f"X{number}", name=f"Mål {number}", **kwargs
        )

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"municipality": municipality.slug, "code": "P2.9", "name": "Hållbarhet"}

    def update_data(self, obj: Goal) -> dict[str, Any]:
        return {"name": "Ändrat namn"}


class TestCostCategoryApi(ApiMatrix):
    resource = "costcategory"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return CostCategory

    def make(self, municipality: Municipality, **kwargs: Any) -> CostCategory:
        number = CostCategory.objects.filter(municipality=municipality).count() + 1
        return CostCategory.objects.create(
            municipality=municipality, name=f"Kategori {number}", **kwargs
        )

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "name": "Licenser",
            "default_bearer": "central_office",
        }

    def update_data(self, obj: CostCategory) -> dict[str, Any]:
        return {"name": "Ändrat namn"}


class TestITPlanApi(ApiMatrix):
    resource = "itplan"
    member_sees = False
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return ITPlan

    def make(self, municipality: Municipality, **kwargs: Any) -> ITPlan:
        return ITPlanFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        board = BoardFactory(municipality=municipality)
        return {"municipality": municipality.slug, "board": board.pk, "year": 2027}

    def update_data(self, obj: ITPlan) -> dict[str, Any]:
        return {"notes": "Ändrade anteckningar"}


class TestPlanItemApi(ApiMatrix):
    resource = "planitem"
    member_sees = False
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return PlanItem

    def plan(self, municipality: Municipality) -> ITPlan:
        return ITPlan.objects.filter(municipality=municipality).first() or ITPlanFactory(
            municipality=municipality
        )

    def make(self, municipality: Municipality, **kwargs: Any) -> PlanItem:
        item = PlanItemFactory(plan=self.plan(municipality), **kwargs)
        cost(item, 2026, 1000, 100)
        return item

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "plan": self.plan(municipality).pk,
            "title": "Ny e-tjänst",
            "business_benefit": "Färre samtal.",
            "societal_benefit": "Bättre service.",
        }

    def update_data(self, obj: PlanItem) -> dict[str, Any]:
        return {"title": "Ändrad satsning"}


def test_plan_steps_through_the_api() -> None:
    municipality = MunicipalityFactory()
    plan = ITPlanFactory(municipality=municipality, year=2026)
    item = PlanItemFactory(plan=plan)
    board_member = member(municipality, Role.BOARD_MEMBER, board=plan.board)
    client = client_for(board_member)

    costs = client.post(
        api_url("planitem-costs", item.pk),
        {"costs": [{"year": 2026, "investment": 500000, "running": 0}]},
        format="json",
    )
    assert costs.status_code == 200, costs.content
    assert costs.json()["costs"][0]["investment"] == "500000"

    refused = client.post(api_url("itplan-adopt", plan.pk), {"adopted_on": "2025-11-20"})
    assert refused.status_code == 400
    adopted = client.post(
        api_url("itplan-adopt", plan.pk),
        {"adopted_on": "2025-11-20", "decision_paragraph": "§ 45"},
        format="json",
    )
    assert adopted.status_code == 200 and adopted.json()["status"] == PlanStatus.ADOPTED

    # The plan's costs are fixed now.
    again = client.post(
        api_url("planitem-costs", item.pk),
        {"costs": [{"year": 2026, "investment": 1, "running": 0}]},
        format="json",
    )
    assert again.status_code == 400

    early = client.post(api_url("itplan-follow-up", plan.pk))
    assert early.status_code == 400  # the item is not followed up
    followed = client.post(
        api_url("planitem-follow-up", item.pk),
        {
            "follow_up_status": ItemStatus.DONE,
            "actuals": [{"year": 2026, "actual_investment": 480000}],
        },
        format="json",
    )
    assert followed.status_code == 200, followed.content
    assert item.costs.get(year=2026).actual_investment == Decimal(480_000)
    assert client.post(api_url("itplan-follow-up", plan.pk)).status_code == 200
    evaluated = client.post(
        api_url("itplan-evaluate", plan.pk), {"evaluation": "Klart."}, format="json"
    )
    assert evaluated.json()["status"] == PlanStatus.EVALUATED
    copy = client.post(api_url("itplan-copy-to-next-year", plan.pk))
    assert copy.status_code == 201 and copy.json()["year"] == 2027

    reader = client_for(member(municipality, Role.AUDITOR))
    assert reader.post(api_url("itplan-copy-to-next-year", plan.pk)).status_code == 403


def test_an_item_may_not_name_a_plan_the_user_cannot_see() -> None:
    municipality = MunicipalityFactory()
    own = ITPlanFactory(municipality=municipality)
    other = ITPlanFactory(municipality=municipality)
    client = client_for(member(municipality, Role.BOARD_MEMBER, board=own.board))
    response = client.post(
        api_url("planitem-list"),
        {"municipality": municipality.slug, "plan": other.pk, "title": "Smyg"},
        format="json",
    )
    assert response.status_code == 400 and "plan" in response.json()
    ok = client.post(
        api_url("planitem-list"),
        {
            "municipality": municipality.slug,
            "plan": own.pk,
            "title": "Egen",
            "goals": [goal(municipality, "P2.1").pk],
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
