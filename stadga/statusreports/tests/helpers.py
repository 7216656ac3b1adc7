"""Test data of the status reports and of the figures they read: saved directly, as the
factories do (they are not a write path)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stadga.catalogue.choices import Outcome, RequestStatus
from stadga.organisation.models import Board, Municipality
from stadga.plans.choices import ItemStatus, PlanStatus
from stadga.plans.models import ITPlan, PlanItem
from stadga.security.choices import NoticeStatus
from stadga.security.models import Incident, ShortfallNotice
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.testing.factories import BoardFactory, PersonFactory, ProductRequestFactory

TZ = timezone.get_default_timezone()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), TZ)


def report(
    municipality: Municipality,
    *,
    issued_on: datetime.date | None = None,
    content: dict[str, Any] | None = None,
    **kwargs: Any,
) -> StatusReport:
    """A draft on the six months up to `period_to` (today), or, with `issued_on`, a report
    issued that day."""
    period_to = kwargs.pop("period_to", timezone.localdate())
    fields: dict[str, Any] = {
        "title": "Lägesrapport",
        "period_from": period_to - datetime.timedelta(days=180),
        "period_to": period_to,
        **kwargs,
    }
    if issued_on is not None:
        fields.update(status=ReportStatus.ISSUED, issued_at=at(issued_on), content=content or {})
    return StatusReport.objects.create(municipality=municipality, **fields)


def data_rows(municipality: Municipality, n: int, board: Board | None = None) -> None:
    """`n` of everything the figures count: notices, requests, incidents, plans with items."""
    today = timezone.localdate()
    writer = PersonFactory(municipality=municipality)
    for i in range(n):
        b = BoardFactory(municipality=municipality)
        ShortfallNotice.objects.create(
            municipality=municipality,
            written_by=writer,
            title=f"Brist {b.pk}",
            need="Mer folk",
            risk="Driftstopp",
            board=b,
            status=NoticeStatus.OPEN if i % 2 else NoticeStatus.ACKNOWLEDGED,
        )
        request = ProductRequestFactory(municipality=municipality)
        if i % 2:
            request.status = RequestStatus.DECIDED
            request.outcome = Outcome.APPROVED
            request.decided_at = at(today)
        else:
            request.status = RequestStatus.SUBMITTED
            request.submitted_at = at(today - datetime.timedelta(days=3))
        request.save()
        Incident.objects.create(
            municipality=municipality,
            title=f"Incident {b.pk}",
            description="Något hände.",
            discovered_at=at(today),
            significant=bool(i % 2),
        )
        plan = ITPlan.objects.create(
            municipality=municipality, board=b, year=today.year, status=PlanStatus.DRAFT
        )
        for status in (ItemStatus.DONE, ItemStatus.ONGOING):
            PlanItem.objects.create(
                municipality=municipality, plan=plan, title="Satsning", follow_up_status=status
            )
