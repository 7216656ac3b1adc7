"""The IT group's API (P3.12): the generic matrix for members and meetings, the nested
attendance and decisions, the closed record and the scoping to the municipality."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.api.testing import ApiMatrix, api_url, client_for, ids
from stadga.itgroup.choices import GroupRole, MeetingStatus, Presence
from stadga.itgroup.models import ITGroupMeeting, ITGroupMember, MeetingAttendance, MeetingDecision
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.testing.factories import MunicipalityFactory, PersonFactory, member

from .helpers import department, meeting, seat

pytestmark = pytest.mark.django_db


class TestMemberApi(ApiMatrix):
    resource = "itgroupmember"
    member_sees = False

    def model_class(self) -> Any:
        return ITGroupMember

    def make(self, municipality: Municipality, **kwargs: Any) -> ITGroupMember:
        return seat(municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "person": PersonFactory(municipality=municipality).pk,
            "department": department(municipality).pk,
            "role": GroupRole.DEPUTY,
            "since": "2026-02-01",
        }

    def update_data(self, obj: ITGroupMember) -> dict[str, Any]:
        return {"role": GroupRole.DEPUTY}

    def test_a_person_of_another_municipality_is_unknown(self) -> None:
        m = MunicipalityFactory()
        client = client_for(member(m, Role.IT_COORDINATOR))
        body = {**self.create_data(m), "person": PersonFactory().pk}
        response = client.post(api_url("itgroupmember-list"), body, format="json")
        assert response.status_code == 400
        assert "person" in response.json()
        assert not ITGroupMember.objects.exists()


class TestMeetingApi(ApiMatrix):
    resource = "itgroupmeeting"
    member_sees = False

    def model_class(self) -> Any:
        return ITGroupMeeting

    def make(self, municipality: Municipality, **kwargs: Any) -> ITGroupMeeting:
        return meeting(municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "starts_at": "2030-05-04T13:00:00+02:00",
            "place": "Kommunhuset",
            "status": MeetingStatus.PLANNED,
            "agenda": "1. Öppnande",
        }

    def assert_matches(self, data: dict[str, Any], body: dict[str, Any]) -> None:
        body = {k: v for k, v in body.items() if k != "starts_at"}  # answered in UTC
        super().assert_matches(data, body)

    def update_data(self, obj: ITGroupMeeting) -> dict[str, Any]:
        return {"place": "Biblioteket", "agenda": "1. Nya datorer"}


def test_meeting_nests_attendance_and_decisions_in_fixed_queries() -> None:
    m = MunicipalityFactory()
    client = client_for(member(m, Role.AUDITOR))
    counts = []
    for size in (2, 10):
        while ITGroupMeeting.objects.filter(municipality=m).count() < size:
            held = meeting(m, days=-ITGroupMeeting.objects.count() - 1)
            s = seat(m)
            MeetingAttendance.objects.create(
                municipality=m, meeting=held, person=s.person, member=s, presence=Presence.PRESENT
            )
            MeetingDecision.objects.create(
                municipality=m, meeting=held, text="Gör det", responsible=s.person
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api_url("itgroupmeeting-list", municipality=m.slug))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    row = response.json()["results"][0]
    assert row["attendance"][0]["presence"] == Presence.PRESENT
    assert row["decisions"][0]["text"] == "Gör det"


def test_an_approved_meeting_is_not_changed_through_the_api() -> None:
    m = MunicipalityFactory()
    held = meeting(m, minutes="§1")
    client = client_for(member(m, Role.IT_COORDINATOR))
    approve = client.post(api_url("itgroupmeeting-approve-minutes", held.pk))
    assert approve.status_code == 200, approve.content
    assert approve.json()["minutes_approved"] is True
    patch = client.patch(api_url("itgroupmeeting-detail", held.pk), {"minutes": "x"}, "json")
    assert patch.status_code == 400
    held.refresh_from_db()
    assert held.minutes == "§1"
    reader = client_for(member(m, Role.AUDITOR))
    assert reader.post(api_url("itgroupmeeting-approve-minutes", held.pk)).status_code == 403


def test_a_group_member_reads_through_the_api_and_an_employee_does_not() -> None:
    m = MunicipalityFactory()
    held = meeting(m)
    user = member(m)
    client = client_for(user)
    assert held.pk not in ids(client.get(api_url("itgroupmeeting-list")))
    seat(m, person=Person.objects.get(user=user), since=datetime.date(2020, 1, 1))
    client = client_for(user)
    assert held.pk in ids(client.get(api_url("itgroupmeeting-list")))
    # another municipality's meetings stay out of the member's list
    other = meeting(MunicipalityFactory())
    assert other.pk not in ids(client.get(api_url("itgroupmeeting-list")))
    assert client.get(api_url("itgroupmeeting-detail", other.pk)).status_code == 404
