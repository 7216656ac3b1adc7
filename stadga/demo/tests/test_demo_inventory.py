"""Issue 6's promise on the demo data: Karlsborg has an imported inventory of its computers whose
report shows unapproved installations by department (P5.5), unknown titles and ignored ones, and
the live policy page's P5.5 reflects it; a second load changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from auditlog.models import LogEntry

from stadga.catalogue.models import Product
from stadga.catalogue.services_phases import product_phase_set
from stadga.demo import data_inventory as inventory
from stadga.demo.data import BUF, KFF, SOC
from stadga.demo.load import load_demo
from stadga.inventory.choices import NOT_SUPPORTED, Reconciliation, SnapshotStatus
from stadga.inventory.models import (
    Device,
    Installation,
    InventorySource,
    NormalisationRule,
    Snapshot,
    SoftwareTitle,
)
from stadga.inventory.reconciliation import report
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_export_is_a_realistic_inventory_and_the_same_on_every_load() -> None:
    today = datetime.date(2026, 11, 29)
    export = inventory.inventory_csv(today)
    assert export == inventory.inventory_csv(today)
    lines = export.decode("utf-8").splitlines()
    assert lines[0] == ";".join(inventory.HEADER)
    per_device = Counter(line.split(";", 1)[0] for line in lines[1:])
    assert 300 <= len(per_device) <= 400
    assert min(per_device.values()) >= 20 and max(per_device.values()) <= 50
    assert 9_000 <= len(lines) - 1 <= 12_000
    assert 40 <= len(inventory.RULES) <= 60


def test_the_demo_has_an_imported_inventory_classified_by_its_dictionary(karlsborg: Any) -> None:
    source = InventorySource.objects.get(municipality=karlsborg, name=inventory.SOURCE_NAME)
    snapshot = source.current_snapshot
    assert snapshot is not None and snapshot.status == SnapshotStatus.COMPLETE
    assert snapshot.rows_skipped == 0
    assert snapshot.rows_imported == Installation.objects.filter(snapshot=snapshot).count()
    assert snapshot.device_count == sum(group.count for group in inventory.COMPUTERS)
    # Every device but the store's spare computers is in a department of the register.
    unmapped = Device.objects.filter(snapshot=snapshot, department__isnull=True)
    assert set(unmapped.values_list("department_text", flat=True)) == {"IT-förrådet"}
    rules = NormalisationRule.objects.filter(municipality=karlsborg)
    assert rules.count() == len(inventory.RULES)
    titles = SoftwareTitle.objects.filter(municipality=karlsborg)
    assert titles.filter(ignored=True).exists()
    assert titles.filter(product__isnull=False).exists()
    # The old registry's client is decided by its own rule, before the new registry's.
    old_registry = titles.get(name="Dokumenta Diarium Klassisk")
    assert old_registry.product is not None
    assert old_registry.product.name == "Tidigare diariesystem"
    # The renamed titles keep no product: they are still unknown.
    assert set(titles.filter(rule__action="rename").values_list("display_name", flat=True)) == {
        "TeamViewer",
        "Java (Oracle)",
    }
    # The trend's first point: the figures the snapshot completed with.
    assert snapshot.figures[Reconciliation.UNAPPROVED] > 0


def test_the_report_shows_deviations_by_department(karlsborg: Any) -> None:
    """P5.5: the report by department tells the story of the demo — the school and culture and
    leisure stand out; social services run only what is approved."""
    figures = report(karlsborg)
    assert not figures.is_empty
    by_department = {row.label: row for row in figures.departments}
    deviating = [row.label for row in figures.departments if row.not_supported]
    assert len(deviating) >= 2
    # Sorted by deviations: the two departments of the story come first.
    assert set(deviating[:2]) == {BUF, KFF}
    assert by_department[BUF].per_status[Reconciliation.RETIRED] > 0  # Office 2016, ESET
    assert by_department[BUF].per_status[Reconciliation.PHASE_OUT] > 0  # the school's own MDM
    assert by_department[KFF].per_status[Reconciliation.UNAPPROVED] > 0  # the booking system
    assert by_department[SOC].not_supported == 0
    assert figures.totals.per_status[Reconciliation.UNKNOWN] > 0
    assert figures.totals.per_status[Reconciliation.APPROVED] > 10 * figures.totals.not_supported
    assert figures.ignored > 0
    assert 0 < figures.devices_with_deviations < figures.devices
    products = {row.label for row in figures.products if row.not_supported}
    assert {"Bokningssystem lokaler och anläggningar", "Mozilla Firefox"} <= products


def test_p5_5_on_the_live_policy_page_is_not_met(karlsborg: Any) -> None:
    """The compliance rule reading the inventory (`inventory.installed_software_approved`) is
    bound to P5.5: the demo's unapproved installations make the clause not met."""
    evaluation = evaluate(karlsborg)
    assert evaluation is not None
    clause = next(c for c in evaluation.clauses if c.clause.clause_id == "P5.5")
    assert "inventory.installed_software_approved" in [rule.id for rule, _ in clause.rules]
    assert clause.status == Status.NOT_MET


def test_approving_the_booking_system_takes_it_off_the_deviations(karlsborg: Any) -> None:
    """The status is read live from the catalogue: a phase decision changes the report at once."""
    booking = Product.objects.get(
        municipality=karlsborg, name="Bokningssystem lokaler och anläggningar"
    )
    before = {row.label: row for row in report(karlsborg).departments}[KFF]
    product_phase_set(product=booking, phase="approved", reason="Bedömd i efterhand.", actor=None)
    after = {row.label: row for row in report(karlsborg).departments}[KFF]
    assert after.not_supported < before.not_supported
    assert after.per_status[Reconciliation.APPROVED] > before.per_status[Reconciliation.APPROVED]


def test_a_second_load_imports_nothing_again(karlsborg: Any) -> None:
    snapshots = Snapshot.objects.count()
    rules = NormalisationRule.objects.count()
    entries = LogEntry.objects.count()
    load_demo()
    assert Snapshot.objects.count() == snapshots
    assert NormalisationRule.objects.count() == rules
    assert LogEntry.objects.count() == entries


def test_every_deviation_status_is_in_the_demo(karlsborg: Any) -> None:
    statuses = {
        status for row in report(karlsborg).departments for status, n in row.per_status.items() if n
    }
    assert set(NOT_SUPPORTED) | {Reconciliation.UNKNOWN, Reconciliation.PHASE_OUT} <= statuses
