"""Coordination inquiries through the cooperation groups (P8.2, P8.1): an inquiry asks every
partner of the asking municipality's current groups besides the neighbours of the catalogue
settings, each once; the form to ask one more offers the group partners first; and the request's
page shows, beside the inquiry, which partners run or approve the product, from what they share,
in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import Phase
from stadga.catalogue.forms_requests import RecipientAddForm
from stadga.catalogue.services_inquiries import partners_to_ask
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.systems.choices import LifecyclePhase
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

from .test_requests_services import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def join(group: CooperationGroup, municipality: Municipality, **choices: bool) -> Membership:
    return Membership.objects.create(group=group, municipality=municipality, **choices)


class Groups:
    """The world's municipality in a group with Hjo (which shares nothing) and Tibro, and in an
    ended group with Töreboda; Grannby is a neighbour of the catalogue settings only, and Tibro
    is both."""

    def __init__(self, world: World) -> None:
        self.hjo = MunicipalityFactory(name="Hjo")
        self.tibro = MunicipalityFactory(name="Tibro")
        self.toreboda = MunicipalityFactory(name="Töreboda")
        self.grannby = MunicipalityFactory(name="Grannby")
        self.group = CooperationGroup.objects.create(name="Östra Skaraborg")
        for municipality in (world.m, self.hjo, self.tibro):
            join(self.group, municipality)
        ended = CooperationGroup.objects.create(name="Gammal samverkan")
        join(ended, world.m)
        join(ended, self.toreboda)
        ended.archived_at = timezone.now()
        ended.save()
        services.catalogue_settings_update(
            municipality=world.m,
            data={"neighbours": [self.grannby, self.tibro], "other_neighbours": "Fjärrby kommun"},
            actor=world.it,
        )


@pytest.fixture
def groups(world: World) -> Groups:
    return Groups(world)


# --- who is asked -----------------------------------------------------------------------------


def test_an_inquiry_asks_every_group_partner_and_the_neighbours_once(
    world: World, groups: Groups
) -> None:
    hjo_it = member(groups.hjo, Role.IT_COORDINATOR)
    request = world.submitted(is_business_system=True)
    recipients = list(request.inquiry.recipients.all())
    # Hjo shares nothing with the group and is asked all the same: the question is Karlsborg's
    # own data going out. Tibro, a partner and a neighbour, is asked once; Töreboda's group ended.
    assert sorted(r.name for r in recipients) == ["Fjärrby kommun", "Grannby", "Hjo", "Tibro"]
    assert sorted(r.partner.name for r in recipients if r.partner) == ["Grannby", "Hjo", "Tibro"]
    # A group partner is asked like a neighbour in Stadga: its IT coordinators are told there.
    (note,) = Notification.objects.filter(recipient__user=hjo_it, key__contains="coordination")
    assert note.municipality == groups.hjo


def test_a_partner_that_left_or_is_archived_is_not_asked(world: World, groups: Groups) -> None:
    Membership.objects.filter(municipality=groups.hjo).update(archived_at=timezone.now())
    Municipality.objects.filter(pk=groups.grannby.pk).update(archived_at=timezone.now())
    assert [m.name for m in partners_to_ask(world.m)] == ["Tibro"]
    request = world.submitted(is_business_system=True)
    assert sorted(r.name for r in request.inquiry.recipients.all()) == ["Fjärrby kommun", "Tibro"]


def test_groups_alone_are_enough_to_ask(world: World) -> None:
    """A municipality without catalogue settings asks its group partners."""
    hjo = MunicipalityFactory(name="Hjo")
    group = CooperationGroup.objects.create(name="Östra Skaraborg")
    join(group, world.m)
    join(group, hjo)
    request = world.submitted(is_business_system=True)
    assert [r.partner for r in request.inquiry.recipients.all()] == [hjo]


def test_partners_to_ask_runs_a_fixed_number_of_queries(
    world: World, groups: Groups, django_assert_num_queries: Any
) -> None:
    for i in range(8):
        join(groups.group, MunicipalityFactory(name=f"Kommun {i}"))
    with django_assert_num_queries(3):
        assert len(partners_to_ask(world.m)) == 11


# --- asking one more: the form ------------------------------------------------------------------


def test_the_form_offers_group_partners_first_then_every_other_municipality(
    world: World, groups: Groups, english: Any
) -> None:
    form = RecipientAddForm(prefix="recipient", municipality=world.m)
    labels = [label for value, label in form.fields["partner"].choices if value]
    assert labels == [
        "Hjo (partner in a cooperation group)",
        "Tibro (partner in a cooperation group)",
        "Grannby",
        "Töreboda",
    ]
    # Any of them may be chosen; the municipality itself is not offered.
    bound = RecipientAddForm(
        {"recipient-partner": groups.toreboda.pk}, prefix="recipient", municipality=world.m
    )
    assert bound.is_valid(), bound.errors
    mine = RecipientAddForm(
        {"recipient-partner": world.m.pk}, prefix="recipient", municipality=world.m
    )
    assert not mine.is_valid() and "partner" in mine.errors


def test_a_group_partner_added_later_is_asked_through_the_page(
    client: Any, world: World, english: Any
) -> None:
    """A group formed after the request was submitted: the IT department adds the partner."""
    request = world.submitted(is_business_system=True)
    assert not request.inquiry.recipients.exists()
    hjo = MunicipalityFactory(name="Hjo")
    group = CooperationGroup.objects.create(name="Östra Skaraborg")
    join(group, world.m)
    join(group, hjo)
    client.force_login(world.it)
    html = client.get(request.get_absolute_url()).content.decode()
    assert f'<option value="{hjo.pk}">Hjo (partner in a cooperation group)</option>' in html
    add = reverse("catalogue:productrequest_recipient_add", args=[world.m.slug, request.pk])
    assert client.post(add, {"recipient-partner": hjo.pk}).status_code == 302
    assert request.inquiry.recipients.get().partner == hjo
    # Asked once: a second time is refused on the field, and nothing is added.
    response = client.post(add, {"recipient-partner": hjo.pk})
    assert response.status_code == 400
    assert "That municipality has already been asked." in response.content.decode()
    assert request.inquiry.recipients.count() == 1


# --- beside the inquiry: which partners run or approve the product ------------------------------


def partner_using(
    world: World, group: CooperationGroup, name: str, *, shares: bool = True, systems: int = 1
) -> Municipality:
    """A partner with the product in its catalogue, `systems` public systems running it and an
    IT coordinator; sharing all three with the group when `shares`."""
    partner = MunicipalityFactory(name=name)
    join(
        group,
        partner,
        shares_catalogue=shares,
        shares_systems=shares,
        shares_contacts=shares,
    )
    product = ProductFactory(municipality=partner, name="Mötesrum Pro", phase=Phase.APPROVED)
    for i in range(systems):
        SystemProductFactory(
            system=SystemFactory(
                municipality=partner,
                name=f"Möten {name} {i}",
                is_public=True,
                lifecycle_phase=LifecyclePhase.IN_PRODUCTION,
            ),
            product=product,
        )
    coordinator = member(partner, Role.IT_COORDINATOR)
    Person.objects.filter(user=coordinator).update(email=f"it@{partner.slug}.se")
    return partner


@pytest.fixture
def group(world: World) -> CooperationGroup:
    group = CooperationGroup.objects.create(name="Östra Skaraborg")
    join(group, world.m)
    return group


def test_the_request_page_shows_the_partners_that_run_or_approve_it(
    client: Any, world: World, group: CooperationGroup, english: Any
) -> None:
    hjo = partner_using(world, group, "Hjo")
    tibro = partner_using(world, group, "Tibro", shares=False)
    request = world.submitted(is_business_system=True)
    client.force_login(world.employee)  # the requester reads the inquiry
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Partners that run or approve Mötesrum Pro" in html
    assert "Hjo" in html and "Mötesrum Pro: Approved" in html
    assert "Möten Hjo 0 (In production)" in html
    assert f"it@{hjo.slug}.se" in html
    # Tibro shares nothing: asked, but none of its findings is shown.
    assert "Möten Tibro" not in html and f"it@{tibro.slug}.se" not in html
    compare = reverse("cooperation:compare", args=[world.m.slug])
    assert f'href="{compare}?q=M%C3%B6tesrum+Pro"' in html


def test_no_findings_still_links_to_the_comparison(
    client: Any, world: World, group: CooperationGroup, english: Any
) -> None:
    partner_using(world, group, "Tibro", shares=False)
    request = world.submitted(is_business_system=True)
    client.force_login(world.it)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "None of the partners in the cooperation groups shares that it runs" in html
    assert reverse("cooperation:compare", args=[world.m.slug]) + "?q=" in html


def test_not_shown_without_partners_nor_beside_no_inquiry(
    client: Any, world: World, group: CooperationGroup, english: Any
) -> None:
    lonely = world.submitted(is_business_system=True)  # a group without partners
    client.force_login(world.it)
    assert (
        "Partners that run or approve" not in client.get(lonely.get_absolute_url()).content.decode()
    )
    partner_using(world, group, "Hjo")
    # More of a product: no inquiry, nothing to show beside it.
    ordinary = world.submitted()
    assert not services.is_new_business_system(ordinary)
    html = client.get(ordinary.get_absolute_url()).content.decode()
    assert "Partners that run or approve" not in html


def test_only_those_who_see_the_request_see_the_partners(
    client: Any, world: World, group: CooperationGroup
) -> None:
    partner_using(world, group, "Hjo")
    request = world.submitted(is_business_system=True)
    for user in (member(world.m), member(MunicipalityFactory(), Role.IT_COORDINATOR)):
        client.force_login(user)
        assert client.get(request.get_absolute_url()).status_code == 404


def test_the_request_page_runs_a_fixed_number_of_queries(
    client: Any, world: World, group: CooperationGroup
) -> None:
    """The same count with one partner and one system as with four partners of three systems
    each: the findings are read in a fixed number of queries."""
    counts = []
    for partners, systems in ((1, 1), (4, 3)):
        for i in range(partners):
            partner_using(world, group, f"Kommun {len(counts)}-{i}", systems=systems)
        request = world.submitted(is_business_system=True)
        client.force_login(world.it)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(request.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count('<th scope="row">Kommun') >= partners
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
