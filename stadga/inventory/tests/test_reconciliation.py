"""Reconciliation (P5.4, P5.5): each installation's status from its title's product and that
product's phase today, the tallies written when a snapshot completes, the report's figures per
department and product with a fixed number of queries, and the trend per snapshot."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import Product
from stadga.inventory.choices import (
    NOT_SUPPORTED,
    Reconciliation,
    RuleAction,
    RuleField,
    RuleMatch,
)
from stadga.inventory.models import InventorySource, SoftwareTitle, Tally
from stadga.inventory.reconciliation import (
    current_installations,
    report,
    snapshot_figures,
    status_case,
    status_of,
    status_q,
)
from stadga.inventory.services import inventory_import
from stadga.inventory.services_rules import normalisation_rule_create
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, ProductFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)
HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"


def set_phase(product: Product, phase: str, ends_on: datetime.date | None = None) -> None:
    """Phases are the phase services' to change; the status reads only the stored fields."""
    Product.objects.filter(pk=product.pk).update(phase=phase, phase_ends_on=ends_on)


@pytest.fixture
def org() -> dict[str, Any]:
    m = MunicipalityFactory(slug="dalby")
    school = DepartmentFactory(municipality=m, name="Utbildningsförvaltningen")
    social = DepartmentFactory(municipality=m, name="Socialförvaltningen")
    products = {
        "office": ProductFactory(municipality=m, name="LibreOffice"),
        "firefox": ProductFactory(municipality=m, name="Firefox"),
        "winrar": ProductFactory(municipality=m, name="WinRAR"),
        "flash": ProductFactory(municipality=m, name="Flash Player"),
        "java": ProductFactory(municipality=m, name="Java 8"),
    }
    set_phase(products["office"], Phase.APPROVED)
    set_phase(products["firefox"], Phase.APPROVED_WITH_CONSTRAINTS)
    set_phase(products["java"], Phase.PHASE_OUT, TODAY + datetime.timedelta(days=30))
    set_phase(products["flash"], Phase.RETIRED)
    set_phase(products["winrar"], Phase.NOT_ASSESSED)  # a known product, never approved
    for position, (pattern, key) in enumerate(
        [
            ("LibreOffice", "office"),
            ("Firefox", "firefox"),
            ("WinRAR", "winrar"),
            ("Flash Player", "flash"),
            ("Java 8", "java"),
        ],
        start=1,
    ):
        normalisation_rule_create(
            municipality=m,
            data={
                "position": position,
                "field": RuleField.NAME,
                "match": RuleMatch.EXACT,
                "pattern": pattern,
                "action": RuleAction.MAP,
                "product": products[key],
            },
            actor=None,
        )
    normalisation_rule_create(
        municipality=m,
        data={
            "position": 10,
            "field": RuleField.NAME,
            "match": RuleMatch.REGEX,
            "pattern": r"^(Intel|AMD) .*driver",
            "action": RuleAction.IGNORE,
        },
        actor=None,
    )
    return {"municipality": m, "school": school, "social": social, **products}


ROWS = [
    "PC-1;anna;Utbildningsförvaltningen;LibreOffice;24.2;TDF;",
    "PC-1;anna;Utbildningsförvaltningen;WinRAR;6.0;RARLAB;",
    "PC-1;anna;Utbildningsförvaltningen;Intel HD driver;1.0;Intel;",
    "PC-2;bo;Utbildningsförvaltningen;LibreOffice;24.2;TDF;",
    "PC-2;bo;Utbildningsförvaltningen;Flash Player;32;Adobe;",
    "PC-3;cia;Socialförvaltningen;Firefox;128;Mozilla;",
    "PC-3;cia;Socialförvaltningen;Java 8;8u401;Oracle;",
    "PC-3;cia;Socialförvaltningen;Secret Tool;1.0;Nobody;",
    "PC-4;dan;Okänd;WinRAR;6.0;RARLAB;",
]


def load(m, rows: list[str], source: str = "GLPI") -> Any:
    data = io.BytesIO((HEADER + "".join(r + "\n" for r in rows)).encode())
    return inventory_import(
        municipality=m, source_name=source, fmt="csv", stream=data, file_name="f.csv", actor=None
    )


