"""The data migration catalogue/0002: the register's free-text vendor becomes the catalogue —
one Vendor per distinct vendor of a municipality (case and spaces ignored), a Product named after
each system, not yet assessed (P5.4), and the system linked to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalogue", "0001_initial"), ("systems", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0001(transactional_db: Any) -> Iterator[Any]:
    """The historical models just before the migration; the latest schema again afterwards,
    so the tests that follow find the database as they expect it."""
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_free_text_vendor_becomes_vendor_product_and_link(at_0001: Any) -> None:
    apps = at_0001
    Municipality = apps.get_model("organisation", "Municipality")
    Board = apps.get_model("organisation", "Board")
    Person = apps.get_model("organisation", "Person")
    System = apps.get_model("systems", "System")

    def make_system(municipality: Any, name: str, vendor: str, n: int) -> Any:
        board = Board.objects.create(municipality=municipality, name=f"Nämnd {name}")
        owner = Person.objects.create(municipality=municipality, name=f"Ägare {name}")
        return System.objects.create(
            municipality=municipality,
            identifier=f"SYS-{n:04d}",
            name=name,
            board=board,
            system_owner=owner,
            vendor=vendor,
        )

    karlsborg = Municipality.objects.create(name="Karlsborg", slug="karlsborg-mig", code="1446")
    hjo = Municipality.objects.create(name="Hjo", slug="hjo-mig", code="1497")
    make_system(karlsborg, "Ekonomi", "Norrsken AB", 1)
    make_system(karlsborg, "Lön", "  norrsken   ab ", 2)
    make_system(karlsborg, "Egen", "", 3)
    make_system(hjo, "Ekonomi", "Norrsken AB", 1)

    apps = _migrate([("catalogue", "0002_vendor_from_register"), ("systems", "0001_initial")])
    Vendor = apps.get_model("catalogue", "Vendor")
    Product = apps.get_model("catalogue", "Product")
    SystemProduct = apps.get_model("catalogue", "SystemProduct")

    # Same vendor in different case and spacing: one Vendor per municipality.
    assert Vendor.objects.filter(municipality_id=karlsborg.pk).count() == 1
    assert Vendor.objects.filter(municipality_id=hjo.pk).count() == 1
    vendor = Vendor.objects.get(municipality_id=karlsborg.pk)
    assert vendor.name == "Norrsken AB"
    products = Product.objects.filter(municipality_id=karlsborg.pk).order_by("name")
    assert [(p.name, p.vendor_id, p.phase) for p in products] == [
        ("Ekonomi", vendor.pk, "not_assessed"),
        ("Lön", vendor.pk, "not_assessed"),
    ]
    links = SystemProduct.objects.filter(system__municipality_id=karlsborg.pk)
    assert {(link.system.name, link.product.name) for link in links} == {
        ("Ekonomi", "Ekonomi"),
        ("Lön", "Lön"),
    }
    assert not SystemProduct.objects.filter(system__name="Egen").exists()
    assert SystemProduct.objects.filter(system__municipality_id=hjo.pk).count() == 1
