"""The register's API through the generic matrix, plus what is special to systems: who reads
which system, who may appoint the system owner (P9.3), dependencies and filters."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stadga.api.testing import ApiMatrix, api_url, client_for, ids, ui_url
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


def sv(message: str) -> str:
    """A message as the API words it in Swedish, the default language."""
    with translation.override("sv"):
        return translation.gettext(message)


APPOINT_DENIED = (
    "The department appoints the system owner (P9.3): only the department head or the IT "
    "department may change the system owner, board or department."
)


class TestSystemApi(ApiMatrix):
    resource = "system"
    member_sees = False  # P9.2: the register is read by its keepers, boards and owners

    def model_class(self) -> Any:
        return System

    def make(self, municipality: Municipality, **kwargs: Any) -> System:
        return SystemFactory(municipality=municipality, **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        """Rows with every related column and both many-to-many lists filled, so a query per row
        anywhere in the serializer would show in the count."""
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        owner, contact = PersonFactory.create_batch(2, municipality=municipality)
        base = SystemFactory(municipality=municipality, board=department.board)
        for _ in range(count):
            system = SystemFactory(
                municipality=municipality,
                board=department.board,
                department=department,
                system_owner=owner,
            )
            system.contacts.add(contact)
            system.depends_on.add(base)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        owner, contact = PersonFactory.create_batch(2, municipality=municipality)
        return {
            "municipality": municipality.slug,
            "name": "Ekonomisystem",
            "purpose": "Redovisning och budget",
            "board": department.board_id,
            "department": department.pk,
            "system_owner": owner.pk,
            "contacts": [contact.pk],
            "lifecycle_phase": "in_production",
            "system_type": "saas",
            "personal_data": True,
            "confidentiality": 2,
            "integrity": 3,
            "availability": 2,
            "traceability": 1,
        }

    def update_data(self, obj: System) -> dict[str, Any]:
        return {"name": "Ändrat namn", "purpose": "Ny beskrivning", "user_count": 12}

    # --- what a client reads ---------------------------------------------------------------------

    def test_detail_names_related_objects_and_flags(self, municipality: Municipality) -> None:
        system = SystemFactory(
            municipality=municipality,
            system_type="in_house",
            confidentiality=None,
        )
        contact = PersonFactory(municipality=municipality)
        system.contacts.add(contact)
        client = client_for(member(municipality, Role.AUDITOR))
        data = client.get(api_url("system-detail", system.pk)).json()
        assert data["board"] == system.board_id
        assert data["board_name"] == system.board.name
        assert data["department_name"] == system.department.name
        assert data["system_owner"] == system.system_owner_id
        assert data["system_owner_name"] == system.system_owner.name
        assert data["contacts"] == [contact.pk]
        assert sorted(data["flags"]) == ["in_house", "unclassified"]
        assert data["url"] == ui_url(system)

    def test_planned_system_without_owner_is_flagged(self, municipality: Municipality) -> None:
        system = SystemFactory(
            municipality=municipality, system_owner=None, department=None, lifecycle_phase="planned"
        )
        client = client_for(member(municipality, Role.IT_TECHNICIAN))
        data = client.get(api_url("system-detail", system.pk)).json()
        assert data["flags"] == ["no_owner"]
        assert data["system_owner"] is None
        assert data["system_owner_name"] is None
        assert data["department_name"] is None

    # --- creating --------------------------------------------------------------------------------

    def test_identifier_is_given_when_left_out(self, municipality: Municipality) -> None:
        SystemFactory(municipality=municipality, identifier="SYS-0041")
        client = client_for(member(municipality, Role.IT_TECHNICIAN))
        response = client.post(
            api_url("system-list"), self.create_data(municipality), format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["identifier"] == "SYS-0042"

    def test_owner_is_required_unless_planned(self, municipality: Municipality) -> None:
        """P9.3 is the model's rule; the service's ValidationError arrives as a field error."""
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "system_owner": None}
        before = System.objects.count()
        response = client.post(api_url("system-list"), body, format="json")
        assert response.status_code == 400
        assert response.json()["system_owner"] == [
            sv("Every system has a named system owner (P9.3); only a planned system may lack one.")
        ]
        assert System.objects.count() == before
        planned = {**body, "lifecycle_phase": "planned"}
        assert client.post(api_url("system-list"), planned, format="json").status_code == 201

    def test_classification_must_be_on_the_municipalitys_scale(
        self, municipality: Municipality
    ) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "confidentiality": 5}
        response = client.post(api_url("system-list"), body, format="json")
        assert response.status_code == 400
        assert response.json()["confidentiality"] == [
            sv("Choose a level from 1 to %(top)s.") % {"top": 4}
        ]

    def test_department_must_be_under_the_board(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {
            **self.create_data(municipality),
            "board": BoardFactory(municipality=municipality).pk,
        }
        response = client.post(api_url("system-list"), body, format="json")
        assert response.status_code == 400
        assert "department" in response.json()

    @pytest.mark.parametrize("field", ["board", "department", "system_owner", "contacts"])
    def test_related_objects_of_another_municipality_are_refused(
        self, municipality: Municipality, field: str
    ) -> None:
        """Even for a user who is IT coordinator in both municipalities and sees both."""
        other = MunicipalityFactory()
        user = member(municipality, Role.IT_COORDINATOR)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=other, user=user), role=Role.IT_COORDINATOR
        )
        foreign_department = DepartmentFactory(board=BoardFactory(municipality=other))
        foreign = {
            "board": foreign_department.board_id,
            "department": foreign_department.pk,
            "system_owner": PersonFactory(municipality=other).pk,
            "contacts": [PersonFactory(municipality=other).pk],
        }
        body = {**self.create_data(municipality), field: foreign[field]}
        before = System.objects.count()
        response = client_for(user).post(api_url("system-list"), body, format="json")
        assert response.status_code == 400
        assert response.json()[field] == [sv("It belongs to another municipality.")]
        assert System.objects.count() == before

    def test_keeper_elsewhere_may_only_read_here(self, municipality: Municipality) -> None:
        """IT coordinator in one municipality, auditor in another: a 403 there, not a 400."""
        other = MunicipalityFactory()
        user = member(other, Role.IT_COORDINATOR)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality, user=user), role=Role.AUDITOR
        )
        response = client_for(user).post(
            api_url("system-list"), self.create_data(municipality), format="json"
        )
        assert response.status_code == 403
        assert response.json()["detail"] == sv("Only the IT department registers systems (P3.2).")

    def test_keeper_replaces_with_put(self, municipality: Municipality) -> None:
        system = SystemFactory(municipality=municipality)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "name": "Helt nytt", "identifier": "SYS-9999"}
        del body["municipality"]
        response = client.put(api_url("system-detail", system.pk), body, format="json")
        assert response.status_code == 200, response.content
        system.refresh_from_db()
        assert (system.name, system.identifier) == ("Helt nytt", "SYS-9999")
        assert system.board_id == body["board"]
        assert [c.pk for c in system.contacts.all()] == body["contacts"]

    # --- who reads which system ------------------------------------------------------------------

    def test_board_member_reads_the_boards_systems_only(self, municipality: Municipality) -> None:
        mine = SystemFactory(municipality=municipality)
        theirs = SystemFactory(municipality=municipality)
        user = member(municipality, Role.BOARD_MEMBER, board=mine.board)
        client = client_for(user)
        assert ids(client.get(api_url("system-list"))) == {mine.pk}
        assert client.get(api_url("system-detail", theirs.pk)).status_code == 404
        # Visible but not theirs to keep: a 403, and nothing changes.
        response = client.patch(api_url("system-detail", mine.pk), {"name": "X"}, format="json")
        assert response.status_code == 403
        assert response.json()["detail"] == sv("You may read this system but not change it.")
        mine.refresh_from_db()
        assert mine.name != "X"

    def test_department_head_reads_the_departments_systems(
        self, municipality: Municipality
    ) -> None:
        mine = SystemFactory(municipality=municipality)
        SystemFactory(municipality=municipality)
        client = client_for(member(municipality, Role.DEPARTMENT_HEAD, department=mine.department))
        assert ids(client.get(api_url("system-list"))) == {mine.pk}

    # --- who appoints the system owner (P9.3) ----------------------------------------------------

    @pytest.fixture
    def owned(self, municipality: Municipality) -> tuple[Any, System]:
        """A system owner (named on the system) and their system."""
        user = member(municipality)
        system = SystemFactory(municipality=municipality, system_owner=user.people.get())
        return user, system

    def test_system_owner_keeps_the_data(self, owned: tuple[Any, System]) -> None:
        user, system = owned
        client = client_for(user)
        assert ids(client.get(api_url("system-list"))) == {system.pk}
        body = {"purpose": "Ny beskrivning", "confidentiality": 3}
        response = client.patch(api_url("system-detail", system.pk), body, format="json")
        assert response.status_code == 200, response.content
        system.refresh_from_db()
        assert (system.purpose, system.confidentiality) == ("Ny beskrivning", 3)
        assert LogEntry.objects.get_for_object(system).filter(actor=user).exists()

    @pytest.mark.parametrize("field", ["system_owner", "board", "department"])
    def test_system_owner_does_not_appoint(self, owned: tuple[Any, System], field: str) -> None:
        user, system = owned
        replacement = {
            "system_owner": PersonFactory(municipality=system.municipality).pk,
            "board": BoardFactory(municipality=system.municipality).pk,
            "department": DepartmentFactory(board=system.board).pk,
        }[field]
        body = {field: replacement, "purpose": "Ändrad"}
        response = client_for(user).patch(api_url("system-detail", system.pk), body, format="json")
        assert response.status_code == 403
        assert response.json() == {field: [sv(APPOINT_DENIED)]}
        fresh = System.objects.get(pk=system.pk)
        assert getattr(fresh, f"{field}_id") == getattr(system, f"{field}_id")
        assert fresh.purpose != "Ändrad"  # nothing of the request is written

    def test_system_owner_may_send_the_unchanged_owner(self, owned: tuple[Any, System]) -> None:
        user, system = owned
        body = {"system_owner": system.system_owner_id, "board": system.board_id, "name": "Nytt"}
        response = client_for(user).patch(api_url("system-detail", system.pk), body, format="json")
        assert response.status_code == 200

    def test_system_owner_by_role_assignment_edits(self, municipality: Municipality) -> None:
        system = SystemFactory(municipality=municipality)
        user = member(municipality, Role.SYSTEM_OWNER, system=system)
        response = client_for(user).patch(
            api_url("system-detail", system.pk), {"notes": "Avtal förnyat"}, format="json"
        )
        assert response.status_code == 200

    def test_system_owner_does_not_archive(self, owned: tuple[Any, System]) -> None:
        user, system = owned
        response = client_for(user).post(api_url("system-archive", system.pk))
        assert response.status_code == 403
        system.refresh_from_db()
        assert not system.is_archived

    def test_department_head_appoints_the_owner(self, municipality: Municipality) -> None:
        system = SystemFactory(municipality=municipality)
        head = member(municipality, Role.DEPARTMENT_HEAD, department=system.department)
        new_owner = PersonFactory(municipality=municipality)
        response = client_for(head).patch(
            api_url("system-detail", system.pk), {"system_owner": new_owner.pk}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["system_owner_name"] == new_owner.name
        system.refresh_from_db()
        assert system.system_owner == new_owner
        # …but does not archive: that is the IT department's (P3.2).
        assert client_for(head).post(api_url("system-archive", system.pk)).status_code == 403

    # --- dependencies ----------------------------------------------------------------------------

    def test_dependency_the_user_cannot_see_is_refused(self, owned: tuple[Any, System]) -> None:
        user, system = owned
        hidden = SystemFactory(municipality=system.municipality)
        response = client_for(user).patch(
            api_url("system-detail", system.pk), {"depends_on": [hidden.pk]}, format="json"
        )
        assert response.status_code == 400
        assert "depends_on" in response.json()
        assert not system.depends_on.exists()

    def test_dependencies_the_user_cannot_see_are_kept(self, owned: tuple[Any, System]) -> None:
        user, system = owned
        hidden = SystemFactory(municipality=system.municipality)
        visible = SystemFactory(municipality=system.municipality, system_owner=system.system_owner)
        system.depends_on.add(hidden, visible)
        response = client_for(user).patch(
            api_url("system-detail", system.pk), {"depends_on": []}, format="json"
        )
        assert response.status_code == 200, response.content
        assert set(system.depends_on.values_list("pk", flat=True)) == {hidden.pk}

    def test_a_system_does_not_depend_on_itself(self, municipality: Municipality) -> None:
        system = SystemFactory(municipality=municipality)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        response = client.patch(
            api_url("system-detail", system.pk), {"depends_on": [system.pk]}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["depends_on"] == [sv("A system cannot depend on itself.")]

    # --- filters, search and ordering ------------------------------------------------------------

    def test_filters(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        owner = PersonFactory(municipality=municipality)
        a = SystemFactory(
            municipality=municipality,
            name="Alfa",
            board=department.board,
            department=department,
            system_owner=owner,
            personal_data=True,
            confidentiality=4,
        )
        b = SystemFactory(
            municipality=municipality,
            name="Beta",
            system_type="saas",
            is_public=True,
            lifecycle_phase="phase_out",
            confidentiality=1,
        )
        c = SystemFactory(
            municipality=municipality,
            name="Gamma",
            lifecycle_phase="planned",
            system_owner=None,
            integrity=None,
        )
        vendor = VendorFactory(municipality=municipality, name="Leverantören AB")
        for name in ("Gammaprodukt", "Gammatjänst"):  # two products: the system listed once
            product = ProductFactory(municipality=municipality, name=name, vendor=vendor)
            SystemProductFactory(system=c, product=product)
        other = MunicipalityFactory()
        elsewhere = SystemFactory(municipality=other)
        user = member(municipality, Role.AUDITOR)
        RoleAssignmentFactory(person=PersonFactory(municipality=other, user=user), role="auditor")
        client = client_for(user)

        def found(**query: object) -> set[int]:
            return ids(client.get(api_url("system-list", **query)))

        assert found() == {a.pk, b.pk, c.pk, elsewhere.pk}
        assert found(municipality=municipality.slug) == {a.pk, b.pk, c.pk}
        assert found(municipality=other.slug) == {elsewhere.pk}
        assert found(board=department.board_id) == {a.pk}
        assert found(department=department.pk) == {a.pk}
        assert found(system_owner=owner.pk) == {a.pk}
        assert found(has_owner="false") == {c.pk}
        assert found(lifecycle_phase=["phase_out", "planned"]) == {b.pk, c.pk}
        assert found(system_type="saas") == {b.pk}
        assert found(personal_data="true") == {a.pk}
        assert found(is_public="true") == {b.pk}
        assert found(confidentiality__gte=3) == {a.pk}
        assert found(confidentiality=1) == {b.pk}
        assert found(classified="false") == {c.pk}
        assert found(search="leverantören") == {c.pk}
        response = client.get(api_url("system-list", search="leverantören"))
        assert len(response.json()["results"]) == 1
        assert found(search="gammatjänst") == {c.pk}
        names = [
            row["name"]
            for row in client.get(
                api_url("system-list", municipality=municipality.slug, ordering="-name")
            ).json()["results"]
        ]
        assert names == ["Gamma", "Beta", "Alfa"]

    def test_filter_by_another_municipalitys_board_finds_nothing(
        self, municipality: Municipality
    ) -> None:
        SystemFactory(municipality=municipality)
        foreign = SystemFactory()
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        assert ids(client.get(api_url("system-list", board=foreign.board_id))) == set()
        # and a board id that does not exist reads the same
        assert ids(client.get(api_url("system-list", board=foreign.board_id + 10_000))) == set()

    def test_archived_systems_are_listed_only_when_asked(self, municipality: Municipality) -> None:
        current = SystemFactory(municipality=municipality)
        archived = SystemFactory(municipality=municipality)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        assert client.post(api_url("system-archive", archived.pk)).status_code == 200
        assert ids(client.get(api_url("system-list"))) == {current.pk}
        assert ids(client.get(api_url("system-list", archived="true"))) == {archived.pk}
        # A board member of the archived system's board sees it among the archived, too;
        # an employee sees none.
        reader = member(municipality, Role.BOARD_MEMBER, board=archived.board)
        assert ids(client_for(reader).get(api_url("system-list", archived="true"))) == {archived.pk}
        employee = client_for(member(municipality, Role.EMPLOYEE))
        assert ids(employee.get(api_url("system-list", archived="true"))) == set()

    def test_token_authentication_reads_the_register(self, municipality: Municipality) -> None:
        system = SystemFactory(municipality=municipality)
        SystemFactory()  # another municipality's
        user = member(municipality, Role.AUDITOR)
        token = Token.objects.create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert ids(client.get(api_url("system-list"))) == {system.pk}
