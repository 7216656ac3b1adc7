"""The demo's IT group (P3.12): loaded once, and measured on the live policy with its story: the
Samhällsbyggnadsförvaltningen without a representative, the group convened within six months."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from stadga.demo.load import load_demo
from stadga.itgroup.choices import MeetingStatus
from stadga.itgroup.models import ITGroupMeeting, ITGroupMember, MeetingDecision
from stadga.itgroup.reminders import decisions_overdue, departments_unrepresented
from stadga.notifications.models import Notification


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_demo_has_an_it_group_with_two_held_meetings_and_one_ahead(karlsborg: Any) -> None:
    meetings = ITGroupMeeting.objects.filter(municipality=karlsborg)
    held = meetings.filter(status=MeetingStatus.HELD)
    assert held.count() == 2
    assert all(m.minutes_approved and m.attendance.exists() for m in held)
    assert MeetingDecision.objects.filter(meeting__in=held).count() == 4
    (ahead,) = meetings.filter(status=MeetingStatus.PLANNED)
    assert ahead.starts_at > timezone.now() and ahead.notice_sent_at is not None
    assert Notification.objects.filter(key__startswith=f"itgroup-meeting:{ahead.pk}:").exists()
    assert ITGroupMember.objects.filter(municipality=karlsborg).count() == 7
    # loading again changes nothing
    load_demo()
    assert ITGroupMeeting.objects.filter(municipality=karlsborg).count() == 3


def test_p3_12_is_measured_on_the_live_policy(karlsborg: Any) -> None:
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    clauses = {c["clause"]: c for c in json.loads(out.getvalue())["clauses"]}
    clause = clauses["P3.12"]
    assert clause["status"] == "partly_met"
    (rule,) = clause["rules"]
    assert rule["id"] == "itgroup.every_department_represented"
    assert (rule["numerator"], rule["denominator"]) == (5, 6)
    assert [o["label"] for o in rule["offenders"]] == ["Samhällsbyggnadsförvaltningen"]


def test_the_demo_reminds_of_the_missing_representative_and_the_late_decision(
    karlsborg: Any,
) -> None:
    today = timezone.localdate()
    missing = {r.subject for r in departments_unrepresented(karlsborg, today)}
    assert len(missing) == 1 and "Samhällsbyggnadsförvaltningen" in missing.pop()
    late = {r.recipient.name for r in decisions_overdue(karlsborg, today)}
    assert "Jonas Hedlund" in late


def test_the_demo_group_page_for_the_coordinator(karlsborg: Any, client: Any) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="it.samordnare"))
    page = client.get("/k/karlsborg/it-group/")
    assert page.status_code == 200
    assert 'id="missing-departments"' in page.content.decode()
