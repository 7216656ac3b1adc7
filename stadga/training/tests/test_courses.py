"""Courses (P6.2, P6.3): the services and the pages, with the generic view matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    CourseFactory,
    MunicipalityFactory,
    RegistrationFactory,
    SystemFactory,
    TrainingRequirementFactory,
    member,
)
from stadga.testing.matrix import ViewMatrix
from stadga.training import services_courses, services_sessions
from stadga.training.choices import CourseKind, RequirementScope
from stadga.training.models import Course

from .helpers import department, session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


class TestCourseServices:
    def test_create_with_systems_and_basic_training(self) -> None:
        """P6.3: the central office's basic training in a cross-departmental system."""
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        course = services_courses.course_create(
            municipality=m,
            data={
                "name": "Ekonomisystemet grund",
                "kind": CourseKind.SYSTEM,
                "basic_training": True,
                "systems": [system],
                "validity_months": 36,
            },
            actor=member(m, Role.IT_COORDINATOR),
        )
        assert list(course.systems.all()) == [system]

    def test_basic_training_must_be_a_system_course(self) -> None:
        m = MunicipalityFactory()
        with pytest.raises(ValidationError):
            services_courses.course_create(
                municipality=m,
                data={"name": "X", "kind": CourseKind.GENERAL, "basic_training": True},
                actor=None,
            )

    def test_archive_refused_while_sessions_ahead(self) -> None:
        m = MunicipalityFactory()
        actor = member(m, Role.IT_COORDINATOR)
        s = session(m)
        with pytest.raises(ValidationError, match="Cancel the course's sessions ahead"):
            services_courses.course_archive(course=s.course, actor=actor)
        services_sessions.session_cancel(session=s, actor=actor)
        services_courses.course_archive(course=s.course, actor=actor)
        assert s.course.is_archived

    def test_restore_refused_when_the_name_is_taken(self) -> None:
        m = MunicipalityFactory()
        old = CourseFactory(municipality=m, name="IT-säkerhet")
        services_courses.course_archive(course=old, actor=None)
        CourseFactory(municipality=m, name="IT-säkerhet")
        with pytest.raises(ValidationError):
            services_courses.course_restore(course=old, actor=None)

    def test_settings_update_creates_then_changes_the_row(self) -> None:
        m = MunicipalityFactory()
        row = services_courses.settings_update(
            municipality=m, data={"expiry_notice_days": 14}, actor=None
        )
        again = services_courses.settings_update(
            municipality=m, data={"expiry_notice_days": 21}, actor=None
        )
        assert row.pk == again.pk and again.expiry_notice_days == 21


class TestCoursePages(ViewMatrix):
    url_prefix = "training/courses"

    def model_class(self) -> Any:
        return Course

    def make(self, municipality: Municipality, **kwargs: Any) -> Course:
        return CourseFactory(municipality=municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "name": "Informationssäkerhet för alla",
            "kind": CourseKind.SECURITY,
            "description": "",
            "provider": "",
            "validity_months": "24",
            "duration_hours": "2",
            "cost_per_participant": "0",
        }

    def edit_data(self, obj: Course) -> dict[str, Any]:
        return {
            "name": "Ändrat namn",
            "kind": obj.kind,
            "description": "",
            "provider": "",
            "validity_months": "",
            "duration_hours": "",
            "cost_per_participant": "0",
        }

    def test_detail_shows_sessions_systems_and_requirements(self, client: Any) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, name="Ekonomi")
        course = CourseFactory(
            municipality=m, kind=CourseKind.SYSTEM, systems=[system], name="Ekonomi grund"
        )
        s = session(m, course=course)
        TrainingRequirementFactory(
            course=course, scope=RequirementScope.SYSTEM_USERS, role="", system=system
        )
        client.force_login(member(m))
        page = client.get(course.get_absolute_url()).content.decode()
        assert "Ekonomi" in page
        assert f'href="{s.get_absolute_url()}"' in page
        assert 'id="requirements"' in page and "No requirement names this course." not in page
        assert "New session" not in page  # a member does not plan sessions

    def test_archive_refusal_is_a_message_not_an_error(self, client: Any) -> None:
        m = MunicipalityFactory()
        s = session(m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        response = client.post(self.url(m, "archive", s.course.pk), follow=True)
        assert response.status_code == 200
        assert "Cancel the course&#x27;s sessions ahead" in response.content.decode()
        s.course.refresh_from_db()
        assert not s.course.is_archived


def test_course_page_query_count_does_not_grow_with_sessions(client: Any) -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for rows in (1, 12):
        while course.sessions.count() < rows:
            s = session(m, course=course, departments=[department(m), department(m)])
            RegistrationFactory(session=s)
            TrainingRequirementFactory(course=course, role=Role.SYSTEM_OWNER)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(course.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_training_factories_build_valid_objects() -> None:
    """The other training tests build on these factories: each makes a valid object of one
    municipality."""
    from stadga.testing import factories as f

    objects = [
        f.CourseFactory(),
        f.TrainingSessionFactory(),
        f.RegistrationFactory(),
        f.CompetenceRecordFactory(course__validity_months=12),
        f.SystemUseFactory(),
        f.TrainingRequirementFactory(),
        f.TrainingPlanFactory(),
        f.WatchNoteFactory(),
    ]
    for obj in objects:
        obj.full_clean()
    record = objects[3]
    assert record.valid_until == record.course.valid_until(record.completed_on)
