"""The catalogue's pages (P5.4): vendors, categories and products through the generic matrix,
the product page, the phase decision, versions, and the products of a system."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from stadga.catalogue.choices import Phase, ProductKind
from stadga.catalogue.models import (
    PhaseDecision,
    Product,
    ProductCategory,
    ProductVersion,
    SystemProduct,
    Vendor,
)
from stadga.catalogue.services_phases import product_phase_set
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    ProductVersionFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix

pytestmark = [pytest.mark.django_db]


class TestVendorPages(ViewMatrix):
    """Vendors and their standing (P5.2): every member reads, the IT department keeps."""

    url_prefix = "catalogue/vendors"

    def model_class(self) -> Any:
        return Vendor

    def make(self, municipality: Municipality, **kwargs: Any) -> Vendor:
        return VendorFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "name": "Norrsken AB",
            "organisation_number": "556677-8899",
            "market_standing": "Stor leverantör till kommuner.",
        }

    def edit_data(self, obj: Vendor) -> dict[str, Any]:
        return {"name": "Ändrat namn", "organisation_number": "", "long_term_prospects": "Goda"}

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "organisation_number": "12"}


class TestProductCategoryPages(ViewMatrix):
    """Categories: the unit in which uniformity is measured (P4.1)."""

    url_prefix = "catalogue/categories"

    def model_class(self) -> Any:
        return ProductCategory

    def make(self, municipality: Municipality, **kwargs: Any) -> ProductCategory:
        return ProductCategoryFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"name": "Ekonomisystem", "is_business_system": "on"}

    def edit_data(self, obj: ProductCategory) -> dict[str, Any]:
        return {"name": "Ändrat namn", "description": "Ny"}


class TestProductPages(ViewMatrix):
    """Products (P5.4): every member reads them and their phase; the IT department keeps."""

    url_prefix = "catalogue/products"

    def model_class(self) -> Any:
        return Product

    def make(self, municipality: Municipality, **kwargs: Any) -> Product:
        return ProductFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "name": "Kontorspaket",
            "kind": ProductKind.SOFTWARE,
            "category": ProductCategoryFactory(municipality=municipality).pk,
            "vendor": VendorFactory(municipality=municipality).pk,
            "website": "https://example.se",
        }

    def edit_data(self, obj: Product) -> dict[str, Any]:
        return {
            "name": "Ändrat namn",
            "kind": ProductKind.CLOUD_SERVICE,
            "category": obj.category_id,
            "vendor": obj.vendor_id,
            "end_of_support": "2030-01-31",
        }

    def test_a_new_product_is_not_assessed_and_the_form_cannot_set_a_phase(
        self, client: Any, municipality: Municipality
    ) -> None:
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        data = {**self.form_data(municipality), "phase": Phase.APPROVED}
        response = client.post(self.url(municipality, "new"), data)
        assert response.status_code == 302
        assert Product.objects.get(name="Kontorspaket").phase == Phase.NOT_ASSESSED

    def test_other_municipalitys_category_is_not_offered_or_accepted(
        self, client: Any, obj: Product
    ) -> None:
        m = obj.municipality
        client.force_login(member(m, Role.IT_COORDINATOR))
        foreign = ProductCategoryFactory(municipality=MunicipalityFactory(), name="Främmande")
        assert "Främmande" not in client.get(self.url(m, "new")).content.decode()
        data = {**self.form_data(m), "category": foreign.pk}
        response = client.post(self.url(m, "new"), data)
        assert response.status_code == 400
        assert not Product.objects.filter(name="Kontorspaket").exists()

    def test_list_filters(self, client: Any, municipality: Municipality) -> None:
        today = timezone.localdate()
        approved = self.make(municipality, name="Kontorspaket")
        retired = self.make(municipality, name="Utgången", phase=Phase.RETIRED)
        old = self.make(municipality, name="Gammal", end_of_support=today - datetime.timedelta(1))
        hardware = self.make(municipality, name="Skrivare", kind=ProductKind.HARDWARE)
        client.force_login(member(municipality))
        base = self.url(municipality)

        def names(query: str) -> set[str]:
            page = client.get(base + query).content.decode()
            return {p.name for p in (approved, retired, old, hardware) if f">{p.name}<" in page}

        assert names("?phase=retired") == {"Utgången"}
        assert names("?flagged=yes") == {"Utgången", "Gammal"}
        assert names("?flagged=no") == {"Kontorspaket", "Skrivare"}
        assert names("?kind=hardware") == {"Skrivare"}
        assert names(f"?category={approved.category_id}") == {"Kontorspaket"}
        assert names(f"?vendor={old.vendor_id}") == {"Gammal"}
        assert names("?q=skriv") == {"Skrivare"}


class TestProductPage:
    def test_shows_phase_history_versions_systems_and_vendor(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        keeper = member(municipality, Role.IT_COORDINATOR)
        vendor = VendorFactory(municipality=municipality, market_standing="Marknadsledande")
        product = ProductFactory(municipality=municipality, vendor=vendor, phase=Phase.NOT_ASSESSED)
        product_phase_set(
            product=product,
            phase=Phase.APPROVED_WITH_CONSTRAINTS,
            reason="Väl beprövad (P5.1).",
            constraints="Endast för administrationen.",
            decided_by=keeper.people.get(),
            actor=keeper,
        )
        version = ProductVersionFactory(
            product=product, version="9.1", end_of_support=datetime.date(2020, 1, 1)
        )
        seen = SystemFactory(municipality=municipality, name="Synligt system")
        hidden = SystemFactory(municipality=municipality, name="Dolt system")
        SystemProductFactory(system=seen, product=product, version=version)
        SystemProductFactory(system=hidden, product=product)
        owner = member(municipality)
        seen.system_owner = owner.people.get()
        seen.save()
        client.force_login(owner)
        page = client.get(product.get_absolute_url()).content.decode()
        assert "Endast för administrationen." in page
        assert "Väl beprövad (P5.1)." in page
        assert keeper.people.get().name in page
        assert "9.1" in page and "Marknadsledande" in page
        assert "Synligt system" in page and "Dolt system" not in page
        assert "/phase/" not in page  # no decision for a member

    def test_not_approved_product_shows_approved_alternatives(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        category = ProductCategoryFactory(municipality=municipality)
        rejected = ProductFactory(
            municipality=municipality, category=category, phase=Phase.REJECTED
        )
        ProductFactory(municipality=municipality, category=category, name="Alternativet")
        client.force_login(member(municipality))
        page = client.get(rejected.get_absolute_url()).content.decode()
        assert "Alternativet" in page


class TestPhaseDecisionPage:
    def url(self, product: Product) -> str:
        return f"/k/{product.municipality.slug}/catalogue/products/{product.pk}/phase/"

    def test_it_department_records_a_decision(self, client: Any) -> None:
        product = ProductFactory(phase=Phase.NOT_ASSESSED)
        user = member(product.municipality, Role.IT_TECHNICIAN)
        client.force_login(user)
        assert client.get(self.url(product)).status_code == 200
        response = client.post(
            self.url(product),
            {
                "phase": Phase.PHASE_OUT,
                "effective_from": "2025-01-01",
                "ends_on": "2027-06-30",
                "reason": "Ersätts av en molntjänst.",
            },
        )
        assert response.status_code == 302
        product.refresh_from_db()
        assert product.phase == Phase.PHASE_OUT
        assert product.phase_ends_on == datetime.date(2027, 6, 30)
        decision = PhaseDecision.objects.get(product=product)
        assert decision.decided_by == user.people.get()
        assert LogEntry.objects.get_for_object(decision).get().actor == user

    def test_errors_are_on_the_fields(self, client: Any) -> None:
        product = ProductFactory()
        client.force_login(member(product.municipality, Role.IT_COORDINATOR))
        response = client.post(self.url(product), {"phase": Phase.PHASE_OUT, "reason": "Gammal"})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error-summary"' in page and 'href="#id_ends_on"' in page
        response = client.post(
            self.url(product), {"phase": Phase.APPROVED_WITH_CONSTRAINTS, "reason": "Ja"}
        )
        assert 'href="#id_constraints"' in response.content.decode()
        response = client.post(self.url(product), {"phase": Phase.APPROVED, "reason": ""})
        assert 'href="#id_reason"' in response.content.decode()
        assert not PhaseDecision.objects.exists()

    @pytest.mark.parametrize("role", [None, Role.AUDITOR, Role.EXECUTIVE_BOARD_READER])
    def test_others_are_refused(self, client: Any, role: str | None) -> None:
        product = ProductFactory()
        client.force_login(member(product.municipality, role))
        assert client.get(self.url(product)).status_code == 403
        data = {"phase": Phase.RETIRED, "reason": "Nej"}
        assert client.post(self.url(product), data).status_code == 403
        assert not PhaseDecision.objects.exists()

    def test_other_municipality_gets_404(self, client: Any) -> None:
        product = ProductFactory()
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(product)).status_code == 404


class TestVersionPages:
    def test_keeper_adds_edits_archives_and_restores_a_version(self, client: Any) -> None:
        product = ProductFactory()
        slug = product.municipality.slug
        client.force_login(member(product.municipality, Role.IT_COORDINATOR))
        base = f"/k/{slug}/catalogue/products/"
        assert client.get(f"{base}{product.pk}/versions/new/").status_code == 200
        response = client.post(
            f"{base}{product.pk}/versions/new/",
            {
                "version": "2024",
                "general_availability": "2024-01-01",
                "end_of_support": "2029-01-01",
            },
        )
        assert response.status_code == 302
        version = ProductVersion.objects.get(product=product)
        response = client.post(
            f"{base}versions/{version.pk}/edit/",
            {
                "version": "2024",
                "general_availability": "2024-01-01",
                "end_of_support": "2023-01-01",
            },
        )
        assert response.status_code == 400  # support cannot end before availability
        assert 'href="#id_end_of_support"' in response.content.decode()
        response = client.post(f"{base}versions/{version.pk}/edit/", {"version": "2024 LTS"})
        assert response.status_code == 302
        version.refresh_from_db()
        assert version.version == "2024 LTS"
        assert client.post(f"{base}versions/{version.pk}/archive/").status_code == 302
        version.refresh_from_db()
        assert version.is_archived
        assert client.post(f"{base}versions/{version.pk}/restore/").status_code == 302
        version.refresh_from_db()
        assert not version.is_archived

    def test_duplicate_version_is_a_field_error(self, client: Any) -> None:
        version = ProductVersionFactory(version="1.0")
        product = version.product
        client.force_login(member(product.municipality, Role.IT_COORDINATOR))
        url = f"/k/{product.municipality.slug}/catalogue/products/{product.pk}/versions/new/"
        response = client.post(url, {"version": "1.0"})
        assert response.status_code == 400
        assert ProductVersion.objects.count() == 1

    def test_reader_and_outsider_cannot_write(self, client: Any) -> None:
        version = ProductVersionFactory()
        m = version.municipality
        base = f"/k/{m.slug}/catalogue/products/"
        client.force_login(member(m, Role.AUDITOR))
        assert client.get(f"{base}{version.product_id}/versions/new/").status_code == 403
        assert (
            client.post(f"{base}versions/{version.pk}/edit/", {"version": "x"}).status_code == 403
        )
        assert client.post(f"{base}versions/{version.pk}/archive/").status_code == 403
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(f"{base}versions/{version.pk}/edit/").status_code == 404
        assert client.post(f"{base}versions/{version.pk}/archive/").status_code == 404
        version.refresh_from_db()
        assert version.version != "x" and not version.is_archived


class TestSystemProductsPage:
    def url(self, system: Any) -> str:
        return f"/k/{system.municipality.slug}/catalogue/systems/{system.pk}/products/"

    def test_system_owner_adds_changes_and_removes_products(self, client: Any) -> None:
        system = SystemFactory()
        m = system.municipality
        owner = member(m, Role.SYSTEM_OWNER, system=system)
        product = ProductFactory(municipality=m, name="Databas")
        version = ProductVersionFactory(product=product, version="16")
        client.force_login(owner)
        assert client.get(self.url(system)).status_code == 200
        response = client.post(self.url(system), {"action": "add", "product": product.pk})
        assert response.status_code == 302
        assert SystemProduct.objects.get(system=system).version is None
        client.post(
            self.url(system), {"action": "add", "product": product.pk, "version": version.pk}
        )
        link = SystemProduct.objects.get(system=system)
        assert link.version == version
        entries = LogEntry.objects.get_for_object(link)
        assert entries.count() == 2 and {e.actor for e in entries} == {owner}
        page = client.get(system.get_absolute_url()).content.decode()
        assert "Databas" in page and "16" in page
        response = client.post(self.url(system), {"action": "remove", "product": product.pk})
        assert response.status_code == 302
        assert not SystemProduct.objects.filter(system=system).exists()

    def test_version_of_another_product_is_a_field_error(self, client: Any) -> None:
        system = SystemFactory()
        m = system.municipality
        client.force_login(member(m, Role.IT_COORDINATOR))
        product = ProductFactory(municipality=m)
        other_version = ProductVersionFactory(product=ProductFactory(municipality=m))
        response = client.post(
            self.url(system), {"action": "add", "product": product.pk, "version": other_version.pk}
        )
        assert response.status_code == 400
        assert 'href="#id_version"' in response.content.decode()
        assert not SystemProduct.objects.exists()

    def test_other_municipalitys_product_is_refused(self, client: Any) -> None:
        system = SystemFactory()
        client.force_login(member(system.municipality, Role.IT_COORDINATOR))
        foreign = ProductFactory(municipality=MunicipalityFactory())
        response = client.post(self.url(system), {"action": "add", "product": foreign.pk})
        assert response.status_code == 400
        assert not SystemProduct.objects.exists()

    def test_readers_get_403_unseen_404_other_municipality_404(self, client: Any) -> None:
        system = SystemFactory()
        m = system.municipality
        product = ProductFactory(municipality=m)
        SystemProductFactory(system=system, product=product)
        other_board = {"board": BoardFactory(municipality=m)}
        for role, scope, status in (
            (Role.AUDITOR, {}, 403),
            (Role.BOARD_MEMBER, {"board": system.board}, 403),
            (Role.BOARD_MEMBER, other_board, 404),
            (None, {}, 404),
        ):
            client.force_login(member(m, role, **scope))
            assert client.get(self.url(system)).status_code == status, role
            remove = {"action": "remove", "product": product.pk}
            assert client.post(self.url(system), remove).status_code == status, role
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(system)).status_code == 404
        assert SystemProduct.objects.filter(system=system).exists()

    def test_system_page_links_to_the_products_page_only_for_editors(self, client: Any) -> None:
        system = SystemFactory()
        m = system.municipality
        client.force_login(member(m, Role.AUDITOR))
        assert self.url(system) not in client.get(system.get_absolute_url()).content.decode()
        client.force_login(member(m, Role.IT_TECHNICIAN))
        assert self.url(system) in client.get(system.get_absolute_url()).content.decode()


class TestSubNavigation:
    """The catalogue's sub-navigation offers each user the pages they may open: the rights are
    read off the request's Access (core.context_processors), with no query of their own."""

    def links(self, client: Any, user: Any, municipality: Municipality) -> set[str]:
        client.force_login(user)
        page = client.get(f"/k/{municipality.slug}/catalogue/").content.decode()
        nav = page[page.index('class="sub-nav"') :]
        nav = nav[: nav.index("</nav>")]
        base = f"/k/{municipality.slug}/catalogue/"
        return {
            name
            for name in ("products/", "requests/", "inquiries/", "exceptions/", "uniformity/")
            if f'href="{base}{name}"' in nav
        }

    def test_the_it_department_sees_every_page(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        it = member(municipality, Role.IT_COORDINATOR)
        assert self.links(client, it, municipality) == {
            "products/",
            "requests/",
            "inquiries/",
            "exceptions/",
            "uniformity/",
        }

    def test_an_employee_sees_what_they_may_open(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        employee = member(municipality, Role.EMPLOYEE)
        assert self.links(client, employee, municipality) == {"products/", "requests/"}

    def test_the_executive_board_reads_but_answers_no_inquiries(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        reader = member(municipality, Role.EXECUTIVE_BOARD_READER)
        assert self.links(client, reader, municipality) == {
            "products/",
            "requests/",
            "exceptions/",
            "uniformity/",
        }
