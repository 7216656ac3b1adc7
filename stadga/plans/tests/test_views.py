"""The IT plans' pages: goals, cost categories, plans and items through the generic matrix, and
the plan's own pages: its steps (P3.4), the items' costs and follow-up, the roll-up for the budget
with its workbook (P3.5), the plan as a PDF and the settings (P3.6–P3.9)."""

from __future__ import annotations

import datetime
import io
import re
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Municipality
from stadga.plans.choices import ItemStatus, PlanStatus
from stadga.plans.models import CostCategory, Goal, ITPlan, PlanItem, PlansSettings
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan, cost, goal

pytestmark = [pytest.mark.django_db]


class TestGoalPages(ViewMatrix):
    """The goals (P2): every member reads them, the IT coordinator keeps them."""

    url_prefix = "plans/goals"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return Goal

    def make(self, municipality: Municipality, **kwargs: Any) -> Goal:
        number = Goal.objects.filter(municipality=municipality).count() + 1
        return Goal.objects.create(
            municipality=municipality, code=f"X{number}", name=f"Mål {number}", **kwargs
        )

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"code": "P2.9", "name": "Hållbarhet", "description": "", "order": 9}

    def edit_data(self, obj: Goal) -> dict[str, Any]:
        return {"code": obj.code, "name": "Ändrat namn", "description": "", "order": obj.order}


class TestCostCategoryPages(ViewMatrix):
    """The cost categories and their default bearers (P3.6–P3.9)."""

    url_prefix = "plans/cost-categories"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return CostCategory

    def make(self, municipality: Municipality, **kwargs: Any) -> CostCategory:
        number = CostCategory.objects.filter(municipality=municipality).count() + 1
        return CostCategory.objects.create(
            municipality=municipality, name=f"Kategori {number}", **kwargs
        )

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"name": "Licenser", "description": "", "default_bearer": "own_department"}

    def edit_data(self, obj: CostCategory) -> dict[str, Any]:
        return {"name": "Ändrat namn", "description": "", "default_bearer": obj.default_bearer}


class TestITPlanPages(ViewMatrix):
    """The boards' plans (P3.4): read by the board's members and those who read everything, not
    by other employees; written by the IT coordinator and the board's members."""

    url_prefix = "plans"
    member_sees = False
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return ITPlan

    def make(self, municipality: Municipality, **kwargs: Any) -> ITPlan:
        return ITPlanFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        board = BoardFactory(municipality=municipality)
        return {"board": board.pk, "year": 2027, "notes": ""}

    def edit_data(self, obj: ITPlan) -> dict[str, Any]:
        return {"board": obj.board_id, "year": obj.year, "notes": "Ändrade anteckningar"}

    def edited_values(self) -> dict[str, Any]:
        return {"notes": "Ändrade anteckningar"}

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "year": "1850"}


class TestPlanItemPages(ViewMatrix):
    """The plans' initiatives, read and written as their plans are."""

    url_prefix = "plans/items"
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

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "plan": self.plan(municipality).pk,
            "title": "Ny e-tjänst",
            "business_benefit": "Färre samtal.",
            "societal_benefit": "Bättre service.",
        }

    def edit_data(self, obj: PlanItem) -> dict[str, Any]:
        return {
            "plan": obj.plan_id,
            "title": "Ändrad satsning",
            "business_benefit": obj.business_benefit,
            "societal_benefit": obj.societal_benefit,
        }

    def edited_values(self) -> dict[str, Any]:
        return {"title": "Ändrad satsning"}

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "title": ""}


# --- who sees a board's plan ----------------------------------------------------------------


def test_a_board_member_reads_and_writes_their_boards_plan_only(client: Any) -> None:
    municipality = MunicipalityFactory()
    own, other = ITPlanFactory(municipality=municipality), ITPlanFactory(municipality=municipality)
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=own.board))
    listing = client.get(f"/k/{municipality.slug}/plans/").content.decode()
    assert own.get_absolute_url() in listing and other.get_absolute_url() not in listing
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(f"{own.get_absolute_url()}edit/").status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(f"{other.get_absolute_url()}pdf/").status_code == 404
    # The new plan form offers the member's own board only.
    form = client.get(f"/k/{municipality.slug}/plans/new/").content.decode()
    assert f'value="{own.board_id}"' in form and f'value="{other.board_id}"' not in form


# --- the plan's page and its steps (P3.4) ------------------------------------------------------


