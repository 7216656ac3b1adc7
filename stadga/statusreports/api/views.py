"""API endpoints for status reports (P3.13), with the pages' access rules: those who read
everything read them; the IT department writes drafts and issues them, through the services
(an issued report is refused every change: a 400)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import GovernedViewSet
from stadga.organisation.models import Municipality

from .. import services
from ..access import reads_reports, writes_reports
from ..choices import ReportStatus
from ..models import StatusReport
from . import serializers as s


class StatusReportFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__slug")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = StatusReport
        fields = ("municipality", "status")


class StatusReportViewSet(GovernedViewSet):
    """Status reports to the management group: drafts and issued records."""

    model = StatusReport
    serializer_class = s.StatusReportSerializer
    update_serializer_class = s.StatusReportUpdateSerializer
    filterset_class = StatusReportFilter
    search_fields = ("title", "commentary")
    ordering_fields = ("period_to", "issued_at", "updated_at")
    create_denied = _("Only the IT department writes status reports.")
    change_denied = create_denied
    archive_denied = create_denied

    def base(self) -> QuerySet:
        qs = StatusReport.objects.select_related("municipality", "issued_by")
        access = self.access
        if access.is_operator:
            return qs
        readable = [m for m in sorted(access.member_of) if reads_reports(access, m)]
        return qs.filter(municipality_id__in=readable)

    def visible(self, *, archived: bool) -> QuerySet:
        return self.base().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        if not reads_reports(self.access, municipality.pk):
            raise Http404
        return get_object_or_404(self.base().filter(municipality=municipality), pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return writes_reports(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return writes_reports(self.access, instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return writes_reports(self.access, instance.municipality_id)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.report_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.report_update(report=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services.report_archive(report=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services.report_restore(report=instance, actor=self.request.user)

    @extend_schema(request=None, responses=s.StatusReportSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue a draft to the management group: its figures are frozen, and from then on it
        is a record that is not changed."""
        report = self.get_object()
        if not self.may_change(report):
            raise PermissionDenied(self.change_denied)
        return self.represent(services.report_issue(report=report, actor=request.user))
