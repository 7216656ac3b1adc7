"""The product requests' API (P5.4): scoped reads, a draft written as oneself, `submit` and
`withdraw` through the services, the nested assessments, steps and inquiry (P8.2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.api.testing import api_url, client_for, ids
from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import RequestStatus
from stadga.catalogue.models import ProductRequest
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, ProductRequestFactory, member

from .test_requests_services import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def body(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "municipality": world.m.slug,
        "title": "Digitala möten",
        "product_name": "Mötesrum Pro",
        "reason": "Möten på distans.",
        "department": world.department.pk,
        "one_time_cost": "1000.00",
        "yearly_cost": "500.00",
        "goals": ["P2.1"],
        **extra,
    }


def test_list_is_scoped(world: World) -> None:
    mine = world.draft()
    others = ProductRequestFactory(municipality=world.m)
    elsewhere = ProductRequestFactory()
    assert ids(client_for(world.employee).get(api_url("productrequest-list"))) == {mine.pk}
    assert ids(client_for(world.it).get(api_url("productrequest-list"))) == {mine.pk, others.pk}
    response = client_for(world.employee).get(api_url("productrequest-detail", others.pk))
    assert response.status_code == 404
    outsider = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    assert client_for(outsider).get(api_url("productrequest-detail", mine.pk)).status_code == 404
    assert elsewhere.pk not in ids(client_for(world.it).get(api_url("productrequest-list")))


def test_anonymous_is_refused(world: World) -> None:
    assert client_for(None).get(api_url("productrequest-list")).status_code in (401, 403)


def test_create_as_oneself_and_submit(world: World) -> None:
    client = client_for(world.employee)
    response = client.post(api_url("productrequest-list"), body(world), format="json")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    assert data["status"] == RequestStatus.DRAFT and data["goals"] == ["P2.1"]
    request = ProductRequest.objects.get(pk=data["id"])
    assert request.requested_by.user == world.employee
    response = client.post(api_url("productrequest-submit", request.pk))
    assert response.status_code == 200, response.content.decode()
    data = response.json()
    assert data["status"] == RequestStatus.SUBMITTED
    assert [s["approver"] for s in data["steps"]] == ["it_department"]
    assert data["inquiry"] is None
    assert client.post(api_url("productrequest-submit", request.pk)).status_code == 400


def test_create_refuses_bad_bodies(world: World) -> None:
    client = client_for(world.employee)
    response = client.post(
        api_url("productrequest-list"), body(world, product_name=""), format="json"
    )
    assert response.status_code == 400 and "product_name" in response.json()
    response = client.post(
        api_url("productrequest-list"), body(world, goals=["P9.9"]), format="json"
    )
    assert response.status_code == 400
    other_department = ProductRequestFactory().department
    response = client.post(
        api_url("productrequest-list"), body(world, department=other_department.pk), format="json"
    )
    assert response.status_code == 400
    outsider = member(MunicipalityFactory())
    response = client_for(outsider).post(api_url("productrequest-list"), body(world), format="json")
    assert response.status_code == 400  # an unknown municipality for them
    assert not ProductRequest.objects.filter(municipality=world.m).exists()


def test_nested_assessments_steps_and_inquiry(world: World) -> None:
    request = world.submitted(is_business_system=True)
    world.assess_all(request)
    data = client_for(world.it).get(api_url("productrequest-detail", request.pk)).json()
    assert len(data["assessments"]) == 5
    assert data["steps"][0]["status"] == "pending"
    assert data["inquiry"]["status"] == "open"


def test_patch_and_withdraw(world: World) -> None:
    request = world.draft()
    client = client_for(world.employee)
    response = client.patch(
        api_url("productrequest-detail", request.pk), {"title": "Nytt"}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Nytt"
    other = client_for(member(world.m))
    assert (
        other.patch(api_url("productrequest-detail", request.pk), {"title": "X"}).status_code == 404
    )
    assert client.post(api_url("productrequest-withdraw", request.pk), {}).status_code == 400
    response = client.post(api_url("productrequest-withdraw", request.pk), {"reason": "Behövs ej."})
    assert response.status_code == 200 and response.json()["status"] == RequestStatus.WITHDRAWN
    assert client.delete(api_url("productrequest-detail", request.pk)).status_code == 405


def test_reader_may_not_submit_or_change(world: World) -> None:
    request = world.draft()
    reader = client_for(world.board_reader)
    assert reader.get(api_url("productrequest-detail", request.pk)).status_code == 200
    assert reader.post(api_url("productrequest-submit", request.pk)).status_code == 403
    response = reader.patch(api_url("productrequest-detail", request.pk), {"title": "X"})
    assert response.status_code == 403


def test_list_query_count_does_not_grow(world: World) -> None:
    client = client_for(world.it)
    counts = []
    for rows in (2, 20):
        while ProductRequest.objects.count() < rows:
            request = world.draft()
            services.request_submit(request=request, actor=world.employee)
            world.assess_all(request)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api_url("productrequest-list", page_size=500))
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
