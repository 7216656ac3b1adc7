"""Import and export of plan items (P3.4, P3.5): rows keyed by Nämnd + År + Satsning, a board
without a plan for the year gets a draft, the plan year's costs, goals by code, the bearer from
the category (P3.6–P3.9), errors per row and column, drafts only, and an export that imports
back unchanged."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from stadga.organisation.choices import Role
from stadga.plans import services
from stadga.plans.choices import PlanStatus
from stadga.plans.models import ITPlan, PlanItem
from stadga.plans.tabular import PlanItemTabular
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, read_xlsx, rows_from, xlsx_bytes

from .factories import adopted_plan

pytestmark = [pytest.mark.django_db]

HEADERS = [c.header for c in PlanItemTabular.columns]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def setup() -> dict[str, Any]:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m, name="Socialnämnden", short_name="SN")
    central = DepartmentFactory(board=board, name="Kommunledningskontoret")
    social = DepartmentFactory(board=board, name="Socialförvaltningen")
    coordinator = member(m, Role.IT_COORDINATOR)
    services.plans_settings_update(
        municipality=m, data={"central_office": central}, actor=coordinator
    )
    system = SystemFactory(municipality=m, identifier="SYS-0031", board=board, department=social)
    return {
        "m": m,
        "board": board,
        "social": social,
        "central": central,
        "system": system,
        "user": coordinator,
    }


def row(**values: Any) -> dict[str, Any]:
    return {
        "Nämnd": "SN",
        "År": 2027,
        "Satsning": "Digital nattillsyn",
        "Mål": "P2.1; P2.3",
        "Verksamhetsnytta": "Färre nattbesök.",
        "Samhällsnytta": "Ostörd nattsömn.",
        "System": "SYS-0031",
        "Förvaltning": "Socialförvaltningen",
        "Kostnadskategori": "Förvaltningens verksamhetssystem",
        "Investering planåret (kr)": 150000,
        "Drift planåret (kr)": "90 000",
        **values,
    }


def spec(setup: dict[str, Any]) -> PlanItemTabular:
    return PlanItemTabular(municipality=setup["m"], actor=setup["user"])


def test_import_creates_the_draft_plan_items_and_costs(setup: dict[str, Any]) -> None:
    data = xlsx_bytes(
        rows_from(
            HEADERS,
            [
                row(),
                row(
                    Satsning="Ekonomisystemet",
                    Mål="P2.3",
                    System="",
                    Kostnadskategori="Förvaltningsövergripande system",
                    **{"Investering planåret (kr)": None, "Drift planåret (kr)": None},
                ),
            ],
        )
    )
    preview = spec(setup).import_file(data, dry_run=True)
    assert preview.ok, preview.errors
    assert preview.created == 2 and not ITPlan.objects.exists()  # a dry run writes nothing

    result = spec(setup).import_file(data)
    assert result.ok, result.errors
    plan = ITPlan.objects.get(board=setup["board"], year=2027)
    assert plan.status == PlanStatus.DRAFT
    items = {i.title: i for i in plan.plan_items.all()}
    night = items["Digital nattillsyn"]
    assert [g.code for g in night.goals.all()] == ["P2.1", "P2.3"]
    assert list(night.systems.all()) == [setup["system"]]
    assert night.bearer == setup["social"]  # the category's default: the item's department
    assert {(c.year, c.investment, c.running) for c in night.costs.all()} == {
        (2027, Decimal(150_000), Decimal(90_000))
    }
    shared = items["Ekonomisystemet"]
    assert shared.bearer == setup["central"]  # P3.9: the central office
    assert not shared.costs.exists()  # no costs stated, none recorded
    assert LogEntry.objects.get_for_object(night).first().actor == setup["user"]


def test_an_export_imports_back_unchanged(setup: dict[str, Any]) -> None:
    assert spec(setup).import_file(csv_bytes(rows_from(HEADERS, [row()]))).ok
    out = io.BytesIO()
    s = spec(setup)
    s.write_xlsx(s.optimise(s.export_queryset()), out)
    exported = read_xlsx(out.getvalue())
    assert exported[0] == HEADERS
    assert exported[1][:3] == ["Socialnämnden", 2027, "Digital nattillsyn"]
    assert exported[1][HEADERS.index("Drift planåret (kr)")] == 90000
    before = LogEntry.objects.count()
    result = spec(setup).import_file(out.getvalue())
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert LogEntry.objects.count() == before


def test_a_changed_cost_updates_the_item(setup: dict[str, Any]) -> None:
    assert spec(setup).import_file(csv_bytes(rows_from(HEADERS, [row()]))).ok
    result = spec(setup).import_file(
        csv_bytes(rows_from(HEADERS, [row(**{"Drift planåret (kr)": 95000})]))
    )
    assert result.ok and result.updated == 1, result.errors
    assert PlanItem.objects.get().costs.get(year=2027).running == Decimal(95_000)


def test_errors_name_row_and_column_and_change_nothing(setup: dict[str, Any]) -> None:
    rows = [
        row(),
        row(Satsning="Okänt mål", Mål="P9.9"),
        row(Satsning="Fel bärare", Kostnadsbärare="Kommunledningskontoret"),  # no reason
        row(Satsning="Negativ", **{"Investering planåret (kr)": -5}),
    ]
    result = spec(setup).import_file(xlsx_bytes(rows_from(HEADERS, rows)))
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert (3, "Mål") in where
    assert (5, "Investering planåret (kr)") in where
    assert any(e.row == 4 for e in result.errors)
    assert not PlanItem.objects.exists() and not ITPlan.objects.exists()


def test_items_are_imported_into_drafts_only(setup: dict[str, Any]) -> None:
    adopted_plan(setup["m"], 2027, board=setup["board"])
    result = spec(setup).import_file(csv_bytes(rows_from(HEADERS, [row()])))
    assert not result.ok
    assert "not a draft" in result.errors[0].message


def test_a_member_of_another_board_may_not_import_into_this_one(setup: dict[str, Any]) -> None:
    m = setup["m"]
    other = member(m, Role.BOARD_MEMBER, board=BoardFactory(municipality=m))
    result = PlanItemTabular(municipality=m, actor=other).import_file(
        csv_bytes(rows_from(HEADERS, [row()]))
    )
    assert not result.ok and not ITPlan.objects.exists()


def test_import_pages(client: Any, setup: dict[str, Any]) -> None:
    m = setup["m"]
    client.force_login(setup["user"])
    base = f"/k/{m.slug}/plans/items/import/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}template/").status_code == 200
    upload = SimpleUploadedFile("plan.csv", csv_bytes(rows_from(HEADERS, [row()])))
    preview = client.post(base, {"file": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert token and not PlanItem.objects.exists()
    done = client.post(f"{base}confirm/", {"token": token})
    assert done.status_code == 302
    assert PlanItem.objects.get().title == "Digital nattillsyn"
    export = client.get(f"/k/{m.slug}/plans/items/export/?format=xlsx")
    assert read_xlsx(b"".join(export.streaming_content))[1][2] == "Digital nattillsyn"
    client.force_login(member(m))
    assert client.get(base).status_code == 403
