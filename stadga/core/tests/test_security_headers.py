"""Web hardening (issue 11, item 4; P9.1): the Content-Security-Policy without 'unsafe-inline' on
every kind of response, the other hardening headers, and no inline script or style in any
template served as HTML (a new one fails this suite, as it would fail in the browser)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory, member

STADGA = Path(__file__).resolve().parents[2]

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


def assert_hardened(response: Any) -> None:
    assert policy(response) == EXPECTED_POLICY
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_is_hardened(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.django_db
def test_a_municipality_page_is_hardened(client: Client) -> None:
    municipality = MunicipalityFactory()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    response = client.get(f"/k/{municipality.slug}/")
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.django_db
def test_a_public_page_is_hardened_also_from_the_cache(client: Client) -> None:
    """The public pages render without context processors and are cached (P7.1): the policy is
    still sent, on the first answer and on the one served from the cache."""
    from django.core.cache import cache

    cache.clear()
    municipality = MunicipalityFactory()
    PortalSettingsFactory(municipality=municipality)
    address = reverse("public:home", args=[municipality.slug])
    for _ in range(2):
        response = client.get(address)
        assert response.status_code == 200
        assert_hardened(response)
    cache.clear()


@pytest.mark.django_db
def test_the_api_is_hardened(client: Client) -> None:
    municipality = MunicipalityFactory()
    assert_hardened(client.get("/api/v1/municipalities/"))  # 401 without credentials
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    response = client.get("/api/v1/municipalities/")
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.django_db
def test_the_session_cookie_is_httponly(client: Client) -> None:
    municipality = MunicipalityFactory()
    user = member(municipality, Role.IT_COORDINATOR)
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]


# --- no inline script or style in any template served as HTML ---

# Executable inline script: a <script> without src (a JSON data block is not executed).
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json)[^>]*>", re.I
)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.I)
HTMX_INLINE = re.compile(r"\s(?:data-)?hx-on\b|\s(?:data-)?hx-vars\s*=|[\"']js:", re.I)
CHECKS = {
    "an inline <script>": INLINE_SCRIPT,
    "a <style> block": STYLE_BLOCK,
    "a style attribute": STYLE_ATTRIBUTE,
    "an inline event handler (on…=)": EVENT_HANDLER,
    "a javascript: address": JAVASCRIPT_URL,
    "htmx's evaluated JavaScript (hx-on, hx-vars, js:)": HTMX_INLINE,
}


def is_pdf_template(path: Path, text: str) -> bool:
    """Rendered by WeasyPrint into a PDF, never served as HTML: the policy does not apply."""
    return path.name == "pdf_base.html" or '"core/pdf_base.html"' in text


def served_templates() -> list[Path]:
    return sorted(
        path
        for path in STADGA.rglob("*.html")
        if "templates" in path.parts and not is_pdf_template(path, path.read_text())
    )


def inline_code(text: str) -> list[str]:
    return [what for what, pattern in CHECKS.items() if pattern.search(text)]


def test_the_template_walk_sees_the_templates() -> None:
    names = {str(path.relative_to(STADGA)) for path in served_templates()}
    assert "templates/base.html" in names
    assert "catalogue/templates/catalogue/uniformity_figures.html" in names
    assert "core/templates/core/pdf_base.html" not in names
    assert len(names) > 100


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p { color: red }</style>",
        '<p class="a" style="color: red">',
        '<svg\n  width="1" style="max-width: 100%">',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<form hx-on:submit="go()">',
        "<div hx-vals='js:{a: 1}'>",
    ],
)
def test_the_check_finds_inline_code(text: str) -> None:
    assert inline_code(text)


@pytest.mark.parametrize(
    "text",
    [
        '<script src="/static/x.js" defer></script>',
        '<script id="data" type="application/json">{}</script>',
        '<link rel="stylesheet" href="/static/x.css">',
        '<p class="style-guide">A style="x" in prose</p>',
        '<input name="online" data-status="on">',
        "<p>{{ object.description }}</p>",
    ],
)
def test_the_check_lets_external_code_and_prose_pass(text: str) -> None:
    assert not inline_code(text)


def test_no_template_served_as_html_has_inline_script_or_style() -> None:
    """The policy has no 'unsafe-inline': such code would be blocked in the browser. Move it into
    a static file (stadga/core/static/stadga/) instead."""
    offenders = {
        str(path.relative_to(STADGA)): found
        for path in served_templates()
        if (found := inline_code(path.read_text()))
    }
    assert offenders == {}
