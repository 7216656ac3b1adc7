"""Every write to status reports (P3.13): atomic, validated, logged with who and when.

The views and the API decide who may write (`access.writes_reports`); these services decide what
may be written: an issued report is a record, so every change to it is refused — it may only be
archived (and restored).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.notifications.services import notify
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import role_holders

from . import figures
from .choices import ReportStatus
from .models import StatusReport

# Who the management group is in Stadga's roles: the executive board's read role. (There is no
# role for the municipal director; a director who should be told holds that role.)
MANAGEMENT_ROLES = (Role.EXECUTIVE_BOARD_READER,)


# What a draft's writer may set; the rest (status, issue, figures) only `report_issue` sets.
WRITABLE = ("title", "period_from", "period_to", "commentary")


def _lock_draft(report: StatusReport) -> None:
    """Lock the report's row and refuse if it is issued, as stored: a page or API client
    holding an older copy of the draft cannot change a report issued since. Call inside a
    transaction."""
    status = (
        StatusReport.objects.select_for_update()
        .filter(pk=report.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status == ReportStatus.ISSUED or report.status == ReportStatus.ISSUED:
        raise ValidationError(_("This status report is issued: it is a record and is not changed."))


def report_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> StatusReport:
    """Start a report (a draft) on a period; its figures are computed when it is shown."""
    allowed = {k: v for k, v in data.items() if k in WRITABLE}
    return object_create(model=StatusReport, data=allowed, actor=actor, municipality=municipality)


def report_update(
    *, report: StatusReport, data: Mapping[str, Any], actor: Any
) -> tuple[StatusReport, bool]:
    """Change a draft's title, period or commentary. Refused once the report is issued."""
    allowed = {k: v for k, v in data.items() if k in WRITABLE}
    with governed_write(actor):
        _lock_draft(report)
        return object_update(instance=report, data=allowed, actor=actor)


def report_issue(
    *, report: StatusReport, actor: Any, at: datetime.datetime | None = None
) -> StatusReport:
    """Issue the report to the management group (P3.13): freeze the figures of this moment into
    `content`, record who issued it and when, and tell the management group. Refused for a
    report already issued or archived. `at` records an earlier issue time (the demo's report,
    or one issued on paper and registered afterwards); the figures are always those of now."""
    if report.archived_at is not None:
        raise ValidationError(_("An archived report cannot be issued."))
    municipality = report.municipality
    with governed_write(actor):
        _lock_draft(report)
        report.content = figures.compute(
            municipality,
            period_from=report.period_from,
            period_to=report.period_to,
            exclude=report.pk,
        )
        report.status = ReportStatus.ISSUED
        report.issued_at = at or timezone.now()
        report.issued_by = actor if getattr(actor, "pk", None) else None
        report.full_clean()
        report.save(update_fields=["content", "status", "issued_at", "issued_by", "updated_at"])
        values = {
            "title": report.title,
            "from": date_format(report.period_from, "Y-m-d"),
            "to": date_format(report.period_to, "Y-m-d"),
        }
        notify(
            municipality=municipality,
            recipients=role_holders(municipality, MANAGEMENT_ROLES),
            key=f"status-report-issued:{report.pk}",
            subject=_("Status report issued: %(title)s") % values,
            body=_(
                "The IT coordinator has issued the status report %(title)s on %(from)s–%(to)s "
                "to the management group (P3.13). Read it, or download it as a PDF, in Stadga."
            )
            % values,
            link=report.get_absolute_url(),
        )
    return report


def report_archive(*, report: StatusReport, actor: Any) -> StatusReport:
    """Archive a report (an issued one stays a record, hidden from the list)."""
    return object_archive(instance=report, actor=actor)


def report_restore(*, report: StatusReport, actor: Any) -> StatusReport:
    return object_restore(instance=report, actor=actor)
