"""PDF documents from the same templates as the pages (WeasyPrint), for boards' agendas and
the executive board: the action plan, the register of processing activities, reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render `template` (a standalone HTML document; see core/pdf_base.html) to PDF bytes.

    Static files are read from disk, never fetched over the network.
    """
    from weasyprint import HTML  # imported here: it loads Pango, which pages never need

    html = render_to_string(template, context)
    base = settings.BASE_DIR / "stadga" / "core" / "static"
    return bytes(HTML(string=html, base_url=str(base)).write_pdf())


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
