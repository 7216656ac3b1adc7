"""A person's competence page, "my training", records by hand and the settings (P6): who reads
them, what they show, and their query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.testing.factories import (
    CompetenceRecordFactory,
    CourseFactory,
    MunicipalityFactory,
    PersonFactory,
    RegistrationFactory,
    SystemUseFactory,
    member,
)
from stadga.training.choices import RecordSource
from stadga.training.models import CompetenceRecord, TrainingSettings
from stadga.training.selectors import RecordStatus, record_status

from .helpers import department, login_for, session, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def person_url(p: Person, rest: str = "") -> str:
    return f"/k/{p.municipality.slug}/training/people/{p.pk}/{rest}"


class TestPersonCompetenceAccess:
    def test_who_reads_a_persons_competence(self, client: Any) -> None:
        m = MunicipalityFactory()
        ours, theirs = department(m), department(m)
        person = staff(ours)
        readers = [
            login_for(person),
            member(m, Role.DEPARTMENT_HEAD, department=ours),
            member(m, Role.IT_COORDINATOR),
            member(m, Role.AUDITOR),
        ]
        for user in readers:
            client.force_login(user)
            assert client.get(person_url(person)).status_code == 200, user
        strangers = [
            member(m),
            member(m, Role.DEPARTMENT_HEAD, department=theirs),
            member(MunicipalityFactory(), Role.IT_COORDINATOR),
        ]
        for user in strangers:
            client.force_login(user)
            assert client.get(person_url(person)).status_code == 404, user

    def test_page_shows_records_with_status_registrations_and_systems(self, client: Any) -> None:
        m = MunicipalityFactory()
        person = PersonFactory(municipality=m)
        today = timezone.localdate()
        valid = CompetenceRecordFactory(
            person=person, course=CourseFactory(municipality=m, validity_months=24)
        )
        expired = CompetenceRecordFactory(
            person=person,
            course=CourseFactory(municipality=m, validity_months=12),
            completed_on=today - datetime.timedelta(days=800),
        )
        s = session(m)
        RegistrationFactory(session=s, person=person)
        use = SystemUseFactory(person=person, system__municipality=m, system__name="Procapita")
        client.force_login(login_for(person))
        page = client.get(person_url(person)).content.decode()
        assert f'id="record-{valid.pk}"' in page and f'id="record-{expired.pk}"' in page
        assert "Expired" in page
        assert f'href="{s.get_absolute_url()}"' in page
        assert str(use.system) in page
        assert "Add a record by hand" not in page  # the person does not record for themselves

    def test_record_status(self) -> None:
        today = datetime.date(2026, 6, 1)
        record = CompetenceRecord(completed_on=datetime.date(2025, 6, 1))
        assert record_status(record, today, 30) == RecordStatus.VALID  # does not expire
        record.valid_until = datetime.date(2026, 6, 20)
        assert record_status(record, today, 30) == RecordStatus.EXPIRING
        record.valid_until = datetime.date(2026, 12, 1)
        assert record_status(record, today, 30) == RecordStatus.VALID
        record.valid_until = datetime.date(2026, 5, 31)
        assert record_status(record, today, 30) == RecordStatus.EXPIRED

    def test_page_query_count_does_not_grow(self, client: Any) -> None:
        m = MunicipalityFactory()
        person = PersonFactory(municipality=m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        counts = []
        for rows in (1, 15):
            while person.competence_records.count() < rows:
                CompetenceRecordFactory(person=person, course=CourseFactory(municipality=m))
                RegistrationFactory(session=session(m), person=person)
                SystemUseFactory(person=person, system__municipality=m)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(person_url(person)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts


class TestMyTraining:
    def test_my_training_shows_my_own_page(self, client: Any) -> None:
        m = MunicipalityFactory()
        person = PersonFactory(municipality=m)
        record = CompetenceRecordFactory(person=person, course=CourseFactory(municipality=m))
        client.force_login(login_for(person))
        page = client.get(f"/k/{m.slug}/training/my/").content.decode()
        assert f'id="record-{record.pk}"' in page
        assert f'href="/k/{m.slug}/training/my/" aria-current="page"' in page

    def test_without_a_person_it_says_so(self, client: Any, admin_user: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(admin_user)  # an operator, nobody in the municipality
        response = client.get(f"/k/{m.slug}/training/my/")
        assert response.status_code == 200
        assert "not linked to a person" in response.content.decode()

    def test_nav_links_training(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m))
        page = client.get(f"/k/{m.slug}/").content.decode()
        assert f'href="/k/{m.slug}/training/sessions/"' in page


class TestRecordByHand:
    def test_it_department_adds_and_archives_a_record(self, client: Any) -> None:
        m = MunicipalityFactory()
        person = PersonFactory(municipality=m)
        course = CourseFactory(municipality=m, validity_months=12)
        user = member(m, Role.IT_COORDINATOR)
        client.force_login(user)
        assert client.get(person_url(person, "records/new/")).status_code == 200
        response = client.post(
            person_url(person, "records/new/"),
            {"course": course.pk, "completed_on": "2026-01-15", "valid_until": "", "note": ""},
        )
        assert response.status_code == 302
        record = CompetenceRecord.objects.get()
        assert record.person == person and record.source == RecordSource.MANUAL
        assert record.valid_until == datetime.date(2027, 1, 14)  # the course's validity
        assert LogEntry.objects.get_for_object(record).get().actor == user
        # the same course on the same day again is refused with a message, not an error
        response = client.post(
            person_url(person, "records/new/"),
            {"course": course.pk, "completed_on": "2026-01-15", "valid_until": "", "note": ""},
        )
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
        archive = f"/k/{m.slug}/training/records/{record.pk}/archive/"
        assert client.post(archive).status_code == 302
        record.refresh_from_db()
        assert record.archived_at is not None

    def test_others_may_not_record(self, client: Any) -> None:
        m = MunicipalityFactory()
        dept = department(m)
        person = staff(dept)
        record = CompetenceRecordFactory(person=person, course=CourseFactory(municipality=m))
        client.force_login(member(m, Role.DEPARTMENT_HEAD, department=dept))
        assert client.get(person_url(person, "records/new/")).status_code == 403
        archive = f"/k/{m.slug}/training/records/{record.pk}/archive/"
        assert client.post(archive).status_code == 403
        client.force_login(member(m))
        assert client.get(person_url(person, "records/new/")).status_code == 404
        assert client.post(archive).status_code == 404
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.post(archive).status_code == 404
        record.refresh_from_db()
        assert record.archived_at is None


class TestSettingsPage:
    def test_members_read_it_department_changes(self, client: Any) -> None:
        m = MunicipalityFactory()
        url = f"/k/{m.slug}/training/settings/"
        data = {
            "expiry_notice_days": "45",
            "new_user_grace_days": "60",
            "watch_interval_months": "3",
        }
        client.force_login(member(m))
        assert client.get(url).status_code == 200
        assert client.post(url, data).status_code == 403
        client.force_login(member(m, Role.IT_COORDINATOR))
        assert client.post(url, data).status_code == 302
        row = TrainingSettings.objects.get(municipality=m)
        assert (row.expiry_notice_days, row.watch_interval_months) == (45, 3)
        assert client.post(url, {**data, "expiry_notice_days": "0"}).status_code == 400
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(url).status_code == 404

    def test_expiry_notice_days_decide_what_is_expiring(self, client: Any) -> None:
        m = MunicipalityFactory()
        person = PersonFactory(municipality=m)
        course = CourseFactory(municipality=m, validity_months=12)
        today = timezone.localdate()
        CompetenceRecordFactory(
            person=person,
            course=course,
            completed_on=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=40),
        )
        client.force_login(login_for(person))
        assert "Expires soon" not in client.get(person_url(person)).content.decode()
        TrainingSettings.objects.create(municipality=m, expiry_notice_days=60)
        assert "Expires soon" in client.get(person_url(person)).content.decode()
