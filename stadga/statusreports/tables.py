from __future__ import annotations

import django_tables2 as tables

from stadga.core.tables import ScopedTable

from .models import StatusReport


class StatusReportTable(ScopedTable):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    issued_at = tables.DateTimeColumn(format="Y-m-d")
    issued_by = tables.Column(order_by=("issued_by__username",))

    class Meta(ScopedTable.Meta):
        model = StatusReport
        fields = ("title", "period_from", "period_to", "status", "issued_at", "issued_by")
