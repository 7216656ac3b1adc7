"""The IT group's API writes on a meeting's record (P3.12): attendance and decisions through the
same services as the pages, kept by the IT department only (a reader gets a 403, another
municipality a 404), bad bodies a 400 with the field's message, and the closed record once the
minutes are approved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.api.testing import api_url, client_for
from stadga.itgroup.choices import MeetingStatus, Presence
from stadga.itgroup.models import ITGroupMeeting, MeetingAttendance, MeetingDecision
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import MunicipalityFactory, PersonFactory, member

from .helpers import meeting, seat

pytestmark = pytest.mark.django_db


class Group:
    """A municipality with the IT coordinator, an auditor (reads everything), two seats and a
    held meeting with its minutes written but not approved."""

    def __init__(self) -> None:
        self.m: Municipality = MunicipalityFactory()
        self.it = member(self.m, Role.IT_COORDINATOR)
        self.auditor = member(self.m, Role.AUDITOR)
        self.first = seat(self.m)
        self.second = seat(self.m)
        self.meeting: ITGroupMeeting = meeting(self.m, minutes="§1 Öppnande")


@pytest.fixture
def group() -> Group:
    return Group()


def attendance_url(meeting_: ITGroupMeeting) -> str:
    return api_url("itgroupmeeting-attendance", meeting_.pk)


def decisions_url(meeting_: ITGroupMeeting) -> str:
    return api_url("itgroupmeeting-decisions", meeting_.pk)


def decision_url(decision: MeetingDecision, archive: bool = False) -> str:
    name = "itgroupmeeting-decision-archive" if archive else "itgroupmeeting-decision"
    return api_url(name, decision.meeting_id, decision.pk)


def _decision(group: Group, **kwargs: Any) -> MeetingDecision:
    return MeetingDecision.objects.create(
        municipality=group.m, meeting=group.meeting, text="Inventera skrivarna", **kwargs
    )


# --- attendance -----------------------------------------------------------------------------------


def test_the_it_department_records_attendance(group: Group) -> None:
    client = client_for(group.it)
    visitor = PersonFactory(municipality=group.m, name="Gäst Gästsson")
    body = {
        "attendance": [
            {"person": group.first.person_id, "presence": Presence.PRESENT},
            {"person": group.second.person_id, "presence": Presence.EXCUSED},
            {"person": visitor.pk, "presence": Presence.PRESENT},
        ]
    }
    response = client.post(attendance_url(group.meeting), body, format="json")
    assert response.status_code == 200, response.content.decode()
    rows = {r["person"]: r for r in response.json()["attendance"]}
    assert rows[group.first.person_id]["presence"] == Presence.PRESENT
    assert rows[group.first.person_id]["member"] == group.first.pk  # linked to the seat
    assert rows[visitor.pk]["member"] is None  # not a member that day
    assert rows[group.second.person_id]["presence"] == Presence.EXCUSED
    row = MeetingAttendance.objects.get(meeting=group.meeting, person=group.first.person)
    assert LogEntry.objects.get_for_object(row).get().actor == group.it

    # Again: one changed, the ones left out keep what was recorded.
    body = {"attendance": [{"person": group.second.person_id, "presence": Presence.PRESENT}]}
    response = client.post(attendance_url(group.meeting), body, format="json")
    assert response.status_code == 200
    presences = dict(
        MeetingAttendance.objects.filter(meeting=group.meeting).values_list("person_id", "presence")
    )
    assert presences == {
        group.first.person_id: Presence.PRESENT,
        group.second.person_id: Presence.PRESENT,
        visitor.pk: Presence.PRESENT,
    }


def test_attendance_refuses_bad_bodies_with_the_fields_message(group: Group) -> None:
    client = client_for(group.it)
    url = attendance_url(group.meeting)
    stranger = PersonFactory()  # of another municipality: unknown here
    cases = [
        {"attendance": [{"person": stranger.pk, "presence": Presence.PRESENT}]},
        {"attendance": [{"person": group.first.person_id, "presence": "late"}]},
        {"attendance": [{"presence": Presence.PRESENT}]},
        {"attendance": []},
        {},
    ]
    for body in cases:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert "attendance" in response.json(), body
    # The message sits on the entry's field: {"attendance": {"0": {"person": [...]}}}.
    response = client.post(url, cases[0], format="json")
    assert list(response.json()["attendance"]["0"]) == ["person"]
    response = client.post(url, cases[1], format="json")
    assert list(response.json()["attendance"]["0"]) == ["presence"]
    twice = {
        "attendance": [
            {"person": group.first.person_id, "presence": Presence.PRESENT},
            {"person": group.first.person_id, "presence": Presence.ABSENT},
        ]
    }
    response = client.post(url, twice, format="json")
    assert response.status_code == 400 and "attendance" in response.json()
    assert not MeetingAttendance.objects.exists()


def test_attendance_follows_the_meetings_status(group: Group) -> None:
    client = client_for(group.it)
    body = {"attendance": [{"person": group.first.person_id, "presence": Presence.PRESENT}]}
    cancelled = meeting(group.m, status=MeetingStatus.CANCELLED)
    response = client.post(attendance_url(cancelled), body, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert (
        client.post(api_url("itgroupmeeting-approve-minutes", group.meeting.pk)).status_code == 200
    )
    response = client.post(attendance_url(group.meeting), body, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    archived = meeting(group.m, archived_at=timezone.now())
    assert client.post(attendance_url(archived), body, format="json").status_code == 403
    assert not MeetingAttendance.objects.exists()


def test_attendance_is_the_it_departments_alone(group: Group) -> None:
    body = {"attendance": [{"person": group.first.person_id, "presence": Presence.PRESENT}]}
    url = attendance_url(group.meeting)
    assert client_for(group.auditor).post(url, body, format="json").status_code == 403
    head = member(group.m, Role.DEPARTMENT_HEAD, department=group.first.department)
    assert client_for(head).post(url, body, format="json").status_code == 403
    # a reader of the group who is nobody's keeper, even with a bad body: 403, not 400
    assert client_for(group.auditor).post(url, {}, format="json").status_code == 403
    # an employee who does not read the group, and another municipality: not found
    assert client_for(member(group.m)).post(url, body, format="json").status_code == 404
    outsider = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    assert client_for(outsider).post(url, body, format="json").status_code == 404
    assert client_for(None).post(url, body, format="json").status_code in (401, 403)
    assert not MeetingAttendance.objects.exists()


# --- decisions ------------------------------------------------------------------------------------


def test_the_it_department_adds_changes_and_archives_a_decision(group: Group) -> None:
    client = client_for(group.it)
    body = {
        "text": "Inventera skrivarna",
        "responsible": group.first.person_id,
        "due_date": "2030-06-30",
    }
    response = client.post(decisions_url(group.meeting), body, format="json")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    decision = MeetingDecision.objects.get(pk=data["id"])
    assert decision.meeting == group.meeting and decision.municipality == group.m
    assert data["responsible_name"] == group.first.person.name and data["done"] is False
    assert decision.due_date == datetime.date(2030, 6, 30)
    assert LogEntry.objects.get_for_object(decision).get().actor == group.it

    response = client.patch(decision_url(decision), {"text": "Byt skrivarna"}, format="json")
    assert response.status_code == 200, response.content.decode()
    decision.refresh_from_db()
    assert decision.text == "Byt skrivarna" and decision.responsible == group.first.person

    meeting_ = client.get(api_url("itgroupmeeting-detail", group.meeting.pk)).json()
    assert [d["text"] for d in meeting_["decisions"]] == ["Byt skrivarna"]

    response = client.post(decision_url(decision, archive=True))
    assert response.status_code == 200 and response.json()["is_archived"] is True
    meeting_ = client.get(api_url("itgroupmeeting-detail", group.meeting.pk)).json()
    assert meeting_["decisions"] == []
    # an archived decision is no longer changed through the meeting
    response = client.patch(decision_url(decision), {"done": True}, format="json")
    assert response.status_code == 404


def test_decisions_refuse_bad_bodies_with_the_fields_message(group: Group) -> None:
    client = client_for(group.it)
    url = decisions_url(group.meeting)
    response = client.post(url, {"responsible": group.first.person_id}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    response = client.post(url, {"text": "x", "responsible": PersonFactory().pk}, format="json")
    assert response.status_code == 400 and "responsible" in response.json()
    response = client.post(url, {"text": "x", "due_date": "snart"}, format="json")
    assert response.status_code == 400 and "due_date" in response.json()
    decision = _decision(group)
    response = client.patch(decision_url(decision), {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert MeetingDecision.objects.count() == 1


def test_approved_minutes_keep_the_wording_but_not_whether_it_is_done(group: Group) -> None:
    client = client_for(group.it)
    decision = _decision(group)
    assert (
        client.post(api_url("itgroupmeeting-approve-minutes", group.meeting.pk)).status_code == 200
    )
    response = client.post(decisions_url(group.meeting), {"text": "Sent tillägg"}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    response = client.patch(decision_url(decision), {"text": "Ändrad"}, format="json")
    assert response.status_code == 400
    response = client.patch(decision_url(decision), {"done": True}, format="json")
    assert response.status_code == 200 and response.json()["done"] is True
    assert client.post(decision_url(decision, archive=True)).status_code == 400
    decision.refresh_from_db()
    assert decision.text == "Inventera skrivarna" and decision.done
    assert decision.archived_at is None and MeetingDecision.objects.count() == 1


def test_a_cancelled_meeting_decides_nothing(group: Group) -> None:
    cancelled = meeting(group.m, status=MeetingStatus.CANCELLED)
    response = client_for(group.it).post(decisions_url(cancelled), {"text": "x"}, format="json")
    assert response.status_code == 400 and not MeetingDecision.objects.exists()


def test_decisions_are_the_it_departments_alone(group: Group) -> None:
    decision = _decision(group)
    head = member(group.m, Role.DEPARTMENT_HEAD, department=group.first.department)
    for user in (group.auditor, head):
        client = client_for(user)
        assert client.post(decisions_url(group.meeting), {"text": "x"}, "json").status_code == 403
        assert client.patch(decision_url(decision), {"done": True}, "json").status_code == 403
        assert client.post(decision_url(decision, archive=True)).status_code == 403
    outsider = member(MunicipalityFactory(), Role.IT_COORDINATOR)
    for user in (member(group.m), outsider):
        client = client_for(user)
        assert client.post(decisions_url(group.meeting), {"text": "x"}, "json").status_code == 404
        assert client.patch(decision_url(decision), {"done": True}, "json").status_code == 404
        assert client.post(decision_url(decision, archive=True)).status_code == 404
    decision.refresh_from_db()
    assert not decision.done and decision.archived_at is None
    assert MeetingDecision.objects.count() == 1


def test_a_decision_is_reached_only_through_its_own_meeting(group: Group) -> None:
    decision = _decision(group)
    other = meeting(group.m, days=-60)
    client = client_for(group.it)
    url = api_url("itgroupmeeting-decision", other.pk, decision.pk)
    assert client.patch(url, {"done": True}, format="json").status_code == 404
    decision.refresh_from_db()
    assert not decision.done


def test_the_meeting_list_stays_at_fixed_queries_with_recorded_attendance(group: Group) -> None:
    """The writes add no list endpoint; the meeting list that shows what they wrote stays at a
    fixed number of queries however many rows were recorded."""
    client = client_for(group.it)
    list_url = api_url("itgroupmeeting-list", municipality=group.m.slug)
    with CaptureQueriesContext(connection) as few:
        assert client.get(list_url).status_code == 200
    for days in (-10, -20, -40):
        held = meeting(group.m, days=days)
        body = {
            "attendance": [
                {"person": group.first.person_id, "presence": Presence.PRESENT},
                {"person": group.second.person_id, "presence": Presence.ABSENT},
            ]
        }
        assert client.post(attendance_url(held), body, format="json").status_code == 200
        assert client.post(decisions_url(held), {"text": "Gör det"}, "json").status_code == 201
    with CaptureQueriesContext(connection) as many:
        response = client.get(list_url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert sum(len(r["attendance"]) for r in response.json()["results"]) == 6
