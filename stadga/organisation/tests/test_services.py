from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stadga.organisation import services
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Board, RoleAssignment
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


def test_municipality_gets_the_klassa_scale() -> None:
    municipality = services.municipality_create(
        slug="hjo", name="Hjo kommun", code="1497", actor=None
    )
    assert [str(level) for level in municipality.consequence_levels.all()] == [
        "1 Måttlig",
        "2 Betydande",
        "3 Allvarlig",
        "4 Synnerligen allvarlig",
    ]
    assert municipality.max_consequence_level == 4


def test_municipality_code_is_four_digits() -> None:
    with pytest.raises(ValidationError):
        services.municipality_create(slug="x", name="X", code="12", actor=None)


def test_board_name_unique_within_municipality_only() -> None:
    first, second = MunicipalityFactory(), MunicipalityFactory()
    services.board_create(municipality=first, data={"name": "Socialnämnden"}, actor=None)
    services.board_create(municipality=second, data={"name": "Socialnämnden"}, actor=None)
    with pytest.raises(ValidationError):
        services.board_create(municipality=first, data={"name": "Socialnämnden"}, actor=None)
    assert Board.objects.filter(name="Socialnämnden").count() == 2


def test_department_under_a_board_of_the_same_municipality() -> None:
    municipality = MunicipalityFactory()
    with pytest.raises(ValidationError) as error:
        services.department_create(
            municipality=municipality, data={"name": "X", "board": BoardFactory()}, actor=None
        )
    assert "board" in error.value.message_dict


def test_role_assign_checks_scope_and_duplicates() -> None:
    municipality = MunicipalityFactory()
    person = PersonFactory(municipality=municipality)
    board = BoardFactory(municipality=municipality)
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            municipality=municipality,
            data={"person": person, "role": Role.BOARD_MEMBER},
            actor=None,
        )
    assert "board" in error.value.message_dict
    data = {"person": person, "role": Role.BOARD_MEMBER, "board": board}
    services.role_assign(municipality=municipality, data=data, actor=None)
    with pytest.raises(ValidationError):
        services.role_assign(municipality=municipality, data=data, actor=None)
    assert RoleAssignment.objects.filter(person=person).count() == 1


def test_person_with_login_once_per_municipality() -> None:
    municipality = MunicipalityFactory()
    user = UserFactory()
    services.person_create(municipality=municipality, data={"name": "A", "user": user}, actor=None)
    with pytest.raises(ValidationError):
        services.person_create(
            municipality=municipality, data={"name": "B", "user": user}, actor=None
        )


class TestAccess:
    def test_anonymous_and_strangers_have_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        SystemFactory()
        assert not Access.for_user(AnonymousUser()).member_of
        stranger = UserFactory()
        access = Access.for_user(stranger)
        assert not access.member_of
        from stadga.systems.models import System

        assert not System.objects.filter(access.system_q()).exists()

    def test_scoped_roles(self) -> None:
        municipality = MunicipalityFactory()
        system = SystemFactory(municipality=municipality)
        other = SystemFactory(municipality=municipality)
        from stadga.systems.models import System

        def visible(user: object) -> set[int]:
            q = Access.for_user(user).system_q()
            return set(System.objects.filter(q).values_list("pk", flat=True))

        assert visible(member(municipality, Role.AUDITOR)) == {system.pk, other.pk}
        assert visible(member(municipality, Role.BOARD_MEMBER, board=system.board)) == {system.pk}
        assert visible(
            member(municipality, Role.DEPARTMENT_HEAD, department=system.department)
        ) == {system.pk}
        assert visible(member(municipality, Role.SYSTEM_OWNER, system=other)) == {other.pk}
        assert visible(member(municipality, Role.EMPLOYEE)) == set()
        assert visible(UserFactory(is_superuser=True)) == {system.pk, other.pk}

    def test_an_inactive_user_has_nothing(self) -> None:
        municipality = MunicipalityFactory()
        user = member(municipality, Role.IT_COORDINATOR)
        user.is_active = False
        assert not Access.for_user(user).member_of

    def test_rights(self) -> None:
        municipality = MunicipalityFactory()
        system = SystemFactory(municipality=municipality)
        coordinator = Access.for_user(member(municipality, Role.IT_COORDINATOR))
        technician = Access.for_user(member(municipality, Role.IT_TECHNICIAN))
        head = Access.for_user(
            member(municipality, Role.DEPARTMENT_HEAD, department=system.department)
        )
        owner_user = UserFactory()
        system.system_owner.user = owner_user
        system.system_owner.save()
        owner = Access.for_user(owner_user)
        assert coordinator.manages_organisation(municipality.pk)
        assert not technician.manages_organisation(municipality.pk)
        assert technician.keeps_register(municipality.pk)
        assert head.can_edit_system(system) and head.can_appoint_owner(system)
        assert owner.can_edit_system(system) and not owner.can_appoint_owner(system)
        assert not owner.keeps_register(municipality.pk)
