"""The cooperation pages (P8.1): every member reads, the IT coordinator saves, other roles get a
403 on saving, another municipality's user a 404, the anonymous the login page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.catalogue.choices import Phase
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
    member,
)

from .conftest import share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def overview_url(municipality: Any) -> str:
    return reverse("cooperation:overview", kwargs={"municipality": municipality.slug})


def sharing_url(municipality: Any, group: Any) -> str:
    return reverse(
        "cooperation:sharing", kwargs={"municipality": municipality.slug, "group_pk": group.pk}
    )


def compare_url(municipality: Any, q: str | None = None) -> str:
    url = reverse("cooperation:compare", kwargs={"municipality": municipality.slug})
    return url if q is None else f"{url}?q={q}"


ALL_ON = {
    "group-{pk}-shares_catalogue": "on",
    "group-{pk}-shares_systems": "on",
    "group-{pk}-shares_contacts": "on",
}


def post_data(group: Any, **fields: str) -> dict[str, str]:
    return {k.format(pk=group.pk): v for k, v in (fields or ALL_ON).items()}


def test_a_member_reads_the_groups_partners_and_choices(
    client: Any, group: Any, home: Any, neighbour: Any
) -> None:
    share(neighbour, group, shares_catalogue=True)
    client.force_login(member(home, Role.EMPLOYEE))
    response = client.get(overview_url(home))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Östra Skaraborg" in html and "Hjo" in html
    assert "<caption>What the other members of Östra Skaraborg share</caption>" in html
    # A column per category, Hjo's row saying which it shares: only its product decisions.
    head = html[html.index("<caption>What the other members") : html.index("</thead>")]
    assert head.count('<th scope="col">') == 1 + 6
    assert '<th scope="col">Training sessions</th>' in head
    row = html[html.index('<th scope="row">Hjo</th>') : html.index("</tr>", html.index(">Hjo<"))]
    assert row.count("<td>Shared</td>") == 1 and row.count("<td>Not shared</td>") == 5
    assert "The IT coordinator decides what the municipality shares." in html
    assert "<fieldset disabled>" in html  # the choices are shown, not changeable
    assert 'aria-current="page">Cooperation</a>' in html


def test_the_overview_says_so_when_there_is_no_group(client: Any, home: Any) -> None:
    client.force_login(member(home, Role.EMPLOYEE))
    response = client.get(overview_url(home))
    assert "is not a member of any cooperation group" in response.content.decode()


def test_the_overview_queries_do_not_grow_with_partners(
    client: Any, home: Any, django_assert_max_num_queries: Any
) -> None:
    user = member(home, Role.IT_COORDINATOR)
    client.force_login(user)
    counts = []
    for n in (2, 20):
        group = CooperationGroup.objects.create(name=f"Grupp {n}")
        Membership.objects.create(group=group, municipality=home)
        for _ in range(n):
            Membership.objects.create(
                group=group, municipality=MunicipalityFactory(), shares_systems=True
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(overview_url(home)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(overview_url(home))


def test_the_coordinator_saves_the_choices(
    client: Any, group: Any, home: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    response = client.post(sharing_url(home, group), post_data(group), follow=True)
    assert response.redirect_chain[-1][0] == overview_url(home)
    assert "What Karlsborg shares with Östra Skaraborg was saved." in response.content.decode()
    membership = Membership.objects.get(group=group, municipality=home)
    assert membership.shared_categories == ["shares_catalogue", "shares_systems", "shares_contacts"]
    # unticking withdraws
    response = client.post(sharing_url(home, group), {}, follow=True)
    membership.refresh_from_db()
    assert membership.shared_categories == []
    response = client.post(sharing_url(home, group), {}, follow=True)
    assert "Nothing was changed." in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR, Role.EMPLOYEE]
)
def test_other_roles_may_not_save(client: Any, group: Any, home: Any, role: str) -> None:
    client.force_login(member(home, role))
    response = client.post(sharing_url(home, group), post_data(group))
    assert response.status_code == 403
    assert Membership.objects.get(group=group, municipality=home).shared_categories == []


def test_another_municipalitys_user_gets_a_404(client: Any, group: Any, home: Any) -> None:
    stranger = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    client.force_login(stranger)
    assert client.get(overview_url(home)).status_code == 404
    assert client.get(compare_url(home, "platina")).status_code == 404
    assert client.post(sharing_url(home, group), post_data(group)).status_code == 404
    assert Membership.objects.get(group=group, municipality=home).shared_categories == []


def test_a_group_the_municipality_is_not_in_is_a_404(
    client: Any, group: Any, home: Any, neighbour: Any, coordinator: Any
) -> None:
    other = CooperationGroup.objects.create(name="Annan")
    theirs = Membership.objects.create(group=other, municipality=neighbour)
    client.force_login(coordinator)
    assert client.post(sharing_url(home, other), post_data(other)).status_code == 404
    assert client.get(sharing_url(home, group)).status_code == 405  # only a POST saves
    theirs.refresh_from_db()
    assert theirs.shared_categories == []


def test_a_group_left_is_a_404(client: Any, group: Any, home: Any, coordinator: Any) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    membership.archived_at = membership.created_at
    membership.save()
    client.force_login(coordinator)
    assert client.post(sharing_url(home, group), post_data(group)).status_code == 404


def test_the_anonymous_are_sent_to_log_in(client: Any, group: Any, home: Any) -> None:
    for response in (
        client.get(overview_url(home)),
        client.get(compare_url(home, "platina")),
        client.post(sharing_url(home, group), post_data(group)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_compare_shows_only_what_partners_share(
    client: Any, group: Any, home: Any, neighbour: Any
) -> None:
    product = ProductFactory(
        municipality=neighbour, name="Platina", phase=Phase.APPROVED, constraints="Bara diariet"
    )
    system = SystemFactory(municipality=neighbour, name="Diariet", is_public=True)
    SystemProductFactory(system=system, product=product)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=neighbour, name="Anna IT", email="anna@hjo.se"),
        role=Role.IT_COORDINATOR,
    )
    client.force_login(member(home, Role.EMPLOYEE))
    html = client.get(compare_url(home, "platina")).content.decode()
    assert "Does not share its product decisions." in html
    assert "Bara diariet" not in html and "Diariet" not in html and "anna@hjo.se" not in html
    share(neighbour, group, shares_catalogue=True, shares_systems=True, shares_contacts=True)
    response = client.get(compare_url(home, "platina"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 partner uses or has decided on “platina”" in html
    assert "Bara diariet" in html and "Approved" in html
    assert '<th scope="row">Diariet</th>' in html
    assert "anna@hjo.se" in html


def test_compare_without_a_name_says_so(client: Any, home: Any) -> None:
    client.force_login(member(home, Role.EMPLOYEE))
    assert client.get(compare_url(home)).status_code == 200
    response = client.get(compare_url(home, ""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.get(compare_url(home, "x" * 201))
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


def test_compare_without_partners_says_so(client: Any, home: Any) -> None:
    client.force_login(member(home, Role.EMPLOYEE))
    html = client.get(compare_url(home, "platina")).content.decode()
    assert "The municipality has no partners" in html


def test_compare_shows_shared_vendor_assessments_never_the_notes(
    client: Any, group: Any, home: Any, neighbour: Any
) -> None:
    """P5.2: a partner's view of the vendor of a product of that name, if it shares it."""
    vendor = VendorFactory(
        municipality=neighbour,
        name="Formpipe",
        market_standing="Stor leverantör till kommuner",
        long_term_prospects="Stabil ägare",
        assessed_on=datetime.date(2026, 3, 1),
        notes="Hemliga anteckningar",
    )
    ProductFactory(municipality=neighbour, name="Platina", vendor=vendor)
    client.force_login(member(home, Role.EMPLOYEE))
    share(neighbour, group, shares_catalogue=True)
    html = client.get(compare_url(home, "platina")).content.decode()
    assert "Does not share its vendor assessments." in html
    assert "Stor leverantör till kommuner" not in html
    share(neighbour, group, shares_catalogue=True, shares_assessments=True)
    html = client.get(compare_url(home, "platina")).content.decode()
    assert "<caption>The vendor assessments of Hjo</caption>" in html
    assert '<th scope="row">Formpipe</th>' in html
    assert "Stor leverantör till kommuner" in html and "Stabil ägare" in html
    assert "2026-03-01" in html
    assert "Hemliga anteckningar" not in html
    # without the catalogue: by the vendor's name only
    share(neighbour, group, shares_catalogue=False, shares_assessments=True)
    html = client.get(compare_url(home, "platina")).content.decode()
    assert "Stor leverantör till kommuner" not in html
    assert "No assessment of a vendor of that name." in html
    html = client.get(compare_url(home, "formpipe")).content.decode()
    assert "Stor leverantör till kommuner" in html and "Hemliga anteckningar" not in html


