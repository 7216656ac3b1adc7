"""The cooperation pages (issue 10; P8.1–P8.3) pass axe-core's WCAG 2.1 A and AA rules in
Chromium on the demo: Karlsborg's IT coordinator's overview, comparison, the group's compliance,
partners' sessions and the leave confirmation; Hjo's coordinator's inquiries received; the
operator's group pages. A partner's place is booked by keyboard alone, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.cooperation.models import CooperationGroup, PartnerBooking
from stadga.demo import DEMO_PASSWORD
from stadga.demo.data_cooperation import GROUP_NAME, OPEN_COURSE, SKOLSKJUTS
from stadga.demo.load import load_demo

from .helpers import assert_accessible, assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cooperation_pages_have_no_axe_violations_and_work_by_keyboard(
    browser: Any, live_server: Any
) -> None:
    """One test, so that the demo is loaded once (the pages only read until the last step)."""
    karlsborg = load_demo()
    group = CooperationGroup.objects.get(name=GROUP_NAME)
    base = live_server.url
    page = browser.new_page()
    log_in(page, base, "it.samordnare", karlsborg, DEMO_PASSWORD)
    home = f"{base}/k/{karlsborg.slug}/cooperation/"
    for path in (
        "",
        f"compare/?q={SKOLSKJUTS}",
        f"groups/{group.pk}/compliance/",
        "training/",
        f"leave/{group.pk}/",
    ):
        assert_accessible(page, home + path)
    # The comparison's form with its error (a 400).
    page.goto(home + "compare/?q=")
    assert page.locator(".error-summary, .field--error").count()
    assert_no_violations(page)
    page.close()

    page = browser.new_page()
    log_in(page, base, "hjo.samordnare", "hjo", DEMO_PASSWORD)
    assert_accessible(page, f"{base}/k/hjo/catalogue/inquiries/")
    page.close()

    page = browser.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    for path in ("groups/", "groups/add/", f"groups/{group.pk}/", f"groups/{group.pk}/end/"):
        assert_accessible(page, f"{base}/operator/{path}")
    page.close()

    # A booking sent without a person: the server's answer, with the error on the field.
    page = browser.new_page()
    log_in(page, base, "it.samordnare", karlsborg, DEMO_PASSWORD)
    page.goto(f"{base}/k/{karlsborg.slug}/cooperation/training/")
    # Past the browser's own check of the required field, to the server's answer.
    page.eval_on_selector("#partner-sessions form", "form => { form.noValidate = true; }")
    with page.expect_navigation():
        page.locator("#partner-sessions form button[type=submit]").first.click()
    assert page.locator("#partner-sessions .field--error .error").count() == 1
    assert_no_violations(page)
    page.close()

    # A partner's place booked by keyboard alone, without JavaScript.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, "it.samordnare", karlsborg, DEMO_PASSWORD)
    page.goto(f"{base}/k/{karlsborg.slug}/cooperation/training/")
    form = page.locator("#partner-sessions form").first
    form.locator("select").focus()
    page.keyboard.press("ArrowDown")  # the first person in the list
    page.keyboard.press("Tab")
    assert page.locator("#partner-sessions form button[type=submit]").first.evaluate(
        "button => button === document.activeElement"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    booking = PartnerBooking.objects.get(municipality=karlsborg)
    assert booking.session.course.name == OPEN_COURSE
    assert booking.person.name in page.locator("#own-bookings").inner_text()
    context.close()
