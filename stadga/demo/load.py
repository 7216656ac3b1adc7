"""Load the demo municipality through the same services every other write goes through.

Loading is idempotent: every object is looked up by its natural key (slug, name, system ID,
username) and created only if it is missing, so a second run creates nothing, changes nothing and
writes nothing to the change log. Objects that already exist are left as they are, so what someone
changed while trying the demo survives a reload.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import cached_property

from stadga.core.services import object_archive
from stadga.organisation import services as org
from stadga.organisation.models import (
    Board,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.policy.library import read_library, shipped_libraries
from stadga.policy.models import Policy, PolicyAdoption
from stadga.policy.services_library import policy_adopt, policy_load
from stadga.systems import services as systems
from stadga.systems.models import System

from . import DEMO_PASSWORD, OPERATOR_USERNAME, data

# The demo is loaded by the system itself, not by a person (the change log shows no user).
ACTOR = None

# The demo municipality has adopted the shipped 2006 policy (P3.1). The council's date is the
# policy's own; the minutes' paragraph is invented for the demo, like everything in it.
POLICY_KEY = "karlsborg-it-policy-2006"
POLICY_VERSION = "2006-09-25"
POLICY_ADOPTED_ON = datetime.date(2006, 9, 25)
POLICY_DECISION_REFERENCE = "KF § 87/2006"


class Writer(Protocol):
    """Where progress goes: a text stream, or a management command's stdout."""

    def write(self, text: str, /) -> object: ...


class DemoConflict(Exception):
    """The database holds a real municipality where the demo would go; the demo never touches it."""


def load_demo(*, stdout: Writer | None = None) -> Municipality:
    """Create whatever of the demo municipality is missing, in one transaction; return it.

    Raises DemoConflict if a municipality that is not demo data already has the demo's short name
    or municipality code.
    """
    with transaction.atomic():
        loader = _Loader()
        municipality = loader.load()
    if stdout is not None:
        if loader.created:
            done = ", ".join(f"{n} {what}" for what, n in loader.created.items())
            stdout.write(f"Created {done}.\n")
        else:
            stdout.write("The demo municipality is already loaded; nothing was changed.\n")
    return municipality


