"""The board secretary (nämndsekreterare): a role held over a board, assigned through the
organisation's pages, that reads the board's share like a member and counts for nothing the
members answer for (P3.1's oversight)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stadga.organisation import services
from stadga.organisation.access import Access
from stadga.organisation.choices import ROLE_SCOPE, BoardKind, Role, Scope
from stadga.organisation.models import RoleAssignment
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule
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


def test_the_role_is_held_over_a_board() -> None:
    assert ROLE_SCOPE[Role.BOARD_SECRETARY] == Scope.BOARD
    assert Role.BOARD_SECRETARY.value == "board_secretary"


def test_assigning_the_secretary_needs_a_board_and_nothing_else() -> None:
    m = MunicipalityFactory()
    person = PersonFactory(municipality=m)
    board = BoardFactory(municipality=m)
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            municipality=m, data={"person": person, "role": Role.BOARD_SECRETARY}, actor=None
        )
    assert "board" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            municipality=m,
            data={
                "person": person,
                "role": Role.BOARD_SECRETARY,
                "board": board,
                "department": DepartmentFactory(board=board),
            },
            actor=None,
        )
    assert "department" in error.value.message_dict
    services.role_assign(
        municipality=m,
        data={"person": person, "role": Role.BOARD_SECRETARY, "board": board},
        actor=None,
    )
    assert RoleAssignment.objects.get(person=person).board == board


def test_the_database_refuses_a_secretary_without_a_board() -> None:
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            municipality=person.municipality, person=person, role=Role.BOARD_SECRETARY
        )


def test_the_coordinator_assigns_a_secretary_through_the_page(client: Any) -> None:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m, name="Barn- och utbildningsnämnden")
    person = PersonFactory(municipality=m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    url = f"/k/{m.slug}/roles/new/"
    form = client.get(url).content.decode()
    assert f'value="{Role.BOARD_SECRETARY.value}"' in form
    response = client.post(url, {"person": person.pk, "role": Role.BOARD_SECRETARY})
    assert response.status_code == 400
    assert 'href="#id_board"' in response.content.decode()
    response = client.post(
        url, {"person": person.pk, "role": Role.BOARD_SECRETARY, "board": board.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=person)
    assert (assignment.role, assignment.board) == (Role.BOARD_SECRETARY, board)
    listing = client.get(f"/k/{m.slug}/roles/?role={Role.BOARD_SECRETARY.value}")
    assert "Barn- och utbildningsnämnden" in listing.content.decode()


def test_access_names_the_secretarys_board_apart_from_the_members() -> None:
    m = MunicipalityFactory()
    served, seated = BoardFactory(municipality=m), BoardFactory(municipality=m)
    user = member(m, Role.BOARD_SECRETARY, board=served)
    access = Access.for_user(user)
    assert access.board_secretary_of == {served.pk}
    assert access.board_member_of == set()
    assert access.board_of == {served.pk}
    assert access.has_role(m.pk, Role.BOARD_SECRETARY) and not access.reads_all(m.pk)
    RoleAssignmentFactory(person=user.people.get(), role=Role.BOARD_MEMBER, board=seated)
    access = Access.for_user(user)
    assert access.board_of == {served.pk, seated.pk}
    assert access.board_member_of == {seated.pk}


def test_the_secretary_reads_the_boards_systems_and_keeps_none() -> None:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m)
    own = SystemFactory(municipality=m, board=board)
    SystemFactory(municipality=m)  # another board's
    access = Access.for_user(member(m, Role.BOARD_SECRETARY, board=board))
    assert list(System.objects.filter(access.system_q())) == [own]
    assert not System.objects.filter(access.system_edit_q()).exists()
    assert not access.can_edit_system(own) and not access.can_appoint_owner(own)
    assert not access.keeps_register(m.pk) and not access.manages_organisation(m.pk)


def test_a_secretary_of_the_executive_board_is_no_oversight() -> None:
    """P3.1: the executive board follows compliance through a reader or a member of it; its
    secretary prepares its business but is not the board."""
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m, kind=BoardKind.EXECUTIVE_BOARD)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=m), role=Role.BOARD_SECRETARY, board=board
    )
    rule = get_rule("organisation.executive_board_oversight")
    assert rule.evaluate(RuleContext(municipality=m)).status == Status.NOT_MET
    RoleAssignmentFactory(person=PersonFactory(municipality=m), role=Role.BOARD_MEMBER, board=board)
    assert rule.evaluate(RuleContext(municipality=m)).status == Status.MET
