"""What every browser test shares: axe-core's WCAG 2.1 A and AA rules, logging in, and the
check that a page has no violations (the law on accessibility of digital public services)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA (EN 301 549's web requirements).
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The password of every user the factories make (stadga.testing.factories.UserFactory).
PASSWORD = "correct horse battery staple"


def log_in(
    page: Any, base_url: str, username: str, municipality: Any, password: str = PASSWORD
) -> None:
    """Log in through the login page and wait for the municipality's start page.
    `municipality` is a Municipality or its slug."""
    slug = getattr(municipality, "slug", municipality)
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/k/{slug}/")


def axe_report(page: Any) -> tuple[list[dict[str, Any]], str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now, and the readable
    report. Never in a context without JavaScript: axe is a script and waits for ever there."""
    results = Axe().run(page, options=WCAG_21_AA)
    return results.response["violations"], results.generate_report()


def assert_no_violations(page: Any, where: str = "") -> None:
    """The page as it is now (e.g. a form with errors) has no axe violations."""
    violations, report = axe_report(page)
    assert not violations, f"{where or page.url}:\n{report}"


def assert_accessible(page: Any, url: str) -> None:
    """Open `url`: it answers without error and has no axe violations."""
    response = page.goto(url)
    assert response is not None and response.status < 400, url
    assert_no_violations(page, url)
