"""Import of attendance lists (P6): the generic spreadsheet pages of stadga.core.tabular.views,
bound to the attendance spec. The IT department, which keeps the competence records, imports."""

from __future__ import annotations

from typing import Any

from stadga.core.tabular import views as tabular_views

from .access import keeps_training
from .imports import AttendanceTabular


class _AttendanceTabular(tabular_views.TabularView):
    spec_class = AttendanceTabular
    nav_section = "training"
    url_names = {
        # After an import the user returns to the import page: the records are the people's.
        "list": "training:attendance_import",
        "import": "training:attendance_import",
        "confirm": "training:attendance_import_confirm",
        "template": "training:attendance_import_template",
    }
    import_template = "training/import_attendance.html"

    def may_import(self) -> bool:
        return keeps_training(self.access, self.municipality.pk)

    def export_queryset(self) -> Any:  # attendance lists are imported, not exported
        raise NotImplementedError


class AttendanceImportView(_AttendanceTabular, tabular_views.ImportView):
    pass


class AttendanceImportConfirmView(_AttendanceTabular, tabular_views.ImportConfirmView):
    pass


class AttendanceImportTemplateView(_AttendanceTabular, tabular_views.TemplateDownloadView):
    def may_import(self) -> bool:
        return True  # the empty template tells nothing about the municipality
