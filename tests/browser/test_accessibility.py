"""Every main page passes axe-core's WCAG 2.1 A and AA rules in Chromium, works by keyboard and
without JavaScript (the law on accessibility of public sector websites, DOS-lagen)."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.organisation.choices import Role
from stadga.testing.factories import (
    ExternalOrganisationFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)

from .helpers import assert_accessible, assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    import datetime

    from stadga.policy.library import load_library, shipped_libraries
    from stadga.policy.services_library import policy_adopt

    municipality = MunicipalityFactory(is_demo=True)
    policy = load_library(shipped_libraries()[0])
    policy_adopt(
        municipality=municipality,
        policy=policy,
        adopted_on=datetime.date(2006, 9, 25),
        decision_reference="KF § 87/2006",
        actor=None,
    )
    system = SystemFactory(municipality=municipality, name="Ekonomisystem", purpose="Norrsken")
    SystemFactory(municipality=municipality, lifecycle_phase="planned", system_owner=None)
    ExternalOrganisationFactory(municipality=municipality)
    user = member(municipality, Role.IT_COORDINATOR)
    return {
        "url": live_server.url,
        "m": municipality,
        "system": system,
        "user": user,
        "policy": policy,
    }


def test_main_pages_have_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page()
    assert_accessible(page, site["url"] + "/accounts/login/")
    log_in(page, site["url"], site["user"].username, site["m"])
    base = f"{site['url']}/k/{site['m'].slug}"
    pk = site["system"].pk
    for path in [
        "/",
        "/systems/",
        "/systems/?flag=no_owner&sort=-name",
        f"/systems/{pk}/",
        f"/systems/{pk}/edit/",
        f"/systems/{pk}/history/",
        f"/systems/{pk}/archive/",
        "/systems/new/",
        "/systems/import/",
        "/boards/",
        f"/boards/{site['system'].board_id}/",
        f"/departments/{site['system'].department_id}/",
        "/people/",
        "/roles/",
        "/roles/new/",
        "/external-organisations/",
        "/settings/",
        "/policy/",
        "/policy/dashboard/",
        "/policy/adopt/",
        "/policy/clauses/P1.1/attest/",
        "/inbox/",
        "/inbox/calendar/",
    ]:
        assert_accessible(page, base + path)
    assert_accessible(page, site["url"] + "/api/docs/")
    # Every resource's page of the reference is the same template: the systems' one, with the
    # most operations and data, stands for all (tests/organisation's API tests open each one).
    assert_accessible(page, site["url"] + "/api/docs/systems/")
    assert_accessible(page, site["url"] + "/policies/")
    assert_accessible(page, site["url"] + site["policy"].get_absolute_url())
    # A form with errors: the error summary and the marked fields must pass too.
    page.goto(f"{base}/systems/{pk}/edit/")
    page.fill("#id_name", "")
    page.click("button[type=submit]:has-text('Spara')")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page)


def test_keyboard_reaches_skip_link_and_register(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    page.goto(f"{site['url']}/k/{site['m'].slug}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # The main navigation is reachable by Tab and opens the register with Enter.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "IT-system":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/systems/")
    assert page.locator("h1").inner_text().startswith("IT-system")


def test_register_filters_without_javascript(browser: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    page.goto(f"{site['url']}/k/{site['m'].slug}/systems/")
    page.fill("#id_q", "norrsken")
    page.click("button[type=submit]:has-text('Filtrera')")
    assert "q=norrsken" in page.url
    rows = page.locator("#object-table tbody tr")
    assert rows.count() == 1
    assert "Ekonomisystem" in rows.first.inner_text()
    context.close()


def test_import_preview_with_errors_and_with_changes(
    browser: Any, site: dict[str, Any], tmp_path: Any
) -> None:
    """The import's preview — both the error table and the list of changes — passes axe too."""
    from stadga.testing.spreadsheets import xlsx_bytes

    system = site["system"]
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(
        xlsx_bytes([["System-id", "Namn", "Nämnd"], ["SYS-9999", "Nytt", "Ingen sådan nämnd"]])
    )
    good = tmp_path / "rätt.xlsx"
    good.write_bytes(
        xlsx_bytes(
            [
                ["System-id", "Namn", "Nämnd", "Systemansvarig"],
                [system.identifier, "Nytt namn", system.board.name, system.system_owner.name],
            ]
        )
    )
    page = browser.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    url = f"{site['url']}/k/{site['m'].slug}/systems/import/"
    for upload, expected in ((broken, "Ingen sådan nämnd"), (good, "Nytt namn")):
        page.goto(url)
        page.set_input_files("input[type=file]", str(upload))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert expected in page.content()
        assert_no_violations(page)
