"""Status reports as the API reads and writes them (P3.13): a draft's title, period and
commentary are written; an issued report's frozen figures (`content`) are read."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from stadga.api.base import ScopedSerializer
from stadga.security.api.serializers import InlineChoiceField

from ..choices import ReportStatus
from ..models import StatusReport

_READ_ONLY = (
    "status",
    "issued_at",
    "issued_by",
    "content",
    "archived_at",
    "created_at",
    "updated_at",
)


class StatusReportSerializer(ScopedSerializer):
    """A status report to the management group; `content` holds the figures frozen when it
    was issued (empty for a draft)."""

    status = InlineChoiceField(choices=ReportStatus.choices, read_only=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True, default=None)
    content = serializers.JSONField(read_only=True)

    class Meta:
        model = StatusReport
        fields = (
            "id",
            "municipality",
            "title",
            "period_from",
            "period_to",
            "commentary",
            "url",
            "is_archived",
            *_READ_ONLY,
        )
        read_only_fields = _READ_ONLY
        validators: list[Any] = []


class StatusReportUpdateSerializer(StatusReportSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
