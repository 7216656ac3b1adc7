"""Test data of courses, sessions and registrations (P6.2): saved directly, as the factories
do (they are not a write path)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stadga.organisation.models import Department, Municipality, Person
from stadga.testing.factories import (
    BoardFactory,
    CourseFactory,
    DepartmentFactory,
    PersonFactory,
    TrainingSessionFactory,
    UserFactory,
)
from stadga.training.models import Course, TrainingSession


def department(municipality: Municipality, **kwargs: Any) -> Department:
    return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)


def staff(dept: Department, **kwargs: Any) -> Person:
    return PersonFactory(municipality=dept.municipality, department=dept, **kwargs)


def session(
    municipality: Municipality,
    *,
    days: int = 7,
    course: Course | None = None,
    departments: list[Department] | None = None,
    **kwargs: Any,
) -> TrainingSession:
    """A session `days` from now (ahead by default)."""
    course = course or CourseFactory(municipality=municipality, validity_months=24)
    starts = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return TrainingSessionFactory(
        course=course, starts_at=starts, departments=departments or [], **kwargs
    )


def login_for(person: Person) -> Any:
    """Give `person` a login and return it."""
    user = UserFactory()
    person.user = user
    person.save(update_fields=["user"])
    return user
