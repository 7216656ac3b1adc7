"""The one helper through which views answer htmx: the partial for htmx, the page otherwise."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str | None = None
) -> HttpResponse:
    """Render `template`, or only `partial` when htmx asks for a fragment of the page.

    History-restore requests get the full page: htmx asks for it when its cache is empty.
    """
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.history_restore_request:
        return TemplateResponse(request, partial, context)
    return TemplateResponse(request, template, context)
