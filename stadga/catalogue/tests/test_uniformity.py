"""The platform uniformity page (P4.1): its figures (products per category, systems per function,
overlaps, the P5.4 share, the trend from the snapshots), who may open it, its PDF, and a number
of queries that does not grow with the catalogue or the register."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import ProductCategory
from stadga.catalogue.rules import system_products_approved
from stadga.catalogue.uniformity import (
    MANY_APPROVED,
    approved_share,
    overlaps,
    products_per_category,
    systems_per_function,
    trend,
    trend_bars,
    uniformity_report,
)
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.models import ComplianceSnapshot, Policy
from stadga.policy.registry import RuleContext
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)
from stadga.testing.policy import policy_build

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def url(municipality: Municipality, query: str = "") -> str:
    return reverse("catalogue:uniformity", kwargs={"municipality": municipality.slug}) + query


def category(municipality: Municipality, name: str, business: bool = False) -> ProductCategory:
    return ProductCategoryFactory(municipality=municipality, name=name, is_business_system=business)


def running_on(municipality: Municipality, *products: Any, **fields: Any) -> Any:
    system = SystemFactory(municipality=municipality, **fields)
    for product in products:
        SystemProductFactory(system=system, product=product)
    return system


@pytest.fixture
def karlsborg() -> dict[str, Any]:
    """A small catalogue: two finance systems approved and both in use, a laptop category with
    many approved models, a rejected product in use, and a product of no category."""
    m = MunicipalityFactory(name="Karlsborg")
    finance = category(m, "Ekonomisystem", business=True)
    laptops = category(m, "Bärbara datorer")
    category(m, "Tom kategori")
    visma = ProductFactory(municipality=m, name="Visma", category=finance)
    unit4 = ProductFactory(
        municipality=m, name="Unit4", category=finance, phase=Phase.APPROVED_WITH_CONSTRAINTS
    )
    ProductFactory(municipality=m, name="Raindance", category=finance, phase=Phase.RETIRED)
    models = [
        ProductFactory(municipality=m, name=f"Dator {n}", category=laptops)
        for n in range(MANY_APPROVED)
    ]
    ProductFactory(municipality=m, name="Gammal dator", category=laptops, phase=Phase.REJECTED)
    loose = ProductFactory(municipality=m, name="Lös", category=None, phase=Phase.EVALUATION)
    ProductFactory(municipality=m, name="Arkiverad", category=laptops, archived_at=timezone.now())
    running_on(m, visma, models[0], name="Ekonomi")
    running_on(m, visma, name="Budget")
    running_on(m, unit4, name="Lön")
    running_on(m, loose, name="Försök")
    running_on(m, name="Okänt")
    running_on(m, unit4, name="Planerat", lifecycle_phase=LifecyclePhase.PLANNED)
    running_on(m, visma, name="Egen", system_type=SystemType.IN_HOUSE)
    return {"m": m, "finance": finance, "laptops": laptops}


# --- the figures -------------------------------------------------------------------------------


def test_products_per_category(karlsborg: dict[str, Any]) -> None:
    rows = {row.name: row for row in products_per_category(karlsborg["m"])}
    assert list(rows) == ["Bärbara datorer", "Ekonomisystem", "Tom kategori", "Ingen kategori"]
    finance = rows["Ekonomisystem"]
    assert finance.is_business_system
    assert (finance.total, finance.approved) == (3, 2)
    assert finance.per_phase[Phase.RETIRED] == 1
    assert (rows["Bärbara datorer"].total, rows["Bärbara datorer"].approved) == (4, 3)
    assert rows["Tom kategori"].total == 0
    assert rows["Ingen kategori"].per_phase[Phase.EVALUATION] == 1


def test_systems_per_function(karlsborg: dict[str, Any]) -> None:
    with translation.override("en"):
        result = systems_per_function(karlsborg["m"])
    by_name = {f.name: f for f in result.functions}
    assert [f.name for f in result.functions] == [
        "Ekonomisystem",
        "Bärbara datorer",
        "No category",
    ]
    # The in-house system runs on Visma too; only the planned one is not in use.
    assert by_name["Ekonomisystem"].systems == ["Budget", "Egen", "Ekonomi", "Lön"]
    assert by_name["Ekonomisystem"].products == {"Visma", "Unit4"}
    assert by_name["Bärbara datorer"].systems == ["Ekonomi"]
    assert by_name["No category"].systems == ["Försök"]
    assert (result.systems_in_use, result.without_product) == (6, 1)


def test_overlaps(karlsborg: dict[str, Any]) -> None:
    in_use, many = overlaps(karlsborg["m"], products_per_category(karlsborg["m"]))
    assert [o.name for o in in_use] == ["Ekonomisystem"]
    assert [(p.name, p.systems) for p in in_use[0].in_use] == [("Visma", 3), ("Unit4", 1)]
    assert in_use[0].url == karlsborg["finance"].get_absolute_url()
    assert [(o.name, o.approved, len(o.in_use)) for o in many] == [("Bärbara datorer", 3, 1)]


def test_the_share_is_the_p54_rules_count(karlsborg: dict[str, Any]) -> None:
    m = karlsborg["m"]
    share = approved_share(m)
    rule = system_products_approved(RuleContext(municipality=m))
    assert (share.kept, share.total) == (rule.numerator, rule.denominator) == (3, 5)
    assert share.percent == Decimal("60.0")
    assert {o.label for o in share.result.offenders} == {"Försök", "Okänt"}


def snapshot(
    municipality: Municipality, policy: Policy, day: datetime.date, kept: int, total: int
) -> ComplianceSnapshot:
    return ComplianceSnapshot.objects.create(
        municipality=municipality,
        policy=policy,
        taken_on=day,
        clauses={
            "P5.4": {
                "status": "partly_met" if kept < total else "met",
                "numerator": kept,
                "denominator": total,
                "summary": f"{kept} av {total} system",
                "offender_count": total - kept,
                "order": 1,
            },
            "P4.1": {
                "status": "met",
                "numerator": 1,
                "denominator": 1,
                "summary": "1 av 1 slag av verksamhetssystem",
                "offender_count": 0,
                "order": 2,
            },
        },
    )


def test_the_trend_is_the_last_snapshot_of_each_month() -> None:
    m = MunicipalityFactory()
    policy = policy_build({"P5.4": [], "P4.1": []})
    newer = policy_build({"P5.4": [], "P4.1": []})
    today = datetime.date(2026, 5, 4)
    snapshot(m, policy, datetime.date(2025, 5, 31), 1, 10)  # thirteen months ago: left out
    snapshot(m, policy, datetime.date(2025, 6, 30), 2, 10)
    snapshot(m, policy, datetime.date(2026, 3, 1), 3, 10)
    snapshot(m, policy, datetime.date(2026, 3, 31), 4, 10)
    snapshot(m, policy, datetime.date(2026, 5, 3), 5, 10)
    snapshot(m, newer, datetime.date(2026, 5, 3), 6, 10)  # a new version the same day: it counts
    snapshot(MunicipalityFactory(), policy, datetime.date(2026, 4, 1), 9, 10)

    points = trend(m, today)
    assert [(p.taken_on, p.p54.numerator) for p in points] == [
        (datetime.date(2025, 6, 30), 2),
        (datetime.date(2026, 3, 31), 4),
        (datetime.date(2026, 5, 3), 6),
    ]
    last = points[-1]
    assert (last.p54.denominator, last.p54.percent, last.p54.status) == (
        10,
        Decimal("60.0"),
        "partly_met",
    )
    assert last.p41.summary == "1 av 1 slag av verksamhetssystem"
    bars = trend_bars(points)
    assert [(b.label, b.height, b.y) for b in bars] == [
        ("2025-06", 20, 80),
        ("2026-03", 40, 60),
        ("2026-05", 60, 40),
    ]


def test_a_snapshot_without_the_clauses_reads_as_nothing() -> None:
    m = MunicipalityFactory()
    ComplianceSnapshot.objects.create(
        municipality=m, policy=policy_build({"P9.3": []}), taken_on=TODAY, clauses={}
    )
    (point,) = trend(m, TODAY)
    assert (point.p54.numerator, point.p54.percent, point.p54.status_label) == (None, None, "")
    assert trend_bars([point])[0].height == 0


def grow(municipality: Municipality, count: int) -> None:
    """`count` more categories, products, systems and snapshots."""
    for _ in range(count):
        n = next(_numbers)
        business = category(municipality, f"Verksamhet {n}", business=True)
        first = ProductFactory(municipality=municipality, category=business)
        second = ProductFactory(municipality=municipality, category=business)
        rejected = ProductFactory(municipality=municipality, phase=Phase.REJECTED)
        running_on(municipality, first)
        running_on(municipality, second, rejected)
        running_on(municipality)
    policy = policy_build({"P5.4": [], "P4.1": []})
    for months in range(count):
        day = TODAY - datetime.timedelta(days=30 * months + next(_numbers) % 3)
        if not ComplianceSnapshot.objects.filter(municipality=municipality, taken_on=day).exists():
            snapshot(municipality, policy, day, months, count)


def test_the_report_runs_a_fixed_number_of_queries() -> None:
    m = MunicipalityFactory()
    counts = []
    for rows in (2, 12):
        grow(m, rows)
        with CaptureQueriesContext(connection) as queries:
            report = uniformity_report(m, TODAY)
        assert report.overlapping and report.share.result.offenders and report.trend
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 11, counts


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.IT_COORDINATOR, Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR]
)
def test_those_who_read_everything_see_it(client: Any, karlsborg: Any, role: str) -> None:
    client.force_login(member(karlsborg["m"], role))
    response = client.get(url(karlsborg["m"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visma" in html and "Unit4" in html
    assert f'href="{karlsborg["finance"].get_absolute_url()}"' in html
    assert 'href="?format=pdf"' in html


def test_others_get_a_403_and_another_municipality_a_404(client: Any, karlsborg: Any) -> None:
    m = karlsborg["m"]
    department = DepartmentFactory(board__municipality=m)
    for user in (
        member(m),
        member(m, Role.EMPLOYEE),
        member(m, Role.DEPARTMENT_HEAD, department=department),
        member(m, Role.BOARD_MEMBER, board=department.board),
    ):
        client.force_login(user)
        assert client.get(url(m)).status_code == 403
        assert client.get(url(m, "?format=pdf")).status_code == 403
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(url(m)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client: Any, karlsborg: Any) -> None:
    response = client.get(url(karlsborg["m"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_figures(client: Any, karlsborg: Any) -> None:
    m = karlsborg["m"]
    policy = policy_build({"P5.4": [], "P4.1": []})
    snapshot(m, policy, TODAY - datetime.timedelta(days=40), 2, 5)
    snapshot(m, policy, TODAY, 3, 5)
    client.force_login(member(m, Role.IT_COORDINATOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(m)).content.decode()
    assert '<svg role="img" aria-labelledby="trend-chart-title trend-chart-desc"' in html
    assert '<span class="figure">60.0 %</span>' in html  # the share today
    assert "<title>" + (TODAY - datetime.timedelta(days=40)).strftime("%Y-%m") + ": 40 %" in html
    assert "3 of 5 systems in production or phase-out run only on approved products" in html
    assert "No product recorded in the catalogue" in html
    assert "Bärbara datorer" in html and "Tom kategori" in html


def test_the_pdf(client: Any, karlsborg: Any) -> None:
    client.force_login(member(karlsborg["m"], Role.EXECUTIVE_BOARD_READER))
    response = client.get(url(karlsborg["m"], "?format=pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="enhetlig-plattform-' in response["Content-Disposition"]


def test_the_page_runs_a_fixed_number_of_queries(client: Any) -> None:
    m = MunicipalityFactory()
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for rows in (2, 12):
        grow(m, rows)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(m)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
