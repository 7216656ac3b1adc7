"""Import and export of the product catalogue (P5.4): an export imports back unchanged, new
vendors and categories are created and listed, a changed phase is a decision with reasons, and
errors name their row and column. Also the register's "Produkter" column."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from stadga.catalogue.choices import Phase, ProductKind
from stadga.catalogue.models import PhaseDecision, Product, ProductCategory, SystemProduct, Vendor
from stadga.catalogue.services_phases import product_phase_set
from stadga.catalogue.tabular import ProductTabular
from stadga.organisation.choices import Role
from stadga.systems.tabular import SystemTabular
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    ProductVersionFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, read_csv, rows_from, xlsx_bytes

pytestmark = [pytest.mark.django_db]

HEADERS = [c.header for c in ProductTabular.columns]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue() -> dict[str, Any]:
    m = MunicipalityFactory(slug="karlsborg")
    keeper = member(m, Role.IT_COORDINATOR)
    vendor = VendorFactory(municipality=m, name="Norrsken AB")
    category = ProductCategoryFactory(municipality=m, name="Ekonomisystem")
    office = ProductFactory(
        municipality=m,
        name="Kontorspaket",
        vendor=vendor,
        category=category,
        phase=Phase.NOT_ASSESSED,
        description="Ord;behandling\r\noch kalkyl",
        notes="=SUMMA(A1)",
        website="https://example.se",
        end_of_support=datetime.date(2030, 1, 31),
    )
    product_phase_set(
        product=office,
        phase=Phase.APPROVED_WITH_CONSTRAINTS,
        constraints="Endast med mallar.",
        reason="Beprövad.",
        effective_from=datetime.date(2024, 3, 1),
        actor=keeper,
    )
    fading = ProductFactory(municipality=m, name="Gammal", vendor=None, category=None)
    product_phase_set(
        product=fading,
        phase=Phase.PHASE_OUT,
        ends_on=datetime.date(2099, 1, 1),
        reason="Ersätts.",
        effective_from=datetime.date(2025, 1, 1),
        actor=keeper,
    )
    ProductFactory(municipality=m, name="Obedömd", phase=Phase.NOT_ASSESSED, vendor=vendor)
    return {"m": m, "keeper": keeper, "office": office, "fading": fading}


def spec(catalogue: dict[str, Any]) -> ProductTabular:
    return ProductTabular(municipality=catalogue["m"], actor=catalogue["keeper"])


def export(catalogue: dict[str, Any], xlsx: bool = False) -> bytes:
    s = spec(catalogue)
    if xlsx:
        out = io.BytesIO()
        s.write_xlsx(s.optimise(s.export_queryset()), out)
        return out.getvalue()
    return b"".join(s.iter_csv(s.optimise(s.export_queryset())))


def by_name(data: bytes) -> dict[str, dict[str, str]]:
    rows = read_csv(data)
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize("xlsx", [False, True])
def test_export_imports_back_unchanged_and_logs_nothing(catalogue: Any, xlsx: bool) -> None:
    data = export(catalogue, xlsx)
    before = LogEntry.objects.count()
    result = spec(catalogue).import_file(data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert LogEntry.objects.count() == before


def test_export_has_swedish_headers_and_phase_columns(catalogue: Any) -> None:
    rows = by_name(export(catalogue))
    assert list(rows["Kontorspaket"]) == HEADERS
    with translation.override("sv"):
        office = rows["Kontorspaket"]
        assert office["Fas"] == str(Phase.APPROVED_WITH_CONSTRAINTS.label)
        assert office["Villkor"] == "Endast med mallar."
        assert office["Fas från"] == "2024-03-01"
        assert office["Anteckningar"] == "'=SUMMA(A1)"
        assert rows["Gammal"]["Avveckling slutar"] == "2099-01-01"


def test_new_products_vendors_and_categories_are_created_once(catalogue: Any) -> None:
    data = csv_bytes(
        rows_from(
            HEADERS,
            [
                {
                    "Produkt": "Ny app",
                    "Leverantör": "Ny leverantör AB",
                    "Kategori": "Appar",
                    "Typ": "Cloud service",
                    "Fas": "Approved",
                    "Motivering": "Behövs.",
                },
                {
                    "Produkt": "Ny app 2",
                    "Leverantör": "ny leverantör ab",
                    "Kategori": "Appar",
                    "Typ": "Software",
                },
                {"Produkt": "Tredje", "Leverantör": "norrsken ab", "Typ": "Hardware"},
            ],
        )
    )
    s = spec(catalogue)
    preview = s.import_file(data, dry_run=True)
    assert preview.ok, preview.errors
    assert s.new_names() == {"vendors": ["Ny leverantör AB"], "categories": ["Appar"]}
    assert not Vendor.objects.filter(name="Ny leverantör AB").exists()
    result = spec(catalogue).import_file(data)
    assert result.ok and result.created == 3
    assert Vendor.objects.filter(name__iexact="ny leverantör ab").count() == 1
    assert ProductCategory.objects.filter(name="Appar").count() == 1
    new = Product.objects.get(name="Ny app")
    assert new.phase == Phase.APPROVED and new.kind == ProductKind.CLOUD_SERVICE
    decision = PhaseDecision.objects.get(product=new)
    assert decision.reason == "Behövs." and decision.decided_by == catalogue["keeper"].people.get()
    assert Product.objects.get(name="Tredje").vendor.name == "Norrsken AB"
    assert Product.objects.get(name="Ny app 2").phase == Phase.NOT_ASSESSED


def test_a_changed_phase_needs_reasons_and_becomes_a_decision(catalogue: Any) -> None:
    rows = read_csv(export(catalogue))
    header = rows[0]
    office = next(r for r in rows if r[0] == "Kontorspaket")
    office[header.index("Fas")] = "Retired"
    data = csv_bytes(rows)
    result = spec(catalogue).import_file(data)
    assert not result.ok
    [error] = result.errors
    assert error.column == "Motivering" and error.row == rows.index(office) + 1
    assert Product.objects.get(name="Kontorspaket").phase == Phase.APPROVED_WITH_CONSTRAINTS
    office[header.index("Motivering")] = "Ersatt av molntjänst."
    result = spec(catalogue).import_file(csv_bytes(rows))
    assert result.ok, result.errors
    assert result.updated == 1
    product = Product.objects.get(name="Kontorspaket")
    assert product.phase == Phase.RETIRED and product.constraints == ""
    latest = product.decisions.order_by("-pk").first()
    assert latest.reason == "Ersatt av molntjänst."
    # and the new export imports back unchanged again
    assert spec(catalogue).import_file(export(catalogue)).unchanged == 3


def test_errors_name_row_column_and_reason_and_change_nothing(catalogue: Any) -> None:
    data = csv_bytes(
        rows_from(
            HEADERS,
            [
                {"Produkt": "A", "Typ": "Bil"},
                {"Produkt": "B", "Typ": "Software", "Supporten upphör": "snart"},
                {"Produkt": "C", "Typ": "Software", "Fas": "Phase-out", "Motivering": "x"},
                {
                    "Produkt": "D",
                    "Typ": "Software",
                    "Fas": "Approved with constraints",
                    "Motivering": "x",
                },
            ],
        )
    )
    before = (Product.objects.count(), LogEntry.objects.count())
    result = spec(catalogue).import_file(data)
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert (2, "Typ") in where
    assert (3, "Supporten upphör") in where
    assert (4, "Avveckling slutar") in where
    assert (5, "Villkor") in where
    assert (Product.objects.count(), LogEntry.objects.count()) == before


def test_archived_product_is_refused(catalogue: Any) -> None:
    from stadga.catalogue.services_catalogue import product_archive

    product_archive(product=catalogue["fading"], actor=None)
    result = spec(catalogue).import_file(
        csv_bytes(rows_from(HEADERS, [{"Produkt": "Gammal", "Typ": "Software"}]))
    )
    assert not result.ok and "archived" in result.errors[0].message


def test_command_line(catalogue: Any, tmp_path: Any) -> None:
    out = tmp_path / "katalog.csv"
    call_command("export", "catalogue", "--municipality", "karlsborg", "--format", "csv", "-o", out)
    assert b"Kontorspaket" in out.read_bytes()
    call_command("import", "catalogue", str(out), "--municipality", "karlsborg")
    bad = tmp_path / "fel.csv"
    bad.write_bytes(csv_bytes(rows_from(HEADERS, [{"Produkt": "X", "Typ": "Bil"}])))
    with pytest.raises(CommandError):
        call_command("import", "catalogue", str(bad), "--municipality", "karlsborg")


class TestWebPages:
    @pytest.fixture
    def media(self, settings: Any, tmp_path: Any) -> Any:
        settings.STORAGES = {
            **settings.STORAGES,
            "imports": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path},
            },
        }
        return tmp_path

    def url(self, name: str, m: Any) -> str:
        return reverse(f"catalogue:{name}", kwargs={"municipality": m.slug})

    def test_upload_preview_lists_new_vendors_then_confirm(
        self, client: Any, catalogue: Any, media: Any
    ) -> None:
        m = catalogue["m"]
        client.force_login(catalogue["keeper"])
        assert client.get(self.url("product_import", m)).status_code == 200
        data = xlsx_bytes(
            rows_from(
                HEADERS, [{"Produkt": "Webbapp", "Leverantör": "Helt ny AB", "Typ": "Software"}]
            )
        )
        preview = client.post(
            self.url("product_import", m), {"file": SimpleUploadedFile("k.xlsx", data)}
        )
        assert preview.status_code == 200
        html = preview.content.decode()
        assert "Helt ny AB" in html and "Webbapp" in html
        assert not Product.objects.filter(name="Webbapp").exists()
        done = client.post(
            self.url("product_import_confirm", m), {"token": preview.context["token"]}
        )
        assert done.status_code == 302
        assert Product.objects.get(name="Webbapp").vendor.name == "Helt ny AB"

    def test_export_follows_the_list_filters_and_readers_cannot_import(
        self, client: Any, catalogue: Any
    ) -> None:
        m = catalogue["m"]
        client.force_login(member(m))  # every member may export what they read
        response = client.get(self.url("product_export", m) + "?format=csv&phase=phase_out")
        body = b"".join(response.streaming_content)
        assert b"Gammal" in body and b"Kontorspaket" not in body
        assert client.get(self.url("product_import", m)).status_code == 403
        assert client.get(self.url("product_import_template", m)).status_code == 200
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url("product_export", m)).status_code == 404


class TestSystemRegisterProductsColumn:
    """The register's "Produkter" column: the catalogue products a system runs on (P5.4)."""

    @pytest.fixture
    def setup(self) -> dict[str, Any]:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, identifier="SYS-0001", name="Ekonomi")
        a = ProductFactory(municipality=m, name="Alfa")
        b = ProductFactory(municipality=m, name="Beta")
        version = ProductVersionFactory(product=a, version="3")
        SystemProductFactory(system=system, product=a, version=version)
        return {"m": m, "system": system, "a": a, "b": b, "version": version}

    def spec(self, setup: dict[str, Any]) -> SystemTabular:
        return SystemTabular(municipality=setup["m"], actor=None)

    def export(self, setup: dict[str, Any]) -> list[list[str]]:
        s = self.spec(setup)
        return read_csv(b"".join(s.iter_csv(s.optimise(s.export_queryset()))))

    def test_export_and_reimport_unchanged(self, setup: dict[str, Any]) -> None:
        rows = self.export(setup)
        assert rows[1][rows[0].index("Produkter")] == "Alfa"
        result = self.spec(setup).import_file(csv_bytes(rows))
        assert result.ok and result.unchanged == 1

    def test_links_become_exactly_the_cell_keeping_versions(self, setup: dict[str, Any]) -> None:
        rows = self.export(setup)
        rows[1][rows[0].index("Produkter")] = "Beta; alfa"
        result = self.spec(setup).import_file(csv_bytes(rows))
        assert result.ok, result.errors
        links = dict(
            SystemProduct.objects.filter(system=setup["system"]).values_list(
                "product__name", "version_id"
            )
        )
        assert links == {"Alfa": setup["version"].pk, "Beta": None}
        rows[1][rows[0].index("Produkter")] = ""
        assert self.spec(setup).import_file(csv_bytes(rows)).ok
        assert not SystemProduct.objects.filter(system=setup["system"]).exists()

    def test_unknown_product_is_a_row_error_naming_it(self, setup: dict[str, Any]) -> None:
        rows = self.export(setup)
        rows[1][rows[0].index("Produkter")] = "Alfa; Okänd"
        result = self.spec(setup).import_file(csv_bytes(rows))
        assert not result.ok
        [error] = result.errors
        assert error.column == "Produkter" and "Okänd" in error.message and error.row == 2

    def test_absent_column_touches_nothing(self, setup: dict[str, Any]) -> None:
        rows = self.export(setup)
        at = rows[0].index("Produkter")
        without = [row[:at] + row[at + 1 :] for row in rows]
        without[1][without[0].index("Namn")] = "Nytt namn"
        result = self.spec(setup).import_file(csv_bytes(without))
        assert result.ok and result.updated == 1
        assert SystemProduct.objects.filter(system=setup["system"]).count() == 1
