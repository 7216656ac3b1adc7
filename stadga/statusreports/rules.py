"""The compliance rule of the status reports (P3.13).

P3.13: the IT coordinator reports to the management group at least twice a year. Counting
reports per calendar year would call every municipality "not met" on 2 January and "met" all
year after two reports in January; instead the rule counts the reports issued in the last twelve
months, a window that moves with the day. Met with at least two, partly met with one, not met
with none. A municipality that keeps the rule every day has issued at least two reports in every
calendar year (on 31 December the window is that year), so this is the stricter reading, and
fair in January. The reminder (`reminders.py`) comes when no report has been issued for five
months, before the second in a window falls short.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.dates import months_before
from stadga.policy.registry import Offender, RuleContext, RuleResult, rule

from .selectors import issued_since, start_of

# P3.13: "at least twice a year".
REPORTS_PER_YEAR = 2
WINDOW_MONTHS = 12


@rule(
    "statusreports.reported_twice_a_year",
    clauses=["P3.13"],
    title=gettext_lazy("The IT coordinator has issued at least two status reports in a year"),
)
def reported_twice_a_year(ctx: RuleContext) -> RuleResult:
    """P3.13: at least two status reports issued to the management group in the last twelve
    months (see the module's docstring for why not per calendar year). The reports are the
    municipality's; a board or department narrowing does not change them. One query."""
    today = timezone.localdate()
    since: datetime.date = months_before(today, WINDOW_MONTHS) + datetime.timedelta(days=1)
    count, latest = issued_since(ctx.municipality, start_of(since))
    values = {
        "n": count,
        "since": since.isoformat(),
        "date": timezone.localdate(latest).isoformat() if latest else "",
    }
    summary = _("%(n)s status reports issued since %(since)s (at least two a year)") % values
    summary += "; " + (_("the latest %(date)s") % values if latest else _("none issued yet"))
    kept = min(count, REPORTS_PER_YEAR)
    offenders = []
    if kept < REPORTS_PER_YEAR:
        url = reverse(
            "statusreports:statusreport_list", kwargs={"municipality": ctx.municipality.slug}
        )
        offenders.append(
            Offender(
                label=_("Status reports"),
                url=url,
                reason=_("Fewer than two status reports issued in the last twelve months."),
            )
        )
    result = RuleResult.from_counts(
        kept=kept,
        total=REPORTS_PER_YEAR,
        summary=summary,
        offenders=offenders,
        offender_count=len(offenders),
    )
    return result
