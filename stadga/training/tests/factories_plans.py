"""Helpers of the training plans', watch log's and attendance import's tests (P6.2, P6.4); the
factories themselves are the shared ones in stadga/testing/factories.py."""

from __future__ import annotations

from typing import Any

from stadga.organisation.models import Department, Municipality
from stadga.plans.models import PlansSettings
from stadga.testing.factories import (
    BoardFactory,
    CourseFactory,
    DepartmentFactory,
    TrainingPlanFactory,
    TrainingPlanLineFactory,
    WatchNoteFactory,
)

__all__ = [
    "CourseFactory",
    "TrainingPlanFactory",
    "TrainingPlanLineFactory",
    "WatchNoteFactory",
    "department",
    "name_central_office",
]


def department(municipality: Municipality, **kwargs: Any) -> Department:
    return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)


def name_central_office(municipality: Municipality, office: Department) -> PlansSettings:
    return PlansSettings.objects.create(municipality=municipality, central_office=office)