# --- leaving a group (P8.1) -------------------------------------------------------------------


def leave_url(municipality: Any, group: Any) -> str:
    return reverse(
        "cooperation:leave", kwargs={"municipality": municipality.slug, "group_pk": group.pk}
    )


def test_the_coordinator_is_asked_to_confirm_then_leaves(
    client: Any, group: Any, home: Any, neighbour: Any, coordinator: Any
) -> None:
    share(home, group, shares_catalogue=True, shares_contacts=True)
    client.force_login(coordinator)
    overview = client.get(overview_url(home)).content.decode()
    assert f'href="{leave_url(home, group)}"' in overview
    page = client.get(leave_url(home, group))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Leave Östra Skaraborg</h1>" in html
    assert "Product decisions and their phases" in html  # what stops
    assert '<form method="post"' in html  # a plain form: works without JavaScript
    membership = Membership.objects.get(group=group, municipality=home)
    assert membership.archived_at is None  # looking is not leaving
    response = client.post(leave_url(home, group), follow=True)
    assert response.redirect_chain[-1][0] == overview_url(home)
    assert (
        "Karlsborg has left Östra Skaraborg and shares nothing with it any more."
        in response.content.decode()
    )
    membership.refresh_from_db()
    assert membership.archived_at is not None
    assert "is not a member of any cooperation group" in response.content.decode()
    # Gone is gone: a second leave (or a look) finds no membership.
    assert client.post(leave_url(home, group)).status_code == 404
    assert client.get(leave_url(home, group)).status_code == 404


