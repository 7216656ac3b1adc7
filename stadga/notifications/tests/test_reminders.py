"""The reminder sources the apps declare: each has a case that reminds and cases that do not."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.notifications.reminders import Reminder, all_reminder_sources, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.reminders import attestations_expired
from stadga.systems.choices import LifecyclePhase
from stadga.systems.reminders import systems_without_owner
from stadga.testing.factories import (
    DepartmentFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
)

from .conftest import TODAY, adopt_policy

pytestmark = pytest.mark.django_db


def head_of(department, **kwargs):
    person = PersonFactory(municipality=department.municipality, **kwargs)
    RoleAssignmentFactory(person=person, role=Role.DEPARTMENT_HEAD, department=department)
    return person


def ownerless(department, **kwargs):
    """A planned system of `department` without a system owner (allowed until production)."""
    return SystemFactory(
        municipality=department.municipality,
        board=department.board,
        department=department,
        system_owner=None,
        lifecycle_phase=LifecyclePhase.PLANNED,
        **kwargs,
    )


def test_sources_are_discovered_from_the_apps() -> None:
    sources = all_reminder_sources()
    assert sources["systems.without_owner"] is systems_without_owner
    assert sources["policy.attestation_expired"] is attestations_expired


def test_two_sources_cannot_share_an_id() -> None:
    with pytest.raises(ValueError, match=r"systems\.without_owner"):
        reminder_source("systems.without_owner")(lambda municipality, today: [])


def test_a_key_is_required() -> None:
    with pytest.raises(ValueError):
        Reminder(recipient=None, key="", subject="x")  # type: ignore[arg-type]


class TestSystemsWithoutOwner:
    def test_the_department_head_is_reminded(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        head = head_of(department)
        system = ownerless(department, in_production_from=datetime.date(2026, 9, 1))

        (reminder,) = systems_without_owner(municipality, TODAY)

        assert reminder.recipient == head
        assert reminder.key == f"system-without-owner:{system.pk}"
        assert reminder.link == system.get_absolute_url()
        assert system.name in reminder.subject
        assert "P9.3" in reminder.body
        assert reminder.due_date == datetime.date(2026, 9, 1)

    def test_the_municipalitys_name_for_the_role(self, municipality: Municipality) -> None:
        municipality.role_labels = {Role.SYSTEM_OWNER: "Systemägare"}
        municipality.save()
        department = DepartmentFactory(board__municipality=municipality)
        head_of(department)
        ownerless(department)

        (reminder,) = systems_without_owner(municipality, TODAY)
        assert " systemägare" in reminder.body

    def test_the_head_of_another_department_gets_nothing(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        other = DepartmentFactory(board=department.board)
        head_of(other)
        ownerless(department)

        assert list(systems_without_owner(municipality, TODAY)) == []

    def test_systems_with_an_owner_need_no_reminder(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        head_of(department)
        SystemFactory(municipality=municipality, board=department.board, department=department)

        assert list(systems_without_owner(municipality, TODAY)) == []

    def test_an_owner_who_has_left_is_no_owner(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        head = head_of(department)
        system = SystemFactory(
            municipality=municipality,
            board=department.board,
            department=department,
            system_owner__archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )

        (reminder,) = systems_without_owner(municipality, TODAY)
        assert (reminder.recipient, reminder.key) == (head, f"system-without-owner:{system.pk}")

    def test_archived_heads_and_systems_are_left_out(self, municipality: Municipality) -> None:
        gone = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        department = DepartmentFactory(board__municipality=municipality)
        head_of(department, archived_at=gone)
        kept = DepartmentFactory(board=department.board)
        head_of(kept)
        ownerless(kept, archived_at=gone)

        assert list(systems_without_owner(municipality, TODAY)) == []

    def test_every_head_of_the_department_is_reminded(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        heads = {head_of(department), head_of(department)}
        ownerless(department)

        assert {r.recipient for r in systems_without_owner(municipality, TODAY)} == heads

    def test_queries_do_not_grow_with_the_systems(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board__municipality=municipality)
        head_of(department)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                list(systems_without_owner(municipality, TODAY))
            return len(queries)

        ownerless(department)
        few = count()
        for _ in range(20):
            ownerless(department)
        assert count() == few == 2


class TestAttestationExpired:
    def test_the_person_who_attested_is_reminded(self, municipality, clause, attest) -> None:
        person = PersonFactory(municipality=municipality)
        attestation = attest(clause, person, until=TODAY - datetime.timedelta(days=1))

        (reminder,) = attestations_expired(municipality, TODAY)

        assert reminder.recipient == person
        assert reminder.key == f"attestation-expired:{attestation.pk}"
        assert reminder.due_date == attestation.valid_until
        assert reminder.link == attestation.get_absolute_url()
        assert "P6.4" in reminder.subject

    def test_the_system_owner_is_reminded_of_the_systems(
        self, municipality, clause, attest
    ) -> None:
        system = SystemFactory(municipality=municipality)
        attest(
            clause,
            PersonFactory(municipality=municipality),
            until=TODAY - datetime.timedelta(days=10),
            system=system,
        )

        (reminder,) = attestations_expired(municipality, TODAY)
        assert reminder.recipient == system.system_owner
        assert system.name in reminder.subject

    def test_a_valid_attestation_needs_no_reminder(self, municipality, clause, attest) -> None:
        attest(clause, PersonFactory(municipality=municipality), until=TODAY)

        assert list(attestations_expired(municipality, TODAY)) == []

    def test_a_renewed_attestation_stops_the_reminder(self, municipality, clause, attest) -> None:
        person = PersonFactory(municipality=municipality)
        attest(clause, person, until=TODAY - datetime.timedelta(days=1))
        assert len(list(attestations_expired(municipality, TODAY))) == 1

        attest(clause, person, until=TODAY + datetime.timedelta(days=365))

        assert list(attestations_expired(municipality, TODAY)) == []

    def test_a_renewal_for_another_system_does_not_count(
        self, municipality, clause, attest
    ) -> None:
        person = PersonFactory(municipality=municipality)
        first, second = (
            SystemFactory(municipality=municipality),
            SystemFactory(municipality=municipality),
        )
        expired = attest(clause, person, until=TODAY - datetime.timedelta(days=1), system=first)
        attest(clause, person, until=TODAY + datetime.timedelta(days=30), system=second)
        attest(clause, person, until=TODAY + datetime.timedelta(days=30))  # municipality-wide

        (reminder,) = attestations_expired(municipality, TODAY)
        assert reminder.key == f"attestation-expired:{expired.pk}"

    def test_only_the_latest_of_several_expired_ones(self, municipality, clause, attest) -> None:
        person = PersonFactory(municipality=municipality)
        attest(clause, person, until=TODAY - datetime.timedelta(days=400))
        latest = attest(clause, person, until=TODAY - datetime.timedelta(days=35))

        (reminder,) = attestations_expired(municipality, TODAY)
        assert reminder.key == f"attestation-expired:{latest.pk}"

    def test_only_the_adopted_policy_counts(self, municipality, attest) -> None:
        old = adopt_policy(municipality, key="old-policy")
        attest(old, PersonFactory(municipality=municipality), until=TODAY - datetime.timedelta(1))
        adopt_policy(municipality, key="new-policy")  # adopted later: the one that counts

        assert list(attestations_expired(municipality, TODAY)) == []

    def test_no_adopted_policy_no_reminders(self, municipality: Municipality) -> None:
        assert list(attestations_expired(municipality, TODAY)) == []

    def test_queries_do_not_grow_with_the_attestations(self, municipality, clause, attest) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                list(attestations_expired(municipality, TODAY))
            return len(queries)

        for days in (5, 6):
            attest(
                clause,
                SystemFactory(municipality=municipality).system_owner,
                until=TODAY - datetime.timedelta(days),
                system=SystemFactory(municipality=municipality),
            )
        few = count()
        for days in range(20):
            attest(
                clause,
                PersonFactory(municipality=municipality),
                until=TODAY - datetime.timedelta(days + 1),
                system=SystemFactory(municipality=municipality),
            )
        assert count() == few == 2
