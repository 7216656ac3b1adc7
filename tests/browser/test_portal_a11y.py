"""The public portal (P7.1) in Chromium: every page a resident can reach from the start page
passes axe-core's WCAG 2.1 A and AA rules, and the resident's form works with the keyboard
alone and without JavaScript (lag 2018:1937; the statement says these are tested)."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.models import Goal
from stadga.plans.tests.factories import PlanItemFactory, adopted_plan, cost
from stadga.portal import services
from stadga.portal.models import ResidentMessage
from stadga.statusreports import services as report_services
from stadga.testing.factories import (
    MunicipalityFactory,
    PortalSettingsFactory,
    ProductFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

from .helpers import assert_accessible, assert_no_violations, axe_report, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The public pages a resident must reach by following links from the start page.
EXPECTED_PAGES = {
    "home",
    "policy",
    "system_list",
    "system_detail",
    "decision_list",
    "product_detail",
    "plan_list",
    "plan_detail",
    "report_list",
    "report_detail",
    "contacts",
    "answers",
    "data",
    "accessibility",
    "ask",
}
# Files, not pages: axe has nothing to check in them.
DATA_SUFFIXES = (".csv", ".json", ".jsonld", ".rdf", ".ttl", ".xml", ".xlsx", ".pdf")
# Pages that only switch something and send the resident back (the language).
NOT_CRAWLED = {"language"}
# The same page with other query strings (filters, pages, the form's subject): a few suffice.
VISITS_PER_PAGE = 3
MESSAGE = "Hur länge sparas uppgifterna i elevregistret?"


def portal_world(m: Municipality) -> dict[str, Any]:
    """A published portal with something on every public page."""
    from stadga.policy.library import load_library, shipped_libraries
    from stadga.policy.services_library import policy_adopt

    today = timezone.localdate()
    PortalSettingsFactory(
        municipality=m, introduction="Här berättar kommunen om sin IT.", contact_phone="010-1"
    )
    it = member(m, Role.IT_COORDINATOR)
    policy_adopt(
        municipality=m,
        policy=load_library(shipped_libraries()[0]),
        adopted_on=datetime.date(2006, 9, 25),
        decision_reference="KF § 87/2006",
        actor=None,
    )
    system = SystemFactory(municipality=m, name="Elevregistret", is_public=True)
    RoleAssignmentFactory(person=system.system_owner, role=Role.SYSTEM_OWNER, system=system)
    product = ProductFactory(municipality=m, name="Skolwebben", phase=Phase.APPROVED)
    SystemProductFactory(system=system, product=product)
    PhaseDecision.objects.create(
        municipality=m,
        product=product,
        phase=Phase.APPROVED,
        effective_from=today,
        reason="Uppfyller kraven på tillgänglighet.",
    )
    plan = adopted_plan(m, today.year, board=system.board)
    item = PlanItemFactory(plan=plan, title="Nya elevdatorer", department=system.department)
    item.goals.add(*Goal.objects.filter(municipality=m)[:1])
    item.systems.add(system)
    cost(item, today.year, investment=120000, running=30000)
    report = report_services.report_create(
        municipality=m,
        data={
            "title": "Lägesrapport våren",
            "period_from": today - datetime.timedelta(days=180),
            "period_to": today,
            "commentary": "Arbetet går framåt.",
        },
        actor=it,
    )
    report_services.report_issue(report=report, actor=it)
    question = services.message_submit(
        municipality=m,
        data={"message": MESSAGE, "system": system, "publish_consent": True},
    )
    services.message_answer(
        message=question, answer="I tio år, enligt arkivplanen.", publish=True, actor=it
    )
    return {"it": it, "system": system}


@pytest.fixture
def portal(live_server: Any) -> dict[str, Any]:
    m = MunicipalityFactory(name="Norrköping", slug="norrkoping")
    return {"url": live_server.url, "m": m, **portal_world(m)}


def public_name(path: str, slug: str) -> str | None:
    """The public URL's name, or None for an address outside the municipality's portal."""
    if not path.startswith(f"/p/{slug}/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name if match.namespace == "public" else None


def crawl(page: Any, base: str, slug: str) -> tuple[dict[str, int], list[str]]:
    """Follow every same-origin link under /p/<slug>/ from the start page; axe each page.
    Returns the visits per URL name and the failures (status or violations)."""
    start = f"{base}/p/{slug}/"
    queue, seen = [start], {start}
    visits: Counter[str] = Counter()
    failures: list[str] = []
    while queue:
        url = queue.pop(0)
        name = public_name(urlsplit(url).path, slug)
        if name is None or name in NOT_CRAWLED or visits[name] >= VISITS_PER_PAGE:
            continue
        response = page.goto(url)
        if response is None or response.status >= 400:
            failures.append(f"{url}: HTTP {response.status if response else 'no response'}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visits[name] += 1
        violations, report = axe_report(page)
        if violations:
            failures.append(f"{url}:\n{report}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            if parts.path.lower().endswith(DATA_SUFFIXES) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return dict(visits), failures


def test_every_public_page_has_no_axe_violations(browser: Any, portal: dict[str, Any]) -> None:
    page = browser.new_page()
    visits, failures = crawl(page, portal["url"], portal["m"].slug)
    page.close()
    assert not failures, "\n\n".join(failures)
    missing = EXPECTED_PAGES - set(visits)
    assert not missing, f"not reached by following links: {sorted(missing)}; visited {visits}"


def ask_url(portal: dict[str, Any]) -> str:
    return f"{portal['url']}/p/{portal['m'].slug}/ask/?system={portal['system'].pk}"


def test_the_resident_s_form_works_with_the_keyboard_alone(
    browser: Any, portal: dict[str, Any]
) -> None:
    """Tab to each field, type, Space on the radio button and the checkbox, Enter on the send
    button: never a click. The receipt page has its reference and passes axe."""
    page = browser.new_page()
    page.goto(ask_url(portal))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # to the main content, past the navigation
    done: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const e = document.activeElement;
                return {name: e.name || "", type: e.type || "", tag: e.tagName,
                        inForm: !!(e.form && e.form.method === "post")};
            }"""
        )
        if not focused["inForm"]:
            continue
        name, kind = focused["name"], focused["type"]
        if kind == "radio" and "kind" not in done:
            page.keyboard.press("ArrowDown")  # the second choice: a view
            page.keyboard.press("Space")
            done.append("kind")
        elif name == "message" and name not in done:
            page.keyboard.type(MESSAGE)
            done.append(name)
        elif name == "name" and name not in done:
            page.keyboard.type("Anna Invånare")
            done.append(name)
        elif name == "email" and name not in done:
            page.keyboard.type("anna@invanare.example")
            done.append(name)
        elif kind == "checkbox" and name not in done:
            page.keyboard.press("Space")
            done.append(name)
        elif kind == "submit":
            break
    else:
        pytest.fail(f"the send button was not reached by Tab; filled {done}")
    assert set(done) == {"kind", "message", "name", "email", "publish_consent"}, done
    page.keyboard.press("Enter")
    page.wait_for_url("**/receipt/**")
    message = ResidentMessage.objects.get(name="Anna Invånare")
    assert message.kind == "view" and message.publish_consent
    assert message.email == "anna@invanare.example"
    assert message.system == portal["system"]
    assert message.reference in page.locator("main").inner_text()
    assert_no_violations(page, "the receipt page")
    page.close()


