"""The register's services: validated, atomic, logged, never deleting."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stadga.systems import services
from stadga.systems.choices import Flag, LifecyclePhase, SystemType
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _data(municipality, **overrides):
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    return {
        "name": "Lönesystem",
        "board": department.board,
        "department": department,
        "system_owner": PersonFactory(municipality=municipality),
        **overrides,
    }


def test_create_logs_the_actor_and_numbers_the_system() -> None:
    municipality = MunicipalityFactory()
    actor = UserFactory()
    system = services.system_create(
        municipality=municipality, data=_data(municipality), actor=actor
    )
    assert system.identifier == "SYS-0001"
    entry = LogEntry.objects.get_for_object(system).get()
    assert entry.actor == actor
    assert entry.action == LogEntry.Action.CREATE
    assert entry.additional_data == {"municipality_id": municipality.pk}


def test_create_sets_many_to_many() -> None:
    municipality = MunicipalityFactory()
    network = SystemFactory(municipality=municipality)
    contact = PersonFactory(municipality=municipality)
    system = services.system_create(
        municipality=municipality,
        data=_data(municipality, depends_on=[network], contacts=[contact]),
        actor=None,
    )
    assert list(system.depends_on.all()) == [network]
    assert list(network.dependants.all()) == [system]
    assert list(system.contacts.all()) == [contact]


def test_create_refuses_an_owner_from_another_municipality() -> None:
    municipality = MunicipalityFactory()
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.system_create(
            municipality=municipality, data=_data(municipality, system_owner=stranger), actor=None
        )
    assert "system_owner" in error.value.message_dict
    assert not System.objects.exists()


def test_owner_required_unless_planned_also_in_the_database() -> None:
    """P9.3 is a database constraint too, so no write path can get around it."""
    system = SystemFactory()
    System.objects.filter(pk=system.pk).update(lifecycle_phase=LifecyclePhase.PLANNED)
    System.objects.filter(pk=system.pk).update(system_owner=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.filter(pk=system.pk).update(lifecycle_phase=LifecyclePhase.IN_PRODUCTION)


def test_update_writes_and_logs_only_what_changed() -> None:
    system = SystemFactory(name="Gammalt")
    actor = UserFactory()
    _, changed = services.system_update(system=system, data={"name": "Gammalt"}, actor=actor)
    assert not changed
    assert not LogEntry.objects.get_for_object(system).filter(action=LogEntry.Action.UPDATE)
    _, changed = services.system_update(
        system=system, data={"name": "Nytt", "purpose": system.purpose}, actor=actor
    )
    assert changed
    update = LogEntry.objects.get_for_object(system).get(action=LogEntry.Action.UPDATE)
    assert update.changes_dict == {"name": ["Gammalt", "Nytt"]}
    assert update.actor == actor


def test_update_is_all_or_nothing() -> None:
    system = SystemFactory(name="Före")
    with pytest.raises(ValidationError):
        services.system_update(
            system=system, data={"name": "Efter", "confidentiality": 9}, actor=None
        )
    system.refresh_from_db()
    assert system.name == "Före" and system.confidentiality == 2


def test_update_of_dependencies_is_logged() -> None:
    system = SystemFactory()
    network = SystemFactory(municipality=system.municipality)
    _, changed = services.system_update(system=system, data={"depends_on": [network]}, actor=None)
    assert changed
    assert list(system.depends_on.all()) == [network]
    _, changed = services.system_update(system=system, data={"depends_on": [network]}, actor=None)
    assert not changed


def test_archive_and_restore_keep_the_record() -> None:
    system = SystemFactory()
    actor = UserFactory()
    services.system_archive(system=system, actor=actor)
    system.refresh_from_db()
    assert system.is_archived and system.archived_by == actor
    services.system_restore(system=system, actor=actor)
    system.refresh_from_db()
    assert not system.is_archived and system.archived_by is None
    assert LogEntry.objects.get_for_object(system).count() == 3


def test_next_identifier_skips_taken_numbers_and_ignores_foreign_keys() -> None:
    municipality = MunicipalityFactory()
    SystemFactory(municipality=municipality, identifier="SYS-0007")
    SystemFactory(municipality=municipality, identifier="EKO-1")
    SystemFactory(identifier="SYS-0099")  # another municipality
    assert services.next_identifier(municipality=municipality) == "SYS-0008"


def test_flags() -> None:
    planned = SystemFactory(
        lifecycle_phase=LifecyclePhase.PLANNED,
        system_owner=None,
        system_type=SystemType.IN_HOUSE,
        traceability=None,
    )
    assert planned.flags == [Flag.NO_OWNER, Flag.UNCLASSIFIED, Flag.IN_HOUSE]
    assert SystemFactory().flags == []
