from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import ITGroupMeeting, ITGroupMember


class ITGroupMemberTable(ScopedTable):
    person = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("person__name",)
    )
    department = tables.Column(order_by=("department__name",))

    class Meta(ScopedTable.Meta):
        model = ITGroupMember
        fields = ("person", "department", "role", "since", "until")


class ITGroupMeetingTable(ScopedTable):
    starts_at = tables.DateTimeColumn(
        linkify=lambda record: record.get_absolute_url(), format="Y-m-d H:i"
    )
    convened_by = tables.Column(order_by=("convened_by__name",))
    minutes_approved_at = tables.BooleanColumn(
        verbose_name=_("Minutes approved"), yesno=(_("Yes"), _("No"))
    )

    class Meta(ScopedTable.Meta):
        model = ITGroupMeeting
        fields = ("starts_at", "place", "status", "convened_by", "minutes_approved_at")