def test_the_resident_s_form_works_without_javascript(browser: Any, portal: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(ask_url(portal))
    # First without a message: the error is shown on the page, and nothing is stored.
    page.click("main form[method=post] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert ResidentMessage.objects.count() == 1  # the published one of the fixture
    page.fill("main form[method=post] textarea[name=message]", "Varför används Skolwebben?")
    page.fill("main form[method=post] input[name=email]", "bo@invanare.example")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/receipt/**")
    message = ResidentMessage.objects.get(email="bo@invanare.example")
    assert message.message == "Varför används Skolwebben?"
    assert message.reference in page.locator("main").inner_text()
    context.close()


def test_the_form_with_errors_has_no_axe_violations(browser: Any, portal: dict[str, Any]) -> None:
    page = browser.new_page()
    page.goto(ask_url(portal))
    page.fill("main form[method=post] input[name=email]", "inte en adress")
    page.click("main form[method=post] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page, "the form with errors")
    page.close()


def test_the_statement_and_the_settings_pages_have_no_axe_violations(
    browser: Any, live_server: Any
) -> None:
    """The statement of a portal not yet published, the installation-wide one (linked from the
    login page), and the IT coordinator's two settings forms, also with errors."""
    m = MunicipalityFactory(name="Opublicerad kommun")
    user = member(m, Role.IT_COORDINATOR)
    base = live_server.url
    page = browser.new_page()
    assert_accessible(page, f"{base}/p/{m.slug}/accessibility/")
    assert page.locator("h1").inner_text().strip()
    assert_accessible(page, f"{base}/accessibility/")
    page.goto(f"{base}/accounts/login/")
    page.click("footer a[href='/accessibility/']")
    page.wait_for_url("**/accessibility/")
    log_in(page, base, user.username, m)
    for name in ("settings", "statement"):
        assert_accessible(page, f"{base}/k/{m.slug}/portal/{name}/")
    # The forms with errors: the summary and the marked fields pass too.
    page.fill("#id_assessed_on", "2999-01-01")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page, "the statement form with errors")
    page.goto(f"{base}/k/{m.slug}/portal/settings/")
    page.check("#id_is_published")
    page.fill("#id_contact_email", "")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page, "the settings form with errors")
    page.close()
