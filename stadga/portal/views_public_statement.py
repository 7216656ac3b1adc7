"""The accessibility statement (tillgänglighetsredogörelse; lag 2018:1937, MDFFS 2019:2): one
per municipality, for its public portal and for Stadga's pages its staff use, and one for the
installation's pages outside any municipality (the login page).

The statement must always be reachable: a municipality's statement answers whether or not the
portal is published (the law covers the staff's pages too), so it does not use the public base
view's published check; it is cached the same way.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse

from stadga.organisation.models import Municipality

from .models import AccessibilityStatement, PortalSettings
from .statement import installation_statement, municipality_statement
from .views_public_base import PublicView


def statement_municipality(slug: str) -> Municipality:
    """The municipality, whether its portal is published or not; a 404 for an unknown or
    archived one. One query."""
    municipality = Municipality.objects.filter(slug=slug, archived_at__isnull=True).first()
    if municipality is None:
        raise Http404
    return municipality


class AccessibilityStatementView(PublicView):
    """The municipality's statement, in the public layout, published portal or not."""

    public_section = "accessibility"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Only the municipality here: a cached page needs nothing more.
        self.municipality = statement_municipality(kwargs["municipality"])
        request.municipality = self.municipality  # type: ignore[attr-defined]
        if request.method not in ("GET", "HEAD"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self._cached_dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.portal = PortalSettings.for_municipality(self.municipality)
        statement = AccessibilityStatement.for_municipality(self.municipality)
        statement.municipality = self.municipality  # no second query for it
        context = self.context(
            base_template="portal/base_public.html",
            statement=municipality_statement(statement, self.portal),
        )
        return self.render("portal/public/accessibility.html", context)


def installation_accessibility(request: HttpRequest) -> HttpResponse:
    """The statement of the pages outside any municipality, with the standard texts."""
    return TemplateResponse(
        request,
        "portal/public/accessibility.html",
        {"base_template": "base.html", "statement": installation_statement()},
    )
