"""The operator's pages (issue 10): the installation's municipalities and adding one."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from stadga.organisation.choices import Role
from stadga.organisation.models import ConsequenceLevel, Municipality, Person, RoleAssignment
from stadga.policy.models import PolicyAdoption
from stadga.testing.factories import MunicipalityFactory, PersonFactory, UserFactory, member
from stadga.testing.policy import policy_build

pytestmark = pytest.mark.django_db

LIST_URL = "/operator/"
ADD_URL = "/operator/add/"


@pytest.fixture
def operator(client):
    user = UserFactory(username="drift", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def valid_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Hjo kommun",
        "slug": "hjo",
        "code": "1497",
        "policy": "",
        "adopted_on": "",
        "decision_reference": "",
        "coordinator_name": "",
        "coordinator_email": "",
        "coordinator_username": "",
        **changes,
    }


def row_counts() -> tuple[int, ...]:
    return (
        Municipality.objects.count(),
        ConsequenceLevel.objects.count(),
        Person.objects.count(),
        RoleAssignment.objects.count(),
        PolicyAdoption.objects.count(),
        get_user_model().objects.count(),
        LogEntry.objects.count(),
    )


def test_the_operator_adds_a_municipality_with_policy_and_coordinator(client, operator):
    policy = policy_build({}, key="lib", version="1")

    response = client.post(
        ADD_URL,
        valid_data(
            policy=str(policy.pk),
            adopted_on="2024-03-18",
            decision_reference="KF § 12",
            coordinator_name="Anna Berg",
            coordinator_email="anna@hjo.se",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?added=hjo"
    hjo = Municipality.objects.get(slug="hjo")
    assert hjo.consequence_levels.count() == 4
    assert PolicyAdoption.objects.get(municipality=hjo).policy == policy
    person = Person.objects.get(municipality=hjo)
    assert person.user.username == "anna@hjo.se" and not person.user.has_usable_password()
    assert RoleAssignment.objects.get(person=person).role == Role.IT_COORDINATOR
    # Every write is logged with the operator as its actor.
    entries = LogEntry.objects.filter(additional_data__municipality_id=hjo.pk)
    assert entries.exists() and not entries.exclude(actor=operator).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert '<a href="/k/hjo/">' in body  # the link to the new municipality's start page
    shown = [str(m) for m in page.context["messages"]]
    assert len(shown) == 2 and "stadga changepassword anna@hjo.se" in shown[1]
    # The operator reaches the new municipality's start page.
    assert client.get("/k/hjo/").status_code == 200


def test_the_form_and_the_list_render_for_the_operator(client, operator):
    MunicipalityFactory(slug="karlsborg", name="Karlsborg")

    form_page = client.get(ADD_URL)
    list_page = client.get(LIST_URL)

    assert form_page.status_code == 200
    body = form_page.content.decode()
    for name in valid_data():
        assert f'name="{name}"' in body and f'for="id_{name}"' in body
    assert "<script" not in body.split("</head>")[1]  # works without JavaScript
    assert list_page.status_code == 200
    listing = list_page.content.decode()
    assert "<caption>" in listing and '<th scope="col">' in listing
    assert '<a href="/k/karlsborg/">Karlsborg</a>' in listing
    # The header's link to the operator's pages.
    assert f'href="{LIST_URL}"' in listing


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "karlsborg"}, "slug"),
        ({"slug": "Inte en slug"}, "slug"),
        ({"code": "1446"}, "code"),
        ({"code": "14a6"}, "code"),
        ({"name": ""}, "name"),
        ({"adopted_on": "2024-01-01"}, "adopted_on"),
        ({"adopted_on": "inte ett datum"}, "adopted_on"),
        ({"policy": "999999"}, "policy"),
        (
            {"coordinator_name": "Bo", "coordinator_email": "upptaget@example.org"},
            "coordinator_username",
        ),
        ({"coordinator_name": "Bo", "coordinator_email": "inte en adress"}, "coordinator_email"),
        ({"coordinator_email": "bo@example.org"}, "coordinator_name"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_the_error_on_the_field(client, operator, changes, field):
    MunicipalityFactory(slug="karlsborg", code="1446")
    UserFactory(username="upptaget@example.org")
    before = row_counts()

    response = client.post(ADD_URL, valid_data(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    body = response.content.decode()
    assert 'id="error-summary"' in body and f'href="#id_{field}"' in body
    assert escape(errors[field][0]) in body
    assert row_counts() == before


def test_a_policy_adopted_before_its_text_is_an_error_on_the_date(client, operator):
    policy = policy_build({}, key="lib", version="1")  # its text adopted 2006-09-25
    before = row_counts()

    response = client.post(ADD_URL, valid_data(policy=str(policy.pk), adopted_on="2001-01-01"))

    assert response.status_code == 400
    assert "2006-09-25" in str(response.context["form"].errors["adopted_on"])
    assert row_counts() == before


@pytest.mark.parametrize("url", [LIST_URL, ADD_URL])
def test_anyone_but_the_operator_gets_a_404(client, url):
    karlsborg = MunicipalityFactory()
    client.force_login(member(karlsborg, Role.IT_COORDINATOR))
    before = row_counts()

    assert client.get(url).status_code == 404
    assert client.post(url, valid_data()).status_code == 404
    assert row_counts() == before
    # No link to the operator's pages in their header either.
    assert f'href="{LIST_URL}"' not in client.get(f"/k/{karlsborg.slug}/").content.decode()


@pytest.mark.parametrize("url", [LIST_URL, ADD_URL])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    before = row_counts()

    get = client.get(url)
    post = client.post(url, valid_data())

    assert get.status_code == 302 and get["Location"].startswith("/accounts/login/?next=")
    assert post.status_code == 302
    assert row_counts() == before


def test_the_list_costs_the_same_queries_whatever_the_number_of_municipalities(client, operator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL)
        assert response.status_code == 200
        return len(captured)

    first = MunicipalityFactory()
    PersonFactory(municipality=first, user=UserFactory())
    one = queries()
    for _ in range(5):
        municipality = MunicipalityFactory()
        PersonFactory(municipality=municipality, user=UserFactory())
        PersonFactory(municipality=municipality, user=UserFactory())
    many = queries()

    assert many == one
    rows = client.get(LIST_URL).context["municipalities"]
    assert len(rows) == 6
    assert sorted(m.member_count for m in rows) == [1, 2, 2, 2, 2, 2]


def test_the_list_query_count_is_small(client, operator, django_assert_max_num_queries):
    MunicipalityFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        assert client.get(LIST_URL).status_code == 200