class _Loader:
    """One load: resolves the data's references by name and counts what it creates."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.boards: dict[str, Board] = {}
        self.departments: dict[str, Department] = {}
        self.people: dict[str, Person] = {}
        self.systems: dict[str, System] = {}

    def load(self) -> Municipality:
        m = self.municipality()
        self.load_boards(m)
        self.load_departments(m)
        self.load_people(m)
        self.load_external_organisations(m)
        self.load_systems(m)
        self.load_roles(m)
        self.load_operator()
        self.load_policy(m)
        return m

    def municipality(self) -> Municipality:
        existing = Municipality.objects.filter(slug=data.MUNICIPALITY_SLUG).first()
        if existing is None:
            existing = Municipality.objects.filter(code=data.MUNICIPALITY_CODE).first()
        if existing is not None:
            # Never mix demo data into a real municipality, nor take over its short name or code.
            if not existing.is_demo or existing.slug != data.MUNICIPALITY_SLUG:
                raise DemoConflict(
                    f"The municipality {existing.name!r} ({existing.slug}, {existing.code}) is not "
                    f"the demo; the demo needs the short name {data.MUNICIPALITY_SLUG!r} and "
                    f"code {data.MUNICIPALITY_CODE}."
                )
            return existing
        m = org.municipality_create(
            slug=data.MUNICIPALITY_SLUG,
            name=data.MUNICIPALITY_NAME,
            code=data.MUNICIPALITY_CODE,
            is_demo=True,
            actor=ACTOR,
        )
        org.municipality_update(
            municipality=m, data={"role_labels": dict(data.ROLE_LABELS)}, actor=ACTOR
        )
        self.created["municipality"] += 1
        return m

    def load_boards(self, m: Municipality) -> None:
        self.boards = {b.name: b for b in Board.objects.filter(municipality=m)}
        for item in data.BOARDS:
            if item.name not in self.boards:
                self.boards[item.name] = org.board_create(
                    municipality=m,
                    data={"name": item.name, "short_name": item.short_name, "kind": item.kind},
                    actor=ACTOR,
                )
                self.created["boards"] += 1

    def load_departments(self, m: Municipality) -> None:
        self.departments = {d.name: d for d in Department.objects.filter(municipality=m)}
        for item in data.DEPARTMENTS:
            if item.name not in self.departments:
                self.departments[item.name] = org.department_create(
                    municipality=m,
                    data={"name": item.name, "board": self.boards[item.board]},
                    actor=ACTOR,
                )
                self.created["departments"] += 1

    def load_people(self, m: Municipality) -> None:
        self.people = {}
        for person in Person.objects.filter(municipality=m).order_by("pk"):
            self.people.setdefault(person.name, person)
        for item in data.PEOPLE:
            if item.name in self.people:
                continue
            user = self.demo_user(item, item.username) if item.username else None
            self.people[item.name] = org.person_create(
                municipality=m,
                data={
                    "name": item.name,
                    "title": item.title,
                    "email": item.email,
                    "phone": item.phone,
                    "department": self.departments[item.department] if item.department else None,
                    "user": user,
                },
                actor=ACTOR,
            )
            if item.left:
                object_archive(instance=self.people[item.name], actor=ACTOR)
            self.created["people"] += 1

    def demo_user(self, item: data.PersonData, username: str) -> Any:
        """The login of a demo person; an existing account keeps its password."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            first_name, _, last_name = item.name.partition(" ")
            user = User(
                username=username,
                email=item.email,
                first_name=first_name,
                last_name=last_name,
                password=self.password_hash,
            )
            user.save()
            self.created["demo logins"] += 1
        return user

    def load_operator(self) -> None:
        """The installation's superuser (no person in any municipality: it runs the server)."""
        User = get_user_model()
        if not User.objects.filter(username=OPERATOR_USERNAME).exists():
            User(
                username=OPERATOR_USERNAME,
                email=f"{OPERATOR_USERNAME}@{data.EMAIL_DOMAIN}",
                is_staff=True,
                is_superuser=True,
                password=self.password_hash,
            ).save()
            self.created["demo logins"] += 1

    @cached_property
    def password_hash(self) -> str:
        # Hashed once for all accounts: the password is published, and hashing it for each of
        # them took most of the load's time.
        return make_password(DEMO_PASSWORD)

    def load_external_organisations(self, m: Municipality) -> None:  # P3.11
        existing = set(
            ExternalOrganisation.objects.filter(municipality=m).values_list("name", flat=True)
        )
        for item in data.EXTERNAL_ORGANISATIONS:
            if item.name not in existing:
                org.external_organisation_create(
                    municipality=m,
                    data={
                        "name": item.name,
                        "responsibilities": item.responsibilities,
                        "contact": item.contact,
                    },
                    actor=ACTOR,
                )
                self.created["external organisations"] += 1

    def load_systems(self, m: Municipality) -> None:
        self.systems = {s.identifier: s for s in System.objects.filter(municipality=m)}
        # Dependencies on a system listed later are set once every system exists.
        pending: list[data.SystemData] = []
        for item in data.SYSTEMS:
            if item.identifier in self.systems:
                continue
            known = [self.systems[i] for i in item.depends_on if i in self.systems]
            self.systems[item.identifier] = systems.system_create(
                municipality=m, data={**self._system_fields(item), "depends_on": known}, actor=ACTOR
            )
            if len(known) < len(item.depends_on):
                pending.append(item)
            self.created["systems"] += 1
        for item in pending:
            systems.system_update(
                system=self.systems[item.identifier],
                data={"depends_on": [self.systems[i] for i in item.depends_on]},
                actor=ACTOR,
            )

    def _system_fields(self, item: data.SystemData) -> dict[str, Any]:
        confidentiality, integrity, availability, traceability = item.classification
        return {
            "identifier": item.identifier,
            "name": item.name,
            "purpose": item.purpose,
            "board": self.boards[item.board],
            "department": self.departments[item.department] if item.department else None,
            "system_owner": self.people[item.system_owner] if item.system_owner else None,
            "contacts": [self.people[name] for name in item.contacts],
            "lifecycle_phase": item.lifecycle_phase,
            "in_production_from": item.in_production_from,
            "phase_out_from": item.phase_out_from,
            "retired_on": item.retired_on,
            "system_type": item.system_type,
            "vendor": item.vendor,
            "user_count": item.user_count,
            "personal_data": item.personal_data,
            "confidentiality": confidentiality,
            "integrity": integrity,
            "availability": availability,
            "traceability": traceability,
            "classification_justification": item.justification,
            "is_public": item.is_public,
            "notes": item.notes,
        }

    def load_roles(self, m: Municipality) -> None:
        held: set[tuple[int, str, int | None, int | None]] = set(
            RoleAssignment.objects.filter(municipality=m, archived_at__isnull=True).values_list(
                "person_id", "role", "board_id", "department_id"
            )
        )
        for item in data.ROLES:
            person = self.people[item.person]
            board = self.boards[item.board] if item.board else None
            department = self.departments[item.department] if item.department else None
            key = (
                person.pk,
                str(item.role),
                board.pk if board else None,
                department.pk if department else None,
            )
            if key in held:
                continue
            org.role_assign(
                municipality=m,
                data={
                    "person": person,
                    "role": item.role,
                    "board": board,
                    "department": department,
                },
                actor=ACTOR,
            )
            held.add(key)
            self.created["role assignments"] += 1

    def load_policy(self, m: Municipality) -> None:  # P3.1
        """The shipped policy libraries, and the demo's adoption of the 2006 policy."""
        for path in shipped_libraries():
            if policy_load(library=read_library(path), actor=ACTOR).created:
                self.created["policy versions"] += 1
        policy = Policy.objects.get(key=POLICY_KEY, version=POLICY_VERSION)
        # An adoption someone archived while trying the demo stays archived.
        if not PolicyAdoption.objects.filter(municipality=m, policy=policy).exists():
            policy_adopt(
                municipality=m,
                policy=policy,
                adopted_on=POLICY_ADOPTED_ON,
                decision_reference=POLICY_DECISION_REFERENCE,
                actor=ACTOR,
            )
            self.created["policy adoptions"] += 1
