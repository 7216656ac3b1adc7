"""The organisation's API through the generic matrix, plus municipalities, the consequence scale,
token authentication, error handling, the schema and the reference page."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from stadga.api.base import TokenThrottle
from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.core.api import exception_handler
from stadga.organisation.choices import Role
from stadga.organisation.models import (
    Board,
    ConsequenceLevel,
    Department,
    ExternalOrganisation,
    Municipality,
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
    UserFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


# --- the matrix, once per resource ---------------------------------------------------------------


class TestBoardApi(ApiMatrix):
    resource = "board"

    def model_class(self) -> Any:
        return Board

    def make(self, municipality: Municipality, **kwargs: Any) -> Board:
        return BoardFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "name": "Kultur- och fritidsnämnden",
            "short_name": "KFN",
            "kind": "board",
        }

    def update_data(self, obj: Board) -> dict[str, Any]:
        return {"name": "Samhällsbyggnadsnämnden", "short_name": "SBN"}

    def test_duplicate_name_is_a_400_from_the_service(self, obj: Board) -> None:
        """The unique constraint is checked by the service's full_clean(); the handler turns
        Django's ValidationError into a 400 with its message, and nothing is written."""
        client = client_for(member(obj.municipality, Role.IT_COORDINATOR))
        before = Board.objects.count()
        body = {"municipality": obj.municipality.slug, "name": obj.name}
        response = client.post(api_url("board-list"), body, format="json")
        assert response.status_code == 400
        assert response.json()["non_field_errors"]
        assert Board.objects.count() == before

    def test_same_name_in_another_municipality_is_fine(self, obj: Board) -> None:
        other = MunicipalityFactory()
        client = client_for(member(other, Role.IT_COORDINATOR))
        body = {"municipality": other.slug, "name": obj.name}
        assert client.post(api_url("board-list"), body, format="json").status_code == 201

    def test_filter_search_and_ordering(self, municipality: Municipality) -> None:
        BoardFactory(municipality=municipality, name="Barn- och utbildningsnämnden")
        BoardFactory(municipality=municipality, name="Kommunstyrelsen", kind="executive_board")
        other = MunicipalityFactory()
        BoardFactory(municipality=other, name="Kommunstyrelsen i grannkommunen")
        user = member(municipality, Role.EMPLOYEE)
        # A member of both sees both; the filter narrows to one.
        RoleAssignmentFactory(person=PersonFactory(municipality=other, user=user), role="employee")
        client = client_for(user)

        def names(**query: object) -> list[str]:
            response = client.get(api_url("board-list", **query))
            assert response.status_code == 200
            return [row["name"] for row in response.json()["results"]]

        assert len(names()) == 3
        assert names(municipality=municipality.slug, ordering="-name") == [
            "Kommunstyrelsen",
            "Barn- och utbildningsnämnden",
        ]
        assert names(search="grannkommunen") == ["Kommunstyrelsen i grannkommunen"]
        assert names(kind="executive_board", municipality=municipality.slug) == ["Kommunstyrelsen"]

    def test_list_is_paged(self, municipality: Municipality) -> None:
        for _ in range(55):
            BoardFactory(municipality=municipality)
        client = client_for(member(municipality))
        first = client.get(api_url("board-list")).json()
        assert first["count"] == 55
        assert len(first["results"]) == 50
        assert len(client.get(first["next"]).json()["results"]) == 5