def test_plan_page_shows_items_and_costs_per_year_in_fixed_queries(client: Any) -> None:
    municipality = MunicipalityFactory()
    plan = ITPlanFactory(municipality=municipality, year=2026)
    system = SystemFactory(municipality=municipality)
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    counts = []
    for rows in (2, 12):
        while plan.plan_items.count() < rows:
            item = PlanItemFactory(plan=plan)
            item.goals.set([goal(municipality, "P2.1"), goal(municipality, "P2.3")])
            item.systems.set([system])
            cost(item, 2026, 100_000, 5_000)
            cost(item, 2027, 0, 5_000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(plan.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    page = response.content.decode()
    # 12 items: 1 200 000 invested and 60 000 running in 2026, 60 000 running in 2027.
    assert "1\u00a0200\u00a0000" in page and "60\u00a0000" in page
    assert "P2.1, P2.3" in page


def test_adopt_follow_up_evaluate_and_copy_through_the_pages(client: Any) -> None:
    municipality = MunicipalityFactory()
    plan = ITPlanFactory(municipality=municipality, year=2026)
    item = PlanItemFactory(plan=plan, title="Nytt trådlöst nät")
    cost(item, 2026, 500_000, 0)
    cost(item, 2027, 0, 40_000)
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=plan.board))
    base = plan.get_absolute_url()

    response = client.post(f"{base}adopt/", {"adopted_on": "", "decision_paragraph": ""})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    response = client.post(
        f"{base}adopt/", {"adopted_on": "2025-11-20", "decision_paragraph": "§ 45"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED and plan.decision_paragraph == "§ 45"
    assert client.get(f"{base}adopt/").status_code == 403  # once
    assert client.get(f"{item.get_absolute_url()}costs/").status_code == 403  # fixed now

    client.post(f"{base}follow-up/")  # refused: the item is not followed up
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED

    follow_up = f"{item.get_absolute_url()}follow-up/"
    page = client.get(follow_up).content.decode()
    assert 'name="actual_investment_2026"' in page and 'name="actual_running_2027"' in page
    response = client.post(
        follow_up, {"status": ItemStatus.POSTPONED, "comment": "", "actual_investment_2026": "1"}
    )
    assert response.status_code == 400  # a postponed item says why
    response = client.post(
        follow_up,
        {
            "status": ItemStatus.ONGOING,
            "comment": "Halva skolorna klara.",
            "actual_investment_2026": "250000",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.follow_up_status == ItemStatus.ONGOING
    assert item.costs.get(year=2026).actual_investment == Decimal(250_000)

    assert client.post(f"{base}follow-up/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FOLLOWED_UP
    response = client.post(f"{base}evaluate/", {"evaluation": "Nätet byggs klart nästa år."})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EVALUATED

    response = client.post(f"{base}copy/")
    new = ITPlan.objects.get(board=plan.board, year=2027)
    assert response["Location"] == new.get_absolute_url()
    assert [i.title for i in new.plan_items.all()] == ["Nytt trådlöst nät"]
    response = client.post(f"{base}copy/", follow=True)  # the plan for 2027 exists
    assert response.redirect_chain[0][0] == base
    assert ITPlan.objects.filter(board=plan.board, year=2027).count() == 1


def test_an_auditor_reads_but_takes_no_step(client: Any) -> None:
    plan = ITPlanFactory()
    client.force_login(member(plan.municipality, Role.AUDITOR))
    assert client.get(plan.get_absolute_url()).status_code == 200
    response = client.post(
        f"{plan.get_absolute_url()}adopt/",
        {"adopted_on": "2025-11-20", "decision_paragraph": "§ 1"},
    )
    assert response.status_code == 403
    assert client.post(f"{plan.get_absolute_url()}copy/").status_code == 403


def test_item_costs_page_sets_years_in_whole_kronor(client: Any) -> None:
    item = PlanItemFactory()
    client.force_login(member(item.municipality, Role.IT_COORDINATOR))
    url = f"{item.get_absolute_url()}costs/"
    assert 'value="2026"' in client.get(url).content.decode()  # the plan's year, to start
    form = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2026",
        "form-0-investment": "120000",
        "form-0-running": "15000",
        "form-1-year": "2027",
        "form-1-investment": "0",
        "form-1-running": "15000",
    }
    assert client.post(url, form).status_code == 302
    assert {c.year: c.total for c in item.costs.all()} == {
        2026: Decimal(135_000),
        2027: Decimal(15_000),
    }
    response = client.post(url, {**form, "form-1-year": "2026"})
    assert response.status_code == 400  # each year once
    response = client.post(url, {**form, "form-0-investment": "12.50"})
    assert response.status_code == 400  # whole kronor


# --- the roll-up for the budget (P3.5) ----------------------------------------------------------


@pytest.fixture
def rollup_data() -> dict[str, Any]:
    """Two boards with plans for 2026, one without; costs over 2026–2028; items of another
    year, an archived item and another municipality's plan must not count."""
    municipality = MunicipalityFactory()
    school = BoardFactory(municipality=municipality, name="Barn- och utbildningsnämnden")
    social = BoardFactory(municipality=municipality, name="Socialnämnden")
    BoardFactory(municipality=municipality, name="Valnämnden")
    school_plan = adopted_plan(municipality, 2026, board=school)
    social_plan = ITPlanFactory(municipality=municipality, board=social, year=2026)
    a, b = PlanItemFactory(plan=school_plan), PlanItemFactory(plan=school_plan)
    cost(a, 2026, 1_200_000, 180_000)
    cost(a, 2027, 0, 180_000)
    cost(b, 2026, 250_000, 0)
    cost(b, 2028, 0, 220_000)
    c = PlanItemFactory(plan=social_plan)
    cost(c, 2026, 150_000, 90_000)
    archived = PlanItemFactory(plan=social_plan, archived_at=timezone.now())
    cost(archived, 2026, 999_999, 999_999)
    older = PlanItemFactory(plan=adopted_plan(municipality, 2025, board=school))
    cost(older, 2026, 777_777, 0)
    cost(PlanItemFactory(), 2026, 555_555, 0)  # another municipality
    return {"municipality": municipality, "school": school, "social": social}


def test_rollup_sums_per_board_and_year(rollup_data: dict[str, Any]) -> None:
    from stadga.organisation.access import Access
    from stadga.plans.selectors import plan_rollup

    m = rollup_data["municipality"]
    access = Access.for_user(member(m, Role.IT_COORDINATOR))
    with CaptureQueriesContext(connection) as queries:
        rollup = plan_rollup(access=access, municipality=m, year=2026)
        cells = {
            row.board.name: [(int(c.investment), int(c.running)) for c in costs]
            for row, costs in rollup.row_cells()
        }
    assert len(queries) == 3
    assert rollup.years == [2026, 2027, 2028]
    assert cells == {
        "Barn- och utbildningsnämnden": [(1_450_000, 180_000), (0, 180_000), (0, 220_000)],
        "Socialnämnden": [(150_000, 90_000), (0, 0), (0, 0)],
        "Valnämnden": [(0, 0), (0, 0), (0, 0)],
    }
    assert [(int(t.investment), int(t.running), int(t.total)) for t in rollup.totals()] == [
        (1_600_000, 270_000, 1_870_000),
        (0, 180_000, 180_000),
        (0, 220_000, 220_000),
    ]


def test_rollup_page_and_its_workbook(client: Any, rollup_data: dict[str, Any]) -> None:
    m = rollup_data["municipality"]
    client.force_login(member(m, Role.EXECUTIVE_BOARD_READER))
    page = client.get(f"/k/{m.slug}/plans/rollup/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<th scope="colgroup" colspan="2">2028</th>' in text
    assert "1\u00a0600\u00a0000" in text  # the total investment of 2026

    response = client.get(f"/k/{m.slug}/plans/rollup/?year=2026&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'it-planer-{m.slug}-2026.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["2026", "2027", "2028"]
    rows = list(workbook["2026"].iter_rows(values_only=True))
    assert rows[0] == ("Nämnd", "IT-plan", "Status", "Investering (kr)", "Drift (kr)", "Summa (kr)")
    with translation.override("sv"):  # the workbook is Swedish, whatever the page's language
        adopted = str(PlanStatus.ADOPTED.label)
    assert rows[1] == (
        "Barn- och utbildningsnämnden",
        "2026",
        adopted,
        1_450_000,
        180_000,
        1_630_000,
    )
    assert rows[2][0] == "Socialnämnden" and rows[2][3:] == (150_000, 90_000, 240_000)
    assert rows[3][0] == "Valnämnden" and rows[3][2] == "Saknas"
    assert rows[-1] == ("Summa", None, None, 1_600_000, 270_000, 1_870_000)
    assert list(workbook["2028"].iter_rows(values_only=True))[-1][3:] == (0, 220_000, 220_000)


def test_rollup_query_count_does_not_grow_with_boards(client: Any) -> None:
    municipality = MunicipalityFactory()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    counts = []
    for boards in (2, 10):
        while ITPlan.objects.filter(municipality=municipality).count() < boards:
            item = PlanItemFactory(plan=ITPlanFactory(municipality=municipality, year=2026))
            cost(item, 2026, 10, 10)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/k/{municipality.slug}/plans/rollup/?year=2026").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_member_reads_the_rollup_but_not_the_plans_behind_it(
    client: Any, rollup_data: dict[str, Any]
) -> None:
    m = rollup_data["municipality"]
    plan = ITPlan.objects.get(board=rollup_data["school"], year=2026)
    client.force_login(member(m))  # e.g. the finance office
    page = client.get(f"/k/{m.slug}/plans/rollup/?year=2026").content.decode()
    assert "1\u00a0600\u00a0000" in page and plan.get_absolute_url() not in page
    client.force_login(member(m, Role.BOARD_MEMBER, board=rollup_data["school"]))
    page = client.get(f"/k/{m.slug}/plans/rollup/?year=2026").content.decode()
    assert plan.get_absolute_url() in page
    assert client.get(f"/k/{MunicipalityFactory().slug}/plans/rollup/").status_code == 404


# --- the plan as a PDF ----------------------------------------------------------------------------


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's compressed streams, inflated: where its objects (the outline, the metadata)
    are."""
    inflated = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_the_plan_as_a_pdf_for_the_boards_agenda(client: Any) -> None:
    plan = adopted_plan(
        MunicipalityFactory(), 2026, board=BoardFactory(name="Socialnämnden", kind=BoardKind.BOARD)
    )
    item = PlanItemFactory(plan=plan, title="Digital nattillsyn")
    cost(item, 2026, 150_000, 90_000)
    client.force_login(member(plan.municipality, Role.BOARD_MEMBER, board=plan.board))
    response = client.get(f"{plan.get_absolute_url()}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # The plan's name is the document's title and its first bookmark, which WeasyPrint writes
    # (as UTF-16 in hex) into its compressed object streams.
    title = b"<feff" + str(plan).encode("utf-16-be").hex().encode() + b">"
    assert title in _pdf_objects(response.content)
    assert b"/Title (Initiatives)" in _pdf_objects(response.content) or b"/Title (" in (
        _pdf_objects(response.content)
    )


# --- the settings (P3.6–P3.9) -----------------------------------------------------------------


def test_settings_name_the_bearers_and_only_the_coordinator_saves(client: Any) -> None:
    municipality = MunicipalityFactory()
    board = BoardFactory(municipality=municipality)
    technical = DepartmentFactory(board=board)
    url = f"/k/{municipality.slug}/plans/settings/"
    data = {
        "technical_department": technical.pk,
        "central_office": "",
        "adopt_by_month": 11,
        "adopt_by_day": 30,
        "follow_up_by_month": 2,
        "follow_up_by_day": 30,  # no such day
        "reminder_days": 30,
    }
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=board))
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    assert client.post(url, data).status_code == 400
    assert client.post(url, {**data, "follow_up_by_day": 28}).status_code == 302
    settings = PlansSettings.objects.get(municipality=municipality)
    assert settings.technical_department == technical
    assert settings.follow_up_by(2026) == datetime.date(2027, 2, 28)


def test_goal_page_shows_its_initiatives_and_their_costs(client: Any) -> None:
    municipality = MunicipalityFactory()
    serving = PlanItemFactory(plan=adopted_plan(municipality, 2026), title="Meröppet bibliotek")
    serving.goals.set([goal(municipality, "P2.1")])
    cost(serving, 2026, 260_000, 40_000)
    hidden = PlanItemFactory(plan=ITPlanFactory(municipality=municipality), title="Annan nämnd")
    hidden.goals.set([goal(municipality, "P2.1")])
    client.force_login(member(municipality, Role.BOARD_MEMBER, board=serving.plan.board))
    page = client.get(goal(municipality, "P2.1").get_absolute_url()).content.decode()
    assert "Meröppet bibliotek" in page and "Annan nämnd" not in page
    assert "260\u00a0000" in page and "300\u00a0000" in page


def test_nav_offers_the_plans(client: Any) -> None:
    municipality = MunicipalityFactory()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    page = client.get(f"/k/{municipality.slug}/plans/").content.decode()
    assert f'href="/k/{municipality.slug}/plans/" aria-current="page"' in page
    assert f'href="/k/{municipality.slug}/plans/rollup/"' in page


def test_new_item_form_starts_from_its_plan(client: Any) -> None:
    plan = ITPlanFactory()
    client.force_login(member(plan.municipality, Role.IT_COORDINATOR))
    adopted = adopted_plan(plan.municipality, 2027, board=plan.board)
    page = client.get(f"/k/{plan.municipality.slug}/plans/items/new/?plan={plan.pk}")
    select = re.search(r'<select name="plan".*?</select>', page.content.decode(), re.S)
    assert select is not None
    assert f'<option value="{plan.pk}" selected>' in select.group(0)
    # An adopted plan is not offered: items are added to drafts.
    assert f'<option value="{adopted.pk}"' not in select.group(0)
