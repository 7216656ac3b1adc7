"""The measures list (P9.5) and the platform's section of it (P9.4)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .choices import Effect
from .models import Measure


class MeasureTable(ScopedTable):
    title = tables.Column(linkify=True)
    system = tables.Column(
        order_by=("system__name",),
        default=_("Platform and data communication"),
        linkify=lambda record: record.system.get_absolute_url() if record.system_id else None,
    )
    requirement = tables.Column(
        verbose_name=_("Requirement"),
        order_by=("requirement__code",),
        accessor="requirement__code",
        attrs={"td": {"class": "nowrap"}},
    )
    status = tables.Column()
    responsible = tables.Column(order_by=("responsible__name",))
    planned_for = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "nowrap"}})
    next_follow_up = tables.Column(attrs={"td": {"class": "nowrap"}})
    last_effect = tables.Column(
        verbose_name=_("Last follow-up"), empty_values=(), order_by=("last_performed_on",)
    )

    class Meta(ScopedTable.Meta):
        model = Measure
        fields: tuple[str, ...] = (
            "title",
            "system",
            "requirement",
            "status",
            "responsible",
            "planned_for",
            "next_follow_up",
        )
        sequence: tuple[str, ...] = (*fields, "last_effect")
        order_by: tuple[str, ...] = ("system", "title")

    def render_next_follow_up(self, value: Any) -> Any:
        if value < timezone.localdate():
            return format_html(
                '{} <span class="badge badge--gap">{}</span>',
                value.isoformat(),
                _("overdue"),
            )
        return value.isoformat()

    def render_last_effect(self, record: Measure) -> Any:
        effect = getattr(record, "last_effect", None)
        if not effect:
            return "–"
        performed_on = getattr(record, "last_performed_on", None)
        label = Effect(effect).label
        when = performed_on.isoformat() if performed_on else ""
        return f"{label} ({when})" if when else label


class PlatformMeasureTable(MeasureTable):
    """The same columns without the system: every row is the platform's (P9.4)."""

    class Meta(MeasureTable.Meta):
        exclude = ("system",)
        sequence = (
            "title",
            "requirement",
            "status",
            "responsible",
            "planned_for",
            "next_follow_up",
            "last_effect",
        )
        order_by = ("title",)
