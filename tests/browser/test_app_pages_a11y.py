"""Every main page of the logged-in application passes axe-core's WCAG 2.1 A and AA rules in
Chromium: the IT coordinator of the demo municipality follows the main navigation, every
sub-navigation, and the first row of each list to its detail page (lag 2018:1937 covers the
staff's pages too; the accessibility statement says they are tested)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from stadga.demo import DEMO_PASSWORD
from stadga.demo.load import load_demo

from .helpers import axe_report, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Actions and files, not pages: they change something, leave the application or are downloads.
SKIPPED_PARTS = (
    "/archive/",
    "/restore/",
    "/delete/",
    "/files/",
    "/api/",
    "/accounts/logout",
    "/admin/",
)
FILE_SUFFIXES = (".csv", ".json", ".xlsx", ".pdf", ".ics", ".rdf", ".jsonld", ".zip")
# The first link in the first column of a list's table: one detail page per list.
FIRST_ROW_LINK = (
    "main table tbody tr:first-child td:first-child a[href], "
    "main table tbody tr:first-child th:first-child a[href]"
)


def wanted(url: str, base: str, slug: str) -> bool:
    parts = urlsplit(url)
    return (
        f"{parts.scheme}://{parts.netloc}" == base
        and parts.path.startswith(f"/k/{slug}/")
        and not any(part in parts.path for part in SKIPPED_PARTS)
        and not parts.path.lower().endswith(FILE_SUFFIXES)
    )


def links(page: Any, selector: str) -> list[str]:
    return [
        urldefrag(href)[0]
        for href in page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
    ]


def test_every_main_page_has_no_axe_violations(browser: Any, live_server: Any) -> None:
    municipality = load_demo()
    base, slug = live_server.url, municipality.slug
    page = browser.new_page()
    log_in(page, base, "it.samordnare", municipality, DEMO_PASSWORD)

    checked: set[str] = set()
    failures: list[str] = []

    def check(url: str) -> bool:
        """Open and axe a page once; False if it is not an HTML page that answered."""
        if url in checked or not wanted(url, base, slug):
            return False
        checked.add(url)
        response = page.goto(url)
        if response is None or response.status >= 400:
            failures.append(f"{url}: HTTP {response.status if response else 'no response'}")
            return False
        if "text/html" not in (response.headers.get("content-type") or ""):
            return False
        violations, report = axe_report(page)
        if violations:
            failures.append(f"{url}:\n{report}")
        return True

    start = f"{base}/k/{slug}/"
    check(start)
    sections = links(page, "nav.main-nav a[href]")
    assert len(sections) >= 8, sections
    lists: list[str] = []
    for section in sections:
        if check(section):
            lists.append(section)
            for sub in links(page, "nav.sub-nav a[href]"):
                if check(sub):
                    lists.append(sub)
    for url in lists:
        page.goto(url)
        details = links(page, FIRST_ROW_LINK)
        if details:
            check(details[0])
    page.close()
    assert not failures, "\n\n".join(failures)
    assert len(checked) >= 40, sorted(checked)
