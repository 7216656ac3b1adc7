"""The demo's status report (P3.13): one issued earlier in the year, so P3.13 is partly met on
the live policy and the IT coordinator is reminded that the next is due; loaded once."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from stadga.demo.load import load_demo
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.statusreports.reminders import report_due
from stadga.statusreports.services import report_create, report_issue


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def test_the_demo_has_one_issued_report_and_p3_13_partly_met(karlsborg: Any) -> None:
    (issued,) = StatusReport.objects.filter(municipality=karlsborg)
    assert issued.status == ReportStatus.ISSUED
    assert issued.issued_by is not None and issued.commentary
    assert timezone.localdate(issued.issued_at).year == timezone.localdate().year
    assert issued.period_to < timezone.localdate(issued.issued_at)
    clauses = {c["clause"] for c in issued.content["compliance"]["clauses"]}
    assert "P3.13" in clauses
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    clause = {c["clause"]: c for c in json.loads(out.getvalue())["clauses"]}["P3.13"]
    assert clause["status"] == "partly_met"
    assert [r["id"] for r in clause["rules"]] == ["statusreports.reported_twice_a_year"]
    reminders = list(report_due(karlsborg, timezone.localdate()))
    assert reminders and {r.recipient.user.username for r in reminders} == {"it.samordnare"}
    load_demo()  # loading again changes nothing
    assert StatusReport.objects.filter(municipality=karlsborg).count() == 1


def test_an_issued_report_shows_what_the_live_policy_page_shows(karlsborg: Any) -> None:
    """Issue 7's "done means": the IT coordinator issues a report whose figures match the live
    policy page at that moment (its machine-readable form, `stadga compliance --format json`)."""
    coordinator = get_user_model().objects.get(username="it.samordnare")
    today = timezone.localdate()
    report = report_create(
        municipality=karlsborg,
        data={"title": "Lägesrapport", "period_from": today.replace(day=1), "period_to": today},
        actor=coordinator,
    )
    report_issue(report=report, actor=coordinator)
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    live = {c["clause"]: c["status"] for c in json.loads(out.getvalue())["clauses"]}
    issued = {c["clause"]: c["status"] for c in report.content["compliance"]["clauses"]}
    # The report just issued counts for P3.13 itself on the live page; every other clause is
    # exactly as the live page shows it.
    assert live.pop("P3.13") == "met" and issued.pop("P3.13") == "partly_met"
    assert issued == live
