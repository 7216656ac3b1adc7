"""The reminder of the status reports (P3.13), sent by the daily job (stadga.notifications)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.dates import months_before
from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import role_holders

from .selectors import issued_since, start_of

# A report is due when none has been issued for this many months: early enough to issue one
# before six months pass, so that two fall in every twelve (P3.13).
DUE_AFTER_MONTHS = 5
REPORT_EVERY_MONTHS = 6


@reminder_source("statusreports.report_due")
def report_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.13: the IT coordinator reports to the management group at least twice a year. When no
    status report has been issued in the last five months, the IT coordinators are reminded
    that the next is due, by six months after the latest (at once when none has been issued).

    The key names the latest report (or the year, when none has been issued): each gap is
    reminded of once. Two queries, one when a report is recent."""
    count, latest = issued_since(municipality, start_of(months_before(today, DUE_AFTER_MONTHS)))
    if count:
        return
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    link = reverse("statusreports:statusreport_list", kwargs={"municipality": municipality.slug})
    if latest is not None:
        latest_day = timezone.localdate(latest)
        # The same day six months later (months_before with a negative count goes forward).
        due = months_before(latest_day, -REPORT_EVERY_MONTHS)
        key = f"status-report-due:{latest_day.isoformat()}"
        body = _(
            "The latest status report to the management group was issued %(date)s. The next "
            "is due by %(due)s: the IT coordinator reports at least twice a year (P3.13)."
        ) % {"date": latest_day.isoformat(), "due": due.isoformat()}
    else:
        due = today
        key = f"status-report-due:none:{today.year}"
        body = _(
            "No status report to the management group has been issued in Stadga. The IT "
            "coordinator reports at least twice a year (P3.13): start one from live data."
        )
    for person in coordinators:
        yield Reminder(
            recipient=person,
            key=key,
            subject=_("A status report to the management group is due"),
            body=body,
            link=link,
            due_date=due,
        )
