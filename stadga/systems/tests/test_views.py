"""The register's pages through the generic matrix, plus what is special to systems (P9.3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from stadga.organisation.choices import Role
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix


class TestSystemViews(ViewMatrix):
    url_prefix = "systems"
    member_sees = False  # P9.2: the register is read by its keepers, boards and owners

    def model_class(self) -> Any:
        return System

    def make(self, municipality: Any, **kwargs: Any) -> System:
        return SystemFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Any) -> dict[str, Any]:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        owner = PersonFactory(municipality=municipality)
        return {
            "name": "Ekonomisystem",
            "purpose": "Redovisning",
            "board": department.board.pk,
            "department": department.pk,
            "system_owner": owner.pk,
            "lifecycle_phase": "in_production",
            "system_type": "saas",
            "confidentiality": "2",
        }

    def edit_data(self, obj: System) -> dict[str, Any]:
        return {
            "identifier": obj.identifier,
            "name": "Ändrat namn",
            "board": obj.board_id,
            "department": obj.department_id or "",
            "system_owner": obj.system_owner_id or "",
            "lifecycle_phase": obj.lifecycle_phase,
            "system_type": obj.system_type,
            "confidentiality": obj.confidentiality or "",
        }


@pytest.mark.django_db
class TestSystemRules:
    def test_create_without_identifier_gets_next_free(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        SystemFactory(municipality=municipality, identifier="SYS-0041")
        client.force_login(member(municipality, Role.IT_TECHNICIAN))
        data = TestSystemViews().form_data(municipality)
        response = client.post(f"/k/{municipality.slug}/systems/new/", data)
        assert response.status_code == 302
        assert System.objects.get(name="Ekonomisystem").identifier == "SYS-0042"

    def test_owner_is_required_unless_planned(self, client: Any) -> None:
        """P9.3: only a planned system may lack a named system owner; the form says why."""
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        data = {**TestSystemViews().form_data(municipality), "system_owner": ""}
        response = client.post(f"/k/{municipality.slug}/systems/new/", data)
        assert response.status_code == 400
        assert "P9.3" in response.content.decode()
        assert not System.objects.exists()
        data["lifecycle_phase"] = "planned"
        assert client.post(f"/k/{municipality.slug}/systems/new/", data).status_code == 302
        assert System.objects.get().flags[0] == "no_owner"

    def test_classification_level_must_be_on_the_scale(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        data = {**TestSystemViews().form_data(municipality), "integrity": "5"}
        response = client.post(f"/k/{municipality.slug}/systems/new/", data)
        assert response.status_code == 400
        assert not System.objects.exists()

    def test_department_must_belong_to_board(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        other_department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        data = {**TestSystemViews().form_data(municipality), "department": other_department.pk}
        response = client.post(f"/k/{municipality.slug}/systems/new/", data)
        assert response.status_code == 400
        assert not System.objects.exists()

    def test_other_municipalitys_board_is_not_a_choice(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        foreign = BoardFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        data = {**TestSystemViews().form_data(municipality), "board": foreign.pk, "department": ""}
        response = client.post(f"/k/{municipality.slug}/systems/new/", data)
        assert response.status_code == 400
        assert not System.objects.exists()

    def test_system_owner_edits_own_system_only(self, client: Any) -> None:
        """A system owner sees and edits only their own systems."""
        municipality = MunicipalityFactory()
        user = member(municipality)
        owner = user.people.get()
        own = SystemFactory(municipality=municipality, system_owner=owner)
        other = SystemFactory(municipality=municipality)
        client.force_login(user)
        listing = client.get(f"/k/{municipality.slug}/systems/").content.decode()
        assert own.name in listing and other.name not in listing
        assert client.get(own.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 404
        data = TestSystemViews().edit_data(own)
        assert (
            client.post(f"/k/{municipality.slug}/systems/{own.pk}/edit/", data).status_code == 302
        )
        own.refresh_from_db()
        assert own.name == "Ändrat namn"
        # P9.3: the department appoints owners, so an owner cannot hand the system away.
        newcomer = PersonFactory(municipality=municipality)
        data = {**data, "system_owner": newcomer.pk}
        client.post(f"/k/{municipality.slug}/systems/{own.pk}/edit/", data)
        own.refresh_from_db()
        assert own.system_owner == owner
        # And an owner does not archive: that is the IT department's register.
        assert client.post(f"/k/{municipality.slug}/systems/{own.pk}/archive/").status_code == 403

    def test_board_member_sees_the_boards_systems(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        board = BoardFactory(municipality=municipality)
        mine = SystemFactory(municipality=municipality, board=board)
        theirs = SystemFactory(municipality=municipality)
        client.force_login(member(municipality, Role.BOARD_MEMBER, board=board))
        listing = client.get(f"/k/{municipality.slug}/systems/").content.decode()
        assert mine.name in listing and theirs.name not in listing
        assert client.get(f"/k/{municipality.slug}/systems/{mine.pk}/edit/").status_code == 403

    def test_department_head_appoints_owner(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        system = SystemFactory(municipality=municipality)
        client.force_login(member(municipality, Role.DEPARTMENT_HEAD, department=system.department))
        newcomer = PersonFactory(municipality=municipality)
        data = {**TestSystemViews().edit_data(system), "system_owner": newcomer.pk}
        assert (
            client.post(f"/k/{municipality.slug}/systems/{system.pk}/edit/", data).status_code
            == 302
        )
        system.refresh_from_db()
        assert system.system_owner == newcomer

    def test_filters_and_search(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        finance = SystemFactory(municipality=municipality, name="Ekonomi")
        planned = SystemFactory(
            municipality=municipality, name="Framtid", lifecycle_phase="planned", system_owner=None
        )
        # The register finds a system by its products' vendor (two of them: listed once).
        vendor = VendorFactory(municipality=municipality, name="Norrsken")
        for name in ("Norrsken Ekonomi", "Norrsken Lön"):
            product = ProductFactory(municipality=municipality, name=name, vendor=vendor)
            SystemProductFactory(system=finance, product=product)
        client.force_login(member(municipality, Role.AUDITOR))
        base = f"/k/{municipality.slug}/systems/"
        page = client.get(base + "?q=norrsken").content.decode()
        assert finance.name in page and planned.name not in page
        assert page.count(f'href="{finance.get_absolute_url()}"') == 1
        page = client.get(base + "?q=lön").content.decode()  # and by a product's name
        assert finance.name in page and planned.name not in page
        page = client.get(base + "?flag=no_owner").content.decode()
        assert planned.name in page and finance.name not in page
        page = client.get(base + f"?board={finance.board_id}").content.decode()
        assert finance.name in page and planned.name not in page
        page = client.get(base + "?sort=-name").content.decode()
        assert page.index("Framtid") < page.index("Ekonomi")
        assert client.get(base + "?board=not-a-number").status_code == 200

    def test_htmx_gets_only_the_table(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        SystemFactory(municipality=municipality)
        client.force_login(member(municipality, Role.AUDITOR))
        response = client.get(f"/k/{municipality.slug}/systems/", HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert body.startswith('<div id="object-table"') and "<html" not in body


@pytest.mark.django_db
def test_start_page_shows_own_systems_and_figures(client: Any) -> None:
    municipality = MunicipalityFactory()
    user = member(municipality)
    own = SystemFactory(municipality=municipality, system_owner=user.people.get(), name="Mitt")
    client.force_login(user)
    page = client.get(reverse("organisation:overview", args=[municipality.slug])).content.decode()
    assert own.name in page
    assert client.get("/").status_code == 302  # one municipality: straight there


@pytest.mark.django_db
def test_register_uses_the_municipalitys_name_for_system_owner(client: Any) -> None:
    municipality = MunicipalityFactory(role_labels={Role.SYSTEM_OWNER: "Systemägare"})
    system = SystemFactory(municipality=municipality)
    client.force_login(member(municipality, Role.AUDITOR))
    assert ">Systemägare<" in client.get(f"/k/{municipality.slug}/systems/").content.decode()
    assert "Systemägare" in client.get(system.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_filters_offer_only_the_municipalitys_choices(client: Any) -> None:
    municipality = MunicipalityFactory()
    own = BoardFactory(municipality=municipality, name="Egen nämnd")
    BoardFactory(name="Främmande nämnd")
    PersonFactory(name="Främling Främlingsson")
    client.force_login(member(municipality, Role.AUDITOR))
    page = client.get(f"/k/{municipality.slug}/systems/").content.decode()
    assert f'<option value="{own.pk}">Egen nämnd</option>' in page
    assert "Främmande nämnd" not in page
    assert "Främling" not in page
