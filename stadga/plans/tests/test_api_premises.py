"""The premises and tenancies API (P3.7, P3.10): premises through the generic matrix, tenants
set together through the `tenants` action (their shares summing to one), tenancies read-only."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.models import Premises, Tenancy
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, member

pytestmark = pytest.mark.django_db


class TestPremisesApi(ApiMatrix):
    resource = "premises"
    list_rows = (5, 40)

    def model_class(self) -> Any:
        return Premises

    def make(self, municipality: Municipality, **kwargs: Any) -> Premises:
        number = Premises.objects.filter(municipality=municipality).count() + 1
        return Premises.objects.create(municipality=municipality, name=f"Lokal {number}", **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"municipality": municipality.slug, "name": "Skolan", "tenure": "leased"}

    def update_data(self, obj: Premises) -> dict[str, Any]:
        return {"name": "Ändrat namn"}


def test_tenants_are_set_together_and_read_as_tenancies() -> None:
    m = MunicipalityFactory()
    premises = Premises.objects.create(municipality=m, name="Kommunhuset")
    a = DepartmentFactory(municipality=m, board__municipality=m)
    b = DepartmentFactory(municipality=m, board__municipality=m)
    url = api_url("premises-tenants", premises.pk)
    body = {
        "valid_from": "2026-01-01",
        "tenants": [{"department": a.pk, "share": "0.6"}, {"department": b.pk, "share": "0.3"}],
    }
    reader = client_for(member(m, Role.AUDITOR))
    assert reader.post(url, body, format="json").status_code == 403
    keeper = client_for(member(m, Role.IT_COORDINATOR))
    refused = keeper.post(url, body, format="json")
    assert refused.status_code == 400 and not Tenancy.objects.exists()
    body["tenants"][1]["share"] = "0.4"
    foreign = {**body, "tenants": [{"department": DepartmentFactory().pk, "share": "1"}]}
    assert keeper.post(url, foreign, format="json").status_code == 400
    created = keeper.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert sorted(row["share"] for row in created.json()) == ["0.4000", "0.6000"]

    everyone = client_for(member(m))
    listed = ids(everyone.get(api_url("tenancy-list", premises=premises.pk)))
    assert listed == set(Tenancy.objects.values_list("pk", flat=True))
    tenancy = Tenancy.objects.first()
    assert tenancy is not None
    assert everyone.post(api_url("tenancy-list"), {}).status_code == 405
    outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert outsider.get(api_url("tenancy-detail", tenancy.pk)).status_code == 404
    assert outsider.post(url, body, format="json").status_code == 404
    assert ids(outsider.get(api_url("tenancy-list"))) == set()


def test_a_leased_premises_reads_as_following_the_investment_policy() -> None:
    m = MunicipalityFactory()
    leased = Premises.objects.create(municipality=m, name="Kontoret", tenure="leased")
    data = client_for(member(m)).get(api_url("premises-detail", leased.pk)).json()
    assert data["tenure"] == "leased" and data["follows_investment_policy"] is True
