"""The P3.13 rule (at least two status reports a year, counted over the last twelve months) and
the reminder that the next report is due."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.notifications.reminders import all_reminder_sources
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext
from stadga.statusreports.reminders import report_due
from stadga.statusreports.rules import reported_twice_a_year
from stadga.testing.factories import MunicipalityFactory, member

from .helpers import report

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def evaluate(m: object) -> object:
    return reported_twice_a_year(RuleContext(municipality=m))


def test_two_reports_in_the_last_twelve_months_is_met() -> None:
    m = MunicipalityFactory()
    report(m, issued_on=days_ago(300))
    report(m, issued_on=days_ago(100))
    result = evaluate(m)
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (2, 2)
    assert not result.offenders


def test_one_report_is_partly_met_and_none_not_met() -> None:
    m = MunicipalityFactory()
    assert evaluate(m).status == Status.NOT_MET
    report(m, issued_on=days_ago(30))
    result = evaluate(m)
    assert result.status == Status.PARTLY_MET
    assert result.offenders[0].url == f"/k/{m.slug}/status-reports/"


def test_reports_older_than_twelve_months_drafts_and_archived_ones_do_not_count() -> None:
    m = MunicipalityFactory()
    report(m, issued_on=days_ago(400))
    report(m, issued_on=days_ago(10), archived_at=timezone.now())
    report(m)  # a draft
    assert evaluate(m).status == Status.NOT_MET


def test_the_rule_takes_one_query() -> None:
    m = MunicipalityFactory()
    for n in range(5):
        report(m, issued_on=days_ago(10 + n))
    with CaptureQueriesContext(connection) as queries:
        evaluate(m)
    assert len(queries) == 1


def test_the_reminder_is_registered() -> None:
    assert "statusreports.report_due" in all_reminder_sources()


def test_a_report_is_due_after_five_months_without_one() -> None:
    m = MunicipalityFactory()
    coordinator = Person.objects.get(user=member(m, Role.IT_COORDINATOR))
    member(m, Role.AUDITOR)
    report(m, issued_on=days_ago(160))
    (reminder,) = list(report_due(m, timezone.localdate()))
    assert reminder.recipient == coordinator
    assert reminder.key == f"status-report-due:{days_ago(160).isoformat()}"
    assert reminder.due_date is not None and reminder.due_date > timezone.localdate()


def test_no_reminder_when_a_report_is_recent_and_one_at_once_when_none_was_issued() -> None:
    m = MunicipalityFactory()
    member(m, Role.IT_COORDINATOR)
    (reminder,) = list(report_due(m, timezone.localdate()))
    assert reminder.due_date == timezone.localdate()
    report(m, issued_on=days_ago(20))
    with CaptureQueriesContext(connection) as queries:
        assert list(report_due(m, timezone.localdate())) == []
    assert len(queries) == 1
