"""The organisation's pages through the generic matrix (P3), and the start page."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.organisation.choices import Role
from stadga.organisation.models import (
    Board,
    Department,
    ExternalOrganisation,
    Person,
    RoleAssignment,
)
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    ExternalOrganisationFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix


class TestBoardViews(ViewMatrix):
    url_prefix = "boards"

    def model_class(self) -> Any:
        return Board

    def make(self, municipality: Any, **kwargs: Any) -> Board:
        return BoardFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Any) -> dict[str, Any]:
        return {"name": "Socialnämnden", "short_name": "SN", "kind": "board"}

    def edit_data(self, obj: Board) -> dict[str, Any]:
        return {"name": "Ändrat namn", "short_name": obj.short_name, "kind": obj.kind}


class TestDepartmentViews(ViewMatrix):
    url_prefix = "departments"

    def model_class(self) -> Any:
        return Department

    def make(self, municipality: Any, **kwargs: Any) -> Department:
        return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)

    def form_data(self, municipality: Any) -> dict[str, Any]:
        return {"name": "Socialförvaltningen", "board": BoardFactory(municipality=municipality).pk}

    def edit_data(self, obj: Department) -> dict[str, Any]:
        return {"name": "Ändrat namn", "board": obj.board_id}


class TestPersonViews(ViewMatrix):
    url_prefix = "people"

    def model_class(self) -> Any:
        return Person

    def make(self, municipality: Any, **kwargs: Any) -> Person:
        return PersonFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Any) -> dict[str, Any]:
        return {"name": "Anna Andersson", "title": "Registrator", "email": "anna@example.org"}

    def edit_data(self, obj: Person) -> dict[str, Any]:
        return {"name": "Ändrat namn", "email": obj.email, "title": obj.title}

    def invalid_data(self, obj: Person) -> dict[str, Any]:
        return {**self.edit_data(obj), "email": "not an address"}


class TestExternalOrganisationViews(ViewMatrix):
    url_prefix = "external-organisations"

    def model_class(self) -> Any:
        return ExternalOrganisation

    def make(self, municipality: Any, **kwargs: Any) -> ExternalOrganisation:
        return ExternalOrganisationFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Any) -> dict[str, Any]:
        return {
            "name": "Bredband Östra Skaraborg AB",
            "organisation_number": "556000-0000",
            "responsibilities": "Ortssammanbindande nät (P3.11)",
        }

    def edit_data(self, obj: ExternalOrganisation) -> dict[str, Any]:
        return {"name": "Ändrat namn", "responsibilities": obj.responsibilities}

    def invalid_data(self, obj: ExternalOrganisation) -> dict[str, Any]:
        return {**self.edit_data(obj), "organisation_number": "12"}


class TestRoleAssignmentViews(ViewMatrix):
    url_prefix = "roles"

    def model_class(self) -> Any:
        return RoleAssignment

    def make(self, municipality: Any, **kwargs: Any) -> RoleAssignment:
        return RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.AUDITOR, **kwargs
        )

    def form_data(self, municipality: Any) -> dict[str, Any]:
        board = BoardFactory(municipality=municipality)
        return {
            "person": PersonFactory(municipality=municipality).pk,
            "role": Role.BOARD_MEMBER,
            "board": board.pk,
        }

    def edit_data(self, obj: RoleAssignment) -> dict[str, Any]:
        return {"person": obj.person_id, "role": Role.EXECUTIVE_BOARD_READER}

    def edited_values(self) -> dict[str, Any]:
        return {"role": Role.EXECUTIVE_BOARD_READER}

    def history_texts(self) -> list[str]:
        return [str(Role.EXECUTIVE_BOARD_READER.label)]

    def invalid_data(self, obj: RoleAssignment) -> dict[str, Any]:
        return {"person": obj.person_id, "role": Role.BOARD_MEMBER}  # a board member needs a board


@pytest.mark.django_db
class TestRoleAssignmentRules:
    def test_scope_must_match_role(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        person = PersonFactory(municipality=municipality)
        system = SystemFactory(municipality=municipality)
        response = client.post(
            f"/k/{municipality.slug}/roles/new/",
            {"person": person.pk, "role": Role.DEPARTMENT_HEAD, "system": system.pk},
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert 'href="#id_department"' in body and 'href="#id_system"' in body
        assert not RoleAssignment.objects.filter(person=person).exists()

    def test_same_role_twice_is_refused(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        person = PersonFactory(municipality=municipality)
        data = {"person": person.pk, "role": Role.AUDITOR}
        assert client.post(f"/k/{municipality.slug}/roles/new/", data).status_code == 302
        assert client.post(f"/k/{municipality.slug}/roles/new/", data).status_code == 400
        assert RoleAssignment.objects.filter(person=person).count() == 1

    def test_role_names_are_configurable(self, client: Any) -> None:
        municipality = MunicipalityFactory(role_labels={Role.SYSTEM_OWNER: "Systemägare"})
        system = SystemFactory(municipality=municipality)
        RoleAssignmentFactory(person=system.system_owner, role=Role.SYSTEM_OWNER, system=system)
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        assert "Systemägare" in client.get(f"/k/{municipality.slug}/roles/").content.decode()

    def test_archived_role_gives_no_access(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        user = member(municipality, Role.AUDITOR)
        system = SystemFactory(municipality=municipality)
        client.force_login(user)
        assert client.get(system.get_absolute_url()).status_code == 200
        from stadga.core.services import object_archive

        object_archive(instance=RoleAssignment.objects.get(person__user=user), actor=None)
        assert client.get(system.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_home_lists_municipalities_of_a_user_in_several(client: Any) -> None:
    first, second = MunicipalityFactory(), MunicipalityFactory()
    user = member(first)
    PersonFactory(municipality=second, user=user)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert first.name in page and second.name in page


@pytest.mark.django_db
def test_municipality_of_which_user_is_not_member_is_404(client: Any) -> None:
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(f"/k/{MunicipalityFactory().slug}/").status_code == 404
    assert client.get("/k/no-such-place/").status_code == 404


@pytest.mark.django_db
def test_healthz(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_swedish_by_default_english_when_chosen(client: Any) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert "Log in to Stadga" in response.content.decode()


@pytest.mark.django_db
class TestSettings:
    def url(self, municipality: Any) -> str:
        return f"/k/{municipality.slug}/settings/"

    def data(self, **overrides: str) -> dict[str, str]:
        data = {f"level_{n}_name": f"Nivå {n}" for n in range(1, 5)}
        return {**data, **overrides}

    def test_coordinator_renames_a_role_and_a_level(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        user = member(municipality, Role.IT_COORDINATOR)
        client.force_login(user)
        response = client.post(self.url(municipality), self.data(role_system_owner="Systemägare"))
        assert response.status_code == 302
        municipality.refresh_from_db()
        assert municipality.role_label(Role.SYSTEM_OWNER) == "Systemägare"
        assert municipality.consequence_levels.get(level=1).name == "Nivå 1"
        from auditlog.models import LogEntry

        assert LogEntry.objects.get_for_object(municipality).latest("pk").actor == user

    def test_level_name_is_required(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        response = client.post(self.url(municipality), self.data(level_2_name=""))
        assert response.status_code == 400
        assert municipality.consequence_levels.get(level=2).name == "Betydande"

    def test_members_read_only_and_outsiders_404(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.AUDITOR))
        assert client.get(self.url(municipality)).status_code == 200
        assert client.post(self.url(municipality), self.data()).status_code == 403
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(municipality)).status_code == 404
        client.logout()
        assert client.get(self.url(municipality)).status_code == 302


@pytest.mark.django_db
class TestLinkingALogin:
    def test_coordinator_links_a_login_which_becomes_a_member(self, client: Any) -> None:
        from stadga.testing.factories import UserFactory

        municipality = MunicipalityFactory()
        person = PersonFactory(municipality=municipality)
        newcomer = UserFactory(username="ny.medarbetare")
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        data = {"name": person.name, "email": person.email, "user": "ny.medarbetare"}
        url = f"/k/{municipality.slug}/people/{person.pk}/edit/"
        assert client.post(url, data).status_code == 302
        person.refresh_from_db()
        assert person.user == newcomer
        assert 'value="ny.medarbetare"' in client.get(url).content.decode()
        client.force_login(newcomer)
        assert client.get(f"/k/{municipality.slug}/").status_code == 200

    def test_unknown_username_is_a_clear_error(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        person = PersonFactory(municipality=municipality)
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        url = f"/k/{municipality.slug}/people/{person.pk}/edit/"
        response = client.post(url, {"name": person.name, "user": "ingen.alls"})
        assert response.status_code == 400
        assert 'href="#id_user"' in response.content.decode()
        person.refresh_from_db()
        assert person.user is None

    def test_a_login_is_one_person_per_municipality(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        taken = member(municipality)
        person = PersonFactory(municipality=municipality)
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        url = f"/k/{municipality.slug}/people/{person.pk}/edit/"
        response = client.post(url, {"name": person.name, "user": taken.username})
        assert response.status_code == 400
