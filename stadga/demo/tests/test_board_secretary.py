"""Issue 7's done means, on the demo data: the education board's secretary (`bun.sekreterare`)
logs in, finds the board's IT plan with its costs per year (P3.4, P3.5), and finds no other
board's plan behind the roll-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, data
from stadga.demo.load import load_demo
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Board, Person, RoleAssignment
from stadga.plans.access import can_write_plan
from stadga.plans.models import ITPlan
from stadga.plans.selectors import cost_totals, plan_items
from stadga.plans.templatetags.plans import kr

USERNAME = "bun.sekreterare"


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_demo_has_a_secretary_of_the_education_board(karlsborg: Any) -> None:
    assert USERNAME in dict(DEMO_ACCOUNTS)
    person = Person.objects.get(municipality=karlsborg, user__username=USERNAME)
    assert person.name == data.BOARD_SECRETARY
    board = Board.objects.get(municipality=karlsborg, name=data.BUN)
    [assignment] = RoleAssignment.objects.filter(person=person)
    assert (assignment.role, assignment.board) == (Role.BOARD_SECRETARY, board)
    access = Access.for_user(person.user)
    assert access.board_secretary_of == {board.pk} and access.board_member_of == set()
    # A second load changes nothing of them.
    load_demo()
    assert RoleAssignment.objects.filter(person=person).count() == 1
    assert get_user_model().objects.filter(username=USERNAME).count() == 1


def test_the_board_secretary_finds_the_boards_plan_with_its_costs(
    karlsborg: Any, client: Any
) -> None:
    year = timezone.localdate().year
    school = ITPlan.objects.get(municipality=karlsborg, board__name=data.BUN, year=year)
    others = ITPlan.objects.filter(municipality=karlsborg).exclude(board__name=data.BUN)
    assert others.exists()
    assert client.login(username=USERNAME, password=DEMO_PASSWORD)

    # The list of plans: the board's, not the other boards'; in a fixed number of queries.
    with CaptureQueriesContext(connection) as queries:
        listing = client.get(f"/k/{karlsborg.slug}/plans/")
    assert listing.status_code == 200
    assert len(queries) <= 12, len(queries)  # 9 today; the plans' own tests show it is fixed
    page = listing.content.decode()
    assert school.get_absolute_url() in page
    assert not any(plan.get_absolute_url() in page for plan in others)

    # The plan itself, with its initiatives and its costs per year in whole kronor.
    detail = client.get(school.get_absolute_url())
    assert detail.status_code == 200
    page = detail.content.decode()
    items = plan_items(school)
    assert items and all(item.title in page for item in items)
    totals = cost_totals(items)
    assert totals and any(t.investment for t in totals) and any(t.running for t in totals)
    for total in totals:
        assert f'<td class="numeric">{kr(total.total)}</td>' in page, total.year
    # The secretary draws up the board's plan (the school's, no other).
    access = Access.for_user(get_user_model().objects.get(username=USERNAME))
    assert can_write_plan(access, school)
    assert not any(can_write_plan(access, plan) for plan in others)

    # Another board's plan is a 404, and the roll-up opens the school board's row only.
    assert client.get(others.first().get_absolute_url()).status_code == 404
    rollup = client.get(f"/k/{karlsborg.slug}/plans/rollup/?year={year}").content.decode()
    assert school.get_absolute_url() in rollup
    assert not any(plan.get_absolute_url() in rollup for plan in others)
