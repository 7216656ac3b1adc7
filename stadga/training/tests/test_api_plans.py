"""The training API (P6): the generic matrix for training plans, their lines and the watch log;
competence records created through `record_create` by the IT department only and read by the
person, their department head and readers of everything; the read-only resources scoped the
same way; query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    SystemFactory,
    UserFactory,
    member,
)
from stadga.training.choices import RecordSource, TrainingPlanStatus
from stadga.training.models import (
    CompetenceRecord,
    SystemUse,
    TrainingPlan,
    TrainingPlanLine,
    TrainingSession,
    WatchNote,
)

from .factories_plans import (
    CourseFactory,
    TrainingPlanFactory,
    TrainingPlanLineFactory,
    WatchNoteFactory,
    department,
)

pytestmark = pytest.mark.django_db


class TestTrainingPlanApi(ApiMatrix):
    resource = "trainingplan"

    def model_class(self) -> Any:
        return TrainingPlan

    def make(self, municipality: Municipality, **kwargs: Any) -> TrainingPlan:
        return TrainingPlanFactory(municipality=municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "department": department(municipality).pk,
            "year": 2026,
            "summary": "Grundkurser",
        }

    def update_data(self, obj: TrainingPlan) -> dict[str, Any]:
        return {"summary": "Ändrad"}


class TestTrainingPlanLineApi(ApiMatrix):
    resource = "trainingplanline"

    def model_class(self) -> Any:
        return TrainingPlanLine

    def make(self, municipality: Municipality, **kwargs: Any) -> TrainingPlanLine:
        return TrainingPlanLineFactory(plan=TrainingPlanFactory(municipality=municipality))

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "plan": TrainingPlanFactory(municipality=municipality).pk,
            "description": "Excel",
            "participants": 3,
            "cost": "900.00",
        }

    def update_data(self, obj: TrainingPlanLine) -> dict[str, Any]:
        return {"participants": 9}


class TestWatchNoteApi(ApiMatrix):
    resource = "watchnote"

    def model_class(self) -> Any:
        return WatchNote

    def make(self, municipality: Municipality, **kwargs: Any) -> WatchNote:
        return WatchNoteFactory(municipality=municipality)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {"municipality": municipality.slug, "title": "E-tjänster i molnet"}

    def update_data(self, obj: WatchNote) -> dict[str, Any]:
        return {"title": "Ny rubrik"}


# --- training plans: departments' heads, adoption ----------------------------------------------


def test_department_head_keeps_only_their_departments_plan() -> None:
    m = MunicipalityFactory()
    own, other = department(m), department(m)
    client = client_for(member(m, Role.DEPARTMENT_HEAD, department=own))
    body = {"municipality": m.slug, "year": 2026}
    created = client.post(
        api_url("trainingplan-list"), {**body, "department": own.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        api_url("trainingplan-list"), {**body, "department": other.pk}, format="json"
    )
    assert refused.status_code == 403
    plan = TrainingPlan.objects.get(pk=created.json()["id"])
    moved = client.patch(
        api_url("trainingplan-detail", plan.pk), {"department": other.pk}, format="json"
    )
    assert moved.status_code == 403
    others = TrainingPlanFactory(municipality=m, department=other)
    line = {"municipality": m.slug, "plan": others.pk, "description": "x"}
    assert client.post(api_url("trainingplanline-list"), line, format="json").status_code == 403
    assert not TrainingPlanLine.objects.exists()


def test_plan_adopt_and_follow_up_actions_and_totals() -> None:
    m = MunicipalityFactory()
    plan = TrainingPlanFactory(municipality=m)
    TrainingPlanLineFactory(plan=plan, cost=Decimal("1500"), shared_with_others=True)
    TrainingPlanLineFactory(plan=plan, cost=Decimal("500"))
    client = client_for(member(m, Role.IT_COORDINATOR))
    read = client.get(api_url("trainingplan-detail", plan.pk)).json()
    assert read["total_cost"] == "2000.00" and read["shared_lines"] == 1
    adopted = client.post(api_url("trainingplan-adopt", plan.pk))
    assert adopted.status_code == 200 and adopted.json()["status"] == TrainingPlanStatus.ADOPTED
    assert client.post(api_url("trainingplan-follow-up", plan.pk), {}).status_code == 400
    done = client.post(api_url("trainingplan-follow-up", plan.pk), {"follow_up": "Klart"})
    assert done.json()["status"] == TrainingPlanStatus.FOLLOWED_UP
    reader = client_for(member(m, Role.AUDITOR))
    assert reader.post(api_url("trainingplan-adopt", plan.pk)).status_code == 403


# --- competence records ------------------------------------------------------------------------


@pytest.fixture
def staff() -> dict[str, Any]:
    m = MunicipalityFactory()
    dept, other = department(m), department(m)
    head_user = UserFactory()
    head = PersonFactory(municipality=m, department=dept, user=head_user)
    from stadga.testing.factories import RoleAssignmentFactory

    RoleAssignmentFactory(person=head, role=Role.DEPARTMENT_HEAD, department=dept)
    employee_user = UserFactory()
    employee = PersonFactory(municipality=m, department=dept, user=employee_user)
    stranger = PersonFactory(municipality=m, department=other)
    course = CourseFactory(municipality=m, validity_months=12)
    records = {
        p.pk: CompetenceRecord.objects.create(
            municipality=m, person=p, course=course, completed_on=datetime.date(2026, 1, 1)
        )
        for p in (head, employee, stranger)
    }
    uses = {
        p.pk: SystemUse.objects.create(
            municipality=m, person=p, system=SystemFactory(municipality=m)
        )
        for p in (employee, stranger)
    }
    return {
        "m": m,
        "head": head,
        "head_user": head_user,
        "employee": employee,
        "employee_user": employee_user,
        "stranger": stranger,
        "course": course,
        "records": records,
        "uses": uses,
    }


def test_records_are_read_by_the_person_their_head_and_readers(staff: dict[str, Any]) -> None:
    m, records = staff["m"], staff["records"]
    everyone = set(r.pk for r in records.values())
    own = records[staff["employee"].pk].pk
    assert ids(client_for(staff["employee_user"]).get(api_url("competencerecord-list"))) == {own}
    head_sees = ids(client_for(staff["head_user"]).get(api_url("competencerecord-list")))
    assert head_sees == everyone - {records[staff["stranger"].pk].pk}
    assert (
        ids(client_for(member(m, Role.AUDITOR)).get(api_url("competencerecord-list"))) == everyone
    )
    hidden = records[staff["stranger"].pk]
    assert (
        client_for(staff["employee_user"])
        .get(api_url("competencerecord-detail", hidden.pk))
        .status_code
        == 404
    )
    outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert ids(outsider.get(api_url("competencerecord-list"))) == set()
    assert outsider.get(api_url("competencerecord-detail", hidden.pk)).status_code == 404
    uses = staff["uses"]
    assert ids(client_for(staff["employee_user"]).get(api_url("systemuse-list"))) == {
        uses[staff["employee"].pk].pk
    }
    assert ids(client_for(staff["head_user"]).get(api_url("systemuse-list"))) == {
        uses[staff["employee"].pk].pk
    }


def test_it_department_creates_a_record_through_record_create(staff: dict[str, Any]) -> None:
    m = staff["m"]
    user = member(m, Role.IT_COORDINATOR)
    body = {
        "municipality": m.slug,
        "person": staff["stranger"].pk,
        "course": staff["course"].pk,
        "completed_on": "2026-03-15",
        "source": RecordSource.SESSION,  # read-only: recorded by hand
        "valid_until": "2099-01-01",  # read-only: from the course
    }
    response = client_for(user).post(api_url("competencerecord-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["valid_until"] == "2027-03-14"
    assert data["source"] == RecordSource.MANUAL
    record = CompetenceRecord.objects.get(pk=data["id"])
    assert LogEntry.objects.get_for_object(record).get().actor == user
    again = client_for(user).post(api_url("competencerecord-list"), body, format="json")
    assert again.status_code == 400  # the same completion twice
    archived = client_for(user).post(api_url("competencerecord-archive", record.pk))
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    patch = client_for(user).patch(
        api_url("competencerecord-detail", record.pk), {"note": "x"}, format="json"
    )
    assert patch.status_code == 405  # a record is archived and recorded again, not edited


def test_only_the_it_department_records(staff: dict[str, Any]) -> None:
    m = staff["m"]
    body = {
        "municipality": m.slug,
        "person": staff["employee"].pk,
        "course": staff["course"].pk,
        "completed_on": "2026-03-15",
    }
    for user in (staff["head_user"], staff["employee_user"], member(m, Role.AUDITOR)):
        assert (
            client_for(user).post(api_url("competencerecord-list"), body, format="json").status_code
            == 403
        )
    record = staff["records"][staff["employee"].pk]
    archive = client_for(staff["head_user"]).post(api_url("competencerecord-archive", record.pk))
    assert archive.status_code == 403
    foreign = client_for(member(m, Role.IT_COORDINATOR)).post(
        api_url("competencerecord-list"),
        {**body, "course": CourseFactory(municipality=MunicipalityFactory()).pk},
        format="json",
    )
    assert foreign.status_code == 400 and "course" in foreign.json()


# --- read-only resources -----------------------------------------------------------------------


def test_courses_and_sessions_are_read_by_members_and_not_written() -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m)
    session = TrainingSession.objects.create(
        municipality=m, course=course, starts_at=timezone.now(), capacity=10
    )
    session.departments.set([department(m), department(m)])
    client = client_for(member(m))
    assert ids(client.get(api_url("course-list"))) == {course.pk}
    read = client.get(api_url("trainingsession-detail", session.pk)).json()
    assert read["joint"] is True and len(read["departments"]) == 2
    assert client.post(api_url("course-list"), {"name": "x"}, format="json").status_code == 405
    outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert outsider.get(api_url("course-detail", course.pk)).status_code == 404
    assert ids(outsider.get(api_url("trainingsession-list"))) == set()


@pytest.mark.parametrize("resource", ["course", "trainingsession", "watchnote"])
def test_read_list_query_count_does_not_grow(resource: str) -> None:
    m = MunicipalityFactory()
    client = client_for(member(m, Role.IT_COORDINATOR))
    counts = []
    for _ in range(2):
        for _ in range(10):
            course = CourseFactory(municipality=m)
            course.systems.add(SystemFactory(municipality=m))
            session = TrainingSession.objects.create(
                municipality=m, course=course, starts_at=timezone.now(), capacity=5
            )
            session.departments.add(department(m))
            note = WatchNoteFactory(municipality=m)
            note.products.add(ProductFactory(municipality=m))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api_url(f"{resource}-list", page_size=500)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