class TestDepartmentApi(ApiMatrix):
    resource = "department"

    def model_class(self) -> Any:
        return Department

    def make(self, municipality: Municipality, **kwargs: Any) -> Department:
        return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        board = BoardFactory(municipality=municipality)
        DepartmentFactory.create_batch(count, board=board)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        board = BoardFactory(municipality=municipality)
        return {"municipality": municipality.slug, "board": board.pk, "name": "Socialförvaltningen"}

    def update_data(self, obj: Department) -> dict[str, Any]:
        return {"name": "Samhällsbyggnadsförvaltningen"}

    def test_board_is_named(self, obj: Department) -> None:
        client = client_for(member(obj.municipality))
        data = client.get(api_url("department-detail", obj.pk)).json()
        assert data["board"] == obj.board_id
        assert data["board_name"] == obj.board.name

    def test_board_of_another_municipality_is_refused(self, municipality: Municipality) -> None:
        """Unseen (another tenant's) or seen but elsewhere (a member of both): a 400 either way."""
        other = MunicipalityFactory()
        foreign_board = BoardFactory(municipality=other)
        user = member(municipality, Role.IT_COORDINATOR)
        client = client_for(user)
        body = {"municipality": municipality.slug, "board": foreign_board.pk, "name": "X"}
        unseen = client.post(api_url("department-list"), body, format="json")
        assert unseen.status_code == 400
        assert "board" in unseen.json()
        # Now the user is a member there too and sees the board — still not in this municipality.
        PersonFactory(municipality=other, user=user)
        seen = client_for(user).post(api_url("department-list"), body, format="json")
        assert seen.status_code == 400
        with translation.override("sv"):
            expected = translation.gettext("It belongs to another municipality.")
        assert seen.json()["board"] == [expected]
        assert not Department.objects.filter(name="X").exists()

    def test_unseen_and_missing_ids_read_the_same(self, municipality: Municipality) -> None:
        """A 400 for another tenant's board says nothing that one for a missing id would not."""
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        foreign = BoardFactory(municipality=MunicipalityFactory())
        missing = Board.objects.order_by("-pk").first().pk + 1000

        def error(board_id: int) -> str:
            body = {"municipality": municipality.slug, "board": board_id, "name": "X"}
            response = client.post(api_url("department-list"), body, format="json")
            assert response.status_code == 400
            return response.json()["board"][0].replace(str(board_id), "<id>")

        assert error(foreign.pk) == error(missing)

    def test_filter_by_board(self, municipality: Municipality) -> None:
        one, two = DepartmentFactory.create_batch(2, board=BoardFactory(municipality=municipality))
        three = self.make(municipality)
        client = client_for(member(municipality))
        assert ids(client.get(api_url("department-list", board=one.board_id))) == {one.pk, two.pk}
        assert ids(client.get(api_url("department-list", board=three.board_id))) == {three.pk}


class TestPersonApi(ApiMatrix):
    resource = "person"

    def model_class(self) -> Any:
        return Person

    def make(self, municipality: Municipality, **kwargs: Any) -> Person:
        return PersonFactory(municipality=municipality, **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        for i in range(count):
            # Half with a department and a login, so those columns are in the counted query.
            if i % 2:
                login = get_user_model().objects.create(username=f"login-{uuid4().hex}")
                PersonFactory(municipality=municipality, department=department, user=login)
            else:
                PersonFactory(municipality=municipality)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        return {
            "municipality": municipality.slug,
            "name": "Anna Andersson",
            "title": "IT-samordnare",
            "email": "anna.andersson@example.org",
            "department": department.pk,
        }

    def update_data(self, obj: Person) -> dict[str, Any]:
        return {"title": "Förvaltningschef", "phone": "0505-170 00"}

    def test_login_is_shown_as_a_yes_or_no(self, municipality: Municipality) -> None:
        user = member(municipality)
        linked = user.people.get()
        client = client_for(user)
        data = client.get(api_url("person-detail", linked.pk)).json()
        assert data["has_login"] is True
        assert "user" not in data
        unlinked = PersonFactory(municipality=municipality)
        assert client.get(api_url("person-detail", unlinked.pk)).json()["has_login"] is False
        with_login = ids(client.get(api_url("person-list", has_login="true")))
        assert linked.pk in with_login and unlinked.pk not in with_login

    def test_invalid_email_is_a_400(self, obj: Person) -> None:
        client = client_for(member(obj.municipality, Role.IT_COORDINATOR))
        url = api_url("person-detail", obj.pk)
        response = client.patch(url, {"email": "inte en adress"}, format="json")
        assert response.status_code == 400
        assert "email" in response.json()


class TestExternalOrganisationApi(ApiMatrix):
    resource = "externalorganisation"

    def model_class(self) -> Any:
        return ExternalOrganisation

    def make(self, municipality: Municipality, **kwargs: Any) -> ExternalOrganisation:
        return ExternalOrganisationFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "name": "Stadsnät AB",
            "organisation_number": "556000-0000",
            "responsibilities": "Kommunens ortsnät (P3.11)",
            "website": "https://stadsnat.example.org",
        }

    def update_data(self, obj: ExternalOrganisation) -> dict[str, Any]:
        return {"responsibilities": "Drift av e-post", "contact": "Kundtjänst"}

    def test_organisation_number_is_validated_by_the_model(self, obj: ExternalOrganisation) -> None:
        client = client_for(member(obj.municipality, Role.IT_COORDINATOR))
        url = api_url("externalorganisation-detail", obj.pk)
        response = client.patch(url, {"organisation_number": "12"}, format="json")
        assert response.status_code == 400
        assert "organisation_number" in response.json()


