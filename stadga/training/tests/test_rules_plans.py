"""The rules of the departments' training plans (P6.2) and the IT department's competence plan and
watch log (P6.4): a met case and a broken case each, narrowing, and their query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule
from stadga.testing.factories import MunicipalityFactory
from stadga.training import rules_plans
from stadga.training.choices import TrainingPlanStatus
from stadga.training.models import TrainingSettings

from .factories_plans import (
    TrainingPlanFactory,
    TrainingPlanLineFactory,
    WatchNoteFactory,
    department,
    name_central_office,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ADOPTED = TrainingPlanStatus.ADOPTED


def adopted_plan_with_line(m: Any, dept: Any, **kwargs: Any) -> Any:
    plan = TrainingPlanFactory(municipality=m, department=dept, status=ADOPTED, **kwargs)
    TrainingPlanLineFactory(plan=plan)
    return plan


def test_rules_are_registered_for_their_clauses() -> None:
    assert get_rule("training.departments_have_training_plans").clauses == ("P6.2",)
    assert get_rule("training.it_department_watch_kept").clauses == ("P6.4",)


# --- P6.2 ------------------------------------------------------------------------------------


def test_p6_2_met_when_every_department_has_an_adopted_plan_with_training(
    django_assert_max_num_queries: Any,
) -> None:
    m = MunicipalityFactory()
    for _ in range(3):
        adopted_plan_with_line(m, department(m))
    followed = adopted_plan_with_line(m, department(m))
    followed.status = TrainingPlanStatus.FOLLOWED_UP
    followed.save()
    with django_assert_max_num_queries(2):
        result = rules_plans.departments_have_training_plans(RuleContext(municipality=m))
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (4, 4)


def test_p6_2_broken_lists_each_department_with_its_reason() -> None:
    m = MunicipalityFactory()
    year = timezone.localdate().year
    adopted_plan_with_line(m, department(m, name="A-förvaltningen"))
    department(m, name="B-förvaltningen")  # no plan
    draft = TrainingPlanFactory(municipality=m, department=department(m, name="C-förvaltningen"))
    TrainingPlanLineFactory(plan=draft)
    TrainingPlanFactory(
        municipality=m, department=department(m, name="D-förvaltningen"), status=ADOPTED
    )
    last_year = department(m, name="E-förvaltningen")
    adopted_plan_with_line(m, last_year, year=year - 1)  # last year's does not count
    archived = adopted_plan_with_line(m, department(m, name="F-förvaltningen"))
    archived.archived_at = timezone.now()
    archived.save()
    result = rules_plans.departments_have_training_plans(RuleContext(municipality=m))
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator) == (1, 6)
    reasons = {o.label: o.reason for o in result.offenders}
    assert reasons["B-förvaltningen"] == f"No training plan for {year}."
    assert reasons["C-förvaltningen"] == f"The training plan for {year} is not adopted."
    assert reasons["D-förvaltningen"] == f"The training plan for {year} plans no training."
    assert reasons["E-förvaltningen"] == f"No training plan for {year}."
    assert reasons["F-förvaltningen"] == f"No training plan for {year}."


def test_p6_2_narrowed_to_a_department_and_not_applicable_without_departments() -> None:
    m = MunicipalityFactory()
    kept = department(m)
    adopted_plan_with_line(m, kept)
    department(m)
    narrowed = rules_plans.departments_have_training_plans(
        RuleContext(municipality=m, department=kept)
    )
    assert narrowed.status == Status.MET
    assert narrowed.denominator == 1
    empty = rules_plans.departments_have_training_plans(
        RuleContext(municipality=MunicipalityFactory())
    )
    assert empty.status == Status.NOT_APPLICABLE


# --- P6.4 ------------------------------------------------------------------------------------


def test_p6_4_met_with_a_competence_plan_and_a_recent_note(
    django_assert_max_num_queries: Any,
) -> None:
    m = MunicipalityFactory()
    office = department(m)
    name_central_office(m, office)
    TrainingPlanFactory(municipality=m, department=office)  # a draft still is the plan
    WatchNoteFactory(municipality=m, noted_on=timezone.localdate() - datetime.timedelta(days=30))
    with django_assert_max_num_queries(5):
        result = rules_plans.it_department_watch_kept(RuleContext(municipality=m))
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (2, 2)
    assert not result.offenders


def test_p6_4_broken_without_a_plan_and_with_an_old_note() -> None:
    m = MunicipalityFactory()
    office = department(m)
    name_central_office(m, office)
    TrainingPlanFactory(municipality=m, year=timezone.localdate().year)  # another department's
    WatchNoteFactory(municipality=m, noted_on=timezone.localdate() - datetime.timedelta(days=200))
    result = rules_plans.it_department_watch_kept(RuleContext(municipality=m))
    assert result.status == Status.NOT_MET
    assert [o.label for o in result.offenders] == [
        "The IT department's competence plan",
        "The IT department's watch log",
    ]
    assert "last 6 months" in result.offenders[1].reason
    # A longer interval in the settings makes the old note recent enough.
    TrainingSettings.objects.create(municipality=m, watch_interval_months=12)
    again = rules_plans.it_department_watch_kept(RuleContext(municipality=m))
    assert again.status == Status.PARTLY_MET
    assert (again.numerator, again.denominator) == (1, 2)


def test_p6_4_without_a_central_office_says_so() -> None:
    m = MunicipalityFactory()
    WatchNoteFactory(municipality=m)
    result = rules_plans.it_department_watch_kept(RuleContext(municipality=m))
    assert result.status == Status.PARTLY_MET
    assert "Name the central office" in result.offenders[0].reason


def test_p6_4_not_applicable_to_another_department_or_board() -> None:
    m = MunicipalityFactory()
    office, other = department(m), department(m)
    name_central_office(m, office)
    for ctx in (
        RuleContext(municipality=m, department=other),
        RuleContext(municipality=m, board=other.board),
    ):
        assert rules_plans.it_department_watch_kept(ctx).status == Status.NOT_APPLICABLE
    own = rules_plans.it_department_watch_kept(RuleContext(municipality=m, board=office.board))
    assert own.status == Status.NOT_MET
