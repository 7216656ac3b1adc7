"""Devices mapped to departments (issue 6 item 1): by a department's name ignoring case, or by the
IT department's mapping of any other text; a mapping moves the current devices and the report's
figures per department at once, is logged, and only the IT department makes it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.inventory.models import DepartmentMapping, Device
from stadga.inventory.reconciliation import report
from stadga.inventory.services import inventory_import
from stadga.inventory.services_departments import (
    department_mappings_save,
    reported_departments,
)
from stadga.organisation.choices import Role
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, member

pytestmark = pytest.mark.django_db

HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"
ROWS = [
    "PC-1;anna;BUF;Firefox;128;Mozilla;",
    "PC-2;bo;buf ;Firefox;128;Mozilla;",
    "PC-3;cia;SOCIALFÖRVALTNINGEN;Firefox;128;Mozilla;",
    "PC-4;dan;OU=Kultur,DC=kommun;Firefox;128;Mozilla;",
]


@pytest.fixture
def org() -> dict[str, Any]:
    m = MunicipalityFactory(slug="dalby")
    return {
        "m": m,
        "school": DepartmentFactory(municipality=m, name="Barn- och utbildningsförvaltningen"),
        "social": DepartmentFactory(municipality=m, name="Socialförvaltningen"),
        "culture": DepartmentFactory(municipality=m, name="Kulturförvaltningen"),
        "keeper": member(m, Role.IT_COORDINATOR),
        "reader": member(m, Role.AUDITOR),
    }


def load(m, rows: list[str] = ROWS) -> None:
    data = io.BytesIO((HEADER + "".join(r + "\n" for r in rows)).encode())
    inventory_import(
        municipality=m, source_name="GLPI", fmt="csv", stream=data, file_name="f", actor=None
    )


def departments_of(m) -> dict[str, str | None]:
    return {
        d.name: (d.department.name if d.department else None)
        for d in Device.objects.filter(snapshot__source__municipality=m).select_related(
            "department"
        )
    }


def test_a_department_name_in_any_case_needs_no_mapping(org) -> None:
    load(org["m"])
    assert departments_of(org["m"]) == {
        "PC-1": None,
        "PC-2": None,
        "PC-3": "Socialförvaltningen",
        "PC-4": None,
    }
    rows = reported_departments(org["m"])
    # Unmapped first, the most devices first; "BUF" and "buf " are one text.
    assert [(r.text, r.devices, r.by_name) for r in rows] == [
        ("BUF", 2, False),
        ("OU=Kultur,DC=kommun", 1, False),
        ("SOCIALFÖRVALTNINGEN", 1, True),
    ]


def test_a_mapping_moves_the_devices_and_the_figures_at_once(org) -> None:
    m = org["m"]
    load(m)
    assert report(m).departments[-1].key is None  # "No department" holds three devices' software
    moved = department_mappings_save(
        municipality=m,
        choices={"BUF": org["school"], "OU=Kultur,DC=kommun": org["culture"]},
        actor=org["keeper"],
    )
    assert moved == 3
    assert departments_of(m)["PC-2"] == "Barn- och utbildningsförvaltningen"
    assert departments_of(m)["PC-4"] == "Kulturförvaltningen"
    by_department = {row.label: row.total for row in report(m).departments}
    assert by_department == {
        "Barn- och utbildningsförvaltningen": 2,
        "Socialförvaltningen": 1,
        "Kulturförvaltningen": 1,
    }
    assert LogEntry.objects.get_for_model(DepartmentMapping).count() == 2
    # The next import uses the mappings from the start.
    load(m, ROWS[:1])
    assert departments_of(m) == {"PC-1": "Barn- och utbildningsförvaltningen"}


def test_unmapping_archives_the_mapping_and_moves_the_devices_back(org) -> None:
    m = org["m"]
    load(m)
    department_mappings_save(municipality=m, choices={"BUF": org["school"]}, actor=None)
    assert department_mappings_save(municipality=m, choices={"buf": None}, actor=None) == 2
    mapping = DepartmentMapping.objects.get(municipality=m)
    assert mapping.archived_at is not None  # kept, with its history
    assert departments_of(m)["PC-1"] is None
    # Mapped again: the archived mapping comes back.
    department_mappings_save(municipality=m, choices={"BUF": org["social"]}, actor=None)
    mapping.refresh_from_db()
    assert mapping.archived_at is None and mapping.department == org["social"]


def test_only_the_it_department_maps(org) -> None:
    load(org["m"])
    with pytest.raises(PermissionDenied):
        department_mappings_save(
            municipality=org["m"], choices={"BUF": org["school"]}, actor=org["reader"]
        )
    other = DepartmentFactory(municipality=MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        department_mappings_save(municipality=org["m"], choices={"BUF": other}, actor=None)
    assert not DepartmentMapping.objects.exists()


def test_the_page_maps_without_javascript(client, org) -> None:
    m = org["m"]
    load(m)
    url = f"/k/{m.slug}/inventory/departments/"
    client.force_login(org["reader"])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="map-0"' not in page.content  # readers see, do not map
    assert client.post(url, {"text-0": "BUF", "map-0": org["school"].pk}).status_code == 403
    client.force_login(org["keeper"])
    page = client.get(url)
    assert b'name="map-0"' in page.content and b'name="map-1"' in page.content
    response = client.post(
        url, {"text-0": "BUF", "map-0": org["school"].pk, "text-1": "OU=Kultur,DC=kommun"}
    )
    assert response.status_code == 302
    assert departments_of(m)["PC-1"] == "Barn- och utbildningsförvaltningen"
    assert departments_of(m)["PC-4"] is None
    # A form for a list that has changed meanwhile saves nothing.
    stale = client.post(url, {"text-0": "Något annat", "map-0": org["culture"].pk})
    assert stale.status_code == 400
    assert DepartmentMapping.objects.count() == 1


def test_another_municipalitys_user_gets_a_404(client, org) -> None:
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(f"/k/{org['m'].slug}/inventory/departments/").status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(client, org) -> None:
    m = org["m"]
    load(m)
    client.force_login(org["keeper"])
    url = f"/k/{m.slug}/inventory/departments/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    load(m, [f"PC-{i};u;Avdelning {i % 40};Firefox;128;Mozilla;" for i in range(200)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.count(b'name="map-') == 40
    assert len(many) == len(few)