def test_status_of_reads_the_phase_and_the_phase_out_end() -> None:
    assert status_of(ignored=True, phase=Phase.APPROVED) == Reconciliation.IGNORED
    assert status_of(ignored=False, phase=None) == Reconciliation.UNKNOWN
    assert status_of(ignored=False, phase=Phase.REJECTED) == Reconciliation.UNAPPROVED
    assert status_of(ignored=False, phase=Phase.EVALUATION) == Reconciliation.UNAPPROVED
    assert (
        status_of(ignored=False, phase=Phase.PHASE_OUT, phase_ends_on=TODAY, today=TODAY)
        == Reconciliation.PHASE_OUT
    )
    assert (
        status_of(
            ignored=False,
            phase=Phase.PHASE_OUT,
            phase_ends_on=TODAY - datetime.timedelta(days=1),
            today=TODAY,
        )
        == Reconciliation.RETIRED
    )


def test_each_installation_has_the_status_of_its_title(org) -> None:
    m = org["municipality"]
    load(m, ROWS)
    statuses = {
        (i.device.name, i.title.name): i.status
        for i in current_installations(m, today=TODAY).order_by("pk")
    }
    assert statuses == {
        ("PC-1", "LibreOffice"): Reconciliation.APPROVED,
        ("PC-1", "WinRAR"): Reconciliation.UNAPPROVED,
        ("PC-1", "Intel HD driver"): Reconciliation.IGNORED,
        ("PC-2", "LibreOffice"): Reconciliation.APPROVED,
        ("PC-2", "Flash Player"): Reconciliation.RETIRED,
        ("PC-3", "Firefox"): Reconciliation.APPROVED_WITH_CONSTRAINTS,
        ("PC-3", "Java 8"): Reconciliation.PHASE_OUT,
        ("PC-3", "Secret Tool"): Reconciliation.UNKNOWN,
        ("PC-4", "WinRAR"): Reconciliation.UNAPPROVED,
    }
    # Every status in SQL agrees with the same rule in Python.
    for installation in current_installations(m, today=TODAY).select_related("title__product"):
        product = installation.title.product
        assert installation.status == status_of(
            ignored=installation.title.ignored,
            phase=product.phase if product else None,
            phase_ends_on=product.phase_ends_on if product else None,
            today=TODAY,
        )
    deviations = current_installations(
        m, statuses=[Reconciliation.UNAPPROVED, Reconciliation.RETIRED], today=TODAY
    )
    assert sorted(i.device.name for i in deviations) == ["PC-1", "PC-2", "PC-4"]


def test_the_report_counts_per_department_and_product(org) -> None:
    m = org["municipality"]
    snapshot = load(m, ROWS)
    result = report(m, today=TODAY)
    assert [s.pk for s in result.snapshots] == [snapshot.pk]
    assert result.totals.per_status == {
        Reconciliation.APPROVED: 2,
        Reconciliation.APPROVED_WITH_CONSTRAINTS: 1,
        Reconciliation.PHASE_OUT: 1,
        Reconciliation.UNAPPROVED: 2,
        Reconciliation.RETIRED: 1,
        Reconciliation.UNKNOWN: 1,
    }
    assert result.ignored == 1
    assert result.devices == 4
    assert result.devices_with_deviations == 3
    by_department = {row.label: row for row in result.departments}
    school = by_department["Utbildningsförvaltningen"]
    assert (school.supported, school.not_supported, school.unknown) == (2, 2, 0)
    assert school.devices_with_deviations == 2
    social = by_department["Socialförvaltningen"]
    assert (social.supported, social.not_supported, social.unknown) == (2, 0, 1)
    # A device whose reported department is not one of the municipality's comes last.
    assert result.departments[-1].key is None
    assert result.departments[-1].not_supported == 1
    by_product = {row.label: row for row in result.products}
    assert by_product["WinRAR"].per_status[Reconciliation.UNAPPROVED] == 2
    assert by_product["WinRAR"].phase == Phase.NOT_ASSESSED
    # Most deviations first.
    assert result.products[0].label == "WinRAR"

    narrowed = report(m, department=org["school"], today=TODAY)
    assert narrowed.totals.total == 4
    assert narrowed.devices_with_deviations == 2


