"""Classification services and triggered requirements (P9.1 → P9.5): a system's levels are the
highest of its information types, who classified and when, review due dates, and which
requirements a classification triggers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.security.catalogue import parse_catalogue
from stadga.security.choices import MeasureStatus
from stadga.security.models import (
    DEFAULT_FOLLOW_UP_MONTHS,
    InformationType,
    Measure,
    RequirementCatalogue,
    SecuritySettings,
)
from stadga.security.requirements import (
    applies,
    current_catalogue,
    triggered_requirements,
    triggered_requirements_bulk,
    triggered_with_measures,
)
from stadga.security.services_classification import (
    information_type_archive,
    information_type_create,
    information_type_restore,
    information_type_update,
    requirement_catalogue_load,
    review_due_on,
    security_settings_for,
    security_settings_update,
    system_levels,
)
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member

pytestmark = pytest.mark.django_db

LEVELS = ("confidentiality", "integrity", "availability", "traceability")

CATALOGUE = """\
format: 1
key: test-krav
version: "{version}"
title: Testkrav
requirements:
  - {{code: C-1, category: access_control, aspect: confidentiality, level: 1, text: a}}
  - {{code: C-3, category: encryption, aspect: confidentiality, level: 3, text: b}}
  - {{code: I-2, category: operations, aspect: integrity, level: 2, text: c}}
  - {{code: A-4, category: continuity, aspect: availability, level: 4, text: d}}
  - {{code: T-2, category: logging, aspect: traceability, level: 2, text: e}}
  - code: P-4
    category: personal_data
    aspect: confidentiality
    level: 4
    personal_data: true
    text: f
