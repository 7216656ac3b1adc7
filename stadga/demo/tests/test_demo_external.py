"""The demo's external organisations answer for something (P3.11): the two network companies the
policy names for the municipal network and the fibre initiative of the executive board's plan,
the alarm centre for the social alarms; a second load changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from stadga.demo import data
from stadga.demo.load import load_demo
from stadga.organisation.models import ExternalOrganisation, Municipality
from stadga.plans.models import PlanItem
from stadga.systems.choices import ResponsibilityKind
from stadga.systems.models import ExternalResponsibility


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Municipality:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_network_companies_answer_for_the_network_and_the_fibre(
    karlsborg: Municipality, client: Any
) -> None:
    rows = ExternalResponsibility.objects.filter(municipality=karlsborg)
    assert rows.count() == len(data.EXTERNAL_RESPONSIBILITIES)
    network = {
        r.organisation.name
        for r in rows.filter(system__identifier=data.NETWORK, kind=ResponsibilityKind.NETWORK)
    }
    assert network == {"Bredband Östra Skaraborg AB", "Karlsborgs Energi AB"}
    alarms = rows.get(organisation__name="Vätterbygdens Larmcentral AB")
    assert alarms.system.name == "Trygghetslarm" and alarms.kind == ResponsibilityKind.OPERATION

    year = timezone.localdate().year
    fibre = PlanItem.objects.get(
        municipality=karlsborg, plan__year=year, title__startswith="Fiber till kommunens lokaler"
    )
    assert {o.name for o in fibre.external_organisations.all()} == {
        "Bredband Östra Skaraborg AB",
        "Karlsborgs Energi AB",
    }
    # The school plan's postponed platform was carried into this year with its cooperation.
    platform = PlanItem.objects.get(
        municipality=karlsborg, plan__year=year, title="Ny lärplattform"
    )
    assert [o.name for o in platform.external_organisations.all()] == [
        "IT-samverkan Östra Skaraborg"
    ]

    # The IT coordinator finds both on the company's page.
    client.login(username="it.samordnare", password="stadga-demo")
    energy = ExternalOrganisation.objects.get(municipality=karlsborg, name="Karlsborgs Energi AB")
    page = client.get(energy.get_absolute_url()).content.decode()
    assert "Kommunnätet" in page and fibre.get_absolute_url() in page


def test_the_data_names_systems_and_organisations_that_exist() -> None:
    systems = {s.identifier for s in data.SYSTEMS}
    organisations = {o.name for o in data.EXTERNAL_ORGANISATIONS}
    for item in data.EXTERNAL_RESPONSIBILITIES:
        assert item.system in systems, item
        assert item.organisation in organisations, item


def test_a_second_load_changes_nothing(karlsborg: Municipality) -> None:
    before = (
        ExternalResponsibility.objects.count(),
        PlanItem.external_organisations.through.objects.count(),
        LogEntry.objects.count(),
    )
    load_demo()
    after = (
        ExternalResponsibility.objects.count(),
        PlanItem.external_organisations.through.objects.count(),
        LogEntry.objects.count(),
    )
    assert after == before
