"""Issue 7's promise on the demo data, for the IT plans: every board that answers for a plan has
this year's, adopted, with initiatives linked to the register and catalogue and costs per year;
the school board's last plan is followed up and evaluated; a board secretary finds the board's
plan with its costs, the finance office downloads the roll-up, the rules measure the plans, and a
second load changes nothing."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from stadga.demo import data
from stadga.demo.data_plans import PLANS
from stadga.demo.load import load_demo
from stadga.organisation.models import Board
from stadga.plans.choices import ADOPTED_STATUSES, PlanStatus
from stadga.plans.models import ITPlan, PlanItem, PlanItemCost, PlansSettings
from stadga.plans.rules import PLANNING_BOARDS


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_demo_plans(karlsborg: Any, client: Any) -> None:
    year = timezone.localdate().year
    boards = Board.objects.filter(municipality=karlsborg, kind__in=PLANNING_BOARDS)
    plans = ITPlan.objects.filter(municipality=karlsborg, year=year)
    assert {p.board_id for p in plans} == {b.pk for b in boards}
    assert all(p.status in ADOPTED_STATUSES and p.decision_paragraph for p in plans)
    settings = PlansSettings.objects.get(municipality=karlsborg)
    assert settings.technical_department.name == data.TF
    assert settings.central_office.name == data.KLK

    items = PlanItem.objects.filter(plan__in=plans)
    assert items.count() >= sum(len(p.items) for p in PLANS)
    assert all(PlanItemCost.objects.filter(item=item).exists() for item in items)
    assert items.filter(systems__isnull=False).exists()
    assert items.filter(products__isnull=False).exists()
    overridden = items.exclude(bearer_reason="").get()
    assert overridden.bearer.name == data.KLK

    last = ITPlan.objects.get(municipality=karlsborg, board__name=data.BUN, year=year - 1)
    assert last.status == PlanStatus.EVALUATED and last.evaluation
    assert not last.plan_items.filter(followed_up_at__isnull=True).exists()
    school = plans.get(board__name=data.BUN)
    assert school.copied_from == last  # started from last year's unfinished items
    assert school.plan_items.filter(copied_from__isnull=False).count() == 1

    # The school board's member finds the plan with its costs …
    client.login(username="bun.ledamot", password="stadga-demo")
    page = client.get(school.get_absolute_url())
    assert page.status_code == 200 and 'id="plan-items"' in page.content.decode()
    # … and the finance office downloads the roll-up for the budget.
    client.login(username="ekonomichef", password="stadga-demo")
    workbook = client.get(f"/k/{karlsborg.slug}/plans/rollup/?year={year}&format=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content))[str(year)]
    rows = list(sheet.iter_rows(values_only=True))
    total = rows[-1]
    assert total[0] == "Summa" and total[3] > 0 and total[4] > 0
    assert len(rows) == 2 + boards.count()


def test_the_rules_measure_the_demo_plans(karlsborg: Any) -> None:
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    clauses = {c["clause"]: c for c in json.loads(out.getvalue())["clauses"]}
    for clause in ("P1.2", "P2.1", "P2.2", "P2.3", "P2.4", "P3.4", "P3.5"):
        assert clauses[clause]["status"] == "met", (clause, clauses[clause]["figure"])
        assert clauses[clause]["rules"][0]["id"].startswith("plans.")


def test_a_second_load_changes_nothing(karlsborg: Any) -> None:
    before = (ITPlan.objects.count(), PlanItem.objects.count(), LogEntry.objects.count())
    load_demo()
    assert (ITPlan.objects.count(), PlanItem.objects.count(), LogEntry.objects.count()) == before


def test_the_demo_internal_rent_for_the_network(karlsborg: Any, client: Any) -> None:
    """P3.6, P3.7, P3.10: this year's cabling is allocated to the premises' tenants, to the
    krona, and the finance office reads it."""
    from stadga.organisation.choices import Role
    from stadga.plans.models import Premises
    from stadga.plans.rent import rent_allocation
    from stadga.testing.factories import member

    year = timezone.localdate().year
    allocation = rent_allocation(municipality=karlsborg, year=year)
    assert allocation.total > 0 and allocation.departments
    assert allocation.unallocated == []
    assert allocation.allocated == allocation.total
    assert sum(r.total for r in allocation.rows) == allocation.total
    for row in allocation.rows:
        assert sum(p.amount for p in row.parts) == row.total
        assert sum(p.share for p in row.parts) == 1
    hall = next(r for r in allocation.rows if r.premises.name == "Kommunhuset")
    assert sorted(p.share for p in hall.parts) == [
        Decimal("0.25"),
        Decimal("0.35"),
        Decimal("0.40"),
    ]
    leased = Premises.objects.filter(municipality=karlsborg, tenure="leased")
    assert leased.count() == 2 and all(p.follows_investment_policy for p in leased)
    client.force_login(member(karlsborg, Role.IT_COORDINATOR))
    page = client.get(f"/k/{karlsborg.slug}/plans/rent/?year={year}")
    assert page.status_code == 200 and 'id="rent-departments"' in page.content.decode()