"""


def load(version: str = "1") -> RequirementCatalogue:
    catalogue = parse_catalogue(CATALOGUE.format(version=version))
    return requirement_catalogue_load(catalogue=catalogue, actor=None).catalogue


def classify(system: System, name: str, levels: tuple[int, int, int, int], **extra: Any) -> Any:
    data = dict(zip(LEVELS, levels, strict=True)) | {"name": name} | extra
    return information_type_create(system=system, data=data, actor=None)


def levels_of(system: System) -> tuple[Any, ...]:
    system.refresh_from_db()
    return tuple(getattr(system, a) for a in LEVELS)


# --- The system's levels follow its information types ------------------------------------------


def test_the_system_gets_the_highest_level_per_aspect() -> None:
    system = SystemFactory(confidentiality=1, integrity=1, availability=1, traceability=1)
    classify(system, "Fakturor", (2, 3, 1, 2))
    classify(system, "Personakter", (4, 2, 2, 1), personal_data=True)
    assert levels_of(system) == (4, 3, 2, 2)
    assert system.personal_data


def test_archiving_recomputes_and_restoring_brings_it_back() -> None:
    system = SystemFactory()
    classify(system, "Fakturor", (2, 3, 1, 2))
    high = classify(system, "Personakter", (4, 2, 2, 1), personal_data=True)
    information_type_archive(information_type=high, actor=None)
    assert levels_of(system) == (2, 3, 1, 2)
    assert not system.personal_data
    information_type_restore(information_type=high, actor=None)
    assert levels_of(system) == (4, 3, 2, 2)
    assert system.personal_data


def test_updating_a_type_moves_the_system_down_too() -> None:
    system = SystemFactory()
    information_type = classify(system, "Fakturor", (3, 3, 3, 3))
    information_type_update(
        information_type=information_type,
        data={"confidentiality": 1, "integrity": 1, "availability": 1, "traceability": 1},
        actor=None,
    )
    assert levels_of(system) == (1, 1, 1, 1)


def test_a_system_without_information_types_keeps_its_own_levels() -> None:
    system = SystemFactory(confidentiality=3, integrity=2, availability=2, traceability=1)
    only = classify(system, "Fakturor", (1, 1, 1, 1))
    assert levels_of(system) == (1, 1, 1, 1)
    information_type_archive(information_type=only, actor=None)
    # Nothing is left to compute from: the levels stay as the last classification left them.
    assert levels_of(system) == (1, 1, 1, 1)
    untouched = SystemFactory(confidentiality=3, integrity=2, availability=2, traceability=1)
    assert levels_of(untouched) == (3, 2, 2, 1)


def test_system_levels_of_types_without_some_aspect() -> None:
    types = [
        {"confidentiality": 2, "integrity": None, "availability": 1, "traceability": None,
         "personal_data": False},
        {"confidentiality": 1, "integrity": None, "availability": 3, "traceability": 2,
         "personal_data": True},
    ]  # fmt: skip
    assert system_levels(types) == {
        "confidentiality": 2,
        "integrity": None,
        "availability": 3,
        "traceability": 2,
        "personal_data": True,
    }


def test_the_system_change_is_logged_with_the_actor() -> None:
    municipality = MunicipalityFactory()
    user = member(municipality, Role.IT_COORDINATOR)
    system = SystemFactory(municipality=municipality, confidentiality=1)
    information_type_create(
        system=system,
        data={"name": "Fakturor", "confidentiality": 3, "integrity": 2, "availability": 2,
              "traceability": 1},
        actor=user,
    )  # fmt: skip
    entry = LogEntry.objects.get_for_object(system).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == user
    assert entry.changes_dict["confidentiality"] == ["1", "3"]
    created = InformationType.objects.get(name="Fakturor")
    assert LogEntry.objects.get_for_object(created).get().actor == user


def test_who_classified_and_when() -> None:
    municipality = MunicipalityFactory()
    user = member(municipality, Role.IT_COORDINATOR)
    person = Person.objects.get(user=user)
    system = SystemFactory(municipality=municipality)
    information_type = classify(system, "Fakturor", (1, 1, 1, 1))
    assert information_type.classified_by is None  # the system itself classified it
    assert information_type.classified_on == timezone.localdate()
    information_type_update(
        information_type=information_type, data={"justification": "Granskad"}, actor=user
    )
    information_type.refresh_from_db()
    assert information_type.classified_by == person
    # An imported classification keeps its own date; a date ahead is refused.
    old = classify(system, "Gammal", (1, 1, 1, 1), classified_on=datetime.date(2020, 5, 1))
    assert old.classified_on == datetime.date(2020, 5, 1)
    with pytest.raises(ValidationError) as caught:
        classify(
            system,
            "Framtid",
            (1, 1, 1, 1),
            classified_on=timezone.localdate() + datetime.timedelta(1),
        )
    assert "classified_on" in caught.value.message_dict
    assert not InformationType.objects.filter(name="Framtid").exists()


def test_an_invalid_type_changes_nothing() -> None:
    system = SystemFactory(confidentiality=1)
    with pytest.raises(ValidationError) as caught:
        classify(system, "Fakturor", (5, 1, 1, 1))  # the scale has four steps
    assert "confidentiality" in caught.value.message_dict
    assert not InformationType.objects.exists()
    assert levels_of(system)[0] == 1
    with pytest.raises(ValidationError):
        classify(system, "Känsligt", (1, 1, 1, 1), sensitive_personal_data=True)


def test_another_municipalitys_person_cannot_be_the_classifier() -> None:
    system = SystemFactory()
    stranger = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    information_type = classify(system, "Fakturor", (1, 1, 1, 1))
    # The stranger's person is in another municipality: they are not named as classifier.
    information_type_update(information_type=information_type, data={"name": "X"}, actor=stranger)
    information_type.refresh_from_db()
    assert information_type.classified_by is None


# --- Review ----------------------------------------------------------------------------------


def test_review_is_due_after_the_interval() -> None:
    assert review_due_on(datetime.date(2025, 1, 31), months=12) == datetime.date(2026, 1, 31)
    assert review_due_on(datetime.date(2025, 1, 31), months=1) == datetime.date(2025, 2, 28)
    assert review_due_on(None, months=12) is None


def test_settings_are_created_with_defaults_once() -> None:
    municipality = MunicipalityFactory()
    settings = security_settings_for(municipality)
    assert settings.classification_review_months == 12
    assert settings.follow_up_months == {str(k): v for k, v in DEFAULT_FOLLOW_UP_MONTHS.items()}
    assert security_settings_for(municipality) == settings
    assert SecuritySettings.objects.count() == 1


def test_settings_update_is_validated_and_logged() -> None:
    municipality = MunicipalityFactory()
    user = member(municipality, Role.IT_COORDINATOR)
    settings, changed = security_settings_update(
        municipality=municipality,
        data={"classification_review_months": 24, "follow_up_months": {1: 36, 2: 12}},
        actor=user,
    )
    assert changed and settings.classification_review_months == 24
    assert settings.follow_up_months == {"1": 36, "2": 12}
    assert LogEntry.objects.get_for_object(settings).latest("timestamp").actor == user
    with pytest.raises(ValidationError):
        security_settings_update(
            municipality=municipality, data={"follow_up_months": {1: 0}}, actor=user
        )
    with pytest.raises(ValidationError):
        security_settings_update(
            municipality=municipality, data={"classification_review_months": 0}, actor=user
        )


# --- Triggered requirements --------------------------------------------------------------------


def codes(requirements: list[Any]) -> list[str]:
    return [r.code for r in requirements]


def test_requirements_apply_from_their_level() -> None:
    load()
    system = SystemFactory(
        confidentiality=3, integrity=1, availability=3, traceability=2, personal_data=False
    )
    assert codes(triggered_requirements(system)) == ["C-1", "C-3", "T-2"]
    system.confidentiality, system.integrity = 1, 2
    assert codes(triggered_requirements(system)) == ["C-1", "I-2", "T-2"]


def test_personal_data_requirements_apply_to_any_system_with_personal_data() -> None:
    load()
    system = SystemFactory(
        confidentiality=1, integrity=1, availability=1, traceability=1, personal_data=True
    )
    assert codes(triggered_requirements(system)) == ["C-1", "P-4"]
    system.personal_data = False
    system.confidentiality = 4
    assert "P-4" in codes(triggered_requirements(system))  # and from their level


def test_an_unclassified_system_or_no_catalogue_triggers_nothing() -> None:
    system = SystemFactory(confidentiality=4, integrity=4, availability=4, traceability=4)
    assert triggered_requirements(system) == []  # no catalogue loaded
    load()
    unclassified = SystemFactory(
        confidentiality=None, integrity=None, availability=None, traceability=None
    )
    assert triggered_requirements(unclassified) == []


def test_the_catalogue_loaded_last_is_current() -> None:
    load("1")
    newer = load("2")
    assert current_catalogue() == newer
    system = SystemFactory(confidentiality=1)
    assert {r.catalogue_id for r in triggered_requirements(system)} == {newer.pk}


def test_applies_without_a_level_for_the_aspect() -> None:
    load()
    requirement = current_catalogue().requirements.get(code="C-1")  # type: ignore[union-attr]
    assert not applies(requirement, levels={"confidentiality": None}, personal_data=False)
    assert applies(requirement, levels={"confidentiality": 1}, personal_data=False)


def _systems(municipality: Municipality, count: int) -> list[System]:
    return [
        SystemFactory(
            municipality=municipality,
            confidentiality=n % 4 + 1,
            integrity=2,
            availability=3,
            traceability=1,
            personal_data=n % 2 == 0,
        )
        for n in range(count)
    ]


def test_the_bulk_variant_runs_a_fixed_number_of_queries() -> None:
    load()
    municipality = MunicipalityFactory()
    counts = []
    for total in (10, 100):
        _systems(municipality, total - System.objects.filter(municipality=municipality).count())
        every = list(System.objects.filter(municipality=municipality))
        with CaptureQueriesContext(connection) as queries:
            results = triggered_requirements_bulk(every)
        counts.append(len(queries))
        assert len(results) == total
    assert counts[0] == counts[1] == 1
    for system in System.objects.filter(municipality=municipality)[:10]:
        assert codes(results[system.pk]) == codes(triggered_requirements(system))


def test_triggered_with_measures_in_two_queries_and_not_applicable_counts() -> None:
    load()
    municipality = MunicipalityFactory()
    systems = _systems(municipality, 10)
    first = systems[0]
    requirement = current_catalogue().requirements.get(code="C-1")  # type: ignore[union-attr]
    Measure.objects.create(
        municipality=municipality,
        system=first,
        requirement=requirement,
        title="Behörighetsrutin",
        status=MeasureStatus.NOT_APPLICABLE,
        not_applicable_reason="Inga användare",
    )
    with CaptureQueriesContext(connection) as queries:
        result = triggered_with_measures(systems)
    assert len(queries) == 2
    rows = {row.requirement.code: row for row in result[first.pk]}
    assert rows["C-1"].handled and rows["C-1"].not_applicable
    assert not rows["I-2"].handled
    assert not any(row.handled for row in result[systems[1].pk])


def test_a_measure_answers_the_same_code_in_a_newer_catalogue() -> None:
    load("1")
    system = SystemFactory(confidentiality=1, integrity=1, availability=1, traceability=1)
    old = RequirementCatalogue.objects.get(version="1").requirements.get(code="C-1")
    Measure.objects.create(
        municipality=system.municipality,
        system=system,
        requirement=old,
        title="Behörighetsrutin",
        status=MeasureStatus.IMPLEMENTED,
    )
    load("2")
    rows = {row.requirement.code: row for row in triggered_with_measures([system])[system.pk]}
    assert rows["C-1"].requirement.catalogue.version == "2"
    assert rows["C-1"].handled
