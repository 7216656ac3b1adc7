"""The catalogue's API through the generic matrix: every member reads, the IT department writes,
another municipality's objects are 404s. Plus the product phase action (P5.4) and the read-only
phase decisions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry

from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision, Product, ProductCategory, ProductVersion, Vendor
from stadga.catalogue.services_phases import product_phase_set
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    ProductVersionFactory,
    VendorFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


class TestVendorApi(ApiMatrix):
    resource = "vendor"

    def model_class(self) -> Any:
        return Vendor

    def make(self, municipality: Municipality, **kwargs: Any) -> Vendor:
        return VendorFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"municipality": municipality.slug, "name": "Norrsken AB"}

    def update_data(self, obj: Vendor) -> dict[str, Any]:
        return {"name": "Ändrat AB", "market_standing": "Stark"}


class TestProductCategoryApi(ApiMatrix):
    resource = "productcategory"

    def model_class(self) -> Any:
        return ProductCategory

    def make(self, municipality: Municipality, **kwargs: Any) -> ProductCategory:
        return ProductCategoryFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"municipality": municipality.slug, "name": "Ekonomi", "is_business_system": True}

    def update_data(self, obj: ProductCategory) -> dict[str, Any]:
        return {"name": "Ändrad", "description": "Ny"}


class TestProductApi(ApiMatrix):
    resource = "product"

    def model_class(self) -> Any:
        return Product

    def make(self, municipality: Municipality, **kwargs: Any) -> Product:
        return ProductFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "name": "Kontorspaket",
            "kind": "cloud_service",
            "vendor": VendorFactory(municipality=municipality).pk,
        }

    def update_data(self, obj: Product) -> dict[str, Any]:
        return {"name": "Ändrad", "notes": "Nya anteckningar"}

    def test_phase_is_read_only_and_current_phase_is_shown(self, municipality: Any) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "phase": "approved"}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 201
        assert response.json()["phase"] == Phase.NOT_ASSESSED
        assert response.json()["flags"] == ["never_approved"]

    def test_filters(self, municipality: Any) -> None:
        vendor = VendorFactory(municipality=municipality)
        a = self.make(municipality, vendor=vendor, name="Alfa")
        b = self.make(municipality, phase=Phase.RETIRED, kind="hardware", name="Beta")
        client = client_for(member(municipality))

        def found(**query: object) -> set[int]:
            return ids(client.get(self.list_url(**query)))

        assert found(phase="retired") == {b.pk}
        assert found(kind="hardware") == {b.pk}
        assert found(vendor=vendor.pk) == {a.pk}
        assert found(category=a.category_id) == {a.pk}
        assert found(flagged="true") == {b.pk}
        assert found(search="alf") == {a.pk}
        assert found(search=vendor.name) == {a.pk}

    def test_phase_action(self, obj: Product) -> None:
        m = obj.municipality
        keeper = member(m, Role.IT_TECHNICIAN)
        url = self.detail_url(obj, "phase")
        body = {"phase": "phase_out", "ends_on": "2030-06-30", "reason": "Ersätts."}
        for user, status in ((member(m), 403), (member(m, Role.AUDITOR), 403)):
            assert client_for(user).post(url, body, format="json").status_code == status
        outsider = member(MunicipalityFactory(), Role.IT_COORDINATOR)
        assert client_for(outsider).post(url, body, format="json").status_code == 404
        assert not PhaseDecision.objects.exists()
        client = client_for(keeper)
        refused = client.post(url, {"phase": "phase_out", "reason": "x"}, format="json")
        assert refused.status_code == 400 and "ends_on" in refused.json()
        refused = client.post(url, {"phase": "approved"}, format="json")
        assert refused.status_code == 400 and "reason" in refused.json()
        response = client.post(url, body, format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["phase"] == "phase_out" and data["phase_ends_on"] == "2030-06-30"
        decision = PhaseDecision.objects.get(product=obj)
        assert decision.decided_by == keeper.people.get()
        assert LogEntry.objects.get_for_object(decision).get().actor == keeper


class TestProductVersionApi(ApiMatrix):
    resource = "productversion"

    def model_class(self) -> Any:
        return ProductVersion

    def make(self, municipality: Municipality, **kwargs: Any) -> ProductVersion:
        return ProductVersionFactory(product=ProductFactory(municipality=municipality), **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        product = ProductFactory(municipality=municipality)
        for _ in range(count):
            ProductVersionFactory(product=product)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "product": ProductFactory(municipality=municipality).pk,
            "version": "2024",
            "end_of_support": "2029-12-31",
        }

    def update_data(self, obj: ProductVersion) -> dict[str, Any]:
        return {"version": "2025 LTS"}

    def test_another_municipalitys_product_is_unknown(self, municipality: Any) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "product": ProductFactory().pk}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400 and "product" in response.json()


class TestPhaseDecisionApi:
    def test_read_only_scoped_records(self) -> None:
        product = ProductFactory(phase=Phase.NOT_ASSESSED)
        m = product.municipality
        keeper = member(m, Role.IT_COORDINATOR)
        decision = product_phase_set(
            product=product,
            phase=Phase.APPROVED,
            reason="Bra.",
            effective_from=datetime.date(2025, 1, 1),
            actor=keeper,
        )
        client = client_for(member(m))
        assert ids(client.get(api_url("phasedecision-list"))) == {decision.pk}
        detail = client.get(api_url("phasedecision-detail", decision.pk))
        assert detail.status_code == 200 and detail.json()["reason"] == "Bra."
        keeper_client = client_for(keeper)
        assert keeper_client.post(api_url("phasedecision-list"), {}).status_code == 405
        url = api_url("phasedecision-detail", decision.pk)
        assert keeper_client.patch(url, {"reason": "x"}).status_code == 405
        assert keeper_client.delete(url).status_code == 405
        outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert outsider.get(url).status_code == 404
        assert ids(outsider.get(api_url("phasedecision-list"))) == set()
        assert ids(client.get(api_url("phasedecision-list", product=product.pk))) == {decision.pk}
