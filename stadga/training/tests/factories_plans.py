"""Test data of the training plans, the watch log and the attendance import (P6.2, P6.4): saved
directly, as the factories do (they are not a write path). Minimal on purpose: the shared
training factories live in stadga/testing/factories.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from stadga.organisation.models import Department, Municipality
from stadga.plans.models import PlansSettings
from stadga.testing.factories import BoardFactory, DepartmentFactory, MunicipalityFactory
from stadga.training.choices import CourseKind
from stadga.training.models import Course, TrainingPlan, TrainingPlanLine, WatchNote


def department(municipality: Municipality, **kwargs: Any) -> Department:
    return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kurs {n}")
    kind = CourseKind.GENERAL


class TrainingPlanFactory(factory.django.DjangoModelFactory[TrainingPlan]):
    class Meta:
        model = TrainingPlan

    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.LazyAttribute(lambda o: department(o.municipality))
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class TrainingPlanLineFactory(factory.django.DjangoModelFactory[TrainingPlanLine]):
    class Meta:
        model = TrainingPlanLine

    plan = factory.SubFactory(TrainingPlanFactory)
    municipality = factory.SelfAttribute("plan.municipality")
    description = factory.Sequence(lambda n: f"Utbildning {n}")
    participants = 5
    cost = Decimal("1000")


class WatchNoteFactory(factory.django.DjangoModelFactory[WatchNote]):
    class Meta:
        model = WatchNote

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Omvärldsnotering {n}")
    noted_on = factory.LazyFunction(timezone.localdate)


def name_central_office(municipality: Municipality, office: Department) -> PlansSettings:
    return PlansSettings.objects.create(municipality=municipality, central_office=office)
