"""The board secretary (nämndsekreterare) and the IT plans (P3.4, P3.5): they read their board's
plan with its costs, draw it up and record the board's adoption like a member of the board, are
reminded with the members, and another board's plan stays a 404 for them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.api.testing import api_url, client_for
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.plans import services
from stadga.plans.access import (
    can_create_plan,
    can_write_board_plan,
    keeps_plan_data,
    plan_q,
)
from stadga.plans.choices import PlanStatus
from stadga.plans.models import ITPlan, PlanItem
from stadga.plans.reminders import follow_up_due, plan_not_adopted
from stadga.plans.selectors import plan_rollup, visible_boards
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)

from .factories import ITPlanFactory, PlanItemFactory, adopted_plan, cost

pytestmark = pytest.mark.django_db


def person_of(user: object, municipality: Municipality) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


@pytest.fixture
def two_boards() -> dict[str, Any]:
    """The school board, whose secretary the user is, and the social board, with a draft plan
    each for 2026 and one costed item each."""
    m = MunicipalityFactory()
    school = BoardFactory(municipality=m, name="Barn- och utbildningsnämnden")
    social = BoardFactory(municipality=m, name="Socialnämnden")
    own = ITPlanFactory(municipality=m, board=school, year=2026)
    other = ITPlanFactory(municipality=m, board=social, year=2026)
    own_item = PlanItemFactory(plan=own, title="Elevdatorer åk 7")
    cost(own_item, 2026, 1_250_000, 85_000)
    other_item = PlanItemFactory(plan=other, title="Digital nattillsyn")
    cost(other_item, 2026, 150_000, 90_000)
    secretary = member(m, Role.BOARD_SECRETARY, board=school)
    return {
        "municipality": m,
        "school": school,
        "social": social,
        "own": own,
        "other": other,
        "own_item": own_item,
        "other_item": other_item,
        "secretary": secretary,
    }


# --- who may (stadga.plans.access) ----------------------------------------------------------------


def test_the_secretary_reads_and_writes_their_boards_plans_and_keeps_nothing_else(
    two_boards: dict[str, Any],
) -> None:
    m, school, social = two_boards["municipality"], two_boards["school"], two_boards["social"]
    access = Access.for_user(two_boards["secretary"])
    assert access.board_secretary_of == {school.pk} and access.board_member_of == set()
    assert set(ITPlan.objects.filter(plan_q(access)).values_list("pk", flat=True)) == {
        two_boards["own"].pk
    }
    assert set(PlanItem.objects.filter(plan_q(access, "plan__")).values_list("pk", flat=True)) == {
        two_boards["own_item"].pk
    }
    assert can_write_board_plan(access, m.pk, school.pk)
    assert not can_write_board_plan(access, m.pk, social.pk)
    assert can_create_plan(access, m.pk)
    assert not can_create_plan(access, MunicipalityFactory().pk)
    assert list(visible_boards(access, m)) == [school]
    # Goals, cost categories and settings stay the IT coordinator's.
    assert not keeps_plan_data(access, m.pk)


def test_a_secretary_of_a_board_elsewhere_plans_nothing_here(two_boards: dict[str, Any]) -> None:
    elsewhere = MunicipalityFactory()
    user = member(elsewhere, Role.BOARD_SECRETARY, board=BoardFactory(municipality=elsewhere))
    access = Access.for_user(user)
    m = two_boards["municipality"]
    assert not ITPlan.objects.filter(plan_q(access), municipality=m).exists()
    assert not can_write_board_plan(access, m.pk, two_boards["school"].pk)
    assert not visible_boards(access, m).exists()


# --- the pages ----------------------------------------------------------------------------------


def test_the_secretary_lists_their_boards_plans_only_in_fixed_queries(
    client: Any, two_boards: dict[str, Any]
) -> None:
    m, school = two_boards["municipality"], two_boards["school"]
    client.force_login(two_boards["secretary"])
    url = f"/k/{m.slug}/plans/"
    counts = []
    for plans in (2, 8):
        while ITPlan.objects.filter(board=school).count() < plans:
            year = 2026 + ITPlan.objects.filter(board=school).count()
            ITPlanFactory(municipality=m, board=school, year=year)
            ITPlanFactory(municipality=m, board=two_boards["social"], year=year)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    page = response.content.decode()
    for plan in ITPlan.objects.filter(municipality=m):
        assert (plan.get_absolute_url() in page) is (plan.board_id == school.pk), plan


def test_the_secretary_finds_the_plan_with_its_costs_and_not_another_boards(
    client: Any, two_boards: dict[str, Any]
) -> None:
    own, other = two_boards["own"], two_boards["other"]
    client.force_login(two_boards["secretary"])
    response = client.get(own.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Elevdatorer åk 7" in page
    assert "1\u00a0250\u00a0000" in page and "85\u00a0000" in page  # per year, in SEK
    assert f"{own.get_absolute_url()}adopt/" in page  # the step is offered
    assert client.get(f"{own.get_absolute_url()}pdf/").status_code == 200
    assert client.get(two_boards["own_item"].get_absolute_url()).status_code == 200
    # Another board's plan, its items and its PDF: a 404, never a hint.
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(f"{other.get_absolute_url()}pdf/").status_code == 404
    assert client.get(f"{other.get_absolute_url()}adopt/").status_code == 404
    assert client.get(two_boards["other_item"].get_absolute_url()).status_code == 404
    assert (
        "Digital nattillsyn"
        not in client.get(f"/k/{own.municipality.slug}/plans/items/").content.decode()
    )


def test_the_secretary_draws_up_a_plan_for_their_board_only(
    client: Any, two_boards: dict[str, Any]
) -> None:
    m, school, social = two_boards["municipality"], two_boards["school"], two_boards["social"]
    client.force_login(two_boards["secretary"])
    form = client.get(f"/k/{m.slug}/plans/new/").content.decode()
    assert f'value="{school.pk}"' in form and f'value="{social.pk}"' not in form
    response = client.post(f"/k/{m.slug}/plans/new/", {"board": school.pk, "year": 2027})
    assert response.status_code == 302
    assert ITPlan.objects.filter(board=school, year=2027, status=PlanStatus.DRAFT).exists()
    response = client.post(f"/k/{m.slug}/plans/new/", {"board": social.pk, "year": 2027})
    assert response.status_code == 400
    assert not ITPlan.objects.filter(board=social, year=2027).exists()


def test_the_secretary_records_the_boards_adoption(client: Any, two_boards: dict[str, Any]) -> None:
    own = two_boards["own"]
    client.force_login(two_boards["secretary"])
    base = own.get_absolute_url()
    assert client.get(f"{base}adopt/").status_code == 200
    response = client.post(
        f"{base}adopt/", {"adopted_on": "2025-11-20", "decision_paragraph": "§ 45"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == PlanStatus.ADOPTED
    assert (own.adopted_on, own.decision_paragraph) == (datetime.date(2025, 11, 20), "§ 45")


def test_the_services_let_the_secretary_write_their_boards_plan_only(
    two_boards: dict[str, Any],
) -> None:
    secretary, own, other = two_boards["secretary"], two_boards["own"], two_boards["other"]
    item = services.plan_item_create(
        municipality=own.municipality,
        data={
            "plan": own,
            "title": "Lärplattform",
            "business_benefit": "Färre system för lärarna.",
            "societal_benefit": "Vårdnadshavare når skolan på ett ställe.",
        },
        actor=secretary,
    )
    assert services.plan_item_costs_set(item=item, costs=[(2026, 0, 120_000)], actor=secretary)
    assert item.costs.get(year=2026).running == Decimal(120_000)
    with pytest.raises(PermissionDenied):
        services.plan_item_costs_set(
            item=two_boards["other_item"], costs=[(2026, 1, 1)], actor=secretary
        )
    with pytest.raises(PermissionDenied):
        services.it_plan_adopt(
            plan=other,
            adopted_on=datetime.date(2025, 11, 20),
            decision_paragraph="§ 9",
            actor=secretary,
        )
    other.refresh_from_db()
    assert other.status == PlanStatus.DRAFT


def test_the_rollup_opens_the_secretarys_board_only(
    client: Any, two_boards: dict[str, Any]
) -> None:
    m, school = two_boards["municipality"], two_boards["school"]
    own, other = two_boards["own"], two_boards["other"]
    access = Access.for_user(two_boards["secretary"])
    rollup = plan_rollup(access=access, municipality=m, year=2026)
    assert {row.board.name: row.can_open for row in rollup.rows} == {
        school.name: True,
        two_boards["social"].name: False,
    }
    client.force_login(two_boards["secretary"])
    page = client.get(f"/k/{m.slug}/plans/rollup/?year=2026").content.decode()
    assert own.get_absolute_url() in page and other.get_absolute_url() not in page
    assert "1\u00a0400\u00a0000" in page  # every board's sums are there for the budget (P3.5)


def test_the_api_gives_the_secretary_the_same_rights(two_boards: dict[str, Any]) -> None:
    own, other = two_boards["own"], two_boards["other"]
    client = client_for(two_boards["secretary"])
    listing = client.get(api_url("itplan-list"))
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [own.pk]
    assert client.get(api_url("itplan-detail", other.pk)).status_code == 404
    refused = client.post(
        api_url("itplan-adopt", other.pk),
        {"adopted_on": "2025-11-20", "decision_paragraph": "§ 45"},
        format="json",
    )
    assert refused.status_code == 404
    adopted = client.post(
        api_url("itplan-adopt", own.pk),
        {"adopted_on": "2025-11-20", "decision_paragraph": "§ 45"},
        format="json",
    )
    assert adopted.status_code == 200 and adopted.json()["status"] == PlanStatus.ADOPTED


# --- the reminders --------------------------------------------------------------------------------


def test_plan_not_adopted_reaches_the_boards_secretary_in_fixed_queries() -> None:
    m = MunicipalityFactory()
    late = BoardFactory(municipality=m, name="Socialnämnden")
    done = BoardFactory(municipality=m, name="Kultur- och fritidsnämnden")
    adopted_plan(m, 2027, board=done)
    coordinator = person_of(member(m, Role.IT_COORDINATOR), m)
    late_member = person_of(member(m, Role.BOARD_MEMBER, board=late), m)
    late_secretary = person_of(member(m, Role.BOARD_SECRETARY, board=late), m)
    member(m, Role.BOARD_SECRETARY, board=done)  # their board adopted in time
    elsewhere = MunicipalityFactory()  # a secretary there is not reminded here
    member(elsewhere, Role.BOARD_SECRETARY, board=BoardFactory(municipality=elsewhere))

    with CaptureQueriesContext(connection) as queries:
        reminders = list(plan_not_adopted(m, datetime.date(2026, 10, 31)))
    assert len(queries) == 3
    key = f"it-plan-not-adopted:{late.pk}:2027"
    assert sorted((r.recipient.pk, r.key) for r in reminders) == sorted(
        [(coordinator.pk, key), (late_member.pk, key), (late_secretary.pk, key)]
    )


def test_follow_up_due_reaches_the_boards_secretary() -> None:
    m = MunicipalityFactory()
    board, other = BoardFactory(municipality=m), BoardFactory(municipality=m)
    plan = adopted_plan(m, 2025, board=board)
    adopted_plan(m, 2025, board=other, status=PlanStatus.FOLLOWED_UP)
    secretary = person_of(member(m, Role.BOARD_SECRETARY, board=board), m)
    member(m, Role.BOARD_SECRETARY, board=other)  # their plan is followed up

    with CaptureQueriesContext(connection) as queries:
        reminders = list(follow_up_due(m, datetime.date(2026, 3, 1)))
    assert len(queries) == 3
    assert [(r.recipient, r.key) for r in reminders] == [
        (secretary, f"it-plan-follow-up:{plan.pk}")
    ]


def test_a_secretary_who_also_sits_on_the_board_is_reminded_once() -> None:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m)
    user = member(m, Role.BOARD_SECRETARY, board=board)
    person = person_of(user, m)
    RoleAssignmentFactory(person=person, role=Role.BOARD_MEMBER, board=board)
    reminders = list(plan_not_adopted(m, datetime.date(2026, 11, 1)))
    assert [r.recipient for r in reminders] == [person]


def test_the_secretary_reads_the_boards_systems_and_edits_none(
    two_boards: dict[str, Any],
) -> None:
    """What the plan's items link to: the board's systems, read as a member reads them."""
    m, school = two_boards["municipality"], two_boards["school"]
    own = SystemFactory(municipality=m, board=school)
    SystemFactory(municipality=m, board=two_boards["social"])
    access = Access.for_user(two_boards["secretary"])
    assert list(System.objects.filter(access.system_q())) == [own]
    assert not access.can_edit_system(own) and not access.can_appoint_owner(own)
