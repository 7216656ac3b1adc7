"""The demo municipality's status reports to the management group (P3.13).

The story: the IT coordinator issued one report earlier in the year (about five and a half
months before the demo is loaded, never before 1 January), so P3.13 is partly met — one of the
two reports the last twelve months should hold — and, as no report has been issued for five
months, the coordinator is reminded that the next is due. The report's figures are those of the
moment the demo is loaded (Stadga computes them when a report is issued).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stadga.core.dates import months_before
from stadga.organisation.models import Municipality
from stadga.statusreports import services
from stadga.statusreports.models import StatusReport
from stadga.statusreports.selectors import start_of

ISSUED_DAYS_AGO = 170

COMMENTARY = (
    "Arbetet med systemförvaltningen går enligt plan. Alla system i drift har en utsedd "
    "systemägare utom två, som förvaltningarna har lovat att utse före sommaren.\n\n"
    "Två bristanmälningar väntar på beslut om resurser; IT-avdelningen föreslår att de tas upp "
    "i budgetarbetet. Inventeringen av installerad programvara visar att flera äldre "
    "program ligger kvar på datorerna; de avvecklas under hösten."
)


def load_statusreports(*, municipality: Municipality, coordinator: Any) -> dict[str, int]:
    """Issue the demo's one status report unless the municipality has one; return what was
    created, by kind."""
    if StatusReport.objects.filter(municipality=municipality).exists():
        return {}
    today = timezone.localdate()
    issued_on = max(
        today - datetime.timedelta(days=ISSUED_DAYS_AGO), datetime.date(today.year, 1, 1)
    )
    period_to = issued_on - datetime.timedelta(days=1)
    report = services.report_create(
        municipality=municipality,
        data={
            "title": f"Lägesrapport till chefsgruppen {issued_on.isoformat()}",
            "period_from": months_before(period_to, 6),
            "period_to": period_to,
            "commentary": COMMENTARY,
        },
        actor=coordinator,
    )
    services.report_issue(
        report=report,
        actor=coordinator,
        at=start_of(issued_on) + datetime.timedelta(hours=10),
    )
    return {"status reports": 1}
