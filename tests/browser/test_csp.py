"""The Content-Security-Policy in Chromium (issue 11, item 4; P9.1): the pages run under the
policy without a single violation — no inline script or style blocked, htmx working without
injecting its own style — and a violation, were there one, would be seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    PortalSettingsFactory,
    SystemFactory,
    member,
)

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium reports a blocked script or style both as a console error and as a
# `securitypolicyviolation` event; the event is recorded by a script added before any of the page's.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


class Watched:
    """A page whose CSP violations, in the console and as events, are collected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        self.page.wait_for_timeout(100)  # events are dispatched asynchronously
        return self.console + list(self.page.evaluate("window.__cspViolations"))


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    municipality = MunicipalityFactory()
    PortalSettingsFactory(municipality=municipality)
    SystemFactory(municipality=municipality, name="Ekonomisystem", is_public=True)
    SystemFactory(municipality=municipality, name="Lönesystem", is_public=True)
    return {
        "url": live_server.url,
        "m": municipality,
        "user": member(municipality, Role.IT_COORDINATOR),
    }


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = browser.new_page()
    yield Watched(page)
    page.close()


def test_no_csp_violation_on_the_start_page_and_with_htmx(
    watched: Watched, site: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    page = watched.page
    log_in(page, site["url"], site["user"].username, site["m"])
    response = page.goto(f"{site['url']}/k/{site['m'].slug}/")
    assert (
        response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    )
    assert watched.violations() == []
    # The register's filter runs through htmx: a search swaps the table in place.
    page.goto(f"{site['url']}/k/{site['m'].slug}/systems/")
    page.locator("#id_q").press_sequentially("löne")
    # (Playwright's own waits that compile a string are themselves blocked by the policy.)
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    assert "q=l" in page.url  # hx-push-url: the filtered address is kept
    assert "Lönesystem" in page.locator("#object-table tbody").inner_text()
    assert watched.violations() == []


def test_no_csp_violation_on_a_public_page(watched: Watched, site: dict[str, Any]) -> None:
    for path in ("", "systems/"):
        response = watched.page.goto(f"{site['url']}/p/{site['m'].slug}/{path}")
        assert response is not None and response.status == 200
        assert "content-security-policy" in response.headers
    assert watched.violations() == []


def test_a_violation_would_be_seen(watched: Watched, site: dict[str, Any]) -> None:
    """The check above is not blind: an inline style is blocked and reported."""
    watched.page.goto(f"{site['url']}/p/{site['m'].slug}/")
    watched.page.evaluate(
        "document.head.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')"
    )
    assert any("style-src" in violation for violation in watched.violations())
