"""The compliance rules of training (P6.1–P6.3): met, partly or not met, nothing to measure, the
narrowing to a board or department, and a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.plans.models import PlansSettings
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
)
from stadga.training.choices import CourseKind
from stadga.training.models import SystemUse
from stadga.training.rules import basic_training_for_shared_systems, required_training_covered

from .factories import (
    CompetenceRecordFactory,
    CourseFactory,
    RoleRequirementFactory,
    SystemUseFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_rules_are_registered_for_their_clauses() -> None:
    assert get_rule("training.required_training_covered").clauses == ("P6.1", "P6.2")
    assert get_rule("training.basic_training_for_shared_systems").clauses == ("P6.3",)


# --- P6.1, P6.2: required training covered -------------------------------------------------------


def employees(m: Any, n: int, **kwargs: Any) -> list[Any]:
    people = [PersonFactory(municipality=m, **kwargs) for _ in range(n)]
    for person in people:
        RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
    return people


def test_required_training_not_applicable_when_nothing_is_required() -> None:
    m = MunicipalityFactory()
    employees(m, 2)
    result = required_training_covered(RuleContext(municipality=m))
    assert result.status == Status.NOT_APPLICABLE
    assert (result.numerator, result.denominator) == (0, 0)


def test_required_training_met_partly_and_not_met() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m, name="Säkerhet")
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    first, second = employees(m, 2)
    ctx = RuleContext(municipality=m)

    assert required_training_covered(ctx).status == Status.NOT_MET

    CompetenceRecordFactory(course=course, person=first)
    expired = timezone.localdate() - datetime.timedelta(days=1)
    CompetenceRecordFactory(
        course=course,
        person=second,
        completed_on=expired - datetime.timedelta(days=300),
        valid_until=expired,
    )
    result = required_training_covered(ctx)
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator, result.offender_count) == (1, 2, 1)
    (offender,) = result.offenders
    assert offender.label == f"{second.name}: Säkerhet"
    assert expired.isoformat() in offender.reason
    assert "50 %" in result.summary

    # Recording attendance moves the figure (the done-means of issue 8).
    CompetenceRecordFactory(course=course, person=second)
    assert required_training_covered(ctx).status == Status.MET


def test_required_training_narrowed_to_a_department_and_a_board() -> None:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m)
    kept = DepartmentFactory(board=board)
    lacking = DepartmentFactory(board=BoardFactory(municipality=m))
    course = CourseFactory(municipality=m)
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    for person in employees(m, 2, department=kept):
        CompetenceRecordFactory(course=course, person=person)
    employees(m, 3, department=lacking)

    assert required_training_covered(RuleContext(municipality=m)).denominator == 5
    assert required_training_covered(RuleContext(municipality=m, department=kept)).status == (
        Status.MET
    )
    narrowed = required_training_covered(RuleContext(municipality=m, department=lacking))
    assert (narrowed.status, narrowed.denominator) == (Status.NOT_MET, 3)
    assert required_training_covered(RuleContext(municipality=m, board=board)).status == (
        Status.MET
    )


@pytest.mark.parametrize("people", [2, 12])
def test_required_training_runs_a_fixed_number_of_queries(
    people: int, django_assert_num_queries: Any
) -> None:
    m = MunicipalityFactory()
    RoleRequirementFactory(course__municipality=m, role=Role.EMPLOYEE)
    employees(m, people)
    with django_assert_num_queries(5):  # settings, requirements, holders, records, departments
        result = required_training_covered(RuleContext(municipality=m))
    assert result.denominator == people


# --- P6.3: basic training for cross-departmental systems ------------------------------------------


def shared_system(m: Any, users: int = 2) -> tuple[Any, list[Any]]:
    """A system used by people of `users` departments (one each)."""
    system = SystemFactory(municipality=m, name="Ekonomisystemet")
    people = []
    for _ in range(users):
        person = PersonFactory(municipality=m, department=DepartmentFactory(board__municipality=m))
        SystemUseFactory(system=system, person=person)
        people.append(person)
    return system, people


def basic_course(m: Any, system: Any, **kwargs: Any) -> Any:
    course = CourseFactory(municipality=m, kind=CourseKind.SYSTEM, basic_training=True, **kwargs)
    course.systems.add(system)
    return course


def test_p6_3_not_applicable_without_cross_departmental_systems() -> None:
    m = MunicipalityFactory()
    shared_system(m, users=1)  # one department only
    result = basic_training_for_shared_systems(RuleContext(municipality=m))
    assert result.status == Status.NOT_APPLICABLE


def test_p6_3_a_shared_system_without_a_basic_course_breaks_the_rule() -> None:
    m = MunicipalityFactory()
    system, _people = shared_system(m)
    result = basic_training_for_shared_systems(RuleContext(municipality=m))
    assert result.status == Status.NOT_MET
    (offender,) = result.offenders
    assert offender.label == str(system)
    assert "no central office is named" in result.summary


def test_p6_3_met_when_the_central_offices_course_trains_every_user() -> None:
    m = MunicipalityFactory()
    central = DepartmentFactory(board__municipality=m, name="Kommunledningskontoret")
    PlansSettings.objects.create(municipality=m, central_office=central)
    system, people = shared_system(m)
    elsewhere = basic_course(m, system, given_by=DepartmentFactory(board__municipality=m))
    ctx = RuleContext(municipality=m)

    result = basic_training_for_shared_systems(ctx)
    assert result.status == Status.NOT_MET  # a basic course, but not the central office's

    course = basic_course(m, system, given_by=central)
    CompetenceRecordFactory(course=course, person=people[0])
    CompetenceRecordFactory(course=elsewhere, person=people[1])  # not the central office's
    result = basic_training_for_shared_systems(ctx)
    assert result.status == Status.NOT_MET
    assert result.offenders[0].reason == "1 of 2 users lack the basic course"

    CompetenceRecordFactory(course=course, person=people[1])
    result = basic_training_for_shared_systems(ctx)
    assert (result.status, result.numerator, result.denominator) == (Status.MET, 1, 1)


def test_p6_3_a_system_a_basic_course_teaches_is_shared_even_with_one_department() -> None:
    m = MunicipalityFactory()
    system, people = shared_system(m, users=1)
    basic_course(m, system)
    result = basic_training_for_shared_systems(RuleContext(municipality=m))
    assert (result.status, result.denominator) == (Status.NOT_MET, 1)
    # An ended use is no user: nobody left untrained.
    SystemUse.objects.filter(person=people[0]).update(archived_at=timezone.now())
    assert basic_training_for_shared_systems(RuleContext(municipality=m)).status == Status.MET


@pytest.mark.parametrize("systems", [1, 6])
def test_p6_3_runs_a_fixed_number_of_queries(
    systems: int, django_assert_max_num_queries: Any
) -> None:
    m = MunicipalityFactory()
    for _ in range(systems):
        shared_system(m)
    with django_assert_max_num_queries(3):
        result = basic_training_for_shared_systems(RuleContext(municipality=m))
    assert result.denominator == systems
