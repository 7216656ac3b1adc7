"""Requirement resolution and coverage (P6.1–P6.3): who must have which course through a role or
a system they use, whether a valid record meets it on a day, the figures per department and per
system — and that it is resolved in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Department
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
)
from stadga.training.coverage import CoverageStatus, resolve
from stadga.training.models import TrainingSettings

from .factories import (
    CompetenceRecordFactory,
    CourseFactory,
    RoleRequirementFactory,
    SystemRequirementFactory,
    SystemUseFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def department(m: Any, **kwargs: Any) -> Department:
    return DepartmentFactory(board=BoardFactory(municipality=m), **kwargs)


def pairs(coverage: Any) -> dict[tuple[str, str], str]:
    return {(ln.person.name, ln.course.name): ln.status for ln in coverage.lines}


# --- resolution --------------------------------------------------------------------------------


def test_a_role_requirement_applies_to_the_roles_holders_in_force() -> None:
    m = MunicipalityFactory()
    security = CourseFactory(municipality=m, name="Säkerhet")
    RoleRequirementFactory(course=security, role=Role.IT_TECHNICIAN)
    holder = PersonFactory(municipality=m, name="Hanna")
    RoleAssignmentFactory(person=holder, role=Role.IT_TECHNICIAN)
    ended = PersonFactory(municipality=m, name="Ended")
    RoleAssignmentFactory(person=ended, role=Role.IT_TECHNICIAN, archived_at=timezone.now())
    gone = PersonFactory(municipality=m, name="Gone", archived_at=timezone.now())
    RoleAssignmentFactory(person=gone, role=Role.IT_TECHNICIAN)
    RoleAssignmentFactory(person=PersonFactory(municipality=m), role=Role.AUDITOR)

    assert pairs(resolve(m, day=TODAY)) == {("Hanna", "Säkerhet"): CoverageStatus.MISSING}


def test_a_department_restricted_role_requirement_applies_only_there() -> None:
    m = MunicipalityFactory()
    school, social = department(m), department(m)
    course = CourseFactory(municipality=m, name="Ledarskap IT")
    RoleRequirementFactory(course=course, role=Role.DEPARTMENT_HEAD, department=school)
    head_school = PersonFactory(municipality=m, name="Skolchef", department=school)
    RoleAssignmentFactory(person=head_school, role=Role.DEPARTMENT_HEAD, department=school)
    head_social = PersonFactory(municipality=m, name="Socialchef", department=social)
    RoleAssignmentFactory(person=head_social, role=Role.DEPARTMENT_HEAD, department=social)
    # Heads the school though belonging elsewhere on paper: held over the department counts.
    acting = PersonFactory(municipality=m, name="Tillförordnad", department=social)
    RoleAssignmentFactory(person=acting, role=Role.DEPARTMENT_HEAD, department=school)

    assert set(pairs(resolve(m, day=TODAY))) == {
        ("Skolchef", "Ledarskap IT"),
        ("Tillförordnad", "Ledarskap IT"),
    }


def test_the_system_owner_requirement_applies_to_owners_named_in_the_register() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m, name="Säkerhet för systemägare")
    RoleRequirementFactory(course=course, role=Role.SYSTEM_OWNER)
    owner = PersonFactory(municipality=m, name="Ägare")
    system = SystemFactory(municipality=m, system_owner=owner)
    SystemFactory(municipality=m, system_owner=owner)  # owns two: one pair
    SystemFactory(municipality=m, name="Gammalt", lifecycle_phase="retired")
    by_role = PersonFactory(municipality=m, name="Utsedd")
    RoleAssignmentFactory(person=by_role, role=Role.SYSTEM_OWNER, system=system)

    coverage = resolve(m, day=TODAY)
    names = sorted(p for p, _c in pairs(coverage))
    assert names == ["Utsedd", "Ägare"]


def test_system_users_must_have_the_systems_course_and_ended_uses_do_not_count() -> None:
    m = MunicipalityFactory()
    requirement = SystemRequirementFactory(course__municipality=m, course__name="Ekonomi grund")
    system = requirement.system
    SystemUseFactory(system=system, person__name="Användare")
    SystemUseFactory(system=system, person__name="Slutat", archived_at=timezone.now())
    SystemUseFactory(system=SystemFactory(municipality=m), person__name="Annat system")

    coverage = resolve(m, day=TODAY)
    assert pairs(coverage) == {("Användare", "Ekonomi grund"): CoverageStatus.MISSING}
    (line,) = coverage.lines
    assert line.systems == [system]
    assert line.user_since is not None


def test_archived_requirements_courses_and_systems_count_for_nothing() -> None:
    m = MunicipalityFactory()
    holder = PersonFactory(municipality=m)
    RoleAssignmentFactory(person=holder, role=Role.IT_COORDINATOR)
    RoleRequirementFactory(
        course__municipality=m, role=Role.IT_COORDINATOR, archived_at=timezone.now()
    )
    RoleRequirementFactory(
        course=CourseFactory(municipality=m, archived_at=timezone.now()), role=Role.IT_COORDINATOR
    )
    retired = SystemRequirementFactory(course__municipality=m, system__archived_at=timezone.now())
    SystemUseFactory(system=retired.system)

    assert resolve(m, day=TODAY).lines == []


def test_one_course_required_twice_is_one_pair() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m)
    person = PersonFactory(municipality=m)
    RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
    by_role = RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    by_system = SystemRequirementFactory(course=course, system__municipality=m)
    SystemUseFactory(system=by_system.system, person=person)

    (line,) = resolve(m, day=TODAY).lines
    assert line.requirements == [by_role, by_system]


def test_status_met_expiring_expired_missing_and_archived_records_ignored() -> None:
    m = MunicipalityFactory()
    TrainingSettings.objects.create(municipality=m, expiry_notice_days=30)
    course = CourseFactory(municipality=m, name="Kurs")
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    people = {}
    for name in ("met", "forever", "expiring", "expired", "missing", "archived", "future"):
        people[name] = PersonFactory(municipality=m, name=name)
        RoleAssignmentFactory(person=people[name], role=Role.EMPLOYEE)

    def record(name: str, **kwargs: Any) -> None:
        CompetenceRecordFactory(course=course, person=people[name], **kwargs)

    record("met", completed_on=days(-10), valid_until=days(300))
    record("met", completed_on=days(-400), valid_until=days(-35))  # an older one ran out
    record("forever", completed_on=days(-1000), valid_until=None)
    record("expiring", completed_on=days(-300), valid_until=days(30))
    record("expired", completed_on=days(-400), valid_until=days(-1))
    record("archived", completed_on=days(-10), archived_at=timezone.now())
    record("future", completed_on=days(1))  # recorded ahead of the day: not yet

    coverage = resolve(m, day=TODAY)
    assert pairs(coverage) == {
        ("met", "Kurs"): CoverageStatus.MET,
        ("forever", "Kurs"): CoverageStatus.MET,
        ("expiring", "Kurs"): CoverageStatus.EXPIRING,
        ("expired", "Kurs"): CoverageStatus.EXPIRED,
        ("missing", "Kurs"): CoverageStatus.MISSING,
        ("archived", "Kurs"): CoverageStatus.MISSING,
        ("future", "Kurs"): CoverageStatus.MISSING,
    }
    assert coverage.total.required == 7
    assert coverage.total.met == 3  # expiring still counts as met
    assert coverage.total.share == 42
    lacking = {ln.person.name for ln in coverage.lacking()}
    assert lacking == {"expiring", "expired", "missing", "archived", "future"}
    assert {ln.person.name for ln in coverage.lacking(CoverageStatus.EXPIRED)} == {"expired"}
    met = next(ln for ln in coverage.lines if ln.person.name == "met")
    assert (met.valid_until, met.completed_on) == (days(300), days(-10))


def test_the_day_decides_whether_a_record_is_valid() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m, name="Kurs")
    RoleRequirementFactory(course=course, role=Role.EMPLOYEE)
    person = PersonFactory(municipality=m, name="P")
    RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
    CompetenceRecordFactory(
        course=course, person=person, completed_on=days(-10), valid_until=days(100)
    )

    assert pairs(resolve(m, day=TODAY, notice_days=30))[("P", "Kurs")] == CoverageStatus.MET
    assert pairs(resolve(m, day=days(80), notice_days=30))[("P", "Kurs")] == "expiring"
    assert pairs(resolve(m, day=days(101), notice_days=30))[("P", "Kurs")] == "expired"
    assert pairs(resolve(m, day=days(-11), notice_days=30))[("P", "Kurs")] == "missing"


def test_another_municipalitys_data_never_counts() -> None:
    m, other = MunicipalityFactory(), MunicipalityFactory()
    RoleRequirementFactory(course__municipality=other, role=Role.EMPLOYEE)
    RoleAssignmentFactory(person=PersonFactory(municipality=m), role=Role.EMPLOYEE)
    assert resolve(m, day=TODAY).lines == []


# --- figures -----------------------------------------------------------------------------------


def scenario(m: Any, *, departments: int, people: int) -> dict[str, Any]:
    """`departments` departments of `people` people each: each uses the finance system and
    holds the employee role; every other person has the finance course, every third the
    security course."""
    finance = SystemRequirementFactory(course__municipality=m, course__name="Ekonomi")
    security = RoleRequirementFactory(
        course__municipality=m, course__name="Säkerhet", role="employee"
    )
    made = []
    for d in range(departments):
        dept = department(m, name=f"Förvaltning {d:03d}")
        for p in range(people):
            person = PersonFactory(municipality=m, department=dept)
            RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
            SystemUseFactory(system=finance.system, person=person)
            if p % 2 == 0:
                CompetenceRecordFactory(course=finance.course, person=person)
            if p % 3 == 0:
                CompetenceRecordFactory(course=security.course, person=person)
            made.append(person)
        made.append(dept)
    return {"finance": finance, "security": security, "people": made}


def test_figures_per_department_and_per_system() -> None:
    m = MunicipalityFactory()
    data = scenario(m, departments=2, people=6)
    empty = department(m, name="Tom förvaltning")
    PersonFactory(municipality=m, department=empty)

    coverage = resolve(m)
    by_department = {f.subject.name: (f.required, f.met, f.share) for f in coverage.departments}
    # 6 people × 2 courses; finance met by 3, security by 2.
    assert by_department == {
        "Förvaltning 000": (12, 5, 41),
        "Förvaltning 001": (12, 5, 41),
        "Tom förvaltning": (0, 0, None),
        data["finance"].system.department.name: (0, 0, None),  # the system's own: no users
    }
    (finance,) = coverage.systems
    assert finance.subject == data["finance"].system
    assert (finance.required, finance.met, finance.lacking) == (12, 6, 6)
    assert (coverage.total.required, coverage.total.met) == (24, 10)


def test_a_department_head_sees_only_their_departments_people() -> None:
    m = MunicipalityFactory()
    scenario(m, departments=3, people=2)
    own = Department.objects.get(name="Förvaltning 001")
    coverage = resolve(m, departments=Department.objects.filter(pk=own.pk))
    assert {f.subject for f in coverage.departments} == {own}
    assert {ln.person.department_id for ln in coverage.lines} == {own.pk}
    assert coverage.total.required == 4


def test_filters_narrow_to_a_department_system_or_course() -> None:
    m = MunicipalityFactory()
    data = scenario(m, departments=2, people=3)
    one = Department.objects.get(name="Förvaltning 000")
    assert resolve(m, department=one).total.required == 6
    by_system = resolve(m, system=data["finance"].system)
    assert {ln.course for ln in by_system.lines} == {data["finance"].course}
    by_course = resolve(m, course=data["security"].course)
    assert by_course.total.required == 6
    assert by_course.systems == []


def test_people_without_a_department_are_counted_apart() -> None:
    m = MunicipalityFactory()
    RoleRequirementFactory(course__municipality=m, role=Role.EMPLOYEE)
    RoleAssignmentFactory(person=PersonFactory(municipality=m), role=Role.EMPLOYEE)
    coverage = resolve(m)
    (figure,) = coverage.departments
    assert figure.subject is None
    assert figure.required == 1


@pytest.mark.parametrize("size", [(1, 2), (4, 8)])
def test_resolution_runs_a_fixed_number_of_queries(
    size: tuple[int, int], django_assert_num_queries: Any
) -> None:
    m = MunicipalityFactory()
    RoleRequirementFactory(course__municipality=m, role=Role.SYSTEM_OWNER)
    scenario(m, departments=size[0], people=size[1])
    # settings, requirements, role holders, named owners, system users, records, departments
    with django_assert_num_queries(7):
        coverage = resolve(m, departments=Department.objects.filter(municipality=m))
    assert coverage.total.required >= size[0] * size[1] * 2
