"""The training factories (`stadga.testing.factories`) with the defaults the requirement,
coverage, rule and reminder tests build on: a completion last month that does not expire unless
told, and a system user of a year's standing (past any grace period)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from stadga.testing.factories import (
    CompetenceRecordFactory as _CompetenceRecordFactory,
)
from stadga.testing.factories import (
    CourseFactory,
    RegistrationFactory,
    SystemFactory,
    TrainingRequirementFactory,
    TrainingSessionFactory,
)
from stadga.testing.factories import (
    SystemUseFactory as _SystemUseFactory,
)
from stadga.training.choices import CourseKind, RequirementScope

__all__ = [
    "CompetenceRecordFactory",
    "CourseFactory",
    "RegistrationFactory",
    "RoleRequirementFactory",
    "SystemRequirementFactory",
    "SystemUseFactory",
    "TrainingSessionFactory",
]


class CompetenceRecordFactory(_CompetenceRecordFactory):
    """A completion last month; `valid_until` is as given (None: does not expire)."""

    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = None


class SystemUseFactory(_SystemUseFactory):
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


# A requirement on a role: system owners by default.
RoleRequirementFactory = TrainingRequirementFactory


class SystemRequirementFactory(TrainingRequirementFactory):
    course = factory.SubFactory(CourseFactory, kind=CourseKind.SYSTEM)
    scope = RequirementScope.SYSTEM_USERS
    role = ""
    system = factory.SubFactory(
        SystemFactory, municipality=factory.SelfAttribute("..course.municipality")
    )
