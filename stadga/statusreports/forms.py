from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.dates import months_before
from stadga.core.forms import ScopedModelForm

from .figures import last_issued
from .models import StatusReport


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatusReportForm(ScopedModelForm):
    """A draft's title, period and the coordinator's commentary (P3.13). A new report's period
    starts the day after the last issued report's period ended (or six months ago) and ends
    today."""

    class Meta:
        model = StatusReport
        fields = ["title", "period_from", "period_to", "commentary"]
        widgets = {
            "period_from": _date(),
            "period_to": _date(),
            "commentary": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            today = timezone.localdate()
            previous = last_issued(self.municipality)
            start = months_before(today, 6)
            if previous is not None and previous.period_to < today:
                start = previous.period_to + datetime.timedelta(days=1)
            self.initial.setdefault("period_from", start)
            self.initial.setdefault("period_to", today)
            self.initial.setdefault(
                "title", _("Status report %(date)s") % {"date": today.isoformat()}
            )
