"""A system running on a product that is retired, past end of support (of the product or of
its version), never approved, rejected or past its phase-out is flagged (P5.4, P5.5): on the
system's page, in the register's filter and in the API. And the services that link them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.api.testing import api_url, client_for, ids
from stadga.catalogue import services_catalogue as services
from stadga.catalogue.choices import Phase, ProductFlag
from stadga.catalogue.models import SystemProduct
from stadga.catalogue.selectors import system_product_flags
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductFactory,
    ProductVersionFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date(2026, 6, 15)
PAST = TODAY - datetime.timedelta(days=1)
FUTURE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def register() -> dict[str, Any]:
    """One system per reason to flag, and one that is fine."""
    m = MunicipalityFactory()

    def system_on(name: str, version_eos: datetime.date | None = None, **product: Any) -> Any:
        system = SystemFactory(municipality=m, name=name)
        made = ProductFactory(municipality=m, name=f"Produkt för {name}", **product)
        version = (
            ProductVersionFactory(product=made, end_of_support=version_eos) if version_eos else None
        )
        SystemProductFactory(system=system, product=made, version=version)
        return system

    return {
        "m": m,
        "fine": system_on("Bra", version_eos=FUTURE, end_of_support=FUTURE),
        "retired": system_on("Avvecklad", phase=Phase.RETIRED),
        "rejected": system_on("Avslagen", phase=Phase.REJECTED),
        "never": system_on("Aldrig", phase=Phase.NOT_ASSESSED),
        "evaluation": system_on("Prövas", phase=Phase.EVALUATION),
        "product_eos": system_on("Produktsupport", end_of_support=PAST),
        "version_eos": system_on("Versionssupport", version_eos=PAST),
        "phase_out_ended": system_on("Utfasad", phase=Phase.PHASE_OUT, phase_ends_on=PAST),
        "phase_out": system_on("Fasas ut", phase=Phase.PHASE_OUT, phase_ends_on=FUTURE),
        "none": SystemFactory(municipality=m, name="Utan produkter"),
    }


EXPECTED = {
    "fine": [],
    "retired": [ProductFlag.RETIRED],
    "rejected": [ProductFlag.REJECTED],
    "never": [ProductFlag.NEVER_APPROVED],
    "evaluation": [ProductFlag.NEVER_APPROVED],
    "product_eos": [ProductFlag.PAST_END_OF_SUPPORT],
    "version_eos": [ProductFlag.PAST_END_OF_SUPPORT],
    "phase_out_ended": [ProductFlag.PHASE_OUT_ENDED],
    "phase_out": [],
}


def test_flags_per_system_in_one_query(register: dict[str, Any]) -> None:
    systems = [register[key] for key in (*EXPECTED, "none")]
    with CaptureQueriesContext(connection) as queries:
        flags = system_product_flags(systems, TODAY)
    assert len(queries) == 1
    for key, expected in EXPECTED.items():
        [row] = flags[register[key].pk]
        assert row.flags == expected, key
    assert flags[register["none"].pk] == []
    assert system_product_flags([], TODAY) == {}


def test_register_filter_runs_on_a_flagged_product(
    register: dict[str, Any], client: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    m = register["m"]
    client.force_login(member(m, Role.AUDITOR))
    base = f"/k/{m.slug}/systems/?per_page=100&flagged_product="
    flagged = {k for k, v in EXPECTED.items() if v}

    def shown(value: str) -> set[str]:
        page = client.get(base + value).content.decode()
        keys = [*EXPECTED, "none"]
        return {k for k in keys if f'href="{register[k].get_absolute_url()}"' in page}

    assert shown("yes") == flagged
    assert shown("no") == {"fine", "phase_out", "none"}
    api = client_for(member(m, Role.AUDITOR))
    found = ids(api.get(api_url("system-list", flagged_product="true")))
    assert found == {register[k].pk for k in flagged}


def test_system_page_shows_products_with_flags(register: dict[str, Any], client: Any) -> None:
    m = register["m"]
    client.force_login(member(m, Role.AUDITOR))
    page = client.get(register["retired"].get_absolute_url()).content.decode()
    assert "Produkt för Avvecklad" in page
    assert 'class="badge badge--gap"' in page  # the system itself has no gaps: the product's
    assert 'id="products-title"' in page


def test_api_shows_a_systems_products_without_a_query_per_row(
    register: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    m = register["m"]
    client = client_for(member(m, Role.AUDITOR))
    response = client.get(api_url("system-list", page_size=100))
    rows = {row["id"]: row for row in response.json()["results"]}
    version_row = rows[register["version_eos"].pk]["products"][0]
    assert version_row["flags"] == ["past_end_of_support"]
    assert version_row["version_name"] is not None
    assert rows[register["none"].pk]["products"] == []
    with CaptureQueriesContext(connection) as few:
        client.get(api_url("system-list", page_size=3))
    with CaptureQueriesContext(connection) as many:
        client.get(api_url("system-list", page_size=100))
    assert len(few) == len(many)


class TestSystemProductsSet:
    def test_replaces_links_and_logs_each(self) -> None:
        system = SystemFactory()
        m = system.municipality
        actor = member(m, Role.IT_COORDINATOR)
        a, b, c = (ProductFactory(municipality=m) for _ in range(3))
        version = ProductVersionFactory(product=b)
        assert services.system_products_set(
            system=system, links=[(a, None), (b, version)], actor=actor
        )
        assert not services.system_products_set(
            system=system, links=[(a, None), (b, version)], actor=actor
        )
        assert services.system_products_set(
            system=system, links=[(c, None), (b, None)], actor=actor
        )
        links = {link.product_id: link.version_id for link in SystemProduct.objects.all()}
        assert links == {c.pk: None, b.pk: None}
        entries = LogEntry.objects.filter(
            content_type__model="systemproduct", actor=actor
        ).values_list("action", flat=True)
        # a and b added; a removed, c added, b's version changed
        assert sorted(entries) == sorted(
            [LogEntry.Action.CREATE] * 3 + [LogEntry.Action.DELETE, LogEntry.Action.UPDATE]
        )

    def test_refuses_other_municipality_foreign_version_duplicates_and_archived(self) -> None:
        system = SystemFactory()
        m = system.municipality
        mine = ProductFactory(municipality=m)
        cases = [
            [(ProductFactory(municipality=MunicipalityFactory()), None)],
            [(mine, ProductVersionFactory(product=ProductFactory(municipality=m)))],
            [(mine, None), (mine, None)],
            [(ProductFactory(municipality=m, archived_at=timezone.now()), None)],
        ]
        for links in cases:
            with pytest.raises(ValidationError):
                services.system_products_set(system=system, links=links, actor=None)
        assert not SystemProduct.objects.exists()

    def test_product_services_never_set_the_phase(self) -> None:
        product = ProductFactory(phase=Phase.NOT_ASSESSED)
        with pytest.raises(ValidationError):
            services.product_update(product=product, data={"phase": Phase.APPROVED}, actor=None)
        with pytest.raises(ValidationError):
            services.product_create(
                municipality=product.municipality,
                data={"name": "Ny", "phase": Phase.APPROVED},
                actor=None,
            )
        product.refresh_from_db()
        assert product.phase == Phase.NOT_ASSESSED

    def test_update_returns_whether_anything_changed(self) -> None:
        product = ProductFactory()
        _, changed = services.product_update(
            product=product, data={"name": product.name}, actor=None
        )
        assert not changed
        _, changed = services.product_update(product=product, data={"name": "Nytt"}, actor=None)
        assert changed
