"""The classification pages (P9.1): information types through the generic matrix, a system's
classification page, the security settings and the requirement catalogues, each as anonymous, a
member without a role, the system's owner, a board member, the IT department and a user of
another municipality."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.catalogue import read_catalogue, shipped_catalogues
from stadga.security.choices import MeasureStatus
from stadga.security.models import InformationType, Measure, RequirementCatalogue
from stadga.security.services_classification import (
    information_type_create,
    requirement_catalogue_load,
    security_settings_for,
)
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member
from stadga.testing.matrix import ViewMatrix

LEVELS = ("confidentiality", "integrity", "availability", "traceability")


def make_type(
    system: System, name: str = "Fakturor", levels: tuple[int, ...] = (2, 2, 1, 1)
) -> Any:
    data = dict(zip(LEVELS, levels, strict=True)) | {"name": name, "justification": "Motiverat"}
    return information_type_create(system=system, data=data, actor=None)


def load_shipped() -> RequirementCatalogue:
    path = shipped_catalogues()[0]
    return requirement_catalogue_load(catalogue=read_catalogue(path), actor=None).catalogue


def classification_url(system: System) -> str:
    return f"/k/{system.municipality.slug}/security/systems/{system.pk}/classification/"


def new_type_url(system: System) -> str:
    return f"/k/{system.municipality.slug}/security/information-types/new/?system={system.pk}"


def type_form(name: str = "Personakter", levels: tuple[int, ...] = (3, 2, 2, 2)) -> dict[str, Any]:
    return {
        "name": name,
        "description": "",
        "personal_data": "on",
        **{aspect: str(level) for aspect, level in zip(LEVELS, levels, strict=True)},
        "justification": "Uppgifter om enskilda",
    }


# --- Information types through the generic matrix ----------------------------------------------


class TestInformationTypeViews(ViewMatrix):
    url_prefix = "security/information-types"
    keeper_role = Role.IT_COORDINATOR
    reader_role = Role.AUDITOR
    member_sees = False  # information types follow their systems (P9.2)

    def model_class(self) -> Any:
        return InformationType

    def make(self, municipality: Municipality, **kwargs: Any) -> InformationType:
        return make_type(SystemFactory(municipality=municipality), **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"system": SystemFactory(municipality=municipality).pk, **type_form()}

    def edit_data(self, obj: InformationType) -> dict[str, Any]:
        return type_form(name="Ändrat namn", levels=(1, 1, 1, 1))

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "name": "", "confidentiality": "9"}


# --- A system's classification page ------------------------------------------------------------


@pytest.mark.django_db
class TestClassificationPage:
    @pytest.fixture
    def system(self) -> System:
        load_shipped()
        system = SystemFactory(personal_data=False)
        make_type(system, "Fakturor", (2, 3, 1, 2))
        return system

    def test_anonymous_is_sent_to_login(self, client: Any, system: System) -> None:
        for url in (classification_url(system), new_type_url(system)):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")

    def test_a_member_without_a_role_does_not_see_it(self, client: Any, system: System) -> None:
        client.force_login(member(system.municipality))
        assert client.get(classification_url(system)).status_code == 404
        assert client.get(new_type_url(system)).status_code == 404
        assert client.post(new_type_url(system), type_form()).status_code == 404
        assert InformationType.objects.count() == 1

    def test_another_municipality_gets_404(self, client: Any, system: System) -> None:
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(classification_url(system)).status_code == 404
        assert client.post(new_type_url(system), type_form()).status_code == 404
        # The system's id under the user's own municipality is not found either.
        own = MunicipalityFactory()
        client.force_login(member(own, Role.IT_COORDINATOR))
        assert (
            client.get(f"/k/{own.slug}/security/systems/{system.pk}/classification/").status_code
            == 404
        )
        assert (
            client.get(
                f"/k/{own.slug}/security/information-types/new/?system={system.pk}"
            ).status_code
            == 404
        )

    def test_the_system_owner_classifies_and_sees_the_requirements(
        self, client: Any, system: System
    ) -> None:
        user = member(system.municipality, Role.SYSTEM_OWNER, system=system)
        client.force_login(user)
        page = client.get(classification_url(system)).content.decode()
        assert "Fakturor" in page
        assert new_type_url(system).split("/k/")[1].replace("?", "") in page.replace("?", "")
        assert "KR-01" in page  # confidentiality 2 triggers the level-1 access requirement
        assert "KR-39" not in page  # personal data only: the system has none yet
        assert "security/measures/new/?system=" in page

        response = client.post(new_type_url(system), type_form())
        assert response.status_code == 302
        assert response["Location"] == classification_url(system)
        system.refresh_from_db()
        assert (system.confidentiality, system.integrity, system.personal_data) == (3, 3, True)
        created = InformationType.objects.get(name="Personakter")
        assert created.system == system
        assert created.classified_by is not None and created.classified_by.user == user
        assert LogEntry.objects.get_for_object(system).filter(actor=user).exists()

        page = client.get(classification_url(system)).content.decode()
        assert "KR-39" in page  # the personal data requirements now apply
        assert "KR-07" in page  # confidentiality 3: two-factor authentication

    def test_the_named_owner_without_a_role_assignment_may_edit(self, client: Any) -> None:
        user = member(MunicipalityFactory())
        person = user.people.get()
        system = SystemFactory(municipality=person.municipality, system_owner=person)
        client.force_login(user)
        assert client.get(classification_url(system)).status_code == 200
        assert client.post(new_type_url(system), type_form()).status_code == 302

    def test_a_board_member_reads_but_does_not_classify(self, client: Any, system: System) -> None:
        client.force_login(member(system.municipality, Role.BOARD_MEMBER, board=system.board))
        page = client.get(classification_url(system))
        assert page.status_code == 200
        assert "Fakturor" in page.content.decode()
        assert "information-types/new/" not in page.content.decode()
        assert client.get(new_type_url(system)).status_code == 403
        assert client.post(new_type_url(system), type_form()).status_code == 403
        information_type = InformationType.objects.get()
        edit = (
            f"/k/{system.municipality.slug}/security/information-types/{information_type.pk}/edit/"
        )
        assert client.get(edit).status_code == 403
        assert client.post(edit, type_form()).status_code == 403
        archive = edit.replace("/edit/", "/archive/")
        assert client.post(archive).status_code == 403
        assert InformationType.objects.count() == 1
        detail = edit.replace("/edit/", "/")
        assert client.get(detail).status_code == 200

    def test_the_system_cannot_be_swapped_in_the_form(self, client: Any, system: System) -> None:
        other = SystemFactory(municipality=system.municipality)
        client.force_login(member(system.municipality, Role.SYSTEM_OWNER, system=system))
        response = client.post(new_type_url(system), {**type_form(), "system": other.pk})
        assert response.status_code == 302
        assert InformationType.objects.get(name="Personakter").system == system
        # Without ?system= only systems the user may edit can be chosen.
        response = client.post(
            f"/k/{system.municipality.slug}/security/information-types/new/",
            {**type_form(name="Annat"), "system": other.pk},
        )
        assert response.status_code == 400
        assert not InformationType.objects.filter(name="Annat").exists()

    def test_review_due_is_shown(self, client: Any, system: System) -> None:
        InformationType.objects.update(classified_on="2020-01-15")
        client.force_login(member(system.municipality, Role.IT_COORDINATOR))
        page = client.get(classification_url(system)).content.decode()
        assert "2021-01-15" in page
        assert 'class="notice notice--warning"' in page

    def test_a_measure_is_shown_and_not_applicable_counts(
        self, client: Any, system: System
    ) -> None:
        requirement = RequirementCatalogue.objects.get().requirements.get(code="KR-01")
        measure = Measure.objects.create(
            municipality=system.municipality,
            system=system,
            requirement=requirement,
            title="Ingen inloggning",
            status=MeasureStatus.NOT_APPLICABLE,
            not_applicable_reason="Systemet har inga användare",
        )
        client.force_login(member(system.municipality, Role.IT_COORDINATOR))
        page = client.get(classification_url(system))
        assert measure.get_absolute_url() in page.content.decode()
        assert page.context["handled_count"] == 1

    def test_query_count_does_not_grow_with_types_and_requirements(
        self, client: Any, system: System
    ) -> None:
        client.force_login(member(system.municipality, Role.IT_COORDINATOR))
        client.get(classification_url(system))  # creates the settings with their defaults
        counts = []
        for name in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"):
            make_type(system, name, (4, 4, 4, 4) if name == "j" else (1, 1, 1, 1))
            if name in ("a", "j"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(classification_url(system)).status_code == 200
                counts.append(len(queries))
        assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_the_system_detail_page_links_to_the_classification(client: Any) -> None:
    system = SystemFactory()
    client.force_login(member(system.municipality, Role.IT_COORDINATOR))
    page = client.get(system.get_absolute_url()).content.decode()
    assert classification_url(system) in page


# --- Security settings -----------------------------------------------------------------------


@pytest.mark.django_db
class TestSettingsPage:
    def url(self, municipality: Municipality) -> str:
        return reverse("security:settings", kwargs={"municipality": municipality.slug})

    def data(self, **changes: Any) -> dict[str, Any]:
        return {
            "classification_review_months": "24",
            "shortfall_escalation_days": "10",
            "follow_up_1": "24",
            "follow_up_2": "12",
            "follow_up_3": "6",
            "follow_up_4": "2",
            **changes,
        }

    def test_anonymous_and_outsiders(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        response = client.get(self.url(municipality))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(municipality)).status_code == 404
        assert client.post(self.url(municipality), self.data()).status_code == 404

    def test_members_read_but_do_not_change(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality))
        page = client.get(self.url(municipality))
        assert page.status_code == 200
        assert "disabled" in page.content.decode()
        assert client.post(self.url(municipality), self.data()).status_code == 403
        assert security_settings_for(municipality).classification_review_months == 12

    def test_the_it_coordinator_changes_them(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        user = member(municipality, Role.IT_COORDINATOR)
        client.force_login(user)
        response = client.post(self.url(municipality), self.data())
        assert response.status_code == 302
        settings = security_settings_for(municipality)
        assert settings.classification_review_months == 24
        assert settings.shortfall_escalation_days == 10
        assert settings.follow_up_months == {"1": 24, "2": 12, "3": 6, "4": 2}
        assert LogEntry.objects.get_for_object(settings).latest("timestamp").actor == user

    def test_invalid_input_is_explained_and_changes_nothing(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        response = client.post(self.url(municipality), self.data(follow_up_2="0"))
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
        assert security_settings_for(municipality).follow_up_months["2"] == 12

    def test_a_technician_may_not_change_them(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        client.force_login(member(municipality, Role.IT_TECHNICIAN))
        assert client.post(self.url(municipality), self.data()).status_code == 403


# --- Requirement catalogues --------------------------------------------------------------------


@pytest.mark.django_db
class TestRequirementPages:
    def test_login_required(self, client: Any) -> None:
        catalogue = load_shipped()
        for url in (reverse("requirements:list"), catalogue.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")

    def test_any_user_reads_every_requirement_grouped_by_category(self, client: Any) -> None:
        catalogue = load_shipped()
        client.force_login(member(MunicipalityFactory()))
        listing = client.get(reverse("requirements:list")).content.decode()
        assert catalogue.get_absolute_url() in listing
        page = client.get(catalogue.get_absolute_url())
        assert page.status_code == 200
        assert page.context["shown"] == page.context["total"] >= 40
        assert len(page.context["groups"]) == 10
        html = page.content.decode()
        assert "KR-01" in html and "KR-62" in html

    def test_filter_by_aspect_and_level(self, client: Any) -> None:
        catalogue = load_shipped()
        client.force_login(member(MunicipalityFactory()))
        page = client.get(catalogue.get_absolute_url() + "?aspect=availability&level=1")
        shown = [r for _c, _l, items in page.context["groups"] for r in items]
        assert shown and all(r.aspect == "availability" and r.level == 1 for r in shown)
        page = client.get(catalogue.get_absolute_url() + "?personal_data=on")
        shown = [r for _c, _l, items in page.context["groups"] for r in items]
        assert shown and all(r.personal_data for r in shown)
        assert client.get(catalogue.get_absolute_url() + "?level=9").status_code == 400

    def test_unknown_catalogue_is_404(self, client: Any) -> None:
        client.force_login(member(MunicipalityFactory()))
        assert client.get(reverse("requirements:detail", kwargs={"pk": 999999})).status_code == 404

    def test_detail_query_count_is_fixed(self, client: Any) -> None:
        catalogue = load_shipped()
        client.force_login(member(MunicipalityFactory()))
        with CaptureQueriesContext(connection) as queries:
            client.get(catalogue.get_absolute_url())
        assert len(queries) <= 8
