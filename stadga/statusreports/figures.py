"""The figures of a status report (P3.13), computed from Stadga's live data.

`compute()` returns plain JSON: a draft shows it live, and issuing a report stores it as the
report's frozen `content`, from which the issued page and the PDF are rendered. The figures are:

- compliance per clause from the policy engine, exactly as the live policy page evaluates it
  (`stadga.policy.engine.evaluate` for the whole municipality), with each clause's change since
  the last issued report (read from that report's frozen content);
- open shortfall notices (P9.6): those neither decided nor, for `open`, acknowledged;
- product requests (P5.4) decided in the period, by outcome, and those waiting now;
- IT plan progress per board for the current year (P3.4): the plan's status and its items per
  follow-up status;
- incidents discovered in the period (P9.7);
- installed software deviating from the catalogue (`stadga.inventory.reconciliation.report`).

A fixed number of queries, whatever the number of clauses' offenders, notices, requests, plans,
items, incidents or installations (each policy rule runs a fixed number of its own).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from stadga.catalogue.choices import Outcome, RequestStatus
from stadga.catalogue.models import ProductRequest
from stadga.inventory.reconciliation import report as inventory_report
from stadga.organisation.models import Board, Municipality
from stadga.plans.choices import ItemStatus
from stadga.plans.models import ITPlan, PlanItem
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.security.choices import NoticeStatus
from stadga.security.models import Incident, ShortfallNotice

from .choices import Change, ReportStatus
from .models import StatusReport
from .selectors import start_of

# Notices and incidents listed by name in the report; the counts cover all of them.
LISTED = 25

# Kept statuses in order, for "improved" and "worsened"; a move to or from not measurable or
# not applicable is only "changed".
_RANK: dict[str, int] = {Status.NOT_MET: 0, Status.PARTLY_MET: 1, Status.MET: 2}


def last_issued(municipality: Municipality, *, exclude: int | None = None) -> StatusReport | None:
    """The municipality's latest issued report (not archived), the one changes are measured
    from. One query."""
    reports = StatusReport.objects.filter(
        municipality=municipality, status=ReportStatus.ISSUED, archived_at__isnull=True
    )
    if exclude is not None:
        reports = reports.exclude(pk=exclude)
    return reports.order_by("-issued_at", "-pk").first()


def change(previous: str | None, current: str) -> str:
    """How a clause moved from `previous` (None: not in the last report) to `current`."""
    if previous is None:
        return Change.NEW
    if previous == current:
        return Change.UNCHANGED
    if previous in _RANK and current in _RANK:
        return Change.IMPROVED if _RANK[current] > _RANK[previous] else Change.WORSENED
    return Change.CHANGED


def compliance(municipality: Municipality, previous: StatusReport | None) -> dict[str, Any] | None:
    """Each clause's status and figure, and its change since `previous`; None when the
    municipality has adopted no policy."""
    evaluation = evaluate(municipality)
    if evaluation is None:
        return None
    before: dict[str, str] = {}
    if previous is not None and previous.content.get("compliance"):
        before = {c["clause"]: c["status"] for c in previous.content["compliance"]["clauses"]}
    clauses = []
    for result in evaluation.clauses:
        clause_id = result.clause.clause_id
        status = str(result.status)
        clauses.append(
            {
                "clause": clause_id,
                "section": result.clause.section,
                "text": result.clause.display_text,
                "status": status,
                "figure": result.figure,
                "previous_status": before.get(clause_id),
                "change": str(change(before.get(clause_id), status)) if previous else "",
            }
        )
    return {
        "policy": str(evaluation.policy),
        "counts": evaluation.counts(),
        "clauses": clauses,
        "changed": sum(1 for c in clauses if c["change"] in (Change.IMPROVED, Change.WORSENED)),
    }


def shortfall_notices(municipality: Municipality) -> dict[str, Any]:
    """P9.6: the notices not yet decided, oldest first. One query."""
    rows = list(
        ShortfallNotice.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            status__in=(NoticeStatus.OPEN, NoticeStatus.ACKNOWLEDGED),
        )
        .order_by("created_at", "pk")
        .values("pk", "title", "status", "created_at", "board__name", "department__name")
    )
    return {
        "open": sum(1 for r in rows if r["status"] == NoticeStatus.OPEN),
        "acknowledged": sum(1 for r in rows if r["status"] == NoticeStatus.ACKNOWLEDGED),
        "items": [
            {
                "title": r["title"],
                "status": r["status"],
                "since": timezone.localdate(r["created_at"]).isoformat(),
                "to": r["board__name"] or r["department__name"] or "",
            }
            for r in rows[:LISTED]
        ],
    }


def product_requests(
    municipality: Municipality, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """P5.4: requests decided in the period by outcome, and those submitted and waiting now.
    One query."""
    in_period = Q(status=RequestStatus.DECIDED, decided_at__gte=start, decided_at__lt=end)
    waiting = Q(status=RequestStatus.SUBMITTED)
    figures = ProductRequest.objects.filter(
        municipality=municipality, archived_at__isnull=True
    ).aggregate(
        decided=Count("pk", filter=in_period),
        approved=Count("pk", filter=in_period & Q(outcome=Outcome.APPROVED)),
        approved_with_constraints=Count(
            "pk", filter=in_period & Q(outcome=Outcome.APPROVED_WITH_CONSTRAINTS)
        ),
        rejected=Count("pk", filter=in_period & Q(outcome=Outcome.REJECTED)),
        waiting=Count("pk", filter=waiting),
        waiting_since=Min("submitted_at", filter=waiting),
    )
    since = figures.pop("waiting_since")
    figures["waiting_since"] = timezone.localdate(since).isoformat() if since else None
    return figures


def plans(municipality: Municipality, year: int) -> dict[str, Any]:
    """P3.4: each current board's IT plan for `year` (or none) and its items per follow-up
    status. Three queries."""
    boards = list(
        Board.objects.filter(municipality=municipality, archived_at__isnull=True)
        .order_by("name", "pk")
        .values("pk", "name")
    )
    plan_of = {
        p["board_id"]: p
        for p in ITPlan.objects.filter(
            municipality=municipality, year=year, archived_at__isnull=True
        ).values("pk", "board_id", "status")
    }
    items: dict[int, dict[str, int]] = {}
    for row in (
        PlanItem.objects.filter(
            plan_id__in=[p["pk"] for p in plan_of.values()], archived_at__isnull=True
        )
        .values("plan_id", "follow_up_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        items.setdefault(row["plan_id"], {})[row["follow_up_status"]] = row["n"]
    rows = []
    for board in boards:
        plan = plan_of.get(board["pk"])
        counts = items.get(plan["pk"], {}) if plan else {}
        rows.append(
            {
                "board": board["name"],
                "plan_status": plan["status"] if plan else None,
                "items": {status.value: counts.get(status.value, 0) for status in ItemStatus},
                "total": sum(counts.values()),
            }
        )
    return {"year": year, "boards": rows}


def incidents(
    municipality: Municipality, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """P9.7: incidents discovered in the period: how many, how many significant, how many still
    open, and the first of them by name. Two queries."""
    found = Incident.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        discovered_at__gte=start,
        discovered_at__lt=end,
    )
    figures = found.aggregate(
        total=Count("pk"),
        significant=Count("pk", filter=Q(significant=True)),
        open=Count("pk", filter=Q(closed_at__isnull=True)),
    )
    figures["items"] = [
        {
            "title": r["title"],
            "discovered": timezone.localdate(r["discovered_at"]).isoformat(),
            "significant": r["significant"],
            "closed": r["closed_at"] is not None,
        }
        for r in found.order_by("discovered_at", "pk").values(
            "title", "discovered_at", "significant", "closed_at"
        )[:LISTED]
    ]
    return figures


def installed_software(municipality: Municipality, today: datetime.date) -> dict[str, Any] | None:
    """P5.4, P5.5: installations of software the catalogue does not support, or does not know,
    from the current inventory snapshots; None when there is no inventory."""
    reconciliation = inventory_report(municipality, today=today)
    if reconciliation.is_empty:
        return None
    totals = reconciliation.totals
    return {
        "installations": totals.total,
        "supported": totals.supported,
        "not_supported": totals.not_supported,
        "unknown": totals.unknown,
        "devices": reconciliation.devices,
        "devices_with_deviations": reconciliation.devices_with_deviations,
    }


def compute(
    municipality: Municipality,
    *,
    period_from: datetime.date,
    period_to: datetime.date,
    exclude: int | None = None,
) -> dict[str, Any]:
    """Every figure of a report on `period_from`–`period_to`, as of now. `exclude` is the
    report being computed, never its own "last report"."""
    now = timezone.now()
    today = timezone.localdate(now)
    start, end = start_of(period_from), start_of(period_to + datetime.timedelta(days=1))
    previous = last_issued(municipality, exclude=exclude)
    return {
        "computed_at": now.isoformat(),
        "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        "previous_report": (
            {
                "title": previous.title,
                "issued_on": timezone.localdate(previous.issued_at).isoformat(),  # type: ignore[arg-type]
            }
            if previous is not None
            else None
        ),
        "compliance": compliance(municipality, previous),
        "shortfall_notices": shortfall_notices(municipality),
        "product_requests": product_requests(municipality, start, end),
        "plans": plans(municipality, today.year),
        "incidents": incidents(municipality, start, end),
        "installed_software": installed_software(municipality, today),
    }
