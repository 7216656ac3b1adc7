"""The training reminders (P6.1–P6.3): a competence about to run out, a system user without its
required course after the grace period, a session with free places for a department whose staff
lack its course — who is told, once, in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.notifications.reminders import all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Person
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
)
from stadga.training.choices import RegistrationStatus
from stadga.training.models import TrainingSettings
from stadga.training.reminders import competence_expiring, free_places, new_user_without_course

from .factories import (
    CompetenceRecordFactory,
    CourseFactory,
    RegistrationFactory,
    RoleRequirementFactory,
    SystemRequirementFactory,
    SystemUseFactory,
    TrainingSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TRAINING_SOURCES = (
    "training.competence_expiring",
    "training.new_user_without_course",
    "training.free_places",
)


def today() -> datetime.date:
    return timezone.localdate()


def head_of(department: Department) -> Person:
    head = PersonFactory(municipality=department.municipality, department=department)
    RoleAssignmentFactory(person=head, role=Role.DEPARTMENT_HEAD, department=department)
    return head


def training_notifications(m: Any) -> list[Notification]:
    return list(Notification.objects.filter(municipality=m, key__startswith="training-"))


def test_the_sources_are_registered() -> None:
    sources = all_reminder_sources()
    assert all(source_id in sources for source_id in TRAINING_SOURCES)


# --- a competence about to run out ---------------------------------------------------------------


def expiring_setup(m: Any, *, runs_out_in: int) -> tuple[Any, Any, Any]:
    department = DepartmentFactory(board__municipality=m)
    head = head_of(department)
    course = CourseFactory(municipality=m, name="Säkerhet")
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    person = PersonFactory(municipality=m, department=department, name="Eva")
    RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
    CompetenceRecordFactory(
        course=course,
        person=person,
        completed_on=today() - datetime.timedelta(days=300),
        valid_until=today() + datetime.timedelta(days=runs_out_in),
    )
    return person, head, course


def test_an_expiring_competence_reminds_the_person_and_their_head() -> None:
    m = MunicipalityFactory()
    person, head, course = expiring_setup(m, runs_out_in=20)
    reminders = list(competence_expiring(m, today()))
    assert {r.recipient.pk for r in reminders} == {person.pk, head.pk}
    until = (today() + datetime.timedelta(days=20)).isoformat()
    assert {r.key for r in reminders} == {f"training-expiring:{person.pk}:{course.pk}:{until}"}
    own = next(r for r in reminders if r.recipient.pk == person.pk)
    assert own.subject == f"Your Säkerhet runs out {until}"
    assert own.due_date == today() + datetime.timedelta(days=20)


def test_a_competence_valid_beyond_the_notice_period_is_not_reminded() -> None:
    m = MunicipalityFactory()
    TrainingSettings.objects.create(municipality=m, expiry_notice_days=10)
    expiring_setup(m, runs_out_in=20)
    assert list(competence_expiring(m, today())) == []


# --- a system user without the required course -------------------------------------------------


def new_user_setup(m: Any, *, since_days: int) -> tuple[Any, Any, Any]:
    department = DepartmentFactory(board__municipality=m)
    head = head_of(department)
    requirement = SystemRequirementFactory(
        course__municipality=m, course__name="Ekonomi grund", system__name="Ekonomi"
    )
    person = PersonFactory(municipality=m, department=department, name="Nils")
    SystemUseFactory(
        system=requirement.system,
        person=person,
        since=today() - datetime.timedelta(days=since_days),
    )
    return person, head, requirement


def test_a_user_without_the_course_after_the_grace_period_reminds_the_head() -> None:
    m = MunicipalityFactory()
    person, head, requirement = new_user_setup(m, since_days=91)
    (reminder,) = new_user_without_course(m, today())
    assert reminder.recipient.pk == head.pk
    assert reminder.subject == "Nils uses Ekonomi without Ekonomi grund"
    since = (today() - datetime.timedelta(days=91)).isoformat()
    assert reminder.key == f"training-new-user:{person.pk}:{requirement.course.pk}:{since}"


def test_a_new_user_within_the_grace_period_or_trained_is_not_reminded() -> None:
    m = MunicipalityFactory()
    person, _head, requirement = new_user_setup(m, since_days=30)
    assert list(new_user_without_course(m, today())) == []
    TrainingSettings.objects.create(municipality=m, new_user_grace_days=10)
    assert len(list(new_user_without_course(m, today()))) == 1
    CompetenceRecordFactory(course=requirement.course, person=person)
    assert list(new_user_without_course(m, today())) == []


# --- a session with free places ----------------------------------------------------------------


def free_places_setup(m: Any) -> dict[str, Any]:
    lacking = DepartmentFactory(board__municipality=m)
    trained = DepartmentFactory(board__municipality=m)
    heads = {"lacking": head_of(lacking), "trained": head_of(trained)}
    course = CourseFactory(municipality=m, name="Ekonomi fortsättning")
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    for department, has_it in ((lacking, False), (trained, True)):
        person = PersonFactory(municipality=m, department=department)
        RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
        if has_it:
            CompetenceRecordFactory(course=course, person=person)
    session = TrainingSessionFactory(course=course, capacity=2)
    session.departments.set([lacking, trained])
    return {"session": session, "heads": heads, "lacking": lacking, "course": course}


def test_free_places_remind_the_head_of_a_department_that_lacks_the_course() -> None:
    m = MunicipalityFactory()
    data = free_places_setup(m)
    (reminder,) = free_places(m, today())
    assert reminder.recipient.pk == data["heads"]["lacking"].pk
    assert reminder.key == f"training-free-places:{data['session'].pk}:{data['lacking'].pk}"
    assert "2 places are free" in reminder.body


def test_no_reminder_for_a_full_session_another_departments_or_the_booked() -> None:
    m = MunicipalityFactory()
    data = free_places_setup(m)
    session = data["session"]
    # Only for the trained department: nobody there lacks it.
    session.departments.set([DepartmentFactory(board__municipality=m)])
    assert list(free_places(m, today())) == []
    session.departments.set([])  # open to every department
    assert len(list(free_places(m, today()))) == 1
    # The one who lacks it is booked: on their way.
    lacking_person = Person.objects.get(department=data["lacking"], roles__role=Role.EMPLOYEE)
    RegistrationFactory(session=session, person=lacking_person)
    assert list(free_places(m, today())) == []


def test_a_full_session_is_not_offered() -> None:
    m = MunicipalityFactory()
    data = free_places_setup(m)
    for _ in range(2):
        RegistrationFactory(session=data["session"], status=RegistrationStatus.REGISTERED)
    assert list(free_places(m, today())) == []


def test_a_past_or_cancelled_session_is_not_offered() -> None:
    m = MunicipalityFactory()
    data = free_places_setup(m)
    session = data["session"]
    session.cancelled_at = timezone.now()
    session.save()
    assert list(free_places(m, today())) == []


# --- the daily job -----------------------------------------------------------------------------


def test_the_daily_job_sends_each_training_reminder_once() -> None:
    m = MunicipalityFactory()
    expiring_setup(m, runs_out_in=5)  # 2 recipients
    new_user_setup(m, since_days=200)  # 1
    free_places_setup(m)  # 1
    notifications_send(municipality=m)
    sent = training_notifications(m)
    assert len(sent) == 4
    notifications_send(municipality=m)
    assert len(training_notifications(m)) == 4


@pytest.mark.parametrize("people", [1, 8])
def test_the_sources_run_a_fixed_number_of_queries(
    people: int, django_assert_max_num_queries: Any
) -> None:
    m = MunicipalityFactory()
    department = DepartmentFactory(board__municipality=m)
    head_of(department)
    requirement = SystemRequirementFactory(course__municipality=m)
    for _ in range(people):
        person = PersonFactory(municipality=m, department=department)
        SystemUseFactory(system=requirement.system, person=person)
        CompetenceRecordFactory(
            course=requirement.course,
            person=person,
            valid_until=today() + datetime.timedelta(days=3),
        )
    TrainingSessionFactory(course=requirement.course).departments.set([department])
    with django_assert_max_num_queries(8):
        assert len(list(competence_expiring(m, today()))) == people * 2
    with django_assert_max_num_queries(9):
        list(new_user_without_course(m, today()))
    with django_assert_max_num_queries(12):
        assert len(list(free_places(m, today()))) == 1
