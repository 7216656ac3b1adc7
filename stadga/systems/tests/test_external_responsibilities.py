"""What external organisations answer for in the systems (P3.11, P8): the service's rules, the
pages through the generic matrix, the section on the system's page and the API. They follow their
system: whoever reads it reads them, whoever may edit it keeps them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadga.api.testing import ApiMatrix, client_for, ids
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.systems import services
from stadga.systems.choices import ResponsibilityKind
from stadga.systems.models import ExternalResponsibility, System
from stadga.testing.factories import (
    ExternalOrganisationFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix

NETWORK = ResponsibilityKind.NETWORK


def responsibility(
    system: System | None = None,
    *,
    municipality: Municipality | None = None,
    organisation: Any = None,
    kind: str = NETWORK,
    description: str = "Ortsnätet fram till lokalerna",
) -> ExternalResponsibility:
    if system is None:
        system = SystemFactory(municipality=municipality or MunicipalityFactory())
    organisation = organisation or ExternalOrganisationFactory(municipality=system.municipality)
    return services.external_responsibility_create(
        system=system,
        data={"organisation": organisation, "kind": kind, "description": description},
        actor=None,
    )


def new_url(system: System) -> str:
    return (
        f"/k/{system.municipality.slug}/systems/external-responsibilities/new/?system={system.pk}"
    )


def form(organisation: Any, **values: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "kind": NETWORK,
        "description": "Det ortssammanbindande nätet",
        "contract_ends_on": "",
        **values,
    }


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestService:
    def test_create_records_it_in_the_systems_municipality_and_logs_it(self) -> None:
        system = SystemFactory()
        user = member(system.municipality, Role.IT_COORDINATOR)
        organisation = ExternalOrganisationFactory(municipality=system.municipality)
        created = services.external_responsibility_create(
            system=system,
            data={"organisation": organisation, "kind": NETWORK, "description": "Fiber"},
            actor=user,
        )
        assert created.municipality == system.municipality
        assert list(system.external_responsibilities.all()) == [created]
        assert list(organisation.system_responsibilities.all()) == [created]
        assert LogEntry.objects.get_for_object(created).get().actor == user

    def test_another_municipalitys_organisation_is_refused(self) -> None:
        system = SystemFactory()
        foreign = ExternalOrganisationFactory()  # its own municipality
        with pytest.raises(ValidationError) as error:
            responsibility(system, organisation=foreign)
        assert "organisation" in error.value.message_dict
        assert not ExternalResponsibility.objects.exists()

    def test_the_same_responsibility_is_recorded_once_while_current(self) -> None:
        first = responsibility()
        with pytest.raises(ValidationError):
            responsibility(first.system, organisation=first.organisation)
        # Another kind of responsibility of the same organisation is fine …
        responsibility(
            first.system, organisation=first.organisation, kind=ResponsibilityKind.SUPPORT
        )
        # … and once archived, the same one may be recorded again, but not restored beside it.
        services.external_responsibility_archive(responsibility=first, actor=None)
        again = responsibility(first.system, organisation=first.organisation)
        with pytest.raises(ValidationError):
            services.external_responsibility_restore(responsibility=first, actor=None)
        first.refresh_from_db()
        assert first.is_archived and not again.is_archived

    def test_update_keeps_the_system_and_logs_only_a_change(self) -> None:
        row = responsibility()
        other = SystemFactory(municipality=row.municipality)
        row, changed = services.external_responsibility_update(
            responsibility=row,
            data={"system": other, "description": "Ny text", "kind": NETWORK},
            actor=None,
        )
        row.refresh_from_db()
        assert changed and row.description == "Ny text" and row.system != other
        _row, changed = services.external_responsibility_update(
            responsibility=row, data={"description": "Ny text"}, actor=None
        )
        assert not changed

    def test_it_is_archived_never_deleted(self) -> None:
        row = responsibility()
        services.external_responsibility_archive(responsibility=row, actor=None)
        assert row.is_archived
        with pytest.raises(PermissionError):
            row.delete()


# --- the pages through the generic matrix ---------------------------------------------------------


class TestExternalResponsibilityViews(ViewMatrix):
    url_prefix = "systems/external-responsibilities"
    member_sees = False  # they follow their system (P9.2)

    def model_class(self) -> Any:
        return ExternalResponsibility

    def make(self, municipality: Municipality, **kwargs: Any) -> ExternalResponsibility:
        return responsibility(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality)
        return {
            "system": system.pk,
            **form(ExternalOrganisationFactory(municipality=municipality)),
        }

    def edit_data(self, obj: ExternalResponsibility) -> dict[str, Any]:
        return {
            "organisation": obj.organisation_id,
            "kind": ResponsibilityKind.SUPPORT,
            "description": "Ändrad beskrivning",
            "contract_ends_on": "2028-12-31",
        }

    def edited_values(self) -> dict[str, Any]:
        return {
            "description": "Ändrad beskrivning",
            "contract_ends_on": datetime.date(2028, 12, 31),
        }

    def history_texts(self) -> list[str]:
        return ["Ändrad beskrivning"]

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "kind": "owner"}


# --- who keeps them: whoever may edit the system --------------------------------------------------


@pytest.mark.django_db
class TestWhoKeepsThem:
    def test_the_system_owner_adds_one_on_their_own_system_only(self, client: Any) -> None:
        municipality = MunicipalityFactory()
        user = member(municipality)
        own = SystemFactory(municipality=municipality, system_owner=user.people.get())
        other = SystemFactory(municipality=municipality)
        organisation = ExternalOrganisationFactory(municipality=municipality)
        client.force_login(user)
        page = client.get(new_url(own))
        assert page.status_code == 200
        response = client.post(new_url(own), form(organisation))
        assert response.status_code == 302
        assert response["Location"] == f"{own.get_absolute_url()}#external-organisations"
        created = own.external_responsibilities.get()
        assert created.organisation == organisation
        assert LogEntry.objects.get_for_object(created).get().actor == user
        # A system they do not read is a 404; one they read but may not edit a 403.
        assert client.get(new_url(other)).status_code == 404
        assert client.post(new_url(other), form(organisation)).status_code == 404
        # Without ?system= they may choose only the systems they may edit.
        choices = client.get(
            f"/k/{municipality.slug}/systems/external-responsibilities/new/"
        ).content.decode()
        assert f'value="{own.pk}"' in choices and f'value="{other.pk}"' not in choices
        forced = client.post(
            f"/k/{municipality.slug}/systems/external-responsibilities/new/",
            {"system": other.pk, **form(organisation)},
        )
        assert forced.status_code == 400
        assert not other.external_responsibilities.exists()

    def test_a_reader_of_the_system_may_not_keep_its_responsibilities(self, client: Any) -> None:
        row = responsibility()
        client.force_login(member(row.municipality, Role.AUDITOR))
        assert client.get(row.get_absolute_url()).status_code == 200
        assert client.get(new_url(row.system)).status_code == 403
        assert client.post(new_url(row.system), form(row.organisation)).status_code == 403
        base = f"/k/{row.municipality.slug}/systems/external-responsibilities/{row.pk}"
        assert client.post(f"{base}/archive/").status_code == 403
        page = client.get(row.system.get_absolute_url()).content.decode()
        assert row.organisation.name in page
        assert "external-responsibilities/new/" not in page
        row.refresh_from_db()
        assert not row.is_archived

    def test_the_department_head_keeps_the_departments_systems(self, client: Any) -> None:
        row = responsibility()
        head = member(row.municipality, Role.DEPARTMENT_HEAD, department=row.system.department)
        client.force_login(head)
        base = f"/k/{row.municipality.slug}/systems/external-responsibilities/{row.pk}"
        response = client.post(f"{base}/archive/")
        assert response.status_code == 302
        assert response["Location"] == f"{row.system.get_absolute_url()}#external-organisations"
        row.refresh_from_db()
        assert row.is_archived
        assert client.post(f"{base}/restore/").status_code == 302
        row.refresh_from_db()
        assert not row.is_archived

    def test_a_restore_that_would_record_it_twice_is_refused_with_the_reason(
        self, client: Any
    ) -> None:
        row = responsibility()
        services.external_responsibility_archive(responsibility=row, actor=None)
        responsibility(row.system, organisation=row.organisation)
        client.force_login(member(row.municipality, Role.IT_COORDINATOR))
        base = f"/k/{row.municipality.slug}/systems/external-responsibilities/{row.pk}"
        response = client.post(f"{base}/restore/", follow=True)
        assert response.status_code == 200
        with translation.override("sv"):  # the page's language
            reason = translation.gettext(
                "The organisation already has this responsibility for the system."
            )
        assert reason in response.content.decode()
        row.refresh_from_db()
        assert row.is_archived

    def test_another_municipality_gets_404(self, client: Any) -> None:
        row = responsibility()
        own = MunicipalityFactory()
        client.force_login(member(own, Role.IT_COORDINATOR))
        assert client.get(new_url(row.system)).status_code == 404
        assert client.post(new_url(row.system), form(row.organisation)).status_code == 404
        foreign = f"/k/{own.slug}/systems/external-responsibilities/new/?system={row.system.pk}"
        assert client.get(foreign).status_code == 404
        assert row.system.external_responsibilities.count() == 1

    def test_an_archived_system_takes_no_new_ones(self, client: Any) -> None:
        system = SystemFactory()
        services.system_archive(system=system, actor=None)
        client.force_login(member(system.municipality, Role.IT_COORDINATOR))
        assert client.get(new_url(system)).status_code == 403


# --- the section on the system's page -------------------------------------------------------------


@pytest.mark.django_db
def test_the_system_page_lists_them_in_fixed_queries(client: Any) -> None:
    system = SystemFactory()
    municipality = system.municipality
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    counts = []
    for rows in (1, 8):
        while system.external_responsibilities.count() < rows:
            responsibility(system)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(system.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    page = response.content.decode()
    assert 'id="external-organisations"' in page
    for row in system.external_responsibilities.select_related("organisation"):
        assert f'href="{row.organisation.get_absolute_url()}"' in page
        assert f'href="{row.get_absolute_url()}"' in page  # its detail, with history
        assert f"external-responsibilities/{row.pk}/edit/" in page
        assert f"external-responsibilities/{row.pk}/archive/" in page
    with translation.override("sv"):  # the page's language
        assert str(ResponsibilityKind.NETWORK.label) in page
    assert f"external-responsibilities/new/?system={system.pk}" in page


@pytest.mark.django_db
def test_an_archived_responsibility_is_listed_apart_on_the_system_page(client: Any) -> None:
    row = responsibility(description="Tidigare driftavtal")
    services.external_responsibility_archive(responsibility=row, actor=None)
    client.force_login(member(row.municipality, Role.IT_COORDINATOR))
    page = client.get(row.system.get_absolute_url()).content.decode()
    assert "Tidigare driftavtal" not in page  # not in the table of current ones
    assert f'href="{row.get_absolute_url()}"' in page  # but reachable, to be restored


# --- the API --------------------------------------------------------------------------------------


class TestExternalResponsibilityApi(ApiMatrix):
    resource = "externalresponsibility"
    member_sees = False  # they follow their system

    def model_class(self) -> Any:
        return ExternalResponsibility

    def make(self, municipality: Municipality, **kwargs: Any) -> ExternalResponsibility:
        return responsibility(municipality=municipality, **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        system = SystemFactory(municipality=municipality)
        for _ in range(count):
            responsibility(system)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "system": SystemFactory(municipality=municipality).pk,
            "organisation": ExternalOrganisationFactory(municipality=municipality).pk,
            "kind": ResponsibilityKind.OPERATION,
            "description": "Drift och värdskap",
            "contract_ends_on": "2029-06-30",
        }

    def update_data(self, obj: ExternalResponsibility) -> dict[str, Any]:
        return {"description": "Ändrad beskrivning", "kind": ResponsibilityKind.SUPPORT}

    def test_another_municipalitys_organisation_is_unknown(
        self, municipality: Municipality
    ) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "organisation": ExternalOrganisationFactory().pk}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "organisation" in response.json()
        assert not ExternalResponsibility.objects.exists()

    def test_the_system_owner_keeps_their_own_systems_only(
        self, municipality: Municipality
    ) -> None:
        user = member(municipality)
        own = SystemFactory(municipality=municipality, system_owner=user.people.get())
        other = SystemFactory(
            municipality=municipality, system_owner=PersonFactory(municipality=municipality)
        )
        mine, theirs = responsibility(own), responsibility(other)
        client = client_for(user)
        assert ids(client.get(self.list_url())) == {mine.pk}
        assert client.get(self.detail_url(theirs)).status_code == 404
        body = {**self.create_data(municipality), "system": own.pk}
        assert client.post(self.list_url(), body, format="json").status_code == 201
        body = {**self.create_data(municipality), "system": other.pk}
        assert client.post(self.list_url(), body, format="json").status_code == 400
        assert client.post(self.detail_url(mine, "archive")).status_code == 200

    def test_filter_by_organisation_and_kind(self, municipality: Municipality) -> None:
        network = responsibility(municipality=municipality)
        support = responsibility(municipality=municipality, kind=ResponsibilityKind.SUPPORT)
        client = client_for(member(municipality, Role.AUDITOR))
        by_org = client.get(self.list_url(organisation=network.organisation_id))
        assert ids(by_org) == {network.pk}
        assert ids(client.get(self.list_url(kind="support"))) == {support.pk}
        data = client.get(self.detail_url(network)).json()
        assert data["organisation_name"] == network.organisation.name
        assert data["system_name"] == network.system.name
        assert data["kind"] == "network"
