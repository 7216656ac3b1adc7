"""The figures of a status report (P3.13): what each section counts, the change of each clause
since the last issued report, and a fixed number of queries as the data grows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.policy.engine import evaluate
from stadga.statusreports.choices import Change
from stadga.statusreports.figures import change, compute
from stadga.testing.factories import MunicipalityFactory
from stadga.testing.policy import adopted_policy

from .helpers import data_rows, report

pytestmark = pytest.mark.django_db

CLAUSES = {
    "P3.13": ["statusreports.reported_twice_a_year"],
    "P3.2": ["organisation.it_coordinator_named"],
}


def period() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"period_from": today - datetime.timedelta(days=30), "period_to": today}


def test_the_figures_count_what_is_open_decided_waiting_and_planned() -> None:
    m = MunicipalityFactory()
    data_rows(m, 4)
    figures = compute(m, **period())
    assert figures["compliance"] is None  # no policy adopted
    assert figures["shortfall_notices"]["open"] == 2
    assert figures["shortfall_notices"]["acknowledged"] == 2
    requests = figures["product_requests"]
    assert (requests["decided"], requests["approved"], requests["waiting"]) == (2, 2, 2)
    assert requests["waiting_since"] == (timezone.localdate() - datetime.timedelta(3)).isoformat()
    assert (figures["incidents"]["total"], figures["incidents"]["significant"]) == (4, 2)
    boards = [b for b in figures["plans"]["boards"] if b["plan_status"]]
    assert len(boards) == 4  # the requests' boards have no plan: listed as such, empty
    assert all(b["total"] == 0 for b in figures["plans"]["boards"] if not b["plan_status"])
    assert all(b["plan_status"] == "draft" and b["total"] == 2 for b in boards)
    assert all(b["items"]["done"] == 1 and b["items"]["ongoing"] == 1 for b in boards)
    assert figures["installed_software"] is None  # no inventory imported


def test_requests_and_incidents_outside_the_period_are_not_counted() -> None:
    m = MunicipalityFactory()
    data_rows(m, 2)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    figures = compute(m, period_from=long_ago, period_to=long_ago + datetime.timedelta(days=10))
    assert figures["product_requests"]["decided"] == 0
    assert figures["product_requests"]["waiting"] == 1  # waiting is now, whatever the period
    assert figures["incidents"]["total"] == 0
    assert figures["shortfall_notices"]["open"] == 1  # open is now


def test_compliance_is_the_live_policy_page_and_its_change_since_the_last_report() -> None:
    m = MunicipalityFactory()
    adopted_policy(m, CLAUSES)
    last = report(
        m,
        issued_on=timezone.localdate() - datetime.timedelta(days=90),
        content={
            "compliance": {
                "clauses": [
                    {"clause": "P3.13", "status": "not_met"},
                    {"clause": "P3.2", "status": "met"},
                ]
            }
        },
    )
    draft = report(m)
    figures = compute(m, exclude=draft.pk, **period())
    live = {r.clause.clause_id: str(r.status) for r in evaluate(m).clauses}  # type: ignore[union-attr]
    clauses = {c["clause"]: c for c in figures["compliance"]["clauses"]}
    assert {k: c["status"] for k, c in clauses.items()} == live
    assert clauses["P3.13"]["status"] == "partly_met"  # one report in twelve months
    assert clauses["P3.13"]["change"] == Change.IMPROVED
    assert clauses["P3.2"]["status"] == "not_met"  # no IT coordinator named
    assert clauses["P3.2"]["change"] == Change.WORSENED
    assert clauses["P3.2"]["previous_status"] == "met"
    assert figures["compliance"]["changed"] == 2
    assert figures["previous_report"]["title"] == last.title


def test_without_an_earlier_report_there_is_no_change() -> None:
    m = MunicipalityFactory()
    adopted_policy(m, CLAUSES)
    figures = compute(m, **period())
    assert figures["previous_report"] is None
    assert {c["change"] for c in figures["compliance"]["clauses"]} == {""}


def test_change_reads_the_order_of_the_statuses() -> None:
    assert change(None, "met") == Change.NEW
    assert change("met", "met") == Change.UNCHANGED
    assert change("not_met", "partly_met") == Change.IMPROVED
    assert change("met", "not_met") == Change.WORSENED
    assert change("met", "not_measurable") == Change.CHANGED


def test_the_figures_take_a_fixed_number_of_queries_as_the_data_grows() -> None:
    m = MunicipalityFactory()
    adopted_policy(m, CLAUSES)
    counts = []
    for rows in (2, 12):
        data_rows(m, rows - (2 if counts else 0))
        report(m, issued_on=timezone.localdate() - datetime.timedelta(days=rows))
        with CaptureQueriesContext(connection) as queries:
            figures = compute(m, **period())
        counts.append(len(queries))
    assert figures["incidents"]["total"] == 12
    assert counts[0] == counts[1], counts
