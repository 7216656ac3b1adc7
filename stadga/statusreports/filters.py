from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet

from .choices import ReportStatus
from .models import StatusReport


class StatusReportFilterSet(ScopedFilterSet):
    search_fields = ("title", "commentary")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = StatusReport
        fields = ["q", "status"]
