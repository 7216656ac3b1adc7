"""The operator's pages for cooperation groups (issue 10; P8.1): only a superuser gets in (a 404
for anyone else logged in), every write goes through the services and is logged, bad input is
told on its field, and the group's page shows the members' choices, never their data."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.catalogue.choices import Phase
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, ProductFactory, member

from .conftest import share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST_URL = "/operator/groups/"
ADD_URL = "/operator/groups/add/"


def detail_url(group: CooperationGroup) -> str:
    return reverse("operator:group_detail", kwargs={"pk": group.pk})


def add_member_url(group: CooperationGroup) -> str:
    return reverse("operator:group_member_add", kwargs={"pk": group.pk})


def remove_url(group: CooperationGroup, membership: Membership) -> str:
    return reverse("operator:group_member_remove", kwargs={"pk": group.pk, "member": membership.pk})


def end_url(group: CooperationGroup) -> str:
    return reverse("operator:group_end", kwargs={"pk": group.pk})


def all_urls(group: CooperationGroup, membership: Membership) -> list[str]:
    return [
        LIST_URL,
        ADD_URL,
        detail_url(group),
        add_member_url(group),
        remove_url(group, membership),
        end_url(group),
    ]


def test_the_urls_are_under_operator(group: Any) -> None:
    assert reverse("operator:group_list") == LIST_URL
    assert reverse("operator:group_add") == ADD_URL
    assert detail_url(group) == f"/operator/groups/{group.pk}/"


def test_a_municipality_user_gets_404_and_changes_nothing(
    client: Any, group: Any, home: Any
) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    client.force_login(member(home, Role.IT_COORDINATOR))
    before = (
        CooperationGroup.objects.count(),
        Membership.objects.count(),
        LogEntry.objects.count(),
    )
    for url in all_urls(group, membership):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Ny", "member-municipality": home.pk}).status_code == 404
    assert before == (
        CooperationGroup.objects.count(),
        Membership.objects.count(),
        LogEntry.objects.count(),
    )
    group.refresh_from_db()
    membership.refresh_from_db()
    assert group.archived_at is None and membership.archived_at is None


def test_the_anonymous_are_sent_to_log_in(client: Any, group: Any, home: Any) -> None:
    membership = Membership.objects.get(group=group, municipality=home)
    for url in all_urls(group, membership):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_municipality_list_links_to_the_groups(client: Any, operator: Any) -> None:
    client.force_login(operator)
    assert f'href="{LIST_URL}"' in client.get("/operator/").content.decode()


def test_the_list_shows_groups_and_members_in_queries_independent_of_rows(
    client: Any, operator: Any
) -> None:
    client.force_login(operator)
    counts = []
    for n in (2, 10):
        for i in range(n):
            group = CooperationGroup.objects.create(name=f"Grupp {n}-{i}")
            for _ in range(3):
                Membership.objects.create(group=group, municipality=MunicipalityFactory())
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST_URL)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert "<caption>Cooperation groups" in html
    assert "Grupp 10-9" in html
    ended = CooperationGroup.objects.create(name="Avslutad", archived_at=group.created_at)
    assert ended.name not in client.get(LIST_URL).content.decode()


def test_the_operator_forms_a_group(client: Any, operator: Any) -> None:
    client.force_login(operator)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, {"name": "  Östra Skaraborg ", "description": "Samverkan."})
    group = CooperationGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(group)
    assert group.name == "Östra Skaraborg"
    entry = LogEntry.objects.get_for_object(group).get()
    assert entry.actor == operator
    page = client.get(detail_url(group)).content.decode()
    assert "The cooperation group Östra Skaraborg was formed. Add its members." in page
    assert "The group has no members yet." in page


def test_forming_a_group_with_bad_input_says_so_on_the_field(
    client: Any, operator: Any, group: Any
) -> None:
    client.force_login(operator)
    response = client.post(ADD_URL, {"name": "", "description": "Kvar"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and "This field is required." in html
    assert "Kvar" in html  # nothing is lost
    response = client.post(ADD_URL, {"name": "Östra Skaraborg", "description": "Igen"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert CooperationGroup.objects.count() == 1


def test_the_groups_page_shows_the_choices_not_the_data(
    client: Any, operator: Any, group: Any, home: Any, neighbour: Any
) -> None:
    ProductFactory(municipality=neighbour, name="Platina", phase=Phase.APPROVED)
    share(neighbour, group, shares_catalogue=True, shares_contacts=True)
    client.force_login(operator)
    response = client.get(detail_url(group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>Members and what each has chosen to share</caption>" in html
    assert '<th scope="row">Hjo</th>' in html and '<th scope="row">Karlsborg</th>' in html
    assert "Product decisions and their phases" in html
    assert "IT coordinators&#x27; names, work e-mail and phone" in html
    assert "Nothing yet" in html  # Karlsborg has not chosen
    assert "Platina" not in html  # the choice, never the data


def test_the_operator_adds_a_member(client: Any, operator: Any, group: Any, home: Any) -> None:
    tibro = MunicipalityFactory(name="Tibro")
    client.force_login(operator)
    page = client.get(detail_url(group)).content.decode()
    # Only a municipality that is not a member already can be chosen.
    assert f'<option value="{tibro.pk}">Tibro</option>' in page
    assert f'<option value="{home.pk}">' not in page
    response = client.post(add_member_url(group), {"member-municipality": tibro.pk}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(group)
    assert "Tibro is now a member of Östra Skaraborg." in response.content.decode()
    membership = Membership.objects.get(group=group, municipality=tibro)
    assert membership.shared_categories == []
    assert LogEntry.objects.get_for_object(membership).get().actor == operator


def test_adding_a_member_with_bad_input_says_so_on_the_field(
    client: Any, operator: Any, group: Any, home: Any
) -> None:
    archived = MunicipalityFactory(name="Gamla", archived_at=group.created_at)
    client.force_login(operator)
    before = Membership.objects.count()
    for value, message in (
        ("", "This field is required."),
        (str(home.pk), "Select a valid choice."),  # already a member
        (str(archived.pk), "Select a valid choice."),
        ("x", "Select a valid choice."),
    ):
        response = client.post(add_member_url(group), {"member-municipality": value})
        assert response.status_code == 400, value
        html = response.content.decode()
        assert 'class="error-summary"' in html and message in html
        assert "<caption>Members and what each has chosen to share</caption>" in html
    assert Membership.objects.count() == before


def test_the_operator_removes_a_member_after_confirming(
    client: Any, operator: Any, group: Any, home: Any, neighbour: Any
) -> None:
    membership = share(neighbour, group, shares_catalogue=True)
    client.force_login(operator)
    page = client.get(remove_url(group, membership))
    assert page.status_code == 200
    assert "<h1>Remove Hjo from Östra Skaraborg</h1>" in page.content.decode()
    membership.refresh_from_db()
    assert membership.archived_at is None  # looking is not removing
    response = client.post(remove_url(group, membership), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(group)
    assert "Hjo is no longer a member of Östra Skaraborg." in response.content.decode()
    membership.refresh_from_db()
    assert membership.archived_at is not None
    assert client.post(remove_url(group, membership)).status_code == 404  # gone already
    # Karlsborg no longer sees Hjo as a partner.
    client.force_login(member(home, Role.EMPLOYEE))
    html = client.get(
        reverse("cooperation:overview", kwargs={"municipality": home.slug})
    ).content.decode()
    assert '<th scope="row">Hjo</th>' not in html


def test_a_membership_of_another_group_is_a_404(
    client: Any, operator: Any, group: Any, neighbour: Any
) -> None:
    other = CooperationGroup.objects.create(name="Annan")
    theirs = Membership.objects.create(group=other, municipality=neighbour)
    client.force_login(operator)
    assert client.post(remove_url(group, theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived_at is None


def test_the_operator_ends_the_group_after_confirming(
    client: Any, operator: Any, group: Any, home: Any
) -> None:
    client.force_login(operator)
    page = client.get(end_url(group))
    assert page.status_code == 200 and "<h1>End Östra Skaraborg</h1>" in page.content.decode()
    response = client.post(end_url(group), follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "Östra Skaraborg has ended." in response.content.decode()
    group.refresh_from_db()
    assert group.archived_at is not None
    # An ended group has no pages and takes no members.
    assert client.get(detail_url(group)).status_code == 404
    assert client.post(add_member_url(group), {"member-municipality": home.pk}).status_code == 404
