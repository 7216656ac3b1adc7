"""The services of the departments' training plans (P6.2) and the watch log (P6.4): the link to the
board's IT plan, adoption and follow-up, lines until the plan is a record, one plan a year, and
a watch note's links within its municipality. Every write is logged with its actor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from stadga.organisation.choices import Role
from stadga.plans.tests.factories import ITPlanFactory, PlanItemFactory
from stadga.testing.factories import MunicipalityFactory, ProductFactory, SystemFactory, member
from stadga.training import services_plans as plans
from stadga.training import services_watch as watch
from stadga.training.choices import TrainingPlanStatus

from .factories_plans import CourseFactory, TrainingPlanFactory, TrainingPlanLineFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def m():
    return MunicipalityFactory()


@pytest.fixture
def actor(m):
    return member(m, Role.IT_COORDINATOR)


def test_plan_create_links_the_boards_it_plan_of_the_year(m, actor) -> None:
    dept = department(m)
    ITPlanFactory(municipality=m, board=dept.board, year=2025)
    it_plan = ITPlanFactory(municipality=m, board=dept.board, year=2026)
    plan = plans.plan_create(
        municipality=m,
        data={"department": dept, "year": 2026, "status": TrainingPlanStatus.ADOPTED},
        actor=actor,
    )
    assert plan.it_plan == it_plan
    assert plan.status == TrainingPlanStatus.DRAFT  # adopted only through plan_adopt
    assert LogEntry.objects.get_for_object(plan).get().actor == actor
    unlinked = plans.plan_create(
        municipality=m, data={"department": department(m), "year": 2026}, actor=actor
    )
    assert unlinked.it_plan is None


def test_plan_refuses_another_boards_it_plan_and_a_second_plan_a_year(m, actor) -> None:
    dept = department(m)
    with pytest.raises(ValidationError) as error:
        plans.plan_create(
            municipality=m,
            data={"department": dept, "year": 2026, "it_plan": ITPlanFactory(municipality=m)},
            actor=actor,
        )
    assert "it_plan" in error.value.message_dict
    plans.plan_create(municipality=m, data={"department": dept, "year": 2026}, actor=actor)
    with pytest.raises(ValidationError):
        plans.plan_create(municipality=m, data={"department": dept, "year": 2026}, actor=actor)


def test_adopt_and_follow_up(m, actor) -> None:
    plan = TrainingPlanFactory(municipality=m)
    with pytest.raises(ValidationError, match="planned training"):
        plans.plan_adopt(plan=plan, actor=actor)
    line = plans.line_create(
        plan=plan,
        data={"course": CourseFactory(municipality=m), "participants": 4, "cost": Decimal("800")},
        actor=actor,
    )
    with pytest.raises(ValidationError):
        plans.plan_follow_up(plan=plan, follow_up="Klart", actor=actor)  # not adopted yet
    plans.plan_adopt(plan=plan, actor=actor)
    assert plan.status == TrainingPlanStatus.ADOPTED
    with pytest.raises(ValidationError):
        plans.plan_adopt(plan=plan, actor=actor)
    with pytest.raises(ValidationError):
        plans.plan_follow_up(plan=plan, follow_up="  ", actor=actor)
    plans.plan_follow_up(plan=plan, follow_up="Alla gick kursen.", actor=actor)
    plan.refresh_from_db()
    assert plan.status == TrainingPlanStatus.FOLLOWED_UP and plan.follow_up == "Alla gick kursen."
    for write in (
        lambda: plans.plan_update(plan=plan, data={"summary": "x"}, actor=actor),
        lambda: plans.line_create(plan=plan, data={"description": "x"}, actor=actor),
        lambda: plans.line_update(line=line, data={"cost": Decimal("1")}, actor=actor),
        lambda: plans.line_archive(line=line, actor=actor),
    ):
        with pytest.raises(ValidationError, match="followed up"):
            write()
    # The line's creation, the adoption and the follow-up; the refused writes left nothing.
    assert LogEntry.objects.get_for_object(line).get().actor == actor
    assert LogEntry.objects.get_for_object(plan).filter(actor=actor).count() == 2
    assert LogEntry.objects.filter(actor=actor).count() == 3


def test_line_needs_a_course_or_a_description_and_its_own_municipality(m, actor) -> None:
    plan = TrainingPlanFactory(municipality=m)
    with pytest.raises(ValidationError) as error:
        plans.line_create(plan=plan, data={"participants": 2}, actor=actor)
    assert "description" in error.value.message_dict
    foreign = CourseFactory(municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as error:
        plans.line_create(plan=plan, data={"course": foreign}, actor=actor)
    assert "course" in error.value.message_dict


def test_restore_refuses_when_the_department_has_drawn_up_another(m, actor) -> None:
    plan = TrainingPlanFactory(municipality=m)
    plans.plan_archive(plan=plan, actor=actor)
    TrainingPlanFactory(municipality=m, department=plan.department, year=plan.year)
    with pytest.raises(ValidationError):
        plans.plan_restore(plan=plan, actor=actor)


def test_line_update_logs_only_a_change(m, actor) -> None:
    line = TrainingPlanLineFactory(plan=TrainingPlanFactory(municipality=m))
    _line, changed = plans.line_update(line=line, data={"cost": line.cost}, actor=actor)
    assert not changed
    _line, changed = plans.line_update(line=line, data={"shared_with_others": True}, actor=actor)
    assert changed
    update = LogEntry.objects.get_for_object(line).get(action=LogEntry.Action.UPDATE)
    assert update.actor == actor


def test_watch_note_links_stay_in_the_municipality(m, actor) -> None:
    product = ProductFactory(municipality=m)
    system = SystemFactory(municipality=m)
    item = PlanItemFactory(plan=ITPlanFactory(municipality=m))
    note = watch.watch_note_create(
        municipality=m,
        data={
            "title": "AI i ärendehantering",
            "products": [product],
            "systems": [system],
            "plan_items": [item],
        },
        actor=actor,
    )
    assert list(note.products.all()) == [product]
    assert list(note.plan_items.all()) == [item]
    other = MunicipalityFactory()
    for field, foreign in (
        ("products", ProductFactory(municipality=other)),
        ("systems", SystemFactory(municipality=other)),
        ("plan_items", PlanItemFactory(plan=ITPlanFactory(municipality=other))),
    ):
        with pytest.raises(ValidationError) as error:
            watch.watch_note_update(note=note, data={field: [foreign]}, actor=actor)
        assert field in error.value.message_dict
    assert list(note.systems.all()) == [system]
    watch.watch_note_archive(note=note, actor=actor)
    assert note.is_archived
