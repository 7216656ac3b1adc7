"""The platform uniformity page (P4.1), with every section filled in (overlaps, systems off the
approved products, a trend with its chart), passes axe-core's WCAG 2.1 A and AA rules in
Chromium, and reads the same without JavaScript."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.organisation.choices import Role
from stadga.policy.models import ComplianceSnapshot
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)
from stadga.testing.policy import policy_build

from .helpers import assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    m = MunicipalityFactory(name="Karlsborg")
    finance = ProductCategoryFactory(municipality=m, name="Ekonomisystem", is_business_system=True)
    laptops = ProductCategoryFactory(municipality=m, name="Bärbara datorer")
    visma = ProductFactory(municipality=m, name="Visma Proceedo", category=finance)
    unit4 = ProductFactory(
        municipality=m, name="Unit4 ERP", category=finance, phase=Phase.APPROVED_WITH_CONSTRAINTS
    )
    for n in range(4):
        ProductFactory(municipality=m, name=f"Lenovo T14 gen {n + 1}", category=laptops)
    rejected = ProductFactory(municipality=m, name="Hemsnickrat", phase=Phase.REJECTED)
    for name, products in (
        ("Ekonomi", [visma]),
        ("Lön", [unit4]),
        ("Inköp", [visma, rejected]),
        ("Okänt", []),
    ):
        system = SystemFactory(municipality=m, name=name)
        for product in products:
            SystemProductFactory(system=system, product=product)
    policy = policy_build({"P5.4": [], "P4.1": []})
    today = timezone.localdate()
    for months, kept in ((3, 1), (2, 2), (1, 2), (0, 3)):
        ComplianceSnapshot.objects.create(
            municipality=m,
            policy=policy,
            taken_on=today - datetime.timedelta(days=31 * months),
            clauses={
                "P5.4": {"status": "partly_met", "numerator": kept, "denominator": 4},
                "P4.1": {"status": "not_met", "numerator": 0, "denominator": 1, "summary": "0/1"},
            },
        )
    return {"url": live_server.url, "m": m, "user": member(m, Role.IT_COORDINATOR)}


def test_the_uniformity_page_has_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    path = reverse("catalogue:uniformity", args=[site["m"].slug])
    response = page.goto(site["url"] + path)
    assert response.status == 200
    assert page.locator("h1").inner_text()
    assert page.locator("svg[role=img] rect").count() == 4
    assert_no_violations(page, path)
    if os.environ.get("STADGA_SCREENSHOTS"):  # a look at the page, e.g. when changing the chart
        page.screenshot(path=os.environ["STADGA_SCREENSHOTS"] + "/uniformity.png", full_page=True)


def test_the_page_reads_without_javascript(browser: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site["url"], site["user"].username, site["m"])
    page.goto(site["url"] + reverse("catalogue:uniformity", args=[site["m"].slug]))
    tables = page.locator("main table")
    assert tables.count() >= 5
    assert "Unit4 ERP" in page.locator("main").inner_text()
    context.close()
