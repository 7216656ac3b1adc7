"""An external organisation's page (P3.11): what it answers for in the systems the user may read
and the initiatives of the plans they may read, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.organisation.choices import Role
from stadga.plans.tests.factories import ITPlanFactory, PlanItemFactory
from stadga.systems import services
from stadga.systems.choices import ResponsibilityKind
from stadga.testing.factories import (
    ExternalOrganisationFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)

pytestmark = [pytest.mark.django_db]


def answer_for(system: Any, organisation: Any, kind: str = ResponsibilityKind.NETWORK) -> Any:
    return services.external_responsibility_create(
        system=system,
        data={"organisation": organisation, "kind": kind, "description": f"Ansvar {system}"},
        actor=None,
    )


def test_it_lists_the_systems_and_plan_items_in_fixed_queries(client: Any) -> None:
    organisation = ExternalOrganisationFactory(name="Karlsborgs Energi AB")
    municipality = organisation.municipality
    plan = ITPlanFactory(municipality=municipality, year=2026)
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    counts = []
    for rows in (1, 6):
        while organisation.system_responsibilities.count() < rows:
            answer_for(SystemFactory(municipality=municipality), organisation)
            PlanItemFactory(plan=plan).external_organisations.add(organisation)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(organisation.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    page = response.content.decode()
    for row in organisation.system_responsibilities.select_related("system"):
        assert f'href="{row.system.get_absolute_url()}#external-organisations"' in page
        assert f'href="{row.get_absolute_url()}"' in page
    for item in organisation.plan_items.all():
        assert f'href="{item.get_absolute_url()}"' in page


def test_it_shows_only_the_systems_and_plans_the_user_reads(client: Any) -> None:
    organisation = ExternalOrganisationFactory()
    municipality = organisation.municipality
    user = member(municipality)
    own = SystemFactory(municipality=municipality, system_owner=user.people.get(), name="Egen")
    hidden = SystemFactory(municipality=municipality, name="Dolt system")
    answer_for(own, organisation)
    answer_for(hidden, organisation, ResponsibilityKind.SUPPLIER)
    board_plan = ITPlanFactory(municipality=municipality)
    other_plan = ITPlanFactory(municipality=municipality)
    seen = PlanItemFactory(plan=board_plan, title="Synlig satsning")
    unseen = PlanItemFactory(plan=other_plan, title="Annan nämnds satsning")
    for item in (seen, unseen):
        item.external_organisations.add(organisation)
    # A member of the first plan's board, and system owner of `own`.
    member_user = member(municipality, Role.BOARD_MEMBER, board=board_plan.board)
    client.force_login(user)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert own.get_absolute_url() in page and hidden.get_absolute_url() not in page
    assert "Synlig satsning" not in page and "Annan nämnds satsning" not in page
    client.force_login(member_user)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Synlig satsning" in page and "Annan nämnds satsning" not in page
    assert "Dolt system" not in page


def test_archived_links_are_not_listed(client: Any) -> None:
    organisation = ExternalOrganisationFactory()
    municipality = organisation.municipality
    row = answer_for(SystemFactory(municipality=municipality, name="Gammalt system"), organisation)
    services.external_responsibility_archive(responsibility=row, actor=None)
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Gammalt system" not in page


def test_another_municipality_gets_404(client: Any) -> None:
    organisation = ExternalOrganisationFactory()
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(organisation.get_absolute_url()).status_code == 404
