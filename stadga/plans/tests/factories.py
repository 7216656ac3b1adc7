"""Factories of the IT plans' test data. They save directly: test data, not a write path."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from stadga.organisation.models import Municipality
from stadga.plans.choices import PlanStatus
from stadga.plans.models import CostCategory, Goal, ITPlan, PlanItem, PlanItemCost
from stadga.testing.factories import BoardFactory, MunicipalityFactory


class ITPlanFactory(factory.django.DjangoModelFactory[ITPlan]):
    class Meta:
        model = ITPlan

    municipality = factory.SubFactory(MunicipalityFactory)
    board = factory.SubFactory(BoardFactory, municipality=factory.SelfAttribute("..municipality"))
    year = 2026
    status = PlanStatus.DRAFT


class PlanItemFactory(factory.django.DjangoModelFactory[PlanItem]):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(ITPlanFactory)
    municipality = factory.SelfAttribute("plan.municipality")
    title = factory.Sequence(lambda n: f"Satsning {n}")
    business_benefit = "Kortare handläggningstider."
    societal_benefit = "Bättre service till invånarna."


def adopted_plan(municipality: Municipality, year: int, **kwargs: Any) -> ITPlan:
    """A plan the board adopted last November (or further along, by `status`)."""
    values = {
        "status": PlanStatus.ADOPTED,
        "adopted_on": datetime.date(year - 1, 11, 20),
        "decision_paragraph": "§ 12",
        **kwargs,
    }
    return ITPlanFactory(municipality=municipality, year=year, **values)


def cost(item: PlanItem, year: int, investment: int = 0, running: int = 0) -> PlanItemCost:
    return PlanItemCost.objects.create(
        municipality=item.municipality,
        item=item,
        year=year,
        investment=Decimal(investment),
        running=Decimal(running),
    )


def goal(municipality: Municipality, code: str) -> Goal:
    return Goal.objects.get(municipality=municipality, code=code)


def category(municipality: Municipality, bearer: str) -> CostCategory:
    return CostCategory.objects.filter(municipality=municipality, default_bearer=bearer).first()  # type: ignore[return-value]