class TestRoleAssignmentApi(ApiMatrix):
    resource = "roleassignment"

    def model_class(self) -> Any:
        return RoleAssignment

    def make(self, municipality: Municipality, **kwargs: Any) -> RoleAssignment:
        kwargs.setdefault("role", Role.AUDITOR)
        return RoleAssignmentFactory(person=PersonFactory(municipality=municipality), **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        # Every kind of scope, so each related column is read in the counted query.
        board = BoardFactory(municipality=municipality)
        department = DepartmentFactory(board=board)
        system = SystemFactory(municipality=municipality, board=board, department=department)
        scopes: list[dict[str, Any]] = [
            {"role": Role.AUDITOR},
            {"role": Role.BOARD_MEMBER, "board": board},
            {"role": Role.DEPARTMENT_HEAD, "department": department},
            {"role": Role.SYSTEM_OWNER, "system": system},
        ]
        for i in range(count):
            self.make(municipality, **scopes[i % len(scopes)])

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "person": PersonFactory(municipality=municipality).pk,
            "role": Role.BOARD_MEMBER.value,
            "board": BoardFactory(municipality=municipality).pk,
        }

    def update_data(self, obj: RoleAssignment) -> dict[str, Any]:
        return {"role": Role.EXECUTIVE_BOARD_READER.value}

    def test_role_label_and_scope_are_named(self, municipality: Municipality) -> None:
        municipality.role_labels = {"system_owner": "Systemägare"}
        municipality.save()
        system = SystemFactory(municipality=municipality, name="Procapita")
        assignment = self.make(municipality, role=Role.SYSTEM_OWNER, system=system)
        client = client_for(member(municipality))
        data = client.get(api_url("roleassignment-detail", assignment.pk)).json()
        assert data["role_label"] == "Systemägare"
        assert data["scope_name"] == "Procapita"
        assert data["system"] == system.pk
        assert data["person_name"] == assignment.person.name

    def test_scope_must_match_the_role(self, municipality: Municipality) -> None:
        """The model's rule (a board member sits on a board) comes back as a field error."""
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "board": None}
        response = client.post(api_url("roleassignment-list"), body, format="json")
        assert response.status_code == 400
        assert "board" in response.json()

    def test_the_same_role_twice_is_refused(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = self.create_data(municipality)
        assert client.post(api_url("roleassignment-list"), body, format="json").status_code == 201
        again = client.post(api_url("roleassignment-list"), body, format="json")
        assert again.status_code == 400
        assert again.json()["non_field_errors"]

    def test_system_the_coordinator_cannot_name_across_municipalities(
        self, municipality: Municipality
    ) -> None:
        foreign_system = SystemFactory()
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {
            "municipality": municipality.slug,
            "person": PersonFactory(municipality=municipality).pk,
            "role": Role.SYSTEM_OWNER.value,
            "system": foreign_system.pk,
        }
        response = client.post(api_url("roleassignment-list"), body, format="json")
        assert response.status_code == 400
        assert "system" in response.json()

    def test_a_new_role_takes_effect(self, municipality: Municipality) -> None:
        """Assigning through the API changes what that user may do on their next request."""
        system = SystemFactory(municipality=municipality)
        user = member(municipality, Role.EMPLOYEE)
        assert client_for(user).get(api_url("system-detail", system.pk)).status_code == 404
        coordinator = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {
            "municipality": municipality.slug,
            "person": user.people.get().pk,
            "role": Role.BOARD_MEMBER.value,
            "board": system.board_id,
        }
        assert (
            coordinator.post(api_url("roleassignment-list"), body, format="json").status_code == 201
        )
        assert client_for(user).get(api_url("system-detail", system.pk)).status_code == 200


# --- municipalities ------------------------------------------------------------------------------


@pytest.fixture
def operator() -> Any:
    return UserFactory(is_superuser=True, is_staff=True)


class TestMunicipalityApi:
    def test_anonymous_is_refused(self) -> None:
        municipality = MunicipalityFactory()
        client = APIClient()
        assert client.get(api_url("municipality-list")).status_code in (401, 403)
        detail = client.get(api_url("municipality-detail", municipality.slug))
        assert detail.status_code in (401, 403)
        assert "name" not in detail.json()

    def test_member_reads_only_their_own(self) -> None:
        own, other = MunicipalityFactory(), MunicipalityFactory()
        client = client_for(member(own, Role.EMPLOYEE))
        assert ids(client.get(api_url("municipality-list"))) == {own.pk}
        data = client.get(api_url("municipality-detail", own.slug)).json()
        assert (data["slug"], data["name"], data["code"]) == (own.slug, own.name, own.code)
        assert client.get(api_url("municipality-detail", other.slug)).status_code == 404

    def test_member_may_not_change_or_create(self) -> None:
        own, other = MunicipalityFactory(), MunicipalityFactory()
        client = client_for(member(own, Role.IT_COORDINATOR))
        url = api_url("municipality-detail", own.slug)
        assert client.patch(url, {"name": "Nytt namn"}, format="json").status_code == 403
        other_url = api_url("municipality-detail", other.slug)
        assert client.patch(other_url, {"name": "Nytt"}, format="json").status_code == 404
        body = {"slug": "ny", "name": "Ny kommun", "code": "1234"}
        assert client.post(api_url("municipality-list"), body, format="json").status_code == 403
        assert not Municipality.objects.filter(slug="ny").exists()
        own.refresh_from_db()
        assert own.name != "Nytt namn"

    def test_operator_creates_with_the_default_scale(self, operator: Any) -> None:
        client = client_for(operator)
        body = {"slug": "karlsborg", "name": "Karlsborgs kommun", "code": "1446"}
        response = client.post(api_url("municipality-list"), body, format="json")
        assert response.status_code == 201, response.content
        municipality = Municipality.objects.get(slug="karlsborg")
        assert response.json()["id"] == municipality.pk
        assert municipality.consequence_levels.count() == 4
        assert LogEntry.objects.get_for_object(municipality).get().actor == operator

    def test_operator_creation_is_validated(self, operator: Any) -> None:
        existing = MunicipalityFactory()
        client = client_for(operator)
        body = {"slug": existing.slug, "name": "Dubblett", "code": "12a4"}
        response = client.post(api_url("municipality-list"), body, format="json")
        assert response.status_code == 400
        assert {"slug", "code"} <= set(response.json())

    def test_operator_updates_names_and_role_labels(self, operator: Any) -> None:
        municipality = MunicipalityFactory()
        client = client_for(operator)
        url = api_url("municipality-detail", municipality.slug)
        body = {"name": "Ändrad kommun", "role_labels": {"system_owner": "Systemägare"}}
        response = client.patch(url, body, format="json")
        assert response.status_code == 200, response.content
        municipality.refresh_from_db()
        assert municipality.name == "Ändrad kommun"
        assert municipality.role_label("system_owner") == "Systemägare"
        # The short name is in every address: it does not change.
        client.patch(url, {"slug": "annat"}, format="json")
        municipality.refresh_from_db()
        assert municipality.slug != "annat"

    def test_unknown_role_in_labels_is_a_400(self, operator: Any) -> None:
        municipality = MunicipalityFactory()
        url = api_url("municipality-detail", municipality.slug)
        body = {"role_labels": {"chief_wizard": "Trollkarl"}}
        response = client_for(operator).patch(url, body, format="json")
        assert response.status_code == 400
        assert "role_labels" in response.json()

    def test_delete_does_not_exist(self, operator: Any) -> None:
        municipality = MunicipalityFactory()
        url = api_url("municipality-detail", municipality.slug)
        assert client_for(operator).delete(url).status_code == 405
        assert Municipality.objects.filter(pk=municipality.pk).exists()


class TestConsequenceLevelApi:
    def test_members_read_their_own_scale_only(self) -> None:
        own, other = MunicipalityFactory(), MunicipalityFactory()
        client = client_for(member(own, Role.EMPLOYEE))
        listed = client.get(api_url("consequencelevel-list")).json()["results"]
        assert [(row["municipality"], row["level"]) for row in listed] == [
            (own.slug, level) for level in (1, 2, 3, 4)
        ]
        foreign = ConsequenceLevel.objects.filter(municipality=other).first()
        assert client.get(api_url("consequencelevel-detail", foreign.pk)).status_code == 404
        mine = ConsequenceLevel.objects.filter(municipality=own).first()
        assert client.get(api_url("consequencelevel-detail", mine.pk)).json()["name"] == mine.name

    def test_read_only(self) -> None:
        own = MunicipalityFactory()
        client = client_for(member(own, Role.IT_COORDINATOR))
        level = ConsequenceLevel.objects.filter(municipality=own).first()
        url = api_url("consequencelevel-detail", level.pk)
        assert client.patch(url, {"name": "X"}, format="json").status_code == 405
        body = {"municipality": own.slug, "level": 5, "name": "X"}
        assert client.post(api_url("consequencelevel-list"), body, format="json").status_code == 405

    def test_anonymous_is_refused(self) -> None:
        assert APIClient().get(api_url("consequencelevel-list")).status_code in (401, 403)


# --- authentication ------------------------------------------------------------------------------


class TestTokenAuthentication:
    @pytest.fixture(autouse=True)
    def _fresh_throttle(self) -> None:
        from django.core.cache import cache

        cache.clear()

    def test_token_from_password_gives_the_users_access(self) -> None:
        municipality = MunicipalityFactory()
        board = BoardFactory(municipality=municipality)
        BoardFactory(municipality=MunicipalityFactory())  # another tenant's
        user = member(municipality)
        client = APIClient()
        response = client.post(
            api_url("token"),
            {"username": user.username, "password": "correct horse battery staple"},
            format="json",
        )
        assert response.status_code == 200
        token = response.json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert ids(client.get(api_url("board-list"))) == {board.pk}

    def test_wrong_password_gets_no_token(self) -> None:
        user = member(MunicipalityFactory())
        response = APIClient().post(
            api_url("token"), {"username": user.username, "password": "fel"}, format="json"
        )
        assert response.status_code == 400
        assert "token" not in response.json()

    def test_invalid_token_is_refused(self) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
        assert client.get(api_url("board-list")).status_code in (401, 403)

    def test_password_guessing_is_throttled(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(TokenThrottle, "rate", "3/min")  # 20/min in earnest; hashing is slow
        user = member(MunicipalityFactory())
        client = APIClient()
        body = {"username": user.username, "password": "fel"}
        statuses = [
            client.post(api_url("token"), body, format="json").status_code for _ in range(4)
        ]
        assert statuses == [400, 400, 400, 429]
        # The right password does not get past the throttle either.
        body["password"] = "correct horse battery staple"
        assert client.post(api_url("token"), body, format="json").status_code == 429

    @pytest.mark.parametrize("behind_proxy", [False, True])
    def test_a_forged_forwarded_for_does_not_escape_the_throttle(
        self, monkeypatch: pytest.MonkeyPatch, settings: Any, behind_proxy: bool
    ) -> None:
        """The throttle counts the address `core.net.client_ip` reads: REMOTE_ADDR, or behind
        a reverse proxy the entry the proxy wrote. A guesser who sends a new X-Forwarded-For
        with each try is still the same client (DRF's own reading took the header whole)."""
        settings.STADGA_BEHIND_PROXY = behind_proxy
        settings.STADGA_TRUSTED_PROXY_COUNT = 1
        monkeypatch.setattr(TokenThrottle, "rate", "3/min")
        user = member(MunicipalityFactory())
        body = {"username": user.username, "password": "fel"}
        statuses = []
        for attempt in range(4):
            forged = f"192.0.2.{attempt}" + (", 198.51.100.7" if behind_proxy else "")
            client = APIClient(HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="10.0.0.2")
            statuses.append(client.post(api_url("token"), body, format="json").status_code)
        assert statuses == [400, 400, 400, 429]
        if behind_proxy:  # another client behind the same proxy has tries of its own
            other = APIClient(HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.2")
            assert other.post(api_url("token"), body, format="json").status_code == 400


# --- errors raised below the serializers ---------------------------------------------------------


class TestExceptionHandler:
    def test_django_validation_error_becomes_a_400_with_field_messages(self) -> None:
        error = DjangoValidationError({"board": ["Fel nämnd."], "__all__": ["Finns redan."]})
        response = exception_handler(error, {})
        assert response is not None
        assert response.status_code == 400
        assert response.data == {"board": ["Fel nämnd."], "non_field_errors": ["Finns redan."]}

    def test_message_without_a_field_is_a_non_field_error(self) -> None:
        response = exception_handler(DjangoValidationError("Finns redan."), {})
        assert response is not None
        assert response.status_code == 400
        assert response.data == {"non_field_errors": ["Finns redan."]}

    def test_permission_error_becomes_a_403(self) -> None:
        response = exception_handler(PermissionError("Arkiveras, raderas aldrig."), {})
        assert response is not None
        assert response.status_code == 403
        assert response.data == {"detail": "Arkiveras, raderas aldrig."}

    def test_other_errors_are_left_to_django(self) -> None:
        assert exception_handler(RuntimeError("boom"), {}) is None


# --- schema and reference page -------------------------------------------------------------------


class TestSchemaAndDocs:
    def test_schema_is_valid_openapi_with_every_resource(self) -> None:
        response = APIClient().get(api_url("schema") + "?format=json")
        assert response.status_code == 200
        schema = response.json()
        validate_schema(schema)
        paths = schema["paths"]
        for resource in (
            "municipalities",
            "consequence-levels",
            "boards",
            "departments",
            "people",
            "role-assignments",
            "external-organisations",
            "systems",
        ):
            assert f"/api/v1/{resource}/" in paths, resource
        assert "delete" not in paths["/api/v1/systems/{id}/"]
        assert set(paths["/api/v1/systems/{id}/archive/"]) == {"post"}
        assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])

    def test_schema_generates_without_warnings(self, tmp_path: Any) -> None:
        """Two components of one name (e.g. a serializer's input half and another resource)
        make a wrong schema; drf-spectacular only warns, this fails."""
        call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    def test_reference_lists_every_operation_on_its_resources_page(self) -> None:
        """The first page links a page per resource (tag); together they hold every operation
        of the schema, each operation on its own tag's page with the data it reads and writes."""
        client = client_for(member(MunicipalityFactory()))
        response = client.get(api_url("docs"))
        assert response.status_code == 200
        index = response.content.decode()
        assert api_url("schema") in index
        schema = APIClient().get(api_url("schema") + "?format=json").json()
        pages: dict[str, str] = {}
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                url = reverse("api:docs_resource", args=[slugify(operation["tags"][0])])
                assert f'href="{url}"' in index, url
                if url not in pages:
                    resource = client.get(url)
                    assert resource.status_code == 200, url
                    pages[url] = resource.content.decode()
                page = pages[url]
                assert f"<code>{method.upper()} {path}</code>" in page, (method, path)
                body = operation.get("requestBody", {}).get("content", {})
                for media in body.values():
                    ref = media["schema"].get("$ref", "")
                    if ref:  # the data it writes is described on the same page
                        assert f'id="schema-{slugify(ref.rsplit("/", 1)[-1])}"' in page, ref
        # Nothing from a CDN: every script and style sheet is served by the installation.
        for page in [index, *pages.values()]:
            assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
            assert assets and all(asset.startswith("/static/") for asset in assets), assets

    def test_an_unknown_resource_of_the_reference_is_404(self) -> None:
        assert APIClient().get(reverse("api:docs_resource", args=["nothing"])).status_code == 404

    def test_reference_page_is_public(self) -> None:
        assert APIClient().get(api_url("docs")).status_code == 200

    def test_browsable_root_lists_resources(self) -> None:
        client = client_for(member(MunicipalityFactory()))
        response = client.get(api_url("api-root"), HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert set(response.json()) >= {"systems", "boards", "people", "role-assignments"}
