"""The departments the inventories report, at k/<municipality>/inventory/departments/: each text
a source gives as a device's department, how many devices report it, and the department it maps
to. The IT department maps the texts that are no department's name (one form, one select per
text, without JavaScript); the report's figures per department follow at once (P5.5).

Read by those who read everything in the municipality; only the IT department (who keeps the
register) maps. Another municipality's users get a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.organisation.models import Department

from .services_departments import ReportedDepartment, department_mappings_save, reported_departments
from .views_base import InventoryView


class DepartmentMappingView(InventoryView):
    def departments(self) -> list[Department]:
        return list(
            Department.objects.filter(
                municipality=self.municipality, archived_at__isnull=True
            ).order_by("name")
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        return self.render(reported_departments(self.municipality))

    def render(
        self, rows: list[ReportedDepartment], *, error: str = "", status: int = 200
    ) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "inventory/departments.html",
            self.context(
                rows=rows,
                departments=self.departments(),
                may_map=self.may_keep(),
                unmapped=sum(1 for row in rows if row.department_id is None),
                error=error,
            ),
            status=status,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_keeper()
        rows = reported_departments(self.municipality)
        departments = {str(d.pk): d for d in self.departments()}
        choices: dict[str, Department | None] = {}
        for index, row in enumerate(rows):
            if row.by_name:
                continue  # a department's own name: nothing to map
            value = request.POST.get(f"map-{index}", "")
            if request.POST.get(f"text-{index}") != row.text or (
                value and value not in departments
            ):
                # The list changed under the form (a new import) or the choice is not ours.
                return self.render(
                    rows,
                    error=_("The departments reported have changed; choose again."),
                    status=400,
                )
            chosen = departments.get(value)
            if chosen is None and row.mapping is None:
                continue
            if (
                row.mapping is not None
                and chosen is not None
                and (row.mapping.department_id == chosen.pk)
            ):
                continue
            choices[row.text] = chosen
        moved = department_mappings_save(
            municipality=self.municipality, choices=choices, actor=request.user
        )
        messages.success(
            request,
            ngettext(
                "The mapping was saved; %(count)s device moved to another department.",
                "The mapping was saved; %(count)s devices moved to another department.",
                moved,
            )
            % {"count": moved},
        )
        return HttpResponseRedirect(reverse("inventory:departments", args=[self.municipality.slug]))
