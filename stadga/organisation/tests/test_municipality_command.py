"""`stadga municipality add|list`: the operator adds a municipality (issue 10)."""

from __future__ import annotations

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from stadga.organisation import services
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import ConsequenceLevel, Municipality, Person, RoleAssignment
from stadga.policy.models import Policy, PolicyAdoption
from stadga.testing.factories import MunicipalityFactory, PersonFactory, UserFactory
from stadga.testing.policy import policy_build

pytestmark = pytest.mark.django_db

SHIPPED_KEY = "karlsborg-it-policy-2006"


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in their English msgids, whatever the translations say.
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("municipality", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "levels": ConsequenceLevel.objects.count(),
        "people": Person.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "adoptions": PolicyAdoption.objects.count(),
        "users": get_user_model().objects.count(),
        "log": LogEntry.objects.count(),
    }


def test_add_creates_the_municipality_its_scale_policy_and_coordinator(client):
    call_command("policy", "load", "--shipped", stdout=io.StringIO())
    output = run(
        "add",
        "hjo",
        "--name",
        "Hjo kommun",
        "--code",
        "1497",
        "--adopt-policy",
        SHIPPED_KEY,
        "--adopted-on",
        "2024-03-18",
        "--decision-reference",
        "KF § 12",
        "--coordinator-name",
        "Anna Berg",
        "--coordinator-email",
        "Anna.Berg@hjo.se",
    )

    hjo = Municipality.objects.get(slug="hjo")
    assert (hjo.name, hjo.code, hjo.is_demo) == ("Hjo kommun", "1497", False)
    assert list(hjo.consequence_levels.values_list("level", flat=True)) == [1, 2, 3, 4]
    adoption = PolicyAdoption.objects.get(municipality=hjo)
    assert adoption.policy.key == SHIPPED_KEY
    assert adoption.adopted_on == datetime.date(2024, 3, 18)
    assert adoption.decision_reference == "KF § 12"
    person = Person.objects.get(municipality=hjo)
    assert (person.name, person.email) == ("Anna Berg", "Anna.Berg@hjo.se")
    login = person.user
    # The e-mail address, lower-cased, is the login's name when no username is given.
    assert login.username == "anna.berg@hjo.se"
    assert (login.first_name, login.last_name) == ("Anna", "Berg")
    assert not login.has_usable_password()
    assert not login.is_superuser and not login.is_staff
    assert RoleAssignment.objects.get(municipality=hjo).role == Role.IT_COORDINATOR
    # Written by the system itself, like the demo loader: logged without an actor.
    entries = LogEntry.objects.filter(additional_data__municipality_id=hjo.pk)
    assert entries.count() >= 1 and not entries.exclude(actor=None).exists()
    assert "Added Hjo kommun (short name hjo, code 1497)" in output
    assert "Hjo kommun adopted" in output
    assert "stadga changepassword anna.berg@hjo.se" in output
    assert "/k/hjo/" in output

    # Once the operator has set a password, the coordinator logs in and keeps the register.
    login.set_password("a long enough passphrase")
    login.save()
    assert client.login(username="anna.berg@hjo.se", password="a long enough passphrase")
    response = client.get("/k/hjo/")
    assert response.status_code == 200
    access = Access.for_user(login)
    assert access.manages_organisation(hjo.pk) and access.keeps_register(hjo.pk)


def test_add_with_only_the_required_options_adopts_no_policy():
    output = run("add", "tibro", "--name", "Tibro kommun", "--code", "1472")

    tibro = Municipality.objects.get(slug="tibro")
    assert tibro.consequence_levels.count() == 4
    assert not PolicyAdoption.objects.filter(municipality=tibro).exists()
    assert not Person.objects.filter(municipality=tibro).exists()
    assert "stadga policy adopt KEY VERSION --municipality tibro" in output


def test_add_adopts_the_latest_loaded_version_unless_one_is_named():
    old = policy_build({}, key="lib", version="2006")
    new = policy_build({}, key="lib", version="2020")
    Policy.objects.filter(pk=new.pk).update(adopted_on=datetime.date(2020, 1, 1))

    run("add", "a", "--name", "A", "--code", "0001", "--adopt-policy", "lib")
    run(
        "add",
        "b",
        "--name",
        "B",
        "--code",
        "0002",
        "--adopt-policy",
        "lib",
        "--policy-version",
        "2006",
    )

    assert PolicyAdoption.objects.get(municipality__slug="a").policy == new
    assert PolicyAdoption.objects.get(municipality__slug="b").policy == old


