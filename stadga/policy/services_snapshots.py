"""Daily compliance snapshots: the evaluation of the adopted policy kept per day, for the trend
and for "what changed since the last snapshot" (P3.1).

A snapshot is derived data, not a governed record: it is recomputed from what the register holds,
so it carries no change log. There is one per municipality, policy and day; taking it again the
same day replaces that day's figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .choices import SEVERITY, Status
from .engine import Evaluation, evaluate
from .models import ComplianceSnapshot


def snapshot_clauses(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """What a snapshot keeps of each clause: {"P9.3": {"status", "numerator", "denominator",
    "summary", "offender_count", "order"}}. `order` keeps document order, which a JSON column
    on PostgreSQL (jsonb) does not preserve."""
    clauses = {}
    for result in evaluation.clauses:
        data = result.as_dict()
        clauses[result.clause.clause_id] = {
            "status": data["status"],
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "summary": data["figure"],
            "offender_count": data["offender_count"],
            "order": result.clause.order,
        }
    return clauses


def snapshot_take(
    *, municipality: Any, today: datetime.date | None = None
) -> ComplianceSnapshot | None:
    """Evaluate the municipality's adopted policy and keep it as the snapshot of `today` (by
    default the local date), replacing one taken earlier the same day. None when the
    municipality has adopted no policy: there is nothing to measure against.

    Called daily by the background worker; safe to call again at any time.
    """
    today = today or timezone.localdate()
    # The figures' words are frozen into the snapshot: in the installation's language, whatever
    # language the caller (a request, the worker) happens to run in.
    with translation.override(settings.LANGUAGE_CODE):
        evaluation = evaluate(municipality, today=today)
        if evaluation is None:
            return None
        clauses = snapshot_clauses(evaluation)
    counts = evaluation.counts()
    with transaction.atomic():
        snapshot, _created = ComplianceSnapshot.objects.update_or_create(
            municipality=municipality,
            policy=evaluation.policy,
            taken_on=today,
            defaults={
                "clauses": clauses,
                "met": counts[Status.MET],
                "partly_met": counts[Status.PARTLY_MET],
                "not_met": counts[Status.NOT_MET],
                "not_measurable": counts[Status.NOT_MEASURABLE],
                "not_applicable": counts[Status.NOT_APPLICABLE],
            },
        )
    return snapshot


def snapshot_previous(snapshot: ComplianceSnapshot) -> ComplianceSnapshot | None:
    """The latest snapshot of the same municipality and policy before `snapshot`'s day."""
    return (
        ComplianceSnapshot.objects.filter(
            municipality_id=snapshot.municipality_id,
            policy_id=snapshot.policy_id,
            taken_on__lt=snapshot.taken_on,
        )
        .order_by("-taken_on")
        .first()
    )


@dataclass(frozen=True)
class StatusChange:
    """A clause whose status differs between two evaluations; a side is None when the clause
    was not part of it (e.g. a clause of a newly adopted policy version)."""

    clause: str
    previous: str | None
    current: str | None
    order: int = 0

    @property
    def previous_label(self) -> str:
        return str(Status(self.previous).label) if self.previous else ""

    @property
    def current_label(self) -> str:
        return str(Status(self.current).label) if self.current else ""

    @property
    def improved(self) -> bool | None:
        """True when the clause is better kept now, False when worse, None when the two cannot
        be ranked (a side is missing)."""
        if self.previous is None or self.current is None:
            return None
        return SEVERITY.index(Status(self.current)) > SEVERITY.index(Status(self.previous))


def _statuses(source: ComplianceSnapshot | Evaluation) -> dict[str, tuple[str, int]]:
    """{clause id: (status, order)} of a snapshot or a live evaluation."""
    if isinstance(source, Evaluation):
        return {r.clause.clause_id: (str(r.status), r.clause.order) for r in source.clauses}
    return {
        clause_id: (str(data.get("status")), int(data.get("order", 0)))
        for clause_id, data in source.clauses.items()
    }


def snapshot_changes(
    previous: ComplianceSnapshot | Evaluation | None,
    current: ComplianceSnapshot | Evaluation | None,
) -> list[StatusChange]:
    """The clauses whose status changed from `previous` to `current` (snapshots, or the live
    evaluation as `current`), in document order. Nothing changed when either is missing."""
    if previous is None or current is None:
        return []
    before, after = _statuses(previous), _statuses(current)
    changes = []
    for clause_id in before.keys() | after.keys():
        old, new = before.get(clause_id), after.get(clause_id)
        old_status = old[0] if old else None
        new_status = new[0] if new else None
        if old_status != new_status:
            order = (new or old or ("", 0))[1]
            changes.append(StatusChange(clause_id, old_status, new_status, order))
    return sorted(changes, key=lambda change: (change.order, change.clause))
