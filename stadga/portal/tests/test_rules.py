"""The P7.1 rules: the portal published with a current accessibility statement, and residents'
messages answered in time. Each has a met and a broken case and a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule
from stadga.portal.choices import MessageStatus
from stadga.portal.models import AccessibilityStatement, PortalSettings, ResidentMessage
from stadga.portal.rules import messages_answered_in_time, published_and_current
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    PortalSettingsFactory,
    ResidentMessageFactory,
    SystemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def message(m: Any, *, received: int, **fields: Any) -> ResidentMessage:
    """A message received `received` days ago (its other dates as given)."""
    row = ResidentMessageFactory(municipality=m, **fields)
    ResidentMessage.objects.filter(pk=row.pk).update(created_at=days_ago(received))
    row.refresh_from_db()
    return row


def answered(days: int) -> dict[str, Any]:
    return {"status": MessageStatus.ANSWERED, "answered_at": days_ago(days), "answer": "Svar."}


# --- portal.published_and_current ---------------------------------------------------------------


def test_both_rules_measure_p7_1() -> None:
    for rule_id in ("portal.published_and_current", "portal.messages_answered_in_time"):
        assert get_rule(rule_id).clauses == ("P7.1",)


def test_a_published_portal_with_a_statement_assessed_this_year_is_met(published: Any) -> None:
    AccessibilityStatement.objects.create(
        municipality=published, assessed_on=timezone.localdate() - datetime.timedelta(days=300)
    )
    result = published_and_current(RuleContext(municipality=published))
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (2, 2)
    assert "The portal is published" in result.summary
    assert not result.offenders


def test_an_old_statement_is_partly_met_and_nothing_is_not_met(published: Any) -> None:
    AccessibilityStatement.objects.create(
        municipality=published, assessed_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    result = published_and_current(RuleContext(municipality=published))
    assert result.status == Status.PARTLY_MET
    assert [o.label for o in result.offenders] == ["Accessibility statement"]
    assert "more than a year ago" in result.offenders[0].reason

    m = MunicipalityFactory()
    PortalSettings.objects.create(municipality=m, is_published=False)
    result = published_and_current(RuleContext(municipality=m))
    assert result.status == Status.NOT_MET
    assert [o.label for o in result.offenders] == ["Portal settings", "Accessibility statement"]
    assert all(o.url.startswith(f"/k/{m.slug}/portal/") for o in result.offenders)
    assert "not published" in result.summary


def test_the_portal_rule_takes_two_queries(published: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        published_and_current(RuleContext(municipality=published))
    assert len(queries) == 2


# --- portal.messages_answered_in_time -----------------------------------------------------------


def test_no_messages_is_not_applicable(published: Any) -> None:
    result = messages_answered_in_time(RuleContext(municipality=published))
    assert result.status == Status.NOT_APPLICABLE
    assert "No views or questions" in result.summary


def test_answered_closed_in_time_and_not_yet_due_are_met(published: Any) -> None:
    message(published, received=20, **answered(15))
    message(published, received=30, status=MessageStatus.CLOSED, closed_at=days_ago(25))
    message(published, received=3)  # open, due in 11 days
    message(published, received=14)  # open, due today
    message(published, received=500)  # before the window
    message(published, received=40, archived_at=timezone.now())  # archived
    result = messages_answered_in_time(RuleContext(municipality=published))
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (4, 4)
    assert "4 of 4 views and questions" in result.summary


def test_overdue_and_late_ones_break_it_by_reference(published: Any) -> None:
    on_time = message(published, received=5)
    overdue = message(published, received=15, name="Anna Andersson")
    late = message(published, received=40, **answered(10))
    result = messages_answered_in_time(RuleContext(municipality=published))
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator) == (1, 3)
    labels = {o.label for o in result.offenders}
    assert labels == {overdue.reference, late.reference}
    assert on_time.reference not in labels
    assert all("Anna" not in o.label + o.reason for o in result.offenders)
    assert {o.url for o in result.offenders} == {
        overdue.get_absolute_url(),
        late.get_absolute_url(),
    }


def test_the_answer_target_is_the_municipalitys(published: Any) -> None:
    PortalSettings.objects.filter(municipality=published).update(answer_target_days=30)
    message(published, received=20)
    assert messages_answered_in_time(RuleContext(municipality=published)).status == Status.MET
    PortalSettings.objects.filter(municipality=published).update(answer_target_days=5)
    assert messages_answered_in_time(RuleContext(municipality=published)).status == Status.NOT_MET


def test_a_board_narrowing_counts_the_boards_systems(published: Any) -> None:
    board = BoardFactory(municipality=published)
    system = SystemFactory(municipality=published, board=board, department__board=board)
    message(published, received=30, system=system)
    message(published, received=2)
    narrowed = messages_answered_in_time(RuleContext(municipality=published, board=board))
    assert (narrowed.numerator, narrowed.denominator) == (0, 1)


def test_the_messages_rule_takes_two_queries_whatever_the_number(published: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            messages_answered_in_time(RuleContext(municipality=published))
        return len(queries)

    message(published, received=30)
    assert count() == 2
    for n in range(10):
        message(published, received=n + 1)
        message(published, received=n + 20, **answered(n + 1))
    assert count() == 2


def test_unpublished_settings_row_is_missing_entirely() -> None:
    m = MunicipalityFactory()
    assert published_and_current(RuleContext(municipality=m)).status == Status.NOT_MET
    PortalSettingsFactory(municipality=m)
    result = published_and_current(RuleContext(municipality=m))
    assert result.status == Status.PARTLY_MET
    assert "has not been assessed" in result.summary
