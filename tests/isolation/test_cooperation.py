"""A cooperation group is no way round the isolation (issue 10, item 5; P8.1): the partner C,
in a group with A in which A has opted in to nothing, reads on its own cooperation pages A's name
and membership only; the third municipality, to which A shares everything in another group, reads
what A shares there. The same page and search for both, so a leak to C would show."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from stadga.catalogue.models import SystemProduct
from stadga.cooperation.models import Membership
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.testing.factories import member

from .conftest import World, row_counts

pytestmark = pytest.mark.django_db


def _public_system_running_a_product(world: World) -> SystemProduct:
    """A's first public system running a product, whose name the search (echoed on the page)
    does not contain."""
    links = (
        SystemProduct.objects.filter(
            system__municipality=world.victim,
            system__is_public=True,
            system__archived_at__isnull=True,
            product__archived_at__isnull=True,
        )
        .select_related("system", "product")
        .order_by("pk")
    )
    link = next((x for x in links if x.system.name not in x.product.name), None)
    assert link is not None, "the isolation data has no public system of A running a product"
    return link


def _third(world: World) -> Any:
    """The municipality A shares everything with (its other group)."""
    return (
        Membership.objects.filter(group__name="Isoleringstestets grupp")
        .exclude(municipality=world.victim)
        .select_related("municipality")
        .get()
        .municipality
    )


def _compare(client: Any, slug: str, query: str) -> str:
    url = reverse("cooperation:compare", kwargs={"municipality": slug})
    response = client.get(url, {"q": query})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_partner_reads_nothing_that_a_has_not_shared_with_it(world: World, client: Any) -> None:
    link = _public_system_running_a_product(world)
    contacts = list(
        Person.objects.filter(
            municipality=world.victim, roles__role=Role.IT_COORDINATOR, roles__archived_at=None
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    assert contacts, "the isolation data has no IT coordinator of A with an e-mail address"

    # The control: the third municipality, to which A shares everything, finds A's system and
    # A's IT coordinator's e-mail with the same search.
    third = _third(world)
    client.force_login(member(third, Role.IT_COORDINATOR))
    shared = _compare(client, third.slug, link.product.name)
    assert link.system.name in shared
    assert any(email in shared for email in contacts)
    before = row_counts()

    client.force_login(world.partner_user)
    overview = client.get(reverse("cooperation:overview", kwargs={"municipality": "samverkande"}))
    assert overview.status_code == 200
    assert world.victim.name in overview.content.decode()  # the membership itself is known
    page = _compare(client, world.partner.slug, link.product.name)
    assert world.victim.name in page
    assert link.system.name not in page, "A's system reached a partner A shares nothing with"
    assert not any(email in page for email in contacts), "A's contacts reached the partner"
    assert row_counts() == before
