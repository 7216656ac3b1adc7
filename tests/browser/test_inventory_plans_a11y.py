"""The installed-software inventory (P5.4, P5.5), the IT plans with the premises' internal rent
(P3.4–P3.10), the IT group (P3.12) and the status reports (P3.13) pass axe-core's WCAG 2.1 A and
AA rules in Chromium on the demo municipality, as the IT coordinator sees them; the dictionary's
"try" works by keyboard without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.demo import DEMO_PASSWORD
from stadga.demo.load import load_demo
from stadga.inventory.models import Device, InventorySource, NormalisationRule
from stadga.itgroup.models import ITGroupMeeting, ITGroupMember
from stadga.plans.models import ITPlan, PlanItem, Premises
from stadga.statusreports.models import StatusReport

from .helpers import assert_accessible, assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    municipality = load_demo()
    return {"url": live_server.url, "m": municipality}


def test_inventory_pages_have_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    m = site["m"]
    source = InventorySource.objects.get(municipality=m)
    device = Device.objects.filter(snapshot_id=source.current_snapshot_id).first()
    rule = NormalisationRule.objects.filter(municipality=m).first()
    page = browser.new_page()
    log_in(page, site["url"], "it.samordnare", site["m"], DEMO_PASSWORD)
    base = f"{site['url']}/k/{m.slug}/inventory"
    for path in [
        "/",
        "/deviations/",
        "/deviations/?status=unknown&q=spotify",
        "/devices/",
        f"/devices/{device.pk}/",
        "/titles/",
        "/dictionary/",
        "/dictionary/new/",
        f"/dictionary/{rule.pk}/edit/",
        "/dictionary/import/",
        "/sources/",
        f"/sources/{source.pk}/",
        f"/snapshots/{source.current_snapshot_id}/",
        "/upload/",
    ]:
        assert_accessible(page, base + path)
    # A draft rule tried (nothing saved) and one with an invalid pattern.
    page.goto(f"{base}/dictionary/new/")
    page.select_option("#id_field", "name")
    page.fill("#id_pattern", "spotify")
    page.select_option("#id_action", "ignore")
    page.click("main form button[name=try]")
    assert_no_violations(page)
    page.select_option("#id_match", "regex")
    page.fill("#id_pattern", "(unclosed")
    page.click("main form button[name=try]")
    assert page.locator(".error-summary, .errorlist").first.is_visible()
    assert_no_violations(page)
    page.close()


def test_trying_a_rule_works_by_keyboard_without_javascript(
    browser: Any, site: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site["url"], "it.samordnare", site["m"], DEMO_PASSWORD)
    rules = NormalisationRule.objects.filter(municipality=site["m"]).count()
    page.goto(f"{site['url']}/k/{site['m'].slug}/inventory/dictionary/new/")
    page.focus("#id_pattern")
    page.keyboard.type("Spotify")
    page.locator("#id_field").select_option("name")
    page.locator("#id_action").select_option("ignore")
    page.focus("main form button[name=try]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#trial").is_visible()
    assert page.locator("#trial >> text=Spotify").first.is_visible()
    assert NormalisationRule.objects.filter(municipality=site["m"]).count() == rules
    context.close()


def test_plan_and_it_group_pages_have_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    m = site["m"]
    plan = ITPlan.objects.filter(municipality=m).order_by("-year").first()
    item = PlanItem.objects.filter(plan=plan).first()
    # The demo's plans are adopted: their costs are followed up, not edited.
    follow_up = f"/items/{item.pk}/follow-up/"
    member = ITGroupMember.objects.filter(municipality=m).first()
    meeting = ITGroupMeeting.objects.filter(municipality=m).order_by("starts_at").first()
    premises = Premises.objects.filter(municipality=m).first()
    report = StatusReport.objects.filter(municipality=m).first()
    page = browser.new_page()
    log_in(page, site["url"], "it.samordnare", site["m"], DEMO_PASSWORD)
    plans = f"{site['url']}/k/{m.slug}/plans"
    reports = f"{site['url']}/k/{m.slug}/status-reports"
    group = f"{site['url']}/k/{m.slug}/it-group"
    for url in [
        f"{plans}/",
        f"{plans}/{plan.pk}/",
        f"{plans}/items/{item.pk}/",
        f"{plans}{follow_up}",
        f"{plans}/rollup/",
        f"{plans}/goals/",
        f"{plans}/cost-categories/",
        f"{plans}/settings/",
        f"{plans}/premises/",
        f"{plans}/premises/{premises.pk}/",
        f"{plans}/premises/{premises.pk}/tenants/",
        f"{plans}/rent/",
        f"{reports}/",
        f"{reports}/{report.pk}/",
        f"{reports}/new/",
        f"{group}/",
        f"{group}/members/",
        f"{group}/members/{member.pk}/",
        f"{group}/meetings/",
        f"{group}/meetings/{meeting.pk}/",
        f"{group}/settings/",
    ]:
        assert_accessible(page, url)
    page.close()
