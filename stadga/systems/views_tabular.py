"""Import and export of the IT system register (P9.3): the generic spreadsheet pages of
stadga.core.tabular.views, bound to the register's spec, URLs and rights."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from stadga.core.tabular import views as tabular_views
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .filters import SystemFilterSet
from .models import System
from .selectors import system_list
from .tabular import SystemTabular


def export_queryset(
    request: HttpRequest, municipality: Municipality, access: Access
) -> QuerySet[System]:
    """The systems the list page shows for the same query string: what the user can see, the
    archive with `?archived=1`, narrowed by the list's filters."""
    archived = request.GET.get("archived") == "1"
    queryset = system_list(access=access, municipality=municipality, archived=archived)
    filterset = SystemFilterSet(request.GET or None, queryset=queryset, municipality=municipality)
    return filterset.qs


class _SystemTabular(tabular_views.TabularView):
    spec_class = SystemTabular
    nav_section = "systems"
    url_names = {
        "list": "systems:system_list",
        "import": "systems:system_import",
        "confirm": "systems:system_import_confirm",
        "template": "systems:system_import_template",
        "export": "systems:system_export",
    }
    import_template = "systems/import.html"
    preview_template = "systems/import_preview.html"

    def may_import(self) -> bool:
        # P3.2: the IT department keeps the register for the whole municipality.
        return self.access.keeps_register(self.municipality.pk)

    def export_queryset(self) -> Any:
        return export_queryset(self.request, self.municipality, self.access)


class SystemImportView(_SystemTabular, tabular_views.ImportView):
    pass


class SystemImportConfirmView(_SystemTabular, tabular_views.ImportConfirmView):
    pass


class SystemImportTemplateView(_SystemTabular, tabular_views.TemplateDownloadView):
    pass


class SystemExportView(_SystemTabular, tabular_views.ExportView):
    pass
