"""The IT group's pages (P3.12): who sees and keeps them, the group page's departments without a
representative, the attendance form, minutes and their approval, the notice, the PDF."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.itgroup.choices import GroupRole, MeetingStatus, Presence
from stadga.itgroup.models import (
    ITGroupMeeting,
    ITGroupMember,
    ITGroupSettings,
    MeetingAttendance,
    MeetingDecision,
)
from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.testing.factories import MunicipalityFactory, PersonFactory, member
from stadga.testing.matrix import ViewMatrix

from .helpers import department, meeting, seat

pytestmark = pytest.mark.django_db


def group_url(m: Municipality, rest: str = "") -> str:
    return f"/k/{m.slug}/it-group/{rest}"


class TestMemberPages(ViewMatrix):
    url_prefix = "it-group/members"
    member_sees = False  # an employee outside the group does not read it

    def model_class(self) -> Any:
        return ITGroupMember

    def make(self, municipality: Municipality, **kwargs: Any) -> ITGroupMember:
        return seat(municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        dept = department(municipality)
        person = PersonFactory(municipality=municipality)
        return {
            "person": person.pk,
            "department": dept.pk,
            "role": GroupRole.MEMBER,
            "since": "2026-01-01",
            "until": "",
        }

    def edit_data(self, obj: ITGroupMember) -> dict[str, Any]:
        return {
            "person": obj.person_id,
            "department": obj.department_id,
            "role": GroupRole.DEPUTY,
            "since": obj.since.isoformat(),
            "until": "2030-12-31",
        }

    def edited_values(self) -> dict[str, Any]:
        return {"role": GroupRole.DEPUTY, "until": "2030-12-31"}

    def history_texts(self) -> list[str]:
        return []  # the role's label is translated; the actor is asserted by the matrix

    def invalid_data(self, obj: ITGroupMember) -> dict[str, Any]:
        return {**self.edit_data(obj), "until": "2000-01-01"}  # ends before it begins


class TestMeetingPages(ViewMatrix):
    url_prefix = "it-group/meetings"
    member_sees = False

    def model_class(self) -> Any:
        return ITGroupMeeting

    def make(self, municipality: Municipality, **kwargs: Any) -> ITGroupMeeting:
        return meeting(municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "starts_at": "2030-03-01T13:00",
            "place": "Kommunhuset, sal A",
            "convened_by": "",
            "status": MeetingStatus.PLANNED,
            "agenda": "1. Mötets öppnande\n2. Nya system",
        }

    def edit_data(self, obj: ITGroupMeeting) -> dict[str, Any]:
        return {
            "starts_at": timezone.localtime(obj.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "place": "Biblioteket",
            "convened_by": "",
            "status": obj.status,
            "agenda": obj.agenda,
        }

    def edited_values(self) -> dict[str, Any]:
        return {"place": "Biblioteket"}

    def invalid_data(self, obj: ITGroupMeeting) -> dict[str, Any]:
        return {**self.edit_data(obj), "starts_at": ""}

    def test_created_meeting_is_convened_by_the_coordinator(self, client: Any) -> None:
        """P3.12: the IT coordinator convenes the group; left empty, it is the planner."""
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        client.force_login(user)
        response = client.post(self.url(m, "new"), self.form_data(m))
        assert response.status_code == 302
        created = ITGroupMeeting.objects.get(municipality=m)
        assert created.convened_by == Person.objects.get(user=user)


# --- the group page ------------------------------------------------------------------------------


def test_group_page_lists_members_per_department_and_flags_the_missing(client: Any) -> None:
    m = MunicipalityFactory()
    represented = department(m, name="Socialförvaltningen")
    missing = department(m, name="Tekniska förvaltningen")
    held = seat(m, dept=represented)
    ended = seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2021, 1, 1))
    upcoming = meeting(m, days=20, status=MeetingStatus.PLANNED)
    past = meeting(m, days=-20)
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(group_url(m)).content.decode()
    assert f'href="{held.get_absolute_url()}"' in page
    assert f'href="{ended.get_absolute_url()}"' not in page  # the seat has ended
    assert f'id="missing-{missing.pk}"' in page
    assert f'id="missing-{represented.pk}"' not in page
    assert 'id="missing-departments"' in page
    assert page.index(upcoming.get_absolute_url()) < page.index(past.get_absolute_url())
    assert 'id="not-convened"' not in page  # held 20 days ago


def test_group_page_says_when_the_group_has_not_met(client: Any) -> None:
    m = MunicipalityFactory()
    seat(m)
    meeting(m, days=-400)
    client.force_login(member(m, Role.AUDITOR))
    assert 'id="not-convened"' in client.get(group_url(m)).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 404),
        (Role.EMPLOYEE, 404),
        (Role.AUDITOR, 200),
        (Role.EXECUTIVE_BOARD_READER, 200),
        (Role.IT_TECHNICIAN, 200),
    ],
)
def test_who_reads_the_group(client: Any, role: str | None, status: int) -> None:
    m = MunicipalityFactory()
    seat(m)
    client.force_login(member(m, role))
    assert client.get(group_url(m)).status_code == status
    assert client.get(group_url(m, "settings/")).status_code == status


def test_a_department_head_and_a_group_member_read_it(client: Any) -> None:
    m = MunicipalityFactory()
    dept = department(m)
    client.force_login(member(m, Role.DEPARTMENT_HEAD, department=dept))
    assert client.get(group_url(m)).status_code == 200
    user = member(m)
    seat(m, person=Person.objects.get(user=user))
    client.force_login(user)
    assert client.get(group_url(m)).status_code == 200
    held = meeting(m)
    assert client.get(held.get_absolute_url()).status_code == 200
    assert client.get(group_url(m, "members/new/")).status_code == 403  # reads, does not keep
    # the nav offers the group to the member
    assert f'href="{group_url(m)}"' in client.get(f"/k/{m.slug}/boards/").content.decode()


def test_an_employee_is_not_offered_the_group(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.EMPLOYEE))
    assert f'href="{group_url(m)}"' not in client.get(f"/k/{m.slug}/boards/").content.decode()


def test_another_municipality_gets_404_for_every_page(client: Any) -> None:
    m = MunicipalityFactory()
    held = meeting(m)
    decision = MeetingDecision.objects.create(municipality=m, meeting=held, text="Inventera")
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    for rest in ("", "settings/"):
        assert client.get(group_url(m, rest)).status_code == 404
    base = held.get_absolute_url()
    for rest in ("attendance/", "minutes/", "pdf/", "decisions/new/"):
        assert client.get(base + rest).status_code == 404, rest
    assert client.get(f"{base}decisions/{decision.pk}/edit/").status_code == 404
    for rest in ("approve/", "convene/", "attendance/", "minutes/"):
        assert client.post(base + rest).status_code == 404, rest


def test_group_page_query_count_does_not_grow(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for departments in (2, 15):
        while ITGroupMember.objects.filter(municipality=m).count() < departments:
            seat(m)
            department(m)
            meeting(m, days=-ITGroupMember.objects.count())
            meeting(m, days=ITGroupMember.objects.count(), status=MeetingStatus.PLANNED)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(group_url(m)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- attendance --------------------------------------------------------------------------------


def test_attendance_form_lists_every_member_and_records_each(client: Any) -> None:
    m = MunicipalityFactory()
    seats = [seat(m) for _ in range(3)]
    ended = seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2020, 6, 1))
    held = meeting(m)
    user = member(m, Role.IT_COORDINATOR)
    client.force_login(user)
    url = held.get_absolute_url() + "attendance/"
    form = client.get(url).content.decode()
    for s in seats:
        assert f'name="person_{s.person_id}"' in form
        assert f'value="{Presence.EXCUSED}"' in form
    assert f'name="person_{ended.person_id}"' not in form  # not a member on the day
    assert "<fieldset" in form and "<legend>" in form
    body = {
        f"person_{seats[0].person_id}": Presence.PRESENT,
        f"person_{seats[1].person_id}": Presence.EXCUSED,
        f"person_{seats[2].person_id}": Presence.ABSENT,
    }
    assert client.post(url, body).status_code == 302
    rows = {r.person_id: r for r in MeetingAttendance.objects.filter(meeting=held)}
    assert {pk: r.presence for pk, r in rows.items()} == {
        seats[0].person_id: Presence.PRESENT,
        seats[1].person_id: Presence.EXCUSED,
        seats[2].person_id: Presence.ABSENT,
    }
    assert rows[seats[0].person_id].member == seats[0]
    assert LogEntry.objects.get_for_object(rows[seats[0].person_id]).get().actor == user
    # recorded again: only the change is written
    again = {**body, f"person_{seats[2].person_id}": Presence.PRESENT}
    client.post(url, again)
    assert MeetingAttendance.objects.get(person=seats[2].person).presence == Presence.PRESENT
    assert MeetingAttendance.objects.filter(meeting=held).count() == 3
    # the form shows what is recorded
    form = client.get(url).content.decode()
    assert re.search(rf'name="person_{seats[1].person_id}" value="excused"[^>]*checked', form)


def test_attendance_rejects_an_unknown_value(client: Any) -> None:
    m = MunicipalityFactory()
    s = seat(m)
    held = meeting(m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(held.get_absolute_url() + "attendance/", {f"person_{s.person_id}": "x"})
    assert response.status_code == 400
    assert not MeetingAttendance.objects.exists()


def test_a_reader_may_not_record_attendance(client: Any) -> None:
    m = MunicipalityFactory()
    s = seat(m)
    held = meeting(m)
    client.force_login(member(m, Role.AUDITOR))
    url = held.get_absolute_url() + "attendance/"
    assert client.get(url).status_code == 403
    assert client.post(url, {f"person_{s.person_id}": Presence.PRESENT}).status_code == 403
    assert not MeetingAttendance.objects.exists()


# --- minutes, decisions, approval ----------------------------------------------------------------


def test_minutes_decisions_and_approval_then_the_record_is_closed(client: Any) -> None:
    m = MunicipalityFactory()
    s = seat(m)
    planned = meeting(m, days=-1, status=MeetingStatus.PLANNED)
    user = member(m, Role.IT_COORDINATOR)
    client.force_login(user)
    base = planned.get_absolute_url()
    assert client.post(base + "minutes/", {"minutes": "§1 Öppnande"}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.HELD
    response = client.post(
        base + "decisions/new/",
        {"text": "Inventera skrivare", "responsible": s.person_id, "due_date": "2030-01-31"},
    )
    assert response.status_code == 302
    decision = MeetingDecision.objects.get(meeting=planned)
    assert decision.responsible == s.person
    assert client.post(base + "approve/").status_code == 302
    planned.refresh_from_db()
    assert planned.minutes_approved and planned.minutes_approved_by == user
    # closed: no more minutes, attendance, new decisions or edits of the meeting
    assert client.get(base + "minutes/").status_code == 403
    assert client.get(base + "attendance/").status_code == 403
    assert client.get(base + "decisions/new/").status_code == 403
    assert client.get(base + "edit/").status_code == 403
    client.post(base + "minutes/", {"minutes": "Ändrat"})
    planned.refresh_from_db()
    assert planned.minutes == "§1 Öppnande"
    # a decision may still be marked done, its wording stays
    edit = f"{base}decisions/{decision.pk}/edit/"
    assert client.get(edit).status_code == 200
    client.post(edit, {"text": "Något annat", "due_date": "2030-01-31", "done": "on"})
    decision.refresh_from_db()
    assert decision.done and decision.text == "Inventera skrivare"
    # still archivable
    assert client.post(base + "archive/").status_code == 302


def test_approving_empty_minutes_is_refused_with_a_message(client: Any) -> None:
    m = MunicipalityFactory()
    held = meeting(m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(held.get_absolute_url() + "approve/", follow=True)
    assert response.status_code == 200
    held.refresh_from_db()
    assert not held.minutes_approved


def test_convening_notifies_every_current_member_with_the_agenda(client: Any) -> None:
    m = MunicipalityFactory()
    seats = [seat(m) for _ in range(2)]
    seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2020, 6, 1))
    planned = meeting(m, days=14, status=MeetingStatus.PLANNED, agenda="1. Skolans nät")
    client.force_login(member(m, Role.IT_COORDINATOR))
    assert client.post(planned.get_absolute_url() + "convene/").status_code == 302
    notes = Notification.objects.filter(key__startswith=f"itgroup-meeting:{planned.pk}:")
    assert {n.recipient_id for n in notes} == {s.person_id for s in seats}
    assert all("1. Skolans nät" in n.body for n in notes)
    planned.refresh_from_db()
    assert planned.notice_sent_at is not None
    client.post(planned.get_absolute_url() + "convene/")  # again: nobody told twice
    assert notes.count() == 2


def test_meeting_pdf_is_the_notice_before_and_the_minutes_after(client: Any) -> None:
    pytest.importorskip("weasyprint")
    m = MunicipalityFactory()
    planned = meeting(m, days=10, status=MeetingStatus.PLANNED, agenda="Dagordning")
    held = meeting(m, minutes="Protokoll")
    client.force_login(member(m, Role.AUDITOR))
    for obj in (planned, held):
        response = client.get(obj.get_absolute_url() + "pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_settings_are_kept_by_the_it_department(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.AUDITOR))
    assert client.post(group_url(m, "settings/"), {"meeting_interval_months": 3}).status_code == 403
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(group_url(m, "settings/"), {"meeting_interval_months": 3})
    assert response.status_code == 302
    assert ITGroupSettings.objects.get(municipality=m).meeting_interval_months == 3
    bad = client.post(group_url(m, "settings/"), {"meeting_interval_months": 0})
    assert bad.status_code == 400


def test_meeting_page_shows_the_record_in_fixed_queries_and_no_actions_to_a_reader(
    client: Any,
) -> None:
    m = MunicipalityFactory()
    held = meeting(m, minutes="§1 Öppnande", agenda="1. Öppnande")
    client.force_login(member(m, Role.AUDITOR))
    counts = []
    for size in (1, 8):
        while MeetingDecision.objects.filter(meeting=held).count() < size:
            s = seat(m)
            MeetingAttendance.objects.create(
                municipality=m, meeting=held, person=s.person, member=s, presence=Presence.PRESENT
            )
            MeetingDecision.objects.create(
                municipality=m, meeting=held, text=f"Beslut {size}", responsible=s.person
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(held.get_absolute_url()).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert "§1 Öppnande" in page and 'id="attendance"' in page
    assert "/approve/" not in page and "/attendance/" not in page  # a reader only reads
