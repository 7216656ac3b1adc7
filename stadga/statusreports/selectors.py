"""Reads of status reports shared by the pages and the API (P3.13)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .access import reads_reports
from .choices import ReportStatus
from .models import StatusReport


def report_list(
    *, access: Access, municipality: Municipality, archived: bool | None = False
) -> QuerySet[StatusReport]:
    """The municipality's reports, newest first; nothing to one who may not read them.
    `archived=None`: both current and archived."""
    qs = StatusReport.objects.filter(municipality=municipality)
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if not reads_reports(access, municipality.pk):
        return qs.none()
    return qs.select_related("municipality", "issued_by")


def report_get(*, access: Access, municipality: Municipality, pk: int) -> StatusReport:
    if not reads_reports(access, municipality.pk):
        raise Http404
    qs = StatusReport.objects.filter(municipality=municipality).select_related(
        "municipality", "issued_by", "archived_by"
    )
    return get_object_or_404(qs, pk=pk)


def issued_since(
    municipality: Municipality, since: datetime.datetime
) -> tuple[int, datetime.datetime | None]:
    """How many reports (not archived) were issued from `since`, and when the latest of all
    was issued (None if never). One query."""
    figures = StatusReport.objects.filter(
        municipality=municipality, status=ReportStatus.ISSUED, archived_at__isnull=True
    ).aggregate(n=Count("pk", filter=Q(issued_at__gte=since)), latest=Max("issued_at"))
    return figures["n"], figures["latest"]


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )
