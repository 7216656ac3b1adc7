"""The external organisations a plan item concerns (P3.11): chosen in the item's form among the
municipality's current organisations, shown on its page and in the plan's PDF, carried into next
year's plan, in the spreadsheet and in the API, never another municipality's."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadga.api.testing import api_url, client_for
from stadga.core.services import object_archive
from stadga.organisation.choices import Role
from stadga.plans import selectors, services
from stadga.plans.models import ITPlan, PlanItem
from stadga.plans.tabular import PlanItemTabular
from stadga.testing.factories import (
    BoardFactory,
    ExternalOrganisationFactory,
    MunicipalityFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, read_xlsx, rows_from

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan

pytestmark = [pytest.mark.django_db]


def _options(page: str) -> str:
    select = re.search(r'<select name="external_organisations".*?</select>', page, re.S)
    assert select is not None
    return select.group(0)


def test_the_form_offers_the_municipalitys_current_organisations_only(client: Any) -> None:
    plan = ITPlanFactory()
    municipality = plan.municipality
    current = ExternalOrganisationFactory(municipality=municipality, name="Karlsborgs Energi AB")
    gone = ExternalOrganisationFactory(municipality=municipality, name="Nedlagt AB")
    object_archive(instance=gone, actor=None)
    foreign = ExternalOrganisationFactory(name="Grannkommunens bolag AB")
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    base = f"/k/{municipality.slug}/plans/items/"
    options = _options(client.get(f"{base}new/?plan={plan.pk}").content.decode())
    assert f'value="{current.pk}"' in options
    assert f'value="{gone.pk}"' not in options and f'value="{foreign.pk}"' not in options

    data = {
        "plan": plan.pk,
        "title": "Fiber till Mölltorp",
        "business_benefit": "Samma nät överallt.",
        "societal_benefit": "Likvärdig service.",
        "external_organisations": [current.pk],
    }
    response = client.post(f"{base}new/", data)
    assert response.status_code == 302
    item = PlanItem.objects.get(title="Fiber till Mölltorp")
    assert list(item.external_organisations.all()) == [current]
    # Another municipality's organisation is not a valid choice.
    refused = client.post(f"{base}new/", {**data, "external_organisations": [foreign.pk]})
    assert refused.status_code == 400
    assert PlanItem.objects.filter(title="Fiber till Mölltorp").count() == 1


def test_the_items_page_links_its_organisations(client: Any) -> None:
    item = PlanItemFactory()
    organisation = ExternalOrganisationFactory(municipality=item.municipality, name="Bredband AB")
    item.external_organisations.add(organisation)
    client.force_login(member(item.municipality, Role.IT_COORDINATOR))
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'href="{organisation.get_absolute_url()}">Bredband AB</a>' in page


def test_the_plans_pdf_names_them_in_fixed_queries() -> None:
    plan = adopted_plan(MunicipalityFactory(), 2026)
    organisation = ExternalOrganisationFactory(municipality=plan.municipality, name="Energi AB")
    counts = []
    for rows in (1, 6):
        while plan.plan_items.count() < rows:
            PlanItemFactory(plan=plan).external_organisations.add(organisation)
        with CaptureQueriesContext(connection) as queries:
            items = selectors.plan_items(plan)
            html = render_to_string(
                "plans/itplan_pdf.html",
                {"municipality": plan.municipality, "plan": plan, "items": items, "totals": []},
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert html.count("Energi AB") == 6


def test_next_years_plan_keeps_them() -> None:
    plan = adopted_plan(MunicipalityFactory(), 2026)
    organisation = ExternalOrganisationFactory(municipality=plan.municipality)
    PlanItemFactory(plan=plan).external_organisations.add(organisation)
    copy = services.it_plan_copy_to_next_year(plan=plan, actor=None)
    assert [list(i.external_organisations.all()) for i in copy.plan_items.all()] == [[organisation]]


def test_the_spreadsheet_names_them_both_ways() -> None:
    m = MunicipalityFactory()
    BoardFactory(municipality=m, name="Kommunstyrelsen", short_name="KS")
    user = member(m, Role.IT_COORDINATOR)
    energy = ExternalOrganisationFactory(municipality=m, name="Karlsborgs Energi AB")
    fibre = ExternalOrganisationFactory(municipality=m, name="Bredband Östra Skaraborg AB")
    ExternalOrganisationFactory(name="Annan kommuns bolag AB")
    headers = [c.header for c in PlanItemTabular.columns]
    row = {
        "Nämnd": "KS",
        "År": 2027,
        "Satsning": "Fiber mellan orterna",
        "Externa organisationer": "Karlsborgs Energi AB; Bredband Östra Skaraborg AB",
    }
    with translation.override("en"):
        result = PlanItemTabular(municipality=m, actor=user).import_file(
            csv_bytes(rows_from(headers, [row]))
        )
        assert result.ok, result.errors
        item = PlanItem.objects.get(title="Fiber mellan orterna")
        assert set(item.external_organisations.all()) == {energy, fibre}

        spec = PlanItemTabular(municipality=m, actor=user)
        out = io.BytesIO()
        spec.write_xlsx(spec.optimise(spec.export_queryset()), out)
        exported = read_xlsx(out.getvalue())
        cell = exported[1][headers.index("Externa organisationer")]
        assert set(cell.split("; ")) == {"Karlsborgs Energi AB", "Bredband Östra Skaraborg AB"}

        unknown = PlanItemTabular(municipality=m, actor=user).import_file(
            csv_bytes(
                rows_from(headers, [{**row, "Externa organisationer": "Annan kommuns bolag AB"}])
            )
        )
        assert not unknown.ok


def test_the_api_reads_and_writes_them_within_the_municipality() -> None:
    plan = ITPlanFactory()
    municipality = plan.municipality
    organisation = ExternalOrganisationFactory(municipality=municipality)
    foreign = ExternalOrganisationFactory()
    client = client_for(member(municipality, Role.IT_COORDINATOR))
    body = {
        "municipality": municipality.slug,
        "plan": plan.pk,
        "title": "Ny fiber",
        "external_organisations": [organisation.pk],
    }
    created = client.post(api_url("planitem-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["external_organisations"] == [organisation.pk]

    refused = client.post(
        api_url("planitem-list"),
        {**body, "title": "Annan", "external_organisations": [foreign.pk]},
        format="json",
    )
    assert refused.status_code == 400
    assert "external_organisations" in refused.json()
    assert not ITPlan.objects.exclude(pk=plan.pk).exists()
    assert not PlanItem.objects.filter(title="Annan").exists()
