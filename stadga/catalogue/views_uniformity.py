"""The platform uniformity page (P4.1) at k/<municipality>/catalogue/uniformity/: the figures
the IT coordinator shows management, also as PDF (`?format=pdf`).

Read by those who read everything in the municipality (the IT department, the executive board's
read role, auditors); other members get a 403, another municipality's users a 404. A fixed
number of queries, whatever the size of the catalogue and the register (`uniformity_report`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from stadga.core.pdf import pdf_response
from stadga.core.views import MunicipalityView

from .uniformity import MANY_APPROVED, SYSTEMS_NAMED, TREND_MONTHS, uniformity_report


class UniformityView(MunicipalityView):
    """Products per category, systems per function, overlaps, the share of systems on approved
    products and the trend of P5.4 and P4.1."""

    nav_section = "catalogue"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access.reads_all(self.municipality.pk):
            raise PermissionDenied
        today = timezone.localdate()
        context = self.context(
            report=uniformity_report(self.municipality, today),
            many_approved=MANY_APPROVED,
            systems_named=SYSTEMS_NAMED,
            trend_months=TREND_MONTHS,
        )
        if request.GET.get("format") == "pdf":
            return pdf_response(
                "catalogue/uniformity_pdf.html",
                context,
                f"enhetlig-plattform-{self.municipality.slug}-{today:%Y-%m-%d}.pdf",
            )
        return TemplateResponse(request, "catalogue/uniformity.html", context)
