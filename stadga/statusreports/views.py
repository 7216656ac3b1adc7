"""The status reports' pages (P3.13): the list, starting a report, a draft with its live figures
beside the commentary, issuing it, the issued record with its frozen figures, and the PDF.

Who may see and do what is in `access.py`: one who may not read reports gets a 404 for every
page; a reader who may not write them gets a 403 for a write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from stadga.core.pdf import pdf_response
from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access

from . import figures, selectors, services
from .access import writes_reports
from .filters import StatusReportFilterSet
from .forms import StatusReportForm
from .models import StatusReport
from .tables import StatusReportTable

NAV_SECTION = "statusreports"


def report_figures(report: StatusReport) -> dict[str, Any]:
    """The figures a report shows: frozen once issued, computed now while a draft."""
    if report.is_issued:
        return report.content
    return figures.compute(
        report.municipality,
        period_from=report.period_from,
        period_to=report.period_to,
        exclude=report.pk,
    )


def _detail_context(access: Access, report: StatusReport) -> dict[str, Any]:
    writes = writes_reports(access, report.municipality_id)
    may_write = writes and not report.is_issued and not report.is_archived
    return {
        "figures": report_figures(report),
        "may_write": may_write,
        "commentary_form": StatusReportForm(
            instance=report, municipality=report.municipality, access=access
        )
        if may_write
        else None,
    }


def _writes(access: Access, report: StatusReport) -> bool:
    return writes_reports(access, report.municipality_id)


report_views = Registration(
    model=StatusReport,
    nav_section=NAV_SECTION,
    list_queryset=selectors.report_list,
    get_object=selectors.report_get,
    table=StatusReportTable,
    filterset=StatusReportFilterSet,
    form=StatusReportForm,
    create=services.report_create,
    update=lambda obj, data, actor: services.report_update(report=obj, data=data, actor=actor),
    archive=lambda obj, actor: services.report_archive(report=obj, actor=actor),
    restore=lambda obj, actor: services.report_restore(report=obj, actor=actor),
    can_create=lambda access, municipality: writes_reports(access, municipality.pk),
    can_edit=lambda access, obj: _writes(access, obj) and not obj.is_issued,
    can_archive=_writes,
    detail_template="statusreports/detail.html",
    detail_context=_detail_context,
)


class ReportActionView(MunicipalityView):
    nav_section = NAV_SECTION

    def report(self, pk: int) -> StatusReport:
        return selectors.report_get(access=self.access, municipality=self.municipality, pk=pk)


class IssueView(ReportActionView):
    """Issue a draft: freeze its figures, make it a record, tell the management group."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        report = self.report(pk)
        if not writes_reports(self.access, self.municipality.pk):
            raise PermissionDenied
        try:
            services.report_issue(report=report, actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("%(report)s was issued to the management group.") % {"report": report},
            )
        return HttpResponseRedirect(report.get_absolute_url())


class PdfView(ReportActionView):
    """The report as a PDF for the management group: from the frozen figures once issued; a
    draft's PDF is marked as a draft."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        report = self.report(pk)
        return pdf_response(
            "statusreports/pdf.html",
            {
                "report": report,
                "figures": report_figures(report),
                "municipality": self.municipality,
            },
            f"status-report-{report.pk}.pdf",
        )
