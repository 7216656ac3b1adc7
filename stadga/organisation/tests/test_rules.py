"""The organisation's compliance rules (P3.1, P3.2, P9.4): who holds the roles the policy names.
Each is met, broken with the organisation page to fix it linked, blind to archived people and
assignments and to a board/department narrowing, in one query however large the municipality."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Municipality, Person, RoleAssignment
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, RuleResult, get_rule
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db

COORDINATOR = "organisation.it_coordinator_named"
OVERSIGHT = "organisation.executive_board_oversight"


def run(rule_id: str, municipality: Municipality, **scope: Any) -> RuleResult:
    return get_rule(rule_id).evaluate(RuleContext(municipality=municipality, **scope))


def archive(obj: Any) -> Any:
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


def assert_broken_with_link(result: RuleResult, municipality: Municipality) -> None:
    """Not met; the one offender is the municipality, linked to its organisation page."""
    assert result.status == Status.NOT_MET
    assert result.offender_count == 1
    [offender] = result.offenders
    assert offender.url == municipality.get_absolute_url()
    assert offender.label == municipality.name
    assert offender.reason
    client = Client()
    client.force_login(member(municipality, Role.EMPLOYEE))
    assert client.get(offender.url).status_code == 200


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


# --- P3.2, P9.4 organisation.it_coordinator_named ------------------------------------------------


class TestItCoordinatorNamed:
    def test_met_with_a_current_coordinator(self, municipality: Any) -> None:
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_COORDINATOR
        )
        result = run(COORDINATOR, municipality)
        assert result.status == Status.MET
        assert result.offenders == [] and result.offender_count == 0
        with translation.override("en"):
            assert run(COORDINATOR, municipality).summary == "1 IT coordinator named"

    def test_a_person_with_two_assignments_counts_once(self, municipality: Any) -> None:
        person = PersonFactory(municipality=municipality)
        RoleAssignmentFactory.create_batch(2, person=person, role=Role.IT_COORDINATOR)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_COORDINATOR
        )
        with translation.override("en"):
            assert run(COORDINATOR, municipality).summary == "2 IT coordinators named"

    def test_not_met_without_one(self, municipality: Any) -> None:
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_TECHNICIAN
        )
        RoleAssignmentFactory(role=Role.IT_COORDINATOR)  # another municipality's
        result = run(COORDINATOR, municipality)
        assert_broken_with_link(result, municipality)
        with translation.override("en"):
            assert run(COORDINATOR, municipality).summary == "0 IT coordinators named"

    def test_an_archived_person_or_assignment_holds_no_role(self, municipality: Any) -> None:
        gone = RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_COORDINATOR
        )
        archive(gone.person)
        ended = RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_COORDINATOR
        )
        archive(ended)
        assert_broken_with_link(run(COORDINATOR, municipality), municipality)

    def test_a_narrowing_does_not_apply(self, municipality: Any) -> None:
        """The IT coordinator serves the whole municipality, not one board."""
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.IT_COORDINATOR
        )
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        assert run(COORDINATOR, municipality, board=department.board).status == Status.MET
        assert run(COORDINATOR, municipality, department=department).status == Status.MET


# --- P3.1 organisation.executive_board_oversight -------------------------------------------------


class TestExecutiveBoardOversight:
    def test_met_with_an_executive_board_reader(self, municipality: Any) -> None:
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.EXECUTIVE_BOARD_READER
        )
        result = run(OVERSIGHT, municipality)
        assert result.status == Status.MET
        with translation.override("en"):
            assert run(OVERSIGHT, municipality).summary == (
                "1 executive board member or reader named"
            )

    def test_met_with_a_member_of_the_executive_board(self, municipality: Any) -> None:
        board = BoardFactory(municipality=municipality, kind=BoardKind.EXECUTIVE_BOARD)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.BOARD_MEMBER, board=board
        )
        assert run(OVERSIGHT, municipality).status == Status.MET

    def test_not_met_with_only_other_boards_members(self, municipality: Any) -> None:
        board = BoardFactory(municipality=municipality, kind=BoardKind.BOARD)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.BOARD_MEMBER, board=board
        )
        RoleAssignmentFactory(person=PersonFactory(municipality=municipality), role=Role.AUDITOR)
        RoleAssignmentFactory(role=Role.EXECUTIVE_BOARD_READER)  # another municipality's
        assert_broken_with_link(run(OVERSIGHT, municipality), municipality)

    def test_archived_readers_members_and_boards_do_not_count(self, municipality: Any) -> None:
        reader = RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.EXECUTIVE_BOARD_READER
        )
        archive(reader.person)
        board = BoardFactory(municipality=municipality, kind=BoardKind.EXECUTIVE_BOARD)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.BOARD_MEMBER, board=board
        )
        archive(board)
        ended = RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.EXECUTIVE_BOARD_READER
        )
        archive(ended)
        assert_broken_with_link(run(OVERSIGHT, municipality), municipality)

    def test_a_narrowing_does_not_apply(self, municipality: Any) -> None:
        board = BoardFactory(municipality=municipality, kind=BoardKind.EXECUTIVE_BOARD)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.BOARD_MEMBER, board=board
        )
        other = DepartmentFactory(board=BoardFactory(municipality=municipality))
        assert run(OVERSIGHT, municipality, board=other.board).status == Status.MET
        assert run(OVERSIGHT, municipality, department=other).status == Status.MET


# --- both ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", [COORDINATOR, OVERSIGHT])
def test_query_count_does_not_grow(municipality: Any, rule_id: str) -> None:
    """One query for 10 systems and people as for 500 of each."""
    owner = PersonFactory(municipality=municipality)
    template = SystemFactory(municipality=municipality, system_owner=owner)
    counts = []
    for total in (10, 500):
        have = System.objects.filter(municipality=municipality).count()
        System.objects.bulk_create(
            System(
                municipality=municipality,
                board=template.board,
                department=template.department,
                system_owner=owner,
                identifier=f"Q-{n:05d}",
                name=f"System {n}",
            )
            for n in range(have, total)
        )
        people = Person.objects.bulk_create(
            Person(municipality=municipality, name=f"Person {total}-{n}") for n in range(total)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(municipality=municipality, person=person, role=Role.EMPLOYEE)
            for person in people
        )
        with CaptureQueriesContext(connection) as queries:
            run(rule_id, municipality)
        counts.append(len(queries))
    assert counts == [1, 1], counts
