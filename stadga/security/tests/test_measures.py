"""The services of protective measures and their follow-ups (P9.5, P9.4): intervals set by the
level, scheduling in calendar months, validation, one transaction, the change log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from stadga.core.dates import add_months
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.security.choices import Effect, MeasureStatus, RequirementCategory
from stadga.security.models import (
    DEFAULT_FOLLOW_UP_MONTHS,
    FollowUp,
    Measure,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
)
from stadga.security.services_measures import (
    follow_up_record,
    measure_archive,
    measure_create,
    measure_restore,
    measure_update,
)
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member

# --- test data shared by the measure tests -------------------------------------------------------


def catalogue(key: str = "baskrav", version: str = "1") -> RequirementCatalogue:
    found, _created = RequirementCatalogue.objects.get_or_create(
        key=key, version=version, defaults={"title": "Baskrav"}
    )
    return found


def requirement(
    code: str = "TK-1", aspect: str = "availability", level: int = 2, **kwargs: Any
) -> Requirement:
    cat = kwargs.pop("catalogue", None) or catalogue()
    return Requirement.objects.create(
        catalogue=cat,
        code=code,
        order=Requirement.objects.filter(catalogue=cat).count() + 1,
        category=kwargs.pop("category", RequirementCategory.BACKUP),
        aspect=aspect,
        level=level,
        text=kwargs.pop("text", f"Krav {code}: återläsning testas minst en gång om året."),
        **kwargs,
    )


def make_measure(
    municipality: Municipality, system: System | None = None, **kwargs: Any
) -> Measure:
    """A measure saved directly (test data, not the write path under test)."""
    values: dict[str, Any] = {
        "title": "Säkerhetskopiering",
        "status": MeasureStatus.IMPLEMENTED,
        "next_follow_up": timezone.localdate() + datetime.timedelta(days=90),
        **kwargs,
    }
    return Measure.objects.create(municipality=municipality, system=system, **values)


def person_of(user: Any, municipality: Municipality) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


# --- month arithmetic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),  # leap year
        (datetime.date(2025, 8, 31), 1, datetime.date(2025, 9, 30)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 3, 15), 12, datetime.date(2026, 3, 15)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    ],
)
def test_add_months_is_calendar_months(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert add_months(day, months) == expected


# --- creating and changing measures --------------------------------------------------------------


@pytest.mark.django_db
class TestMeasureCreate:
    def test_first_follow_up_is_one_interval_from_today_and_logged(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        system = SystemFactory(municipality=m)
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "title": "Behörighetsstyrning",
                "status": MeasureStatus.IMPLEMENTED,
                "follow_up_months": 6,
            },
            actor=user,
        )
        assert measure.next_follow_up == add_months(timezone.localdate(), 6)
        entry = LogEntry.objects.get_for_object(measure).get()
        assert entry.actor == user

    def test_interval_defaults_from_the_systems_level_of_the_requirements_aspect(self) -> None:
        """P9.5: the follow-up interval is set by the level, from the municipality's defaults."""
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, availability=3, confidentiality=1)
        restore_tests = requirement("TK-1", aspect="availability", level=2)
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "requirement": restore_tests,
                "title": "Återläsningstest",
                "status": MeasureStatus.IMPLEMENTED,
                "follow_up_months": None,
            },
            actor=None,
        )
        assert measure.follow_up_months == DEFAULT_FOLLOW_UP_MONTHS[3]
        assert measure.next_follow_up == add_months(timezone.localdate(), 6)

    def test_interval_follows_the_municipalitys_settings(self) -> None:
        m = MunicipalityFactory()
        SecuritySettings.objects.create(municipality=m, follow_up_months={"3": 4, "4": 2})
        system = SystemFactory(municipality=m, confidentiality=4)
        access_rule = requirement("BS-1", aspect="confidentiality", level=3)
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "requirement": access_rule,
                "title": "Tvåfaktorsinloggning",
                "status": MeasureStatus.IMPLEMENTED,
            },
            actor=None,
        )
        assert measure.follow_up_months == 2

    def test_unclassified_system_uses_the_level_the_requirement_applies_from(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, integrity=None)
        log_rule = requirement("LO-1", aspect="integrity", level=2)
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "requirement": log_rule,
                "title": "Loggning",
                "status": "implemented",
            },
            actor=None,
        )
        assert measure.follow_up_months == DEFAULT_FOLLOW_UP_MONTHS[2]

    def test_measure_by_hand_uses_the_systems_highest_level(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, confidentiality=1, integrity=4, availability=2)
        measure = measure_create(
            municipality=m,
            data={"system": system, "title": "Granskning", "status": "implemented"},
            actor=None,
        )
        assert measure.follow_up_months == DEFAULT_FOLLOW_UP_MONTHS[4]

    def test_given_interval_wins(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, availability=4)
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "requirement": requirement(aspect="availability", level=1),
                "title": "Reservkraft",
                "status": "implemented",
                "follow_up_months": 18,
            },
            actor=None,
        )
        assert measure.follow_up_months == 18

    def test_platform_measure_has_no_system(self) -> None:
        """P9.4: the platform's and data communication's measures belong to no system."""
        m = MunicipalityFactory()
        measure = measure_create(
            municipality=m,
            data={"system": None, "title": "Brandvägg mot internet", "status": "implemented"},
            actor=None,
        )
        assert measure.is_platform
        assert measure.follow_up_months == 12
        assert measure.next_follow_up == add_months(timezone.localdate(), 12)

    def test_a_measure_that_does_not_apply_has_no_follow_up_and_says_why(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        with pytest.raises(ValidationError) as error:
            measure_create(
                municipality=m,
                data={"system": system, "title": "Kryptering", "status": "not_applicable"},
                actor=None,
            )
        assert "not_applicable_reason" in error.value.message_dict
        measure = measure_create(
            municipality=m,
            data={
                "system": system,
                "title": "Kryptering",
                "status": "not_applicable",
                "not_applicable_reason": "Systemet lagrar inga uppgifter.",
            },
            actor=None,
        )
        assert measure.next_follow_up is None

    def test_planned_needs_a_date_and_nothing_is_written(self) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        before = LogEntry.objects.count()
        with pytest.raises(ValidationError) as error:
            measure_create(
                municipality=m,
                data={"system": system, "title": "Kryptering", "status": "planned"},
                actor=None,
            )
        assert "planned_for" in error.value.message_dict
        assert not Measure.objects.exists()
        assert LogEntry.objects.count() == before

    def test_another_municipalitys_system_is_refused(self) -> None:
        m = MunicipalityFactory()
        foreign = SystemFactory()
        with pytest.raises(ValidationError) as error:
            measure_create(
                municipality=m,
                data={"system": foreign, "title": "X", "status": "implemented"},
                actor=None,
            )
        assert "system" in error.value.message_dict


@pytest.mark.django_db
class TestMeasureUpdate:
    def test_new_interval_reschedules_from_the_last_follow_up(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        measure = make_measure(m, SystemFactory(municipality=m), follow_up_months=12)
        done = timezone.localdate() - datetime.timedelta(days=10)
        follow_up_record(
            measure=measure,
            data={"performed_on": done, "checked": "Loggar", "effect": Effect.EFFECTIVE},
            actor=user,
        )
        measure.refresh_from_db()
        measure, changed = measure_update(measure=measure, data={"follow_up_months": 3}, actor=user)
        assert changed
        measure.refresh_from_db()
        assert measure.next_follow_up == add_months(done, 3)

    def test_unchanged_data_writes_nothing(self) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m), follow_up_months=12)
        before = LogEntry.objects.count()
        _measure, changed = measure_update(
            measure=measure, data={"title": measure.title, "follow_up_months": 12}, actor=None
        )
        assert not changed
        assert LogEntry.objects.count() == before

    def test_not_applicable_and_back(self) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m), follow_up_months=6)
        measure_update(
            measure=measure,
            data={"status": "not_applicable", "not_applicable_reason": "Ej aktuellt"},
            actor=None,
        )
        measure.refresh_from_db()
        assert measure.next_follow_up is None
        measure_update(measure=measure, data={"status": "implemented"}, actor=None)
        measure.refresh_from_db()
        assert measure.next_follow_up == add_months(timezone.localdate(), 6)

    def test_archive_and_restore_keep_the_measure(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        measure = make_measure(m, SystemFactory(municipality=m))
        measure_archive(measure=measure, actor=user)
        assert Measure.objects.get(pk=measure.pk).is_archived
        measure_restore(measure=measure, actor=user)
        assert not Measure.objects.get(pk=measure.pk).is_archived


# --- follow-ups ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFollowUpRecord:
    def test_schedules_the_next_in_calendar_months_31_january(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        measure = make_measure(m, SystemFactory(municipality=m), follow_up_months=1)
        follow_up = follow_up_record(
            measure=measure,
            data={
                "performed_on": datetime.date(2025, 1, 31),
                "checked": "Återläsning av en fil",
                "effect": Effect.EFFECTIVE,
            },
            actor=user,
        )
        measure.refresh_from_db()
        assert measure.next_follow_up == datetime.date(2025, 2, 28)
        assert follow_up.performed_by == person_of(user, m)  # the actor's person by default
        assert LogEntry.objects.get_for_object(follow_up).get().actor == user
        update = LogEntry.objects.get_for_object(measure).filter(action=LogEntry.Action.UPDATE)
        assert update.get().actor == user

    def test_a_follow_up_for_an_earlier_date_does_not_pull_the_schedule_back(self) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m), follow_up_months=6)
        someone = member(m, Role.IT_COORDINATOR)
        follow_up_record(
            measure=measure,
            data={"performed_on": datetime.date(2025, 6, 1), "checked": "A", "effect": "effective"},
            actor=someone,
        )
        follow_up_record(
            measure=measure,
            data={"performed_on": datetime.date(2025, 3, 1), "checked": "B", "effect": "effective"},
            actor=someone,
        )
        measure.refresh_from_db()
        assert measure.next_follow_up == datetime.date(2025, 12, 1)

    def test_performed_by_may_be_someone_else(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        technician = person_of(member(m, Role.IT_TECHNICIAN), m)
        measure = make_measure(m, SystemFactory(municipality=m))
        follow_up = follow_up_record(
            measure=measure,
            data={
                "performed_on": timezone.localdate(),
                "checked": "Brandväggsregler",
                "effect": "effective",
                "performed_by": technician,
            },
            actor=user,
        )
        assert follow_up.performed_by == technician

    @pytest.mark.parametrize("effect", [Effect.NOT_EFFECTIVE, Effect.PARTLY_EFFECTIVE])
    def test_an_effect_that_falls_short_needs_an_action(self, effect: str) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        due = timezone.localdate() + datetime.timedelta(days=30)
        measure = make_measure(m, SystemFactory(municipality=m), next_follow_up=due)
        before = LogEntry.objects.count()
        with pytest.raises(ValidationError) as error:
            follow_up_record(
                measure=measure,
                data={"performed_on": timezone.localdate(), "checked": "Test", "effect": effect},
                actor=user,
            )
        assert "action" in error.value.message_dict
        assert not FollowUp.objects.exists()
        measure.refresh_from_db()
        assert measure.next_follow_up == due  # nothing half-written
        assert LogEntry.objects.count() == before
        follow_up_record(
            measure=measure,
            data={
                "performed_on": timezone.localdate(),
                "checked": "Test",
                "effect": effect,
                "action": "Byt leverantör av säkerhetskopiering.",
            },
            actor=user,
        )
        assert FollowUp.objects.count() == 1

    def test_who_performed_it_must_be_known(self) -> None:
        """An operator with no person in the municipality names who did it."""
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m))
        with pytest.raises(ValidationError) as error:
            follow_up_record(
                measure=measure,
                data={"performed_on": timezone.localdate(), "checked": "X", "effect": "effective"},
                actor=None,
            )
        assert "performed_by" in error.value.message_dict

    def test_not_in_the_future_and_not_for_an_archived_measure(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        measure = make_measure(m, SystemFactory(municipality=m))
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError):
            follow_up_record(
                measure=measure,
                data={"performed_on": tomorrow, "checked": "X", "effect": "effective"},
                actor=user,
            )
        measure_archive(measure=measure, actor=user)
        with pytest.raises(ValidationError):
            follow_up_record(
                measure=measure,
                data={"performed_on": timezone.localdate(), "checked": "X", "effect": "effective"},
                actor=user,
            )
        assert not FollowUp.objects.exists()

    def test_a_person_of_another_municipality_is_refused(self) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        other = MunicipalityFactory()
        stranger = person_of(member(other, Role.IT_COORDINATOR), other)
        measure = make_measure(m, SystemFactory(municipality=m))
        with pytest.raises(ValidationError) as error:
            follow_up_record(
                measure=measure,
                data={
                    "performed_on": timezone.localdate(),
                    "checked": "X",
                    "effect": "effective",
                    "performed_by": stranger,
                },
                actor=user,
            )
        assert "performed_by" in error.value.message_dict
