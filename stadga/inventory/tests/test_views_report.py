"""The reconciliation pages (P5.4, P5.5): who may open them, that their figures are the report's,
the filters, the exports of the deviations, the devices, and query counts that do not grow with
the inventory."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from stadga.inventory.choices import Reconciliation
from stadga.inventory.models import Device, InventorySource
from stadga.inventory.reconciliation import NO_DEPARTMENT, report
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, UserFactory, member

from .report_data import INVENTORY_ROWS, load_inventory, make_inventory_org, many_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> dict[str, Any]:
    return make_inventory_org()


def url(m: Any, path: str = "") -> str:
    return f"/k/{m.slug}/inventory/{path}"


def reader(m: Any) -> Any:
    return member(m, Role.AUDITOR)


def page_of(client: Any, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "deviations/", "devices/", "DEVICE"])
def test_who_may_open_the_pages(client: Any, org: dict[str, Any], path: str) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    if path == "DEVICE":
        path = f"devices/{Device.objects.get(name='PC-1').pk}/"
    address = url(m, path)
    assert client.get(address).status_code == 302  # anonymous: to the login
    for role in (Role.AUDITOR, Role.IT_COORDINATOR, Role.EXECUTIVE_BOARD_READER):
        client.force_login(member(m, role))
        assert client.get(address).status_code == 200, role
    client.force_login(member(m))  # a member without a role
    assert client.get(address).status_code == 403
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=org["school"]))
    assert client.get(address).status_code == 403
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(address).status_code == 404
    client.force_login(UserFactory())
    assert client.get(address).status_code == 404


# --- The report -------------------------------------------------------------------------------


def test_an_empty_inventory_says_so(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    client.force_login(reader(m))
    page = page_of(client, url(m))
    assert 'id="inventory-empty"' in page
    assert 'id="totals"' not in page


def test_the_report_shows_the_figures_of_the_report(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    snapshot = load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    page = page_of(client, url(m))
    result = report(m)
    assert snapshot.source.name in page and "inventering.csv" in page
    assert f'<span class="figure" id="not-supported">{result.totals.not_supported}</span>' in page
    assert result.totals.not_supported == 3
    assert '<span class="figure" id="devices-with-deviations">3</span>' in page
    # 4 supported of 7 known installations.
    assert '<span class="figure" id="share-supported">57 %</span>' in page
    for status, _label, n in result.status_totals:
        assert f'<tr id="total-{status}"><th scope="row">' in page
        assert (
            page.split(f'<tr id="total-{status}">')[1].split("</tr>")[0].endswith(f"<td>{n}</td>")
        )
    assert '<tr id="total-ignored">' in page
    assert page.split('<tr id="total-ignored">')[1].split("</tr>")[0].endswith("<td>1</td>")
    # Per department, with a link to its deviations; the devices of no department last.
    school = org["school"]
    assert f"?department={school.pk}" in page
    assert f"?department={NO_DEPARTMENT}" in page
    # Per product, linked to the catalogue.
    assert f'/catalogue/products/{org["winrar"].pk}/"' in page
    # The trend: one import so far.
    trend = page.split('id="trend"')[1].split("</table>")[0]
    assert trend.count("<tr>") == 2  # the header and one import


def test_the_report_filters_by_source_and_department(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS[:3], source="GLPI")
    load_inventory(m, INVENTORY_ROWS[3:], source="Intune")
    intune = InventorySource.objects.get(municipality=m, name="Intune")
    client.force_login(reader(m))
    page = page_of(client, url(m))
    assert 'id="not-supported">3<' in page
    assert f'<option value="{intune.pk}">Intune</option>' in page
    page = page_of(client, url(m) + f"?source={intune.pk}")
    assert 'id="not-supported">2<' in page  # Flash on PC-2 and WinRAR on PC-4
    assert f'<option value="{intune.pk}" selected>Intune</option>' in page
    page = page_of(client, url(m) + f"?department={org['school'].pk}")
    assert 'id="not-supported">2<' in page  # WinRAR on PC-1, Flash on PC-2
    page = page_of(client, url(m) + f"?department={NO_DEPARTMENT}")
    assert 'id="not-supported">1<' in page  # WinRAR on PC-4
    # A filter that is not one of the choices is left out, not an error.
    assert 'id="not-supported">3<' in page_of(client, url(m) + "?source=999999")


# --- The deviations (P5.5) ------------------------------------------------------------------


def rows_of(page: str) -> list[str]:
    """The device names of the deviations table's rows."""
    body = page.split('id="deviations"')[1].split("</tbody>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in body.split('<th scope="row">')[1:]]


def test_the_deviations_are_unapproved_and_retired_by_default(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    page = page_of(client, url(m, "deviations/"))
    assert rows_of(page) == ["PC-1", "PC-2", "PC-4"]
    table = page.split('id="deviations"')[1]
    assert "WinRAR" in table and "Flash Player" in table and "LibreOffice" not in table
    # The boxes show the statuses the list shows.
    ticked = re.findall(r'name="status" value="(\w+)"[^>]*checked', page)
    assert sorted(ticked) == ["retired", "unapproved"]
    assert "(3 " in page  # the total, from the tallies
    # Any status: everything but the ignored driver, unless ignored is ticked too.
    every = "&".join(f"status={s}" for s in Reconciliation.values if s != "ignored")
    assert len(rows_of(page_of(client, url(m, f"deviations/?{every}")))) == 8
    assert rows_of(page_of(client, url(m, "deviations/?status=unknown"))) == ["PC-3"]
    assert rows_of(page_of(client, url(m, "deviations/?status=phase_out"))) == ["PC-3"]


def test_the_deviations_filter_and_search(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    deviations = url(m, "deviations/")
    assert rows_of(page_of(client, deviations + f"?department={org['school'].pk}")) == [
        "PC-1",
        "PC-2",
    ]
    assert rows_of(page_of(client, deviations + f"?department={NO_DEPARTMENT}")) == ["PC-4"]
    assert rows_of(page_of(client, deviations + f"?product={org['winrar'].pk}")) == [
        "PC-1",
        "PC-4",
    ]
    assert rows_of(page_of(client, deviations + "?q=bo")) == ["PC-2"]  # the user
    assert rows_of(page_of(client, deviations + "?q=flash")) == ["PC-2"]  # the title
    assert rows_of(page_of(client, deviations + "?q=pc-4")) == ["PC-4"]  # the device
    source = InventorySource.objects.get(municipality=m)
    assert len(rows_of(page_of(client, deviations + f"?source={source.pk}"))) == 3


def test_the_deviations_are_paged(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, many_rows(60, 1))  # 60 WinRAR installations
    client.force_login(reader(m))
    first = page_of(client, url(m, "deviations/"))
    assert len(rows_of(first)) == 50
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "(60 " in first
    second = page_of(client, url(m, "deviations/?page=2"))
    assert len(rows_of(second)) == 10
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # A search has no total from the tallies, but still pages.
    searched = page_of(client, url(m, "deviations/?q=X-"))
    assert len(rows_of(searched)) == 50 and 'rel="next"' in searched
    assert "q=X-" in searched.split('rel="next"')[0].split("<a href=")[-1]


def test_the_deviations_export_as_csv_and_xlsx(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    today = timezone.localdate()
    response = client.get(url(m, "deviations/?format=csv"))
    assert response.status_code == 200
    assert response.streaming
    assert f'filename="avvikelser-{m.slug}-{today:%Y-%m-%d}.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Enhet", "Användare", "Förvaltning", "Programvara"]
    with translation.override("sv"):  # the export's language, whatever the user's
        unapproved = str(Reconciliation.UNAPPROVED.label)
        retired = str(Reconciliation.RETIRED.label)
    assert sorted((r[0], r[3], r[6], r[7]) for r in rows[1:]) == [
        ("PC-1", "WinRAR", "WinRAR", unapproved),
        ("PC-2", "Flash Player", "Flash Player", retired),
        ("PC-4", "WinRAR", "WinRAR", unapproved),
    ]
    by_device = {r[0]: r for r in rows[1:]}
    assert by_device["PC-1"][2] == "Utbildningsförvaltningen"
    assert by_device["PC-1"][8] == "2026-02-01"
    assert by_device["PC-4"][2] == "Okänd"  # as reported, no department of the municipality

    response = client.get(url(m, f"deviations/?format=xlsx&department={org['school'].pk}"))
    assert response.status_code == 200
    assert f"avvikelser-{m.slug}-{today:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Enhet"
    assert sorted(v[0] for v in values[1:]) == ["PC-1", "PC-2"]

    assert client.get(url(m, "deviations/?format=pdf")).status_code == 400


# --- Devices ------------------------------------------------------------------------------------


def device_rows(page: str) -> dict[str, list[str]]:
    body = page.split('id="devices"')[1].split("</tbody>")[0]
    found = {}
    for part in body.split('<th scope="row">')[1:]:
        name = part.split("</a>")[0].split(">")[-1]
        cells = [c.split("</td>")[0] for c in part.split("<td>")[1:]]
        found[name] = cells
    return found


def test_the_devices_with_their_counts(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    rows = device_rows(page_of(client, url(m, "devices/")))
    assert list(rows) == ["PC-1", "PC-2", "PC-3", "PC-4"]
    assert rows["PC-1"][3:] == ["3", '<span class="status status--not_met">1</span>']
    assert rows["PC-3"][3:] == ["3", "0"]
    assert list(device_rows(page_of(client, url(m, "devices/?deviations=yes")))) == [
        "PC-1",
        "PC-2",
        "PC-4",
    ]
    assert list(device_rows(page_of(client, url(m, "devices/?deviations=no")))) == ["PC-3"]
    assert list(device_rows(page_of(client, url(m, "devices/?q=cia")))) == ["PC-3"]
    school = org["school"].pk
    assert list(device_rows(page_of(client, url(m, f"devices/?department={school}")))) == [
        "PC-1",
        "PC-2",
    ]


def test_a_device_lists_its_software_deviations_first(client: Any, org: dict[str, Any]) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    client.force_login(reader(m))
    device = Device.objects.get(snapshot__municipality=m, name="PC-1")
    page = page_of(client, url(m, f"devices/{device.pk}/"))
    body = page.split('id="installations"')[1]
    assert body.index("WinRAR") < body.index("LibreOffice") < body.index("Intel HD driver")
    assert "status--not_met" in body


def test_a_device_of_an_earlier_import_or_another_municipality_is_not_found(
    client: Any, org: dict[str, Any]
) -> None:
    m = org["municipality"]
    load_inventory(m, INVENTORY_ROWS)
    first = Device.objects.get(snapshot__municipality=m, name="PC-1")
    client.force_login(reader(m))
    assert client.get(url(m, f"devices/{first.pk}/")).status_code == 200
    # Archiving the source takes its snapshot out of the report.
    InventorySource.objects.filter(municipality=m).update(archived_at=timezone.now())
    assert client.get(url(m, f"devices/{first.pk}/")).status_code == 404
    InventorySource.objects.filter(municipality=m).update(archived_at=None)
    load_inventory(m, INVENTORY_ROWS[:2])  # a new import supersedes the first
    assert client.get(url(m, f"devices/{first.pk}/")).status_code == 404
    current = Device.objects.get(snapshot__municipality=m, name="PC-1")
    assert current.pk != first.pk
    assert client.get(url(m, f"devices/{current.pk}/")).status_code == 200
    other = MunicipalityFactory()
    load_inventory(other, INVENTORY_ROWS)
    theirs = Device.objects.get(snapshot__municipality=other, name="PC-1")
    assert client.get(url(m, f"devices/{theirs.pk}/")).status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def queries_of(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, address
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?department=DEPARTMENT",
        "deviations/",
        "deviations/?q=PC",
        "deviations/?format=csv",
        "deviations/?format=xlsx",
        "devices/",
        "devices/?deviations=yes",
        "DEVICE",
    ],
)
def test_query_counts_do_not_grow_with_the_inventory(
    client: Any, org: dict[str, Any], path: str
) -> None:
    m = org["municipality"]
    client.force_login(reader(m))
    path = path.replace("DEPARTMENT", str(org["school"].pk))
    counts = []
    for rows in (INVENTORY_ROWS, INVENTORY_ROWS + many_rows(120, 30)):
        load_inventory(m, rows)
        address = path
        if path == "DEVICE":
            address = f"devices/{Device.objects.get(snapshot__municipality=m, name='PC-1').pk}/"
        counts.append(queries_of(client, url(m, address)))
    assert counts[0] == counts[1], counts