def test_add_with_a_username_and_an_operator_as_actor():
    operator = UserFactory(username="drift", is_superuser=True)
    run(
        "add", "falk", "--name", "Falköpings kommun", "--code", "1499",
        "--coordinator-name", "Bo", "--coordinator-email", "bo@falkoping.se",
        "--coordinator-username", "bo.it", "--user", "drift",
    )  # fmt: skip

    person = Person.objects.get(municipality__slug="falk")
    assert person.user.username == "bo.it"
    assert person.user.first_name == "Bo" and person.user.last_name == ""
    falk = Municipality.objects.get(slug="falk")
    entries = LogEntry.objects.filter(additional_data__municipality_id=falk.pk)
    assert entries.exists() and not entries.exclude(actor=operator).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["taken", "--name", "X", "--code", "0100"], "SLUG: The short name “taken” is already"),
        (["new", "--name", "X", "--code", "1446"], "--code: The municipality code 1446 is already"),
        (["new", "--name", "X", "--code", "14a6"], "--code: A municipality code is four digits."),
        (["new", "--name", "X", "--code", "123"], "--code: A municipality code is four digits."),
        (["Not a slug", "--name", "X", "--code", "0100"], "SLUG: "),
        (["new", "--name", " ", "--code", "0100"], "--name: "),
        (
            ["new", "--name", "X", "--code", "0100", "--adopt-policy", "no-such-policy"],
            "--adopt-policy: there is no loaded policy no-such-policy",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--adopt-policy", "lib", "--policy-version",
             "9"],
            "there is no loaded policy lib version 9",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--adopt-policy", "lib", "--adopted-on",
             "2024-13-01"],
            "--adopted-on: '2024-13-01' is not a date (YYYY-MM-DD).",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--adopt-policy", "lib", "--adopted-on",
             "1999-01-01"],
            "--adopted-on: A policy cannot be adopted before its text was adopted (2006-09-25).",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--adopted-on", "2024-01-01"],
            "--adopted-on: Choose a policy to adopt",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--policy-version", "1"],
            "--policy-version: give --adopt-policy KEY too.",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--coordinator-name", "Bo",
             "--coordinator-email", "taken@example.org"],
            "--coordinator-username: The username “taken@example.org” is already taken.",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--coordinator-name", "Bo",
             "--coordinator-email", "x@example.org", "--coordinator-username", "TAKEN"],
            "--coordinator-username: The username “TAKEN” is already taken.",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--coordinator-name", "Bo",
             "--coordinator-email", "not an address"],
            "--coordinator-email: Enter a valid e-mail address.",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--coordinator-email", "bo@example.org"],
            "--coordinator-name: Give the IT coordinator's name.",
        ),
        (
            ["new", "--name", "X", "--code", "0100", "--user", "nobody"],
            "There is no active user “nobody”.",
        ),
    ],
)  # fmt: skip
def test_every_bad_input_is_a_clear_error_and_nothing_is_written(args, message):
    MunicipalityFactory(slug="taken", code="1446", name="Karlsborgs kommun")
    UserFactory(username="taken@example.org")
    UserFactory(username="taken")
    policy_build({}, key="lib", version="1")
    before = row_counts()

    with pytest.raises(CommandError) as raised:
        run("add", *args)

    assert message in str(raised.value)
    assert row_counts() == before


def test_every_problem_is_reported_at_once():
    MunicipalityFactory(slug="taken", code="1446")
    with pytest.raises(CommandError) as raised:
        run("add", "taken", "--name", "X", "--code", "1446", "--coordinator-name", "Bo")

    lines = str(raised.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["SLUG", "--code", "--coordinator-email"]


def test_a_failure_half_way_writes_nothing(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "role_assign", broken)
    before = row_counts()

    with pytest.raises(RuntimeError):
        run("add", "hjo", "--name", "Hjo", "--code", "1497",
            "--coordinator-name", "Bo", "--coordinator-email", "bo@hjo.se")  # fmt: skip

    assert row_counts() == before


def test_list_shows_every_municipality_with_its_members():
    karlsborg = MunicipalityFactory(slug="karlsborg", code="1446", name="Karlsborg", is_demo=True)
    PersonFactory(municipality=karlsborg, user=UserFactory())
    PersonFactory(municipality=karlsborg, user=UserFactory())
    PersonFactory(municipality=karlsborg)  # no login: not a member
    PersonFactory(
        municipality=karlsborg, user=UserFactory(), archived_at=datetime.datetime.now(datetime.UTC)
    )  # archived: no longer a member
    MunicipalityFactory(
        slug="gamla", code="0001", name="Gamla", archived_at=datetime.datetime.now(datetime.UTC)
    )

    lines = run("list").splitlines()

    assert lines[0].split() == ["slug", "code", "name", "demo", "archived", "members"]
    assert lines[1].split() == ["gamla", "0001", "Gamla", "archived", "0"]
    assert lines[2].split() == ["karlsborg", "1446", "Karlsborg", "demo", "2"]


def test_list_of_an_empty_installation():
    assert run("list").strip() == "The installation has no municipality yet."
