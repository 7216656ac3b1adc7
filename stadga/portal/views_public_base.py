"""The base of every public page (P7.1): the municipality whose portal is published, and the
cache that keeps the pages cheap.

A public page is the same for every resident (no session, no CSRF token, no personal data), so
its rendered body is cached per municipality, language and address, and answered with an ETag
and Last-Modified: a browser or proxy that has the page gets a 304 and the server renders
nothing. The cache's key holds the municipality's generation (`caching.py`): the portal's own
writes make every page of it stale at once; everything else shows within
`PORTAL_CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.views import View

from stadga.organisation.models import Municipality

from . import caching
from .models import PortalSettings
from .selectors_public import published_municipality

# How long the server keeps a rendered public page, and how long a browser or proxy may.
CACHE_SECONDS = getattr(settings, "PORTAL_CACHE_SECONDS", 300)
BROWSER_SECONDS = getattr(settings, "PORTAL_BROWSER_CACHE_SECONDS", 60)


class PublicView(View):
    """Resolves the published municipality in the URL (a 404 otherwise, and for an unknown
    one) and serves GET and HEAD from the cache. Subclasses implement `get` and set
    `public_section` (the layout's current navigation item); `cached = False` for a page that
    must not be cached (e.g. a resident's receipt)."""

    public_section = ""
    cached = True
    request: HttpRequest
    municipality: Municipality
    portal: PortalSettings

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.municipality, self.portal = published_municipality(kwargs["municipality"])
        request.municipality = self.municipality  # type: ignore[attr-defined]
        if not self.cached or request.method not in ("GET", "HEAD"):
            response = super().dispatch(request, *args, **kwargs)
            if not self.cached:
                patch_cache_control(response, private=True, no_store=True)
            return response
        return self._cached_dispatch(request, *args, **kwargs)

    def cache_key(self, request: HttpRequest) -> str:
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        generation = caching.generation(self.municipality.pk)
        return f"portal:page:{self.municipality.pk}:{generation}:{get_language()}:{address}"

    def _cached_dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = self.cache_key(request)
        entry = cache.get(key)
        if entry is None:
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            content: bytes = response.content  # type: ignore[attr-defined]
            entry = {
                "content": content,
                "content_type": response["Content-Type"],
                "headers": {
                    name: response[name]
                    for name in ("Content-Disposition", "Link")
                    if response.has_header(name)
                },
                "etag": quote_etag(hashlib.sha256(content).hexdigest()[:32]),
                "last_modified": int(timezone.now().timestamp()),
            }
            cache.set(key, entry, CACHE_SECONDS)
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"]
        )
        response = conditional or HttpResponse(entry["content"], content_type=entry["content_type"])
        if conditional is None:
            for name, value in entry["headers"].items():
                response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
        return response

    def render(self, template_name: str, context: dict[str, Any]) -> HttpResponse:
        """The page rendered without the request's context processors: they would read the
        session and the user (a query each for a logged-in reader) and set a CSRF token, none
        of which a public page may hold. The template gets `request` for its own address."""
        content = render_to_string(template_name, {**context, "request": self.request})
        return HttpResponse(content)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "portal": self.portal,
            "public_section": self.public_section,
            **extra,
        }


# The lists' page size (the register, decisions, questions and answers).
PER_PAGE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Page:
    """The page of `items` the `page` parameter asks for: the first for a missing or unreadable
    number, the last for one past the end (never an error page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
