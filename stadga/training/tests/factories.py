"""Minimal factories of training data for the requirement, coverage, rule and reminder tests.
They save directly: they build test data, they are not a write path of the product."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from stadga.testing.factories import MunicipalityFactory, PersonFactory, SystemFactory
from stadga.training.choices import CourseKind, RequirementScope
from stadga.training.models import (
    CompetenceRecord,
    Course,
    Registration,
    SystemUse,
    TrainingRequirement,
    TrainingSession,
)


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kurs {n}")
    kind = CourseKind.GENERAL


class TrainingSessionFactory(factory.django.DjangoModelFactory[TrainingSession]):
    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    capacity = 10
    place = "Kommunhuset"


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    session = factory.SubFactory(TrainingSessionFactory)
    municipality = factory.SelfAttribute("session.municipality")
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..session.municipality")
    )


class CompetenceRecordFactory(factory.django.DjangoModelFactory[CompetenceRecord]):
    """A completion last month; `valid_until` is as given (None: does not expire)."""

    class Meta:
        model = CompetenceRecord

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..course.municipality")
    )
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = None


class SystemUseFactory(factory.django.DjangoModelFactory[SystemUse]):
    class Meta:
        model = SystemUse

    system = factory.SubFactory(SystemFactory)
    municipality = factory.SelfAttribute("system.municipality")
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..system.municipality")
    )
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class RoleRequirementFactory(factory.django.DjangoModelFactory[TrainingRequirement]):
    class Meta:
        model = TrainingRequirement

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    scope = RequirementScope.ROLE
    role = "system_owner"


class SystemRequirementFactory(factory.django.DjangoModelFactory[TrainingRequirement]):
    class Meta:
        model = TrainingRequirement

    course = factory.SubFactory(CourseFactory, kind=CourseKind.SYSTEM)
    municipality = factory.SelfAttribute("course.municipality")
    scope = RequirementScope.SYSTEM_USERS
    role = ""
    system = factory.SubFactory(
        SystemFactory, municipality=factory.SelfAttribute("..course.municipality")
    )
