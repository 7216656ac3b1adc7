"""The catalogue's pages pass axe-core's WCAG 2.1 A and AA rules in Chromium: the search every
member uses (P5.4), the product list, a product's page and the IT department's phase form, with
and without errors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from stadga.catalogue.choices import Phase
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    ProductVersionFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

from .helpers import assert_accessible, assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    municipality = MunicipalityFactory(is_demo=True)
    category = ProductCategoryFactory(municipality=municipality, name="Ordbehandling")
    approved = ProductFactory(municipality=municipality, name="Skrivprogram", category=category)
    rejected = ProductFactory(
        municipality=municipality, name="Skrivverktyg", category=category, phase=Phase.REJECTED
    )
    ProductFactory(
        municipality=municipality,
        name="Skrivgammal",
        category=category,
        phase=Phase.PHASE_OUT,
        phase_ends_on=datetime.date(2099, 1, 1),
    )
    version = ProductVersionFactory(product=approved, end_of_support=datetime.date(2020, 1, 1))
    system = SystemFactory(municipality=municipality, name="Ärendesystem")
    SystemProductFactory(system=system, product=approved, version=version)
    user = member(municipality, Role.IT_COORDINATOR)
    return {
        "url": live_server.url,
        "m": municipality,
        "user": user,
        "approved": approved,
        "rejected": rejected,
        "system": system,
    }


def test_catalogue_pages_have_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    base = f"{site['url']}/k/{site['m'].slug}/catalogue"
    approved, rejected = site["approved"].pk, site["rejected"].pk
    for path in [
        "/",
        "/?q=skriv",
        "/?q=finns-inte",
        "/products/",
        "/products/?phase=approved&flagged=yes&sort=-name",
        f"/products/{approved}/",
        f"/products/{rejected}/",
        f"/products/{approved}/phase/",
        f"/products/{approved}/versions/new/",
        "/products/import/",
        "/vendors/",
        "/categories/",
        f"/systems/{site['system'].pk}/products/",
    ]:
        assert_accessible(page, base + path)
    assert_accessible(page, site["url"] + site["system"].get_absolute_url())
    # The phase form with errors: the error summary and the marked fields must pass too.
    page.goto(f"{base}/products/{approved}/phase/")
    page.select_option("#id_phase", "phase_out")
    page.fill("#id_reason", "")
    page.click("main form button[type=submit].button--primary")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page)


def test_search_works_by_keyboard_without_javascript(browser: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    page.goto(f"{site['url']}/k/{site['m'].slug}/catalogue/")
    page.focus("#id_q")
    page.keyboard.type("skrivverktyg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/?q=skrivverktyg")
    assert page.locator("text=Skrivprogram").first.is_visible()  # the approved alternative
    context.close()
