"""The demo municipality: it loads, loads only once, and holds what the demo is meant to show."""

from __future__ import annotations

import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from stadga.catalogue.models import CatalogueSettings
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR_USERNAME, data, data_cooperation
from stadga.demo.load import DemoConflict, _Loader, load_demo
from stadga.organisation.access import Access
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import (
    Board,
    ConsequenceLevel,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.policy.models import Clause, Policy, PolicyAdoption
from stadga.systems.choices import Flag, LifecyclePhase, SystemType
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, UserFactory

User = get_user_model()
GOVERNED = [
    Municipality,
    ConsequenceLevel,
    Board,
    Department,
    Person,
    ExternalOrganisation,
    RoleAssignment,
    System,
    Policy,
    Clause,
    PolicyAdoption,
    CooperationGroup,
    Membership,
]


def counts() -> dict[str, int]:
    """How many rows of everything the demo touches, the change log included."""
    figures = {model.__name__: model.objects.count() for model in GOVERNED}
    figures["User"] = User.objects.count()
    figures["LogEntry"] = LogEntry.objects.count()
    figures["depends_on"] = System.depends_on.through.objects.count()
    figures["contacts"] = System.contacts.through.objects.count()
    figures["neighbours"] = CatalogueSettings.neighbours.through.objects.count()
    return figures


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test loads the demo and its logins; real password hashing would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def karlsborg(db, monkeypatch) -> Municipality:
    # These tests look at the organisation and the register; the product catalogue (most of
    # the load's time) has its own tests in test_demo_catalogue.py. The loads below that call
    # `load_demo` themselves (idempotence, conflicts) load it all.
    monkeypatch.setattr(_Loader, "load_catalogue", lambda self, municipality: None)
    return load_demo()


# --- The data itself -------------------------------------------------------------------------


def test_data_references_are_unique_and_fictional():
    names = [p.name for p in data.PEOPLE]
    assert len(names) == len(set(names)), "people are matched by name when the demo reloads"
    identifiers = [s.identifier for s in data.SYSTEMS]
    # SYS-0001 … SYS-00NN without gaps or repeats, as system_create would have numbered them.
    assert identifiers == [f"SYS-{n:04d}" for n in range(1, len(identifiers) + 1)]
    assert all(p.email.endswith("@karlsborg.example") for p in data.PEOPLE)
    assert all(re.fullmatch(r"[a-z.-]+@karlsborg\.example", p.email) for p in data.PEOPLE)


def test_demo_accounts_are_lowercase_ascii_and_belong_to_people():
    usernames = [username for username, _ in DEMO_ACCOUNTS]
    assert all(re.fullmatch(r"[a-z][a-z.]*", u) for u in usernames)
    people_logins = {p.username for p in data.PEOPLE if p.username}
    neighbours = {n.username for n in data_cooperation.NEIGHBOURS}
    assert set(usernames) - people_logins == {OPERATOR_USERNAME, *neighbours}


# --- Loading ---------------------------------------------------------------------------------


def test_loads_karlsborg_as_demo_data(karlsborg):
    karlsborg.refresh_from_db()
    assert (karlsborg.slug, karlsborg.name, karlsborg.code) == (
        "karlsborg",
        "Karlsborgs kommun",
        "1446",
    )
    assert karlsborg.is_demo
    assert karlsborg.role_label(Role.SYSTEM_OWNER) == "Systemansvarig"
    assert karlsborg.consequence_levels.count() == 4
    boards = Board.objects.filter(municipality=karlsborg)
    assert boards.filter(kind=BoardKind.EXECUTIVE_BOARD).get().name == "Kommunstyrelsen"
    assert boards.filter(kind=BoardKind.COMPANY_BOARD).exists()
    assert {"Barn- och utbildningsnämnden", "Socialnämnden", "Valnämnden"} <= set(
        boards.values_list("name", flat=True)
    )
    # The central office sits under the executive board and houses the IT department (P3.2).
    klk = Department.objects.get(municipality=karlsborg, name="Kommunledningskontoret")
    assert klk.board.kind == BoardKind.EXECUTIVE_BOARD
    it_coordinator = Person.objects.get(municipality=karlsborg, title="IT-samordnare")
    assert it_coordinator.department == klk
    # P3.11: both companies the policy names are in the register with their responsibility.
    external = dict(
        ExternalOrganisation.objects.filter(municipality=karlsborg).values_list(
            "name", "responsibilities"
        )
    )
    assert "ortssammanbindande" in external["Bredband Östra Skaraborg AB"]
    assert "ortsnät" in external["Karlsborgs Energi AB"]


def test_about_forty_systems_of_the_kinds_a_municipality_runs(karlsborg):
    names = list(System.objects.filter(municipality=karlsborg).values_list("name", flat=True))
    assert 38 <= len(names) <= 46
    for kind in (
        "Ekonomisystem",
        "Personal- och lönesystem",
        "Skolplattform",
        "Verksamhetssystem socialtjänst",
        "Ärendehantering och diarium",
        "E-arkiv",
        "GIS",
        "Kommunens webbplats",
        "E-post",
        "Kommunnätet",
        "Active Directory",
    ):
        assert any(kind in name for name in names), kind


def test_systems_depend_on_the_platform(karlsborg):
    systems = {s.identifier: s for s in System.objects.filter(municipality=karlsborg)}
    archive = System.objects.get(municipality=karlsborg, name="E-arkiv")
    assert systems[data.CASES] in archive.depends_on.all()
    network = systems[data.NETWORK]
    # Nearly everything runs on the network, directly or through the directory.
    assert network.dependants.count() >= 10
    assert systems[data.DIRECTORY].dependants.count() >= 10


def test_every_system_past_planning_has_an_owner(karlsborg):
    systems = System.objects.filter(municipality=karlsborg)
    assert (
        not systems.exclude(lifecycle_phase=LifecyclePhase.PLANNED)
        .filter(system_owner__isnull=True)
        .exists()
    )


def test_the_deliberate_gaps_are_there(karlsborg):
    systems = list(System.objects.filter(municipality=karlsborg).select_related("system_owner"))
    no_owner = [s for s in systems if Flag.NO_OWNER in s.flags]
    assert [s.lifecycle_phase for s in no_owner] == [LifecyclePhase.PLANNED]  # P9.3
    in_house = [s for s in systems if Flag.IN_HOUSE in s.flags]
    assert [s.system_type for s in in_house] == [SystemType.IN_HOUSE]  # P5.6
    unclassified = [s for s in systems if Flag.UNCLASSIFIED in s.flags]
    assert len(unclassified) >= 2  # P9.1
    # One of them is classified only in part.
    assert any(any(v is not None for v in s.classification.values()) for s in unclassified)
    # An owner who cannot log in: the register must not assume every owner is a user.
    assert any(s.system_owner and s.system_owner.user_id is None for s in systems)
    phases = {s.lifecycle_phase for s in systems}
    assert phases == set(LifecyclePhase.values)
    # Security infrastructure stays out of the public register; business systems are in it.
    public = {s.identifier: s.is_public for s in systems}
    assert public[data.NETWORK] is False and public[data.FINANCE] is True


def test_every_department_has_a_head_and_every_board_a_member(karlsborg):
    roles = RoleAssignment.objects.filter(municipality=karlsborg)
    departments = Department.objects.filter(municipality=karlsborg)
    boards = Board.objects.filter(municipality=karlsborg)
    headed = set(roles.filter(role=Role.DEPARTMENT_HEAD).values_list("department", flat=True))
    assert headed == set(departments.values_list("pk", flat=True))
    seated = set(roles.filter(role=Role.BOARD_MEMBER).values_list("board", flat=True))
    assert seated == set(boards.values_list("pk", flat=True))


def test_the_demo_has_adopted_the_shipped_2006_policy(karlsborg):  # P3.1
    adoption = PolicyAdoption.objects.get(municipality=karlsborg)
    assert (adoption.policy.key, adoption.policy.version) == (
        "karlsborg-it-policy-2006",
        "2006-09-25",
    )
    assert adoption.adopted_on.isoformat() == "2006-09-25"
    assert adoption.decision_reference
    assert adoption.policy.clauses.count() >= 40


# --- Idempotence -----------------------------------------------------------------------------


def test_a_second_load_creates_changes_and_logs_nothing(db):
    first = load_demo()
    before = counts()
    updated = dict(System.objects.values_list("pk", "updated_at"))
    out = io.StringIO()

    second = load_demo(stdout=out)

    assert second.pk == first.pk
    assert counts() == before
    assert dict(System.objects.values_list("pk", "updated_at")) == updated
    assert "nothing was changed" in out.getvalue()


def test_a_reload_keeps_what_someone_changed(karlsborg):
    from stadga.systems.services import system_update

    finance = System.objects.get(municipality=karlsborg, identifier=data.FINANCE)
    system_update(system=finance, data={"user_count": 999}, actor=None)

    load_demo()

    finance.refresh_from_db()
    assert finance.user_count == 999


def assert_dependencies_as_in_data(municipality: Municipality) -> None:
    systems = System.objects.filter(municipality=municipality).prefetch_related("depends_on")
    actual = {s.identifier: {d.identifier for d in s.depends_on.all()} for s in systems}
    assert actual == {s.identifier: set(s.depends_on) for s in data.SYSTEMS}


def test_a_reload_fills_in_what_is_missing(db, monkeypatch):
    """A demo loaded from older, smaller data is completed, not doubled."""
    with monkeypatch.context() as older:
        older.setattr(data, "SYSTEMS", data.SYSTEMS[:20])
        older.setattr(data, "ROLES", data.ROLES[:5])
        load_demo()
    assert System.objects.filter(municipality__slug="karlsborg").count() == 20

    karlsborg = load_demo()

    assert System.objects.filter(municipality=karlsborg).count() == len(data.SYSTEMS)
    assert RoleAssignment.objects.filter(municipality=karlsborg).count() == len(data.ROLES)
    assert_dependencies_as_in_data(karlsborg)


def test_dependencies_on_systems_listed_later_are_set_too(db, monkeypatch):
    monkeypatch.setattr(data, "SYSTEMS", list(reversed(data.SYSTEMS)))
    assert_dependencies_as_in_data(load_demo())


@pytest.mark.parametrize(
    "existing",
    [
        {"slug": "karlsborg", "name": "Karlsborgs kommun", "code": "1446", "is_demo": False},
        {"slug": "kbg", "name": "Karlsborg", "code": "1446", "is_demo": True},
    ],
    ids=["real-karlsborg", "code-taken"],
)
def test_it_never_loads_into_a_real_municipality(db, existing):
    MunicipalityFactory(**existing)
    before = counts()

    with pytest.raises(DemoConflict):
        load_demo()
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())

    assert counts() == before


