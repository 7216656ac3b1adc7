"""The requirements' pages, a system's users and the coverage page (P6.1–P6.3) for each role:
the IT department keeps, members read requirements, a department head sees and keeps their own
staff only, another municipality gets a 404 — and the coverage downloads as a workbook."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix
from stadga.training.choices import RequirementScope
from stadga.training.models import SystemUse, TrainingRequirement

from .factories import (
    CompetenceRecordFactory,
    CourseFactory,
    RoleRequirementFactory,
    SystemRequirementFactory,
    SystemUseFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db


class TestRequirementPages(ViewMatrix):
    url_prefix = "training/requirements"

    def model_class(self) -> Any:
        return TrainingRequirement

    def make(self, municipality: Municipality, **kwargs: Any) -> TrainingRequirement:
        return RoleRequirementFactory(course__municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality)
        course = CourseFactory(municipality=municipality, kind="system")
        return {
            "course": course.pk,
            "scope": RequirementScope.SYSTEM_USERS,
            "role": "",
            "department": "",
            "system": system.pk,
            "note": "Alla användare",
        }

    def edit_data(self, obj: TrainingRequirement) -> dict[str, Any]:
        return {
            "course": obj.course_id,
            "scope": RequirementScope.ROLE,
            "role": obj.role,
            "department": "",
            "system": "",
            "note": "Ändrad not",
        }

    def edited_values(self) -> dict[str, Any]:
        return {"note": "Ändrad not"}

    def invalid_data(self, obj: TrainingRequirement) -> dict[str, Any]:
        return {**self.edit_data(obj), "role": ""}  # a role requirement names a role


def test_a_requirement_on_a_role_naming_a_system_is_refused(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.IT_COORDINATOR))
    data = {
        "course": CourseFactory(municipality=m).pk,
        "scope": RequirementScope.ROLE,
        "role": Role.EMPLOYEE,
        "system": SystemFactory(municipality=m).pk,
    }
    response = client.post(f"/k/{m.slug}/training/requirements/new/", data)
    assert response.status_code == 400
    assert not TrainingRequirement.objects.exists()


# --- the coverage page ---------------------------------------------------------------------------


def coverage_url(m: Municipality, query: str = "") -> str:
    return f"/k/{m.slug}/training/coverage/" + (f"?{query}" if query else "")


def two_departments(m: Municipality) -> dict[str, Any]:
    """Two departments whose staff use the finance system; its course is required of its users.
    In each, one has the course and one lacks it."""
    requirement = SystemRequirementFactory(
        course__municipality=m, course__name="Ekonomi grund", system__name="Ekonomisystemet"
    )
    data: dict[str, Any] = {"requirement": requirement}
    for key in ("school", "social"):
        department = DepartmentFactory(board__municipality=m, name=f"Förvaltning {key}")
        trained = PersonFactory(municipality=m, department=department, name=f"Utbildad {key}")
        lacking = PersonFactory(municipality=m, department=department, name=f"Saknar {key}")
        for person in (trained, lacking):
            SystemUseFactory(system=requirement.system, person=person)
        CompetenceRecordFactory(course=requirement.course, person=trained)
        data[key] = department
        data[f"lacking_{key}"] = lacking
    return data


def test_a_department_head_sees_which_of_their_staff_lack_the_course(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=data["school"]))
    response = client.get(coverage_url(m))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saknar school" in page
    assert "Saknar social" not in page and "Utbildad social" not in page
    assert data["social"].name not in page
    assert data["school"].name in page
    # A head filtering on a department they do not head gets nothing of it.
    response = client.get(coverage_url(m, f"department={data['social'].pk}"))
    assert "Saknar social" not in response.content.decode()


def test_the_it_department_sees_everyone_and_filters(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(coverage_url(m)).content.decode()
    assert "Saknar school" in page and "Saknar social" in page
    assert "Utbildad school" not in page  # the list is of what is lacking
    filtered = client.get(coverage_url(m, f"department={data['social'].pk}")).content.decode()
    assert "Saknar social" in filtered and "Saknar school" not in filtered
    met = client.get(coverage_url(m, "status=met")).content.decode()
    assert "Utbildad school" in met and "Saknar school" not in met


def test_each_lacking_line_links_to_sessions_and_to_booking(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    course = data["requirement"].course
    TrainingSessionFactory(course=course).departments.set([data["social"]])  # not theirs
    joint = TrainingSessionFactory(course=course, starts_at=timezone.now() + timedelta(days=30))
    joint.departments.set([data["school"], data["social"]])
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=data["school"]))
    response = client.get(coverage_url(m))
    page = response.content.decode()
    (row,) = response.context["rows"]
    assert row.line.person == data["lacking_school"]
    assert row.sessions_url in page
    assert f"course={course.pk}" in row.sessions_url or row.sessions_url.endswith(f"/{course.pk}/")
    # The next session open to the person's department, joint with the other department.
    assert row.session == joint
    try:
        session_page = reverse(
            "training:session_detail", kwargs={"municipality": m.slug, "pk": joint.pk}
        )
    except NoReverseMatch:  # the sessions' pages are another part of the app
        assert row.book_url == ""
    else:
        assert row.book_url == f"{session_page}?person={data['lacking_school'].pk}"
        assert row.book_url in page


def test_a_reader_who_may_not_book_gets_no_booking_link(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    TrainingSessionFactory(course=data["requirement"].course)
    client.force_login(member(m, Role.AUDITOR))
    rows = client.get(coverage_url(m)).context["rows"]
    assert len(rows) == 2
    assert all(row.session is not None and row.book_url == "" for row in rows)


def test_members_without_a_head_role_and_outsiders_get_404(client: Any) -> None:
    m = MunicipalityFactory()
    two_departments(m)
    client.force_login(member(m))
    assert client.get(coverage_url(m)).status_code == 404
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(coverage_url(m)).status_code == 404


def test_anonymous_is_sent_to_login(client: Any) -> None:
    m = MunicipalityFactory()
    response = client.get(coverage_url(m))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_coverage_downloads_as_a_workbook(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    client.force_login(member(m, Role.AUDITOR))
    response = client.get(coverage_url(m, "format=xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Förvaltningar", "System", "Saknas"]
    departments = {row[0]: row[1:] for row in workbook["Förvaltningar"].iter_rows(values_only=True)}
    assert departments[data["school"].name] == (2, 1, 1, 0.5)
    assert departments["Summa"] == (4, 2, 2, 0.5)
    systems = list(workbook["System"].iter_rows(min_row=2, values_only=True))
    assert systems == [("Ekonomisystemet", 4, 2, 2, 0.5)]
    lacking = list(workbook["Saknas"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in lacking) == ["Saknar school", "Saknar social"]
    assert {row[3] for row in lacking} == {"Saknas"}
    assert {row[6] for row in lacking} == {"Ekonomisystemet"}


def test_a_department_heads_workbook_has_only_their_staff(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=data["social"]))
    workbook = load_workbook(io.BytesIO(client.get(coverage_url(m, "format=xlsx")).content))
    lacking = [row[0] for row in workbook["Saknas"].iter_rows(min_row=2, values_only=True)]
    assert lacking == ["Saknar social"]


def test_the_coverage_page_runs_a_fixed_number_of_queries(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.IT_COORDINATOR))
    RoleRequirementFactory(course__municipality=m, role=Role.EMPLOYEE)
    data = two_departments(m)
    TrainingSessionFactory(course=data["requirement"].course)
    counts = []
    for more in (0, 8):
        for _ in range(more):
            person = PersonFactory(
                municipality=m, department=DepartmentFactory(board__municipality=m)
            )
            RoleAssignmentFactory(person=person, role=Role.EMPLOYEE)
            SystemUseFactory(system=data["requirement"].system, person=person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(coverage_url(m))
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["rows"]) == 18  # 8 newcomers lack two courses, 2 lack one
    assert counts[0] == counts[1], counts


# --- a system's users ----------------------------------------------------------------------------


def users_url(system: Any, rest: str = "") -> str:
    return f"/k/{system.municipality.slug}/training/systems/{system.pk}/users/{rest}"


def test_a_department_head_adds_and_ends_their_staffs_use(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    system = data["requirement"].system
    user = member(m, Role.DEPARTMENT_HEAD, department=data["school"])
    client.force_login(user)
    page = client.get(users_url(system)).content.decode()
    assert "Saknar school" in page and "Saknar social" not in page
    newcomer = PersonFactory(municipality=m, department=data["school"], name="Ny")
    response = client.post(users_url(system), {"person": newcomer.pk, "since": "2026-01-10"})
    assert response.status_code == 302
    use = SystemUse.objects.get(person=newcomer, system=system)
    assert LogEntry.objects.get_for_object(use).get().actor == user
    # Another department's staff cannot be added or ended by this head.
    other = PersonFactory(municipality=m, department=data["social"])
    assert (
        client.post(users_url(system), {"person": other.pk, "since": "2026-01-10"}).status_code
        == 400
    )
    social_use = SystemUse.objects.get(person=data["lacking_social"])
    assert client.post(users_url(system, f"{social_use.pk}/end/")).status_code == 404
    # Ending one's own staff's use archives it; restoring brings it back.
    assert client.post(users_url(system, f"{use.pk}/end/")).status_code == 302
    use.refresh_from_db()
    assert use.is_archived
    assert "Ny" in client.get(users_url(system, "?ended=1")).content.decode()
    assert client.post(users_url(system, f"{use.pk}/restore/")).status_code == 302
    use.refresh_from_db()
    assert not use.is_archived


def test_adding_a_user_twice_is_refused(client: Any) -> None:
    m = MunicipalityFactory()
    data = two_departments(m)
    system = data["requirement"].system
    client.force_login(member(m, Role.IT_TECHNICIAN))
    person = data["lacking_social"]
    response = client.post(users_url(system), {"person": person.pk, "since": "2026-01-10"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert SystemUse.objects.filter(person=person).count() == 1


def test_system_users_page_is_404_for_members_and_outsiders(client: Any) -> None:
    m = MunicipalityFactory()
    system = two_departments(m)["requirement"].system
    client.force_login(member(m))
    assert client.get(users_url(system)).status_code == 404
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(users_url(system)).status_code == 404
    own = MunicipalityFactory()
    client.force_login(member(own, Role.IT_COORDINATOR))
    assert client.get(f"/k/{own.slug}/training/systems/{system.pk}/users/").status_code == 404


def test_an_auditor_reads_system_users_but_does_not_add(client: Any) -> None:
    m = MunicipalityFactory()
    system = two_departments(m)["requirement"].system
    client.force_login(member(m, Role.AUDITOR))
    page = client.get(users_url(system)).content.decode()
    assert "Saknar school" in page and "Saknar social" in page
    assert "Add a user" not in page and "Lägg till" not in page
    person = PersonFactory(municipality=m)
    assert (
        client.post(users_url(system), {"person": person.pk, "since": "2026-01-10"}).status_code
        == 403
    )
    assert not Person.objects.filter(system_uses__isnull=False, pk=person.pk).exists()
