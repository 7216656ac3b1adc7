"""The register of processing activities (GDPR art. 30), kept per board as controller (P9.2):
the generic pages of stadga.core.views, and the export of one board's register as XLSX or PDF."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from stadga.core.pdf import pdf_response
from stadga.core.tables import ScopedTable
from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Board, Municipality
from stadga.systems.models import System

from . import exports_register as exports
from . import services_register as services
from .access import can_keep_processing, system_bound_q
from .forms_register import ProcessingActivityFilterSet, ProcessingActivityForm
from .models import ProcessingActivity

NAV_SECTION = "security"
EXPORT_FORMATS = ("xlsx", "pdf")


class ProcessingActivityTable(ScopedTable):
    name = tables.Column(linkify=True)
    board = tables.Column(order_by=("board__name",))
    legal_basis = tables.Column()
    sensitive_data = tables.BooleanColumn(yesno=(_("Yes"), _("No")))
    dpia_done = tables.BooleanColumn(verbose_name=_("DPIA done"), yesno=(_("Yes"), _("No")))
    systems = tables.Column(verbose_name=_("Systems"), empty_values=(), orderable=False)

    class Meta(ScopedTable.Meta):
        model = ProcessingActivity
        fields = ("name", "board", "legal_basis", "sensitive_data", "dpia_done")
        sequence = (*fields, "systems")
        order_by = ("board", "name")

    def render_systems(self, record: ProcessingActivity) -> str:
        return ", ".join(s.name for s in record.systems.all()) or "–"


def _list(*, access: Access, municipality: Municipality, archived: bool) -> QuerySet:
    return services.processing_activity_list(
        access=access, municipality=municipality, archived=archived
    ).prefetch_related(
        Prefetch(
            "systems", queryset=System.objects.filter(archived_at__isnull=True).order_by("name")
        )
    )


def _detail_context(access: Access, activity: ProcessingActivity) -> dict[str, Any]:
    """Which linked systems and measures the user may open (the others are named, not linked)."""
    systems = list(activity.systems.all())
    measures = list(activity.security_measures.all())
    seen_systems = set(
        System.objects.filter(access.system_q(), pk__in=[s.pk for s in systems]).values_list(
            "pk", flat=True
        )
    )
    seen_measures = set(
        activity.security_measures.filter(system_bound_q(access)).values_list("pk", flat=True)
    )
    return {
        "linked_systems": [(s, s.pk in seen_systems) for s in systems],
        "linked_measures": [(m, m.pk in seen_measures) for m in measures],
        "may_export": services.reads_board_register(access, activity.board),
    }


processing_activity_views = Registration(
    model=ProcessingActivity,
    nav_section=NAV_SECTION,
    list_queryset=_list,
    get_object=services.processing_activity_get,
    table=ProcessingActivityTable,
    filterset=ProcessingActivityFilterSet,
    form=ProcessingActivityForm,
    create=services.processing_activity_create,
    update=lambda activity, data, actor: services.processing_activity_update(
        activity=activity, data=data, actor=actor
    ),
    archive=lambda activity, actor: services.processing_activity_archive(
        activity=activity, actor=actor
    ),
    restore=lambda activity, actor: services.processing_activity_restore(
        activity=activity, actor=actor
    ),
    can_create=services.may_keep_any,
    can_edit=lambda access, activity: can_keep_processing(access, activity.board),
    can_archive=lambda access, activity: can_keep_processing(access, activity.board),
    detail_template="security/processingactivity_detail.html",
    detail_context=_detail_context,
    list_template="security/processingactivity_list.html",
)


class RegisterExportView(MunicipalityView):
    """One board's register, `?board=<id>&format=xlsx|pdf`, for whoever reads the board's
    entries. Without both, a page to choose them (400 if they were given but are wrong)."""

    nav_section = NAV_SECTION

    def readable_boards(self) -> list[Board]:
        return list(services.boards_read(access=self.access, municipality=self.municipality))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw_board, raw_format = request.GET.get("board"), request.GET.get("format", "xlsx")
        errors = []
        board = None
        if raw_board:
            board = (
                Board.objects.filter(
                    municipality=self.municipality,
                    pk=int(raw_board) if raw_board.isdigit() and len(raw_board) <= 18 else 0,
                )
                .select_related("municipality")
                .first()
            )
            if board is None:
                errors.append(_("Choose one of the municipality's boards."))
            elif not services.reads_board_register(self.access, board):
                raise PermissionDenied
        if raw_format not in EXPORT_FORMATS:
            errors.append(_("Choose XLSX or PDF."))
        if board is None or errors:
            return TemplateResponse(
                request,
                "security/register_export.html",
                self.context(boards=self.readable_boards(), errors=errors, chosen=raw_board),
                status=400 if errors else 200,
            )
        queryset = services.processing_activity_list(
            access=self.access, municipality=self.municipality
        ).filter(board=board)
        entries = exports.register_entries(queryset)
        if raw_format == "pdf":
            return pdf_response(
                "security/register_export_pdf.html",
                self.context(
                    board=board,
                    entries=entries,
                    organisation_number=exports.organisation_number(board),
                ),
                exports.register_filename(board, "pdf"),
            )
        response = HttpResponse(
            exports.register_xlsx(board, entries),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = exports.register_filename(board, "xlsx")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
