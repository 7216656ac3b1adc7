"""A product request's goals (P2) as a relation to its municipality's goals (`plans.Goal`): the
migration that turned the clause IDs into links (catalogue 0003/0004), the request form's
checkboxes, the API's goal codes, the request's page and the goal's page listing the requests
serving it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadga.api.testing import api_url, client_for
from stadga.catalogue import services_requests as services
from stadga.catalogue.forms_requests import ProductRequestForm
from stadga.catalogue.models import ProductRequest
from stadga.organisation.access import Access
from stadga.plans.models import Goal
from stadga.testing.factories import MunicipalityFactory, ProductRequestFactory, member

from .test_requests_services import World


@pytest.fixture
def world(db: Any) -> World:
    return World()


# --- the migration --------------------------------------------------------------------------------

BEFORE = [
    ("catalogue", "0002_vendor_from_register"),
    ("plans", "0002_seed_goals_and_cost_categories"),
]
AFTER = [("catalogue", "0004_productrequest_goals_rename")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_goals_relation(transactional_db: Any) -> Iterator[Any]:
    """The historical models while goals were a list of clause IDs; the latest schema again
    afterwards, so the tests that follow find the database as they expect it."""
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())


def _request(apps: Any, municipality: Any, title: str, goals: Any) -> Any:
    Board = apps.get_model("organisation", "Board")
    Department = apps.get_model("organisation", "Department")
    Person = apps.get_model("organisation", "Person")
    ProductRequest = apps.get_model("catalogue", "ProductRequest")
    board, _created = Board.objects.get_or_create(municipality=municipality, name="Nämnd")
    department, _created = Department.objects.get_or_create(
        municipality=municipality, board=board, name="Förvaltning"
    )
    person, _created = Person.objects.get_or_create(municipality=municipality, name="Anna")
    return ProductRequest.objects.create(
        municipality=municipality,
        title=title,
        product_name="Mötesrum Pro",
        reason="Möten på distans.",
        requested_by=person,
        department=department,
        goals=goals,
    )


@pytest.mark.django_db(transaction=True)
def test_migration_links_codes_to_the_municipalitys_goals_and_back(
    before_goals_relation: Any,
) -> None:
    apps = before_goals_relation
    Municipality = apps.get_model("organisation", "Municipality")
    Goal_ = apps.get_model("plans", "Goal")
    karlsborg = Municipality.objects.create(name="Karlsborg", slug="karlsborg-mig", code="1446")
    hjo = Municipality.objects.create(name="Hjo", slug="hjo-mig", code="1497")
    # Historical models send no signals: seed the goals as migration plans 0002 did, and leave
    # out Karlsborg's P2.4 as if it had been deleted by hand.
    for municipality, codes in ((karlsborg, ("P2.1", "P2.2", "P2.3")), (hjo, ("P2.1", "P2.3"))):
        for order, code in enumerate(codes, start=1):
            Goal_.objects.create(municipality=municipality, code=code, name=code, order=order)
    both = _request(apps, karlsborg, "Båda", ["P2.1", "P2.3", "P2.3"])
    restored = _request(apps, karlsborg, "Återskapad", ["P2.4"])
    unknown = _request(apps, karlsborg, "Okänd", ["P9.9", "P2.2"])
    none = _request(apps, karlsborg, "Inga", [])
    in_hjo = _request(apps, hjo, "Hjo", ["P2.1"])

    apps = _migrate(AFTER)
    ProductRequest_ = apps.get_model("catalogue", "ProductRequest")
    Goal_ = apps.get_model("plans", "Goal")

    def codes(pk: int) -> list[tuple[int, str]]:
        request = ProductRequest_.objects.get(pk=pk)
        return sorted((g.municipality_id, g.code) for g in request.goals.all())

    assert codes(both.pk) == [(karlsborg.pk, "P2.1"), (karlsborg.pk, "P2.3")]
    # A default goal the municipality lacked is created from the 2006 defaults …
    assert codes(restored.pk) == [(karlsborg.pk, "P2.4")]
    created = Goal_.objects.get(municipality_id=karlsborg.pk, code="P2.4")
    assert created.name == "Utbildning" and created.order == 4
    # … a code that is no goal at all is left out, and nothing is invented for it.
    assert codes(unknown.pk) == [(karlsborg.pk, "P2.2")]
    assert not Goal_.objects.filter(code="P9.9").exists()
    assert codes(none.pk) == []
    assert codes(in_hjo.pk) == [(hjo.pk, "P2.1")]
    assert not Goal_.objects.filter(municipality_id=hjo.pk, code="P2.4").exists()

    # Backwards: the linked goals' codes go back into the list.
    apps = _migrate(BEFORE)
    ProductRequest_ = apps.get_model("catalogue", "ProductRequest")
    assert ProductRequest_.objects.get(pk=both.pk).goals == ["P2.1", "P2.3"]
    assert ProductRequest_.objects.get(pk=unknown.pk).goals == ["P2.2"]
    assert ProductRequest_.objects.get(pk=none.pk).goals == []
    assert ProductRequest_.objects.get(pk=in_hjo.pk).goals == ["P2.1"]


# --- the form -------------------------------------------------------------------------------------


def test_form_offers_the_municipalitys_current_goals_as_checkboxes(world: World) -> None:
    Goal.objects.filter(municipality=world.m, code="P2.4").update(archived_at=timezone.now())
    MunicipalityFactory()  # another municipality's goals are not offered
    form = ProductRequestForm(municipality=world.m, access=Access.for_user(world.employee))
    field = form.fields["goals"]
    assert [g.code for g in field.queryset] == ["P2.1", "P2.2", "P2.3"]
    assert 'type="checkbox" name="goals"' in str(form["goals"])


def test_form_keeps_an_archived_goal_the_request_already_serves(world: World) -> None:
    request = world.draft(goals=[world.goal("P2.4")])
    Goal.objects.filter(municipality=world.m, code="P2.4").update(archived_at=timezone.now())
    form = ProductRequestForm(
        instance=request,
        initial={"goals": list(request.goals.all())},
        municipality=world.m,
        access=Access.for_user(world.employee),
    )
    assert "P2.4" in [g.code for g in form.fields["goals"].queryset]


def test_form_refuses_another_municipalitys_goal(world: World) -> None:
    other = Goal.objects.get(municipality=MunicipalityFactory(), code="P2.1")
    form = ProductRequestForm(
        data={
            "title": "Möten",
            "product_name": "Mötesrum Pro",
            "kind": "software",
            "reason": "Möten på distans.",
            "department": world.department.pk,
            "one_time_cost": "0",
            "yearly_cost": "0",
            "goals": [other.pk],
        },
        municipality=world.m,
        access=Access.for_user(world.employee),
    )
    assert not form.is_valid() and "goals" in form.errors


# --- the pages ------------------------------------------------------------------------------------


def test_request_page_shows_its_goals_linked(client: Any, world: World) -> None:
    request = world.draft()
    client.force_login(world.employee)
    page = client.get(request.get_absolute_url()).content.decode()
    for code in ("P2.1", "P2.3"):
        goal = world.goal(code)
        assert f'<a href="{goal.get_absolute_url()}">{goal}</a>' in page
    assert str(world.goal("P2.2")) not in page


def test_request_edit_page_changes_the_goals(client: Any, world: World) -> None:
    request = world.draft()
    client.force_login(world.employee)
    url = reverse("catalogue:productrequest_edit", args=[world.m.slug, request.pk])
    page = client.get(url).content.decode()
    assert f'value="{world.goal("P2.1").pk}"' in page and "checked" in page
    data = {
        "title": request.title,
        "product_name": request.product_name,
        "kind": request.kind,
        "reason": request.reason,
        "department": world.department.pk,
        "one_time_cost": "0",
        "yearly_cost": "0",
        "goals": [world.goal("P2.2").pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [g.code for g in request.goals.all()] == ["P2.2"]


def test_goal_page_lists_the_requests_the_user_reads(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    mine = world.draft(title="Mitt behov")
    colleague = member(world.m)
    others = services.request_create(
        municipality=world.m,
        data=world.data(title="Kollegans behov", department=world.department),
        actor=colleague,
    )
    serving_other = world.draft(title="Annat mål", goals=[world.goal("P2.2")])
    elsewhere = ProductRequestFactory(title="Annan kommun")
    elsewhere.goals.set([Goal.objects.get(municipality=elsewhere.municipality, code="P2.1")])
    goal_url = world.goal("P2.1").get_absolute_url()

    client.force_login(world.employee)  # reads their own requests only
    page = client.get(goal_url).content.decode()
    assert "Mitt behov" in page and "Kollegans behov" not in page
    assert mine.get_absolute_url() in page

    client.force_login(world.it)  # reads every request of the municipality
    page = client.get(goal_url).content.decode()
    assert "Mitt behov" in page and "Kollegans behov" in page
    assert others.get_absolute_url() in page
    assert serving_other.title not in page and "Annan kommun" not in page

    # The list does not cost a query per request.
    with CaptureQueriesContext(connection) as few:
        client.get(goal_url)
    for n in range(5):
        world.draft(title=f"Fler {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(goal_url).content.decode()
    assert "Fler 4" in page


# --- the API --------------------------------------------------------------------------------------


def _body(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "municipality": world.m.slug,
        "title": "Digitala möten",
        "product_name": "Mötesrum Pro",
        "reason": "Möten på distans.",
        "department": world.department.pk,
        **extra,
    }


def test_api_writes_and_reads_goals_by_code(world: World) -> None:
    client = client_for(world.employee)
    response = client.post(
        api_url("productrequest-list"), _body(world, goals=["P2.3", "P2.1"]), format="json"
    )
    assert response.status_code == 201, response.content.decode()
    assert sorted(response.json()["goals"]) == ["P2.1", "P2.3"]
    request = ProductRequest.objects.get(pk=response.json()["id"])
    assert {g.pk for g in request.goals.all()} == {world.goal("P2.1").pk, world.goal("P2.3").pk}
    response = client.patch(
        api_url("productrequest-detail", request.pk), {"goals": ["P2.2"]}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["goals"] == ["P2.2"]
    assert [g.code for g in request.goals.all()] == ["P2.2"]


def test_api_refuses_an_unknown_code_with_a_clear_error(world: World) -> None:
    response = client_for(world.employee).post(
        api_url("productrequest-list"), _body(world, goals=["P2.1", "P9.9"]), format="json"
    )
    assert response.status_code == 400
    [message] = response.json()["goals"]
    assert "P9.9" in message and "P2.1" not in message  # names the code it does not know
    assert not ProductRequest.objects.filter(municipality=world.m).exists()


def test_api_refuses_another_municipalitys_goal(world: World) -> None:
    # A code only another municipality has is unknown here; so is a goal named by id.
    elsewhere = MunicipalityFactory()
    Goal.objects.create(municipality=elsewhere, code="P2.9", name="Egen")
    client = client_for(world.employee)
    response = client.post(
        api_url("productrequest-list"), _body(world, goals=["P2.9"]), format="json"
    )
    assert response.status_code == 400 and "P2.9" in str(response.json()["goals"])
    other = Goal.objects.get(municipality=elsewhere, code="P2.1")
    response = client.post(
        api_url("productrequest-list"), _body(world, goals=[other.pk]), format="json"
    )
    assert response.status_code == 400 and "goals" in response.json()
    assert not ProductRequest.objects.filter(municipality=world.m).exists()


def test_api_refuses_an_archived_goal(world: World) -> None:
    Goal.objects.filter(municipality=world.m, code="P2.4").update(archived_at=timezone.now())
    response = client_for(world.employee).post(
        api_url("productrequest-list"), _body(world, goals=["P2.4"]), format="json"
    )
    assert response.status_code == 400 and "P2.4" in str(response.json()["goals"])


def test_api_list_reads_goals_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.it)
    world.draft()
    with CaptureQueriesContext(connection) as few:
        assert client.get(api_url("productrequest-list")).status_code == 200
    for n in range(4):
        world.draft(title=f"Behov {n}", goals=[world.goal("P2.2"), world.goal("P2.4")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(api_url("productrequest-list"))
    goals = {r["title"]: r["goals"] for r in response.json()["results"]}
    assert sorted(goals["Behov 3"]) == ["P2.2", "P2.4"]
