"""The policy libraries' pages (shared by every municipality) and a municipality's adoption page
(P3.1): who may see them, what they show, and that they cost no query per clause."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.organisation.choices import Role
from stadga.policy.library import load_library, shipped_libraries
from stadga.policy.models import PolicyAdoption
from stadga.policy.services_library import policy_adopt
from stadga.testing.factories import MunicipalityFactory, UserFactory, member

from .test_library import NEW, OLD, POLICY_CLAUSE_IDS, VALID, rules  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    return load_library(shipped_libraries()[0])


@pytest.fixture
def reader(client):
    """Any logged-in user: libraries are public documents."""
    client.force_login(UserFactory())
    return client


def login_redirect(response, url: str) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# --- The libraries ---------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, shipped):
    for url in (
        reverse("policies:list"),
        shipped.get_absolute_url(),
        reverse("policies:compare") + f"?old={shipped.pk}&new={shipped.pk}",
    ):
        assert login_redirect(client.get(url), url), url


def test_the_list_shows_every_version(reader, shipped):
    newer = load_library(VALID)

    response = reader.get(reverse("policies:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{shipped.get_absolute_url()}"' in html
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "IT-policy för Karlsborgs kommun" in html
    assert 'action="/policies/compare/"' in html


def test_the_list_without_libraries_says_how_to_load_them(reader):
    response = reader.get(reverse("policies:list"))
    assert "stadga policy load --shipped" in response.content.decode()


def test_the_document_shows_every_clause(reader, shipped):
    response = reader.get(shipped.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for clause_id in POLICY_CLAUSE_IDS:
        assert f'id="{clause_id}"' in html, clause_id
    assert "systemansvarig som bl a svarar för systemets säkerhet" in html
    assert "systems.owner_named" in html
    assert "Kommunfullmäktige" in html
    assert shipped.checksum in html


def test_the_document_costs_no_query_per_clause(reader, shipped):
    small = load_library(VALID)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert reader.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries(shipped.get_absolute_url()) == queries(small.get_absolute_url())


def test_an_unknown_policy_is_a_404(reader):
    assert reader.get(reverse("policies:detail", kwargs={"pk": 999999})).status_code == 404


def test_the_document_offers_the_it_coordinator_to_adopt_it(client, shipped):
    municipality = MunicipalityFactory()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    adopt_url = reverse("policy:adopt", kwargs={"municipality": municipality.slug})

    assert adopt_url in client.get(shipped.get_absolute_url()).content.decode()

    policy_adopt(
        municipality=municipality,
        policy=shipped,
        adopted_on=datetime.date(2006, 9, 25),
        actor=None,
    )
    html = client.get(shipped.get_absolute_url()).content.decode()
    assert adopt_url not in html
    assert "2006-09-25" in html


def test_compare_shows_the_changes(reader):
    old, new = load_library(OLD), load_library(NEW)

    response = reader.get(reverse("policies:compare"), {"old": old.pk, "new": new.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="diff-A1"' in html and 'id="diff-A2"' in html and 'id="diff-A5"' in html
    assert 'id="diff-A3"' not in html  # unchanged: listed, not detailed
    assert "<ins>" in html and "årlig" in html
    # Old and new responsible roles of A4, by their labels.
    assert str(Role.EMPLOYEE.label) in html and str(Role.SYSTEM_OWNER.label) in html


def test_compare_without_a_choice_shows_the_form(reader, shipped):
    response = reader.get(reverse("policies:compare"))
    assert response.status_code == 200
    assert 'name="old"' in response.content.decode()


@pytest.mark.parametrize("params", [{"old": "999999", "new": "1"}, {"old": "x"}, "same"])
def test_compare_with_a_wrong_choice_is_a_form_error(reader, shipped, params):
    if params == "same":
        params = {"old": shipped.pk, "new": shipped.pk}
    response = reader.get(reverse("policies:compare"), params)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


# --- Adoption --------------------------------------------------------------------------------


@pytest.fixture
def municipality():
    return MunicipalityFactory()


def adopt_url(municipality) -> str:
    return reverse("policy:adopt", kwargs={"municipality": municipality.slug})


def form_data(adopted, **overrides) -> dict:
    return {
        "policy": adopted.pk,
        "adopted_on": "2006-09-25",
        "decision_reference": "KF § 87/2006",
        **overrides,
    }


def test_adoption_needs_a_login(client, municipality, shipped):
    url = adopt_url(municipality)
    assert login_redirect(client.get(url), url)
    assert login_redirect(client.post(url, form_data(shipped)), url)
    assert not PolicyAdoption.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AUDITOR, Role.EXECUTIVE_BOARD_READER])
def test_only_the_it_coordinator_adopts(client, municipality, shipped, role):
    client.force_login(member(municipality, role))

    assert client.get(adopt_url(municipality)).status_code == 403
    assert client.post(adopt_url(municipality), form_data(shipped)).status_code == 403
    assert not PolicyAdoption.objects.exists()


def test_another_municipalitys_it_coordinator_gets_a_404(client, municipality, shipped):
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))

    assert client.get(adopt_url(municipality)).status_code == 404
    assert client.post(adopt_url(municipality), form_data(shipped)).status_code == 404
    assert not PolicyAdoption.objects.exists()


def test_the_it_coordinator_adopts_and_it_is_logged(client, municipality, shipped):
    user = member(municipality, Role.IT_COORDINATOR)
    client.force_login(user)

    page = client.get(adopt_url(municipality))
    assert page.status_code == 200
    assert f'<option value="{shipped.pk}" selected>' in page.content.decode()

    response = client.post(adopt_url(municipality), form_data(shipped))

    adoption = PolicyAdoption.objects.get(municipality=municipality)
    assert response.status_code == 302
    assert response.url == adoption.get_absolute_url()
    assert (adoption.policy, adoption.adopted_on, adoption.decision_reference) == (
        shipped,
        datetime.date(2006, 9, 25),
        "KF § 87/2006",
    )
    entry = LogEntry.objects.get_for_object(adoption).get()
    assert entry.actor == user
    listed = client.get(adopt_url(municipality)).content.decode()
    assert "KF § 87/2006" in listed


@pytest.mark.parametrize(
    "overrides",
    [{"adopted_on": ""}, {"adopted_on": "2006-09-24"}, {"policy": "999999"}],
    ids=["no-date", "before-the-policy", "unknown-policy"],
)
def test_a_wrong_adoption_is_shown_with_its_errors(client, municipality, shipped, overrides):
    client.force_login(member(municipality, Role.IT_COORDINATOR))

    response = client.post(adopt_url(municipality), form_data(shipped, **overrides))

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not PolicyAdoption.objects.exists()


def test_a_version_already_adopted_is_refused_on_the_page(client, municipality, shipped):
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    assert client.post(adopt_url(municipality), form_data(shipped)).status_code == 302

    response = client.post(adopt_url(municipality), form_data(shipped, adopted_on="2007-01-01"))

    assert response.status_code == 400
    assert PolicyAdoption.objects.count() == 1