def test_an_existing_account_keeps_its_password(db):
    UserFactory(username="it.tekniker")  # someone made this account before the demo

    load_demo()

    user = User.objects.get(username="it.tekniker")
    assert not user.check_password(DEMO_PASSWORD)
    assert Person.objects.get(user=user).name == data.IT_TECHNICIAN


# --- The demo accounts -----------------------------------------------------------------------


@pytest.mark.parametrize("username", [username for username, _ in DEMO_ACCOUNTS])
def test_every_demo_account_can_log_in(karlsborg, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


def person_of(username: str, municipality: Municipality) -> Person:
    return Person.objects.get(municipality=municipality, user__username=username)


def test_it_staff_keep_the_whole_register(karlsborg):
    for username, role in (
        ("it.samordnare", Role.IT_COORDINATOR),
        ("it.tekniker", Role.IT_TECHNICIAN),
    ):
        person = person_of(username, karlsborg)
        assert person.department.name == "Kommunledningskontoret"
        access = Access.for_user(person.user)
        assert access.has_role(karlsborg.pk, role)
        assert access.keeps_register(karlsborg.pk)
    assert Access.for_user(person_of("it.samordnare", karlsborg).user).manages_organisation(
        karlsborg.pk
    )


@pytest.mark.parametrize(
    ("username", "role"),
    [("ks.ordforande", Role.EXECUTIVE_BOARD_READER), ("revisor", Role.AUDITOR)],
)
def test_executive_board_and_auditor_read_everything_and_keep_nothing(karlsborg, username, role):
    access = Access.for_user(person_of(username, karlsborg).user)
    assert access.has_role(karlsborg.pk, role)
    assert access.reads_all(karlsborg.pk)
    assert not access.keeps_register(karlsborg.pk)
    visible = System.objects.filter(access.system_q())
    assert visible.count() == System.objects.filter(municipality=karlsborg).count()


def test_the_chair_of_the_executive_board_sits_on_it(karlsborg):
    access = Access.for_user(person_of("ks.ordforande", karlsborg).user)
    board = Board.objects.get(municipality=karlsborg, kind=BoardKind.EXECUTIVE_BOARD)
    assert access.board_member_of == {board.pk}


def test_the_head_of_social_services_sees_and_keeps_the_departments_systems(karlsborg):
    person = person_of("socialchef", karlsborg)
    access = Access.for_user(person.user)
    social = Department.objects.get(municipality=karlsborg, name="Socialförvaltningen")
    assert access.department_head_of == {social.pk}
    visible = System.objects.filter(access.system_q())
    assert visible.exists()
    assert set(visible.values_list("department", flat=True)) == {social.pk}
    assert all(access.can_edit_system(s) and access.can_appoint_owner(s) for s in visible)


def test_the_board_member_sees_the_boards_systems_only(karlsborg):
    access = Access.for_user(person_of("bun.ledamot", karlsborg).user)
    board = Board.objects.get(municipality=karlsborg, name="Barn- och utbildningsnämnden")
    assert access.board_member_of == {board.pk}
    visible = System.objects.filter(access.system_q())
    assert visible.exists()
    assert set(visible.values_list("board", flat=True)) == {board.pk}
    assert not any(access.can_edit_system(s) for s in visible)


def test_the_system_owner_owns_several_systems_and_keeps_them(karlsborg):
    person = person_of("ekonomichef", karlsborg)
    owned = System.objects.filter(system_owner=person)
    assert owned.count() >= 3
    access = Access.for_user(person.user)
    visible = System.objects.filter(access.system_q())
    assert set(visible) == set(owned)
    assert all(access.can_edit_system(s) for s in owned)
    assert not access.reads_all(karlsborg.pk)


def test_the_employee_has_no_special_role(karlsborg):
    person = person_of("medarbetare", karlsborg)
    access = Access.for_user(person.user)
    assert access.roles[karlsborg.pk] == {Role.EMPLOYEE}
    assert access.is_member(karlsborg.pk)
    assert not System.objects.filter(access.system_q()).exists()


def test_the_operator_is_a_superuser_outside_every_municipality(karlsborg):
    operator = User.objects.get(username=OPERATOR_USERNAME)
    assert operator.is_superuser and operator.is_staff
    assert not Person.objects.filter(user=operator).exists()


# --- The command -----------------------------------------------------------------------------


def test_command_loads_and_lists_the_logins(db):
    out = io.StringIO()

    call_command("demo", stdout=out)

    assert Municipality.objects.get(slug="karlsborg").is_demo
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    assert all(username in text for username, _ in DEMO_ACCOUNTS)


def test_command_if_empty_loads_into_an_empty_database(db):
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert Municipality.objects.filter(slug="karlsborg", is_demo=True).exists()
    assert "Created" in out.getvalue()


def test_command_if_empty_leaves_a_database_with_a_municipality_alone(db):
    MunicipalityFactory(slug="alingsas", name="Alingsås kommun", code="1489")
    before = counts()
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert counts() == before
    assert not Municipality.objects.filter(slug="karlsborg").exists()
    assert "not loaded" in out.getvalue()


def test_command_if_empty_on_a_loaded_demo_still_lists_the_logins(db):
    """A second `make run` keeps the data and still tells the user how to log in."""
    call_command("demo", "--if-empty", stdout=io.StringIO())
    before = counts()
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert counts() == before
    text = out.getvalue()
    assert "not loaded" in text
    assert "Karlsborgs kommun (karlsborg), demo data" in text  # not a neighbour of it
    assert DEMO_PASSWORD in text
    assert all(username in text for username, _ in DEMO_ACCOUNTS)
