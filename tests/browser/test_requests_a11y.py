"""The product request pages (P5.4, P8.2) pass axe-core's WCAG 2.1 A and AA rules in Chromium:
the request form (also with errors), a request's page as the IT department sees it (checklist,
decision form, inquiry forms) and a partner's page of inquiries received."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import Criterion, Verdict
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Person
from stadga.plans.models import Goal
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    member,
)

from .helpers import assert_accessible, assert_no_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_pages_have_no_axe_violations(browser: Any, live_server: Any) -> None:
    m = MunicipalityFactory(is_demo=True)
    partner = MunicipalityFactory(name="Grannby")
    department = DepartmentFactory(board__municipality=m)
    BoardFactory(municipality=m, kind=BoardKind.EXECUTIVE_BOARD)
    category = ProductCategoryFactory(municipality=m, name="Ärendehantering")
    ProductFactory(municipality=m, category=category, name="Ärende 1")
    it = member(m, Role.IT_COORDINATOR)
    employee = member(m)
    Person.objects.filter(user=employee).update(department=department)
    partner_it = member(partner, Role.IT_COORDINATOR)
    services.catalogue_settings_update(
        municipality=m,
        data={"neighbours": [partner], "other_neighbours": "Fjärrby kommun"},
        actor=it,
    )
    request = services.request_create(
        municipality=m,
        data={
            "title": "Nytt ärendesystem",
            "product_name": "Ärende Pro",
            "vendor_name": "Ärendebolaget AB",
            "category": category,
            "reason": "Det gamla systemet upphör.",
            "department": department,
            "one_time_cost": Decimal("200000"),
            "yearly_cost": Decimal("50000"),
            "goals": list(Goal.objects.filter(municipality=m, code="P2.3")),
            "is_business_system": True,
        },
        actor=employee,
    )
    services.request_submit(request=request, actor=employee)
    services.assessment_record(
        request=request,
        criterion=Criterion.ESTABLISHED,
        verdict=Verdict.MET,
        note="Används i många kommuner.",
        actor=it,
    )

    base = live_server.url
    page = browser.new_page()
    log_in(page, base, it.username, m)
    assert_accessible(page, base + reverse("catalogue:productrequest_list", args=[m.slug]))
    assert_accessible(
        page, base + reverse("catalogue:productrequest_create", args=[m.slug]) + "?name=Ny"
    )
    assert_accessible(page, base + request.get_absolute_url())
    assert_accessible(page, base + reverse("catalogue:settings", args=[m.slug]))
    assert_accessible(page, base + reverse("catalogue:policyexception_create", args=[m.slug]))
    # A refused decision: the error summary and the marked fields must pass too.
    page.goto(base + request.get_absolute_url())
    page.click("form[action$='/withdraw/'] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page)
    # The form with errors.
    page.goto(base + reverse("catalogue:productrequest_create", args=[m.slug]))
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_violations(page)

    partner_page = browser.new_page()
    log_in(partner_page, base, partner_it.username, partner)
    assert_accessible(
        partner_page, base + reverse("catalogue:inquiries_received", args=[partner.slug])
    )