def test_after_leaving_the_partners_see_nothing_of_it(
    client: Any, group: Any, home: Any, neighbour: Any, coordinator: Any
) -> None:
    ProductFactory(municipality=home, name="Platina", phase=Phase.APPROVED, constraints="Hemligt")
    share(home, group, shares_catalogue=True)
    client.force_login(member(neighbour, Role.EMPLOYEE))
    assert "Hemligt" in client.get(compare_url(neighbour, "platina")).content.decode()
    client.force_login(coordinator)
    assert client.post(leave_url(home, group), follow=True).status_code == 200  # message read
    client.force_login(member(neighbour, Role.EMPLOYEE))
    html = client.get(compare_url(neighbour, "platina")).content.decode()
    assert "Hemligt" not in html and "Karlsborg" not in html
    assert "Karlsborg" not in client.get(overview_url(neighbour)).content.decode()


@pytest.mark.parametrize(
    "role", [Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR, Role.EMPLOYEE]
)
def test_only_the_coordinator_leaves(client: Any, group: Any, home: Any, role: str) -> None:
    client.force_login(member(home, role))
    assert f"{leave_url(home, group)}" not in client.get(overview_url(home)).content.decode()
    assert client.get(leave_url(home, group)).status_code == 403
    assert client.post(leave_url(home, group)).status_code == 403
    assert Membership.objects.get(group=group, municipality=home).archived_at is None


def test_another_municipalitys_group_is_a_404_for_leaving(
    client: Any, group: Any, home: Any, neighbour: Any, coordinator: Any
) -> None:
    other = CooperationGroup.objects.create(name="Annan")
    theirs = Membership.objects.create(group=other, municipality=neighbour)
    client.force_login(coordinator)
    assert client.get(leave_url(home, other)).status_code == 404
    assert client.post(leave_url(home, other)).status_code == 404
    # Under the other municipality's slug: not theirs to see at all.
    assert client.post(leave_url(neighbour, other)).status_code == 404
    stranger = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    client.force_login(stranger)
    assert client.post(leave_url(home, group)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived_at is None
    assert Membership.objects.get(group=group, municipality=home).archived_at is None


def test_an_ended_group_is_not_left_again(
    client: Any, group: Any, home: Any, coordinator: Any
) -> None:
    group.archived_at = group.created_at
    group.save()
    client.force_login(coordinator)
    assert client.get(leave_url(home, group)).status_code == 404
    assert client.post(leave_url(home, group)).status_code == 404


def test_the_anonymous_are_sent_to_log_in_to_leave(client: Any, group: Any, home: Any) -> None:
    response = client.post(leave_url(home, group))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_sharing_category_has_a_column_heading() -> None:
    """A category added to the membership gets its column on the overview, or this fails."""
    from stadga.cooperation.choices import SHARING_CATEGORIES, SHARING_SHORT

    assert list(SHARING_SHORT) == list(SHARING_CATEGORIES)
