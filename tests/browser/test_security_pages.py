"""The information security pages (P9) on the demo data pass axe-core's WCAG 2.1 A and AA
rules in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from stadga.demo import DEMO_PASSWORD
from stadga.demo.load import load_demo
from stadga.security.models import Incident, Measure, ProcessingActivity, ShortfallNotice
from stadga.systems.models import System

from .helpers import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_security_pages_have_no_axe_violations(browser: Any, live_server: Any) -> None:
    municipality = load_demo()
    m = municipality.slug
    system = System.objects.filter(municipality=municipality, information_types__isnull=False)[0]
    measure = Measure.objects.filter(municipality=municipality, follow_ups__isnull=False)[0]
    pages = [
        reverse("security:overview", args=[m]),
        reverse("security:system_classification", args=[m, system.pk]),
        reverse("security:informationtype_list", args=[m]),
        reverse("security:measure_list", args=[m]),
        measure.get_absolute_url(),
        reverse("security:followup_create", args=[m, measure.pk]),
        reverse("security:gap", args=[m]),
        reverse("security:action_plan", args=[m]),
        reverse("security:shortfallnotice_list", args=[m]),
        reverse("security:shortfallnotice_create", args=[m]),
        ShortfallNotice.objects.filter(municipality=municipality)[0].get_absolute_url(),
        reverse("security:incident_list", args=[m]),
        Incident.objects.filter(municipality=municipality)[0].get_absolute_url(),
        reverse("security:processingactivity_list", args=[m]),
        ProcessingActivity.objects.filter(municipality=municipality)[0].get_absolute_url(),
        reverse("security:register_export", args=[m]),
        reverse("security:settings", args=[m]),
        reverse("requirements:list"),
    ]
    page = browser.new_page()
    log_in(page, live_server.url, "it.samordnare", m, DEMO_PASSWORD)
    for path in pages:
        assert_accessible(page, live_server.url + path)