def test_figures_follow_the_catalogue_and_the_rules_live(org) -> None:
    m = org["municipality"]
    load(m, ROWS)
    set_phase(org["winrar"], Phase.APPROVED)
    assert report(m, today=TODAY).totals.per_status[Reconciliation.UNAPPROVED] == 0
    # After its end date a phase-out is retired.
    later = TODAY + datetime.timedelta(days=31)
    assert report(m, today=later).totals.per_status[Reconciliation.RETIRED] == 2
    # A rule now maps the unknown title.
    normalisation_rule_create(
        municipality=m,
        data={
            "position": 20,
            "field": RuleField.NAME,
            "match": RuleMatch.EXACT,
            "pattern": "secret tool",
            "action": RuleAction.MAP,
            "product": org["winrar"],
        },
        actor=None,
    )
    assert report(m, today=TODAY).totals.per_status[Reconciliation.UNKNOWN] == 0


def test_a_new_snapshot_replaces_the_tallies_and_adds_to_the_trend(org) -> None:
    m = org["municipality"]
    first = load(m, ROWS)
    first_tallies = Tally.objects.filter(snapshot=first).count()
    assert first_tallies == 8  # one per title and department with installations
    assert first.figures[Reconciliation.UNAPPROVED] == 2
    assert first.figures["titles"] == 7
    second = load(m, ROWS[:4])
    assert not Tally.objects.filter(snapshot=first).exists()
    assert Tally.objects.filter(snapshot=second).exists()
    result = report(m, today=TODAY)
    assert [point.snapshot.pk for point in result.trend] == [first.pk, second.pk]
    assert [point.not_supported for point in result.trend] == [3, 1]
    assert second.figures == snapshot_figures(second, TODAY)


def test_sources_are_reported_together_or_one_at_a_time(org) -> None:
    m = org["municipality"]
    load(m, ROWS[:3], source="GLPI")
    load(m, ROWS[3:], source="Intune")
    assert report(m, today=TODAY).totals.total == 8
    intune = InventorySource.objects.get(municipality=m, name="Intune")
    assert report(m, source=intune, today=TODAY).totals.total == 6
    # Another municipality's inventory is not in the figures.
    other = MunicipalityFactory()
    load(other, ROWS)
    assert report(m, today=TODAY).totals.total == 8


def test_the_report_takes_a_fixed_number_of_queries(org) -> None:
    m = org["municipality"]
    load(m, ROWS)
    with CaptureQueriesContext(connection) as small:
        report(m, today=TODAY)
    many = [
        f"PC-{d};u{d};{'Utbildningsförvaltningen' if d % 2 else 'Socialförvaltningen'};"
        f"Program {t};1.{t};Leverantör;"
        for d in range(40)
        for t in range(15)
    ]
    load(m, ROWS + many)
    with CaptureQueriesContext(connection) as large:
        result = report(m, today=TODAY)
    assert result.totals.total == 8 + 600
    assert len(large) == len(small) <= 7


@pytest.mark.parametrize("day", [TODAY, TODAY + datetime.timedelta(days=31)])
def test_the_status_filter_agrees_with_the_status(org, day: datetime.date) -> None:
    """`status_q` (what lists filter on) selects exactly the titles `status_case` (what they
    show) gives each status, and any set of statuses is the union of each."""
    m = org["municipality"]
    load(m, ROWS)
    set_phase(org["office"], Phase.EVALUATION)
    set_phase(org["firefox"], Phase.REJECTED)
    titles = SoftwareTitle.objects.filter(municipality=m)
    shown = dict(titles.annotate(status=status_case("", day)).values_list("pk", "status"))
    assert set(shown.values()) >= {Reconciliation.UNAPPROVED, Reconciliation.IGNORED}
    for status in Reconciliation.values:
        chosen = set(titles.filter(status_q([status], "", day)).values_list("pk", flat=True))
        assert chosen == {pk for pk, s in shown.items() if s == status}, status
    both = set(titles.filter(status_q(NOT_SUPPORTED, "", day)).values_list("pk", flat=True))
    assert both == {pk for pk, s in shown.items() if s in NOT_SUPPORTED}
    assert not titles.filter(status_q([], "", day)).exists()
