"""The services of requirements and system users (P6): validated, logged with their actor,
archived rather than deleted."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    UserFactory,
)
from stadga.training.choices import RequirementScope
from stadga.training.models import SystemUse, TrainingRequirement
from stadga.training.services_requirements import (
    requirement_archive,
    requirement_create,
    requirement_restore,
    requirement_update,
    system_use_add,
    system_use_end,
    system_use_restore,
    system_use_since,
)

from .factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_requirement_is_created_changed_archived_and_restored_with_its_actor() -> None:
    m = MunicipalityFactory()
    actor = UserFactory()
    course = CourseFactory(municipality=m)
    requirement = requirement_create(
        municipality=m,
        data={"course": course, "scope": RequirementScope.ROLE, "role": Role.SYSTEM_OWNER},
        actor=actor,
    )
    assert LogEntry.objects.get_for_object(requirement).get().actor == actor
    _same, changed = requirement_update(requirement=requirement, data={"note": "P9.3"}, actor=actor)
    assert changed
    requirement_archive(requirement=requirement, actor=actor)
    assert TrainingRequirement.objects.get().is_archived
    requirement_restore(requirement=requirement, actor=actor)
    assert not TrainingRequirement.objects.get().is_archived


def test_a_requirement_must_name_what_its_scope_needs() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m)
    with pytest.raises(ValidationError) as caught:
        requirement_create(
            municipality=m,
            data={"course": course, "scope": RequirementScope.SYSTEM_USERS},
            actor=None,
        )
    assert "system" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        requirement_create(
            municipality=m,
            data={"course": CourseFactory(), "scope": RequirementScope.ROLE, "role": "employee"},
            actor=None,
        )
    assert "course" in caught.value.message_dict  # another municipality's course


def test_a_system_use_is_added_ended_and_restored() -> None:
    m = MunicipalityFactory()
    person, system = PersonFactory(municipality=m), SystemFactory(municipality=m)
    use = system_use_add(municipality=m, data={"person": person, "system": system}, actor=None)
    assert use.since == datetime.date.today()
    with pytest.raises(ValidationError):
        system_use_add(municipality=m, data={"person": person, "system": system}, actor=None)
    system_use_end(use=use, actor=None)
    assert SystemUse.objects.get().is_archived
    again = system_use_add(municipality=m, data={"person": person, "system": system}, actor=None)
    with pytest.raises(ValidationError):
        system_use_restore(use=use, actor=None)  # they are a user again already
    system_use_end(use=again, actor=None)
    system_use_restore(use=use, actor=None)
    assert SystemUse.objects.filter(archived_at__isnull=True).get() == use
    assert system_use_since(use=use, since=datetime.date(2025, 1, 1), actor=None).since == (
        datetime.date(2025, 1, 1)
    )


def test_a_system_use_cannot_cross_the_municipality_line() -> None:
    m = MunicipalityFactory()
    with pytest.raises(ValidationError) as caught:
        system_use_add(
            municipality=m,
            data={"person": PersonFactory(), "system": SystemFactory(municipality=m)},
            actor=None,
        )
    assert "person" in caught.value.message_dict
