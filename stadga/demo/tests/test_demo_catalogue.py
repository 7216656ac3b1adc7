"""Issue 5's promise on the demo data: a realistic Karlsborg catalogue of about 150 products
with dated decisions in every phase, systems linked to what they run on with a few flagged
(P5.4, P5.5, P5.6), product requests in each state of their way (P5.4, P5.6, P8.2), and a second
load that changes nothing."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from stadga.catalogue.choices import (
    Answer,
    Approver,
    InquiryStatus,
    Outcome,
    Phase,
    ProductFlag,
    RequestStatus,
    StepStatus,
)
from stadga.catalogue.models import (
    ApprovalStep,
    Assessment,
    CatalogueSettings,
    CoordinationInquiry,
    InquiryRecipient,
    PhaseDecision,
    Product,
    ProductCategory,
    ProductRequest,
    ProductVersion,
    RequestStep,
    SystemProduct,
    Vendor,
)
from stadga.demo import data
from stadga.demo import data_catalogue as catalogue
from stadga.demo.load import load_demo
from stadga.notifications.models import Notification
from stadga.organisation.models import Municipality, Person
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.systems.models import System

CATALOGUE_MODELS = [
    ProductCategory,
    Vendor,
    Product,
    ProductVersion,
    PhaseDecision,
    SystemProduct,
    CatalogueSettings,
    ApprovalStep,
    ProductRequest,
    Assessment,
    RequestStep,
    CoordinationInquiry,
    InquiryRecipient,
    Notification,
    LogEntry,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def karlsborg(db: Any) -> Municipality:
    return load_demo()


# --- The data itself -----------------------------------------------------------------------------


def test_the_data_refers_only_to_what_it_defines():
    products = {p.name: p for p in catalogue.PRODUCTS}
    assert len(products) == len(catalogue.PRODUCTS), "products are matched by name on reload"
    vendors = [v.name for v in catalogue.VENDORS]
    assert len(vendors) == len(set(vendors))
    categories = [c.name for c in catalogue.CATEGORIES]
    assert len(categories) == len(set(categories))
    assert {p.vendor for p in catalogue.PRODUCTS} - {None} <= set(vendors)
    assert {p.category for p in catalogue.PRODUCTS} <= set(categories)
    versions = {(p.name, v.version) for p in catalogue.PRODUCTS for v in p.versions}
    systems = {s.identifier for s in data.SYSTEMS}
    for link in catalogue.LINKS:
        assert link.system in systems and link.product in products, link
        version = link.version or catalogue.LINK_VERSIONS.get((link.system, link.product))
        assert version is None or (link.product, version) in versions, link
    assert set(catalogue.LINK_VERSIONS) <= {(lk.system, lk.product) for lk in catalogue.LINKS}
    # Every vendor the register names is in the catalogue, except for in-house development.
    named = {s.vendor for s in data.SYSTEMS if s.vendor and s.system_type != SystemType.IN_HOUSE}
    assert named <= set(vendors)
    for item in catalogue.REQUESTS:
        assert item.product is None or item.product in products
        assert item.vendor is None or item.vendor in vendors
        assert item.category is None or item.category in categories


def test_the_decisions_are_well_formed():  # P5.4
    today = datetime.date(2026, 11, 29)
    for product in catalogue.PRODUCTS:
        dates = [catalogue.resolve(d.on, today) for d in product.decisions]
        assert dates == sorted(dates), product.name  # history in order
        for decision in product.decisions:
            assert decision.reason.strip(), product.name
            if decision.phase == Phase.APPROVED_WITH_CONSTRAINTS:
                assert decision.constraints.strip(), product.name
            if decision.phase == Phase.PHASE_OUT:
                assert decision.ends_on is not None, product.name


# --- The catalogue -------------------------------------------------------------------------------


def test_the_catalogue_of_a_municipality_of_7000(karlsborg):
    products = Product.objects.filter(municipality=karlsborg)
    assert 140 <= products.count() <= 170
    assert Vendor.objects.filter(municipality=karlsborg).count() >= 60
    categories = ProductCategory.objects.filter(municipality=karlsborg)
    assert 25 <= categories.count() <= 60
    assert categories.filter(is_business_system=True).count() >= 20
    assert {
        "Ekonomisystem",
        "Operativsystem",
        "Brandvägg och fjärråtkomst",
    } <= {c.name for c in categories}
    # Phases spread as in a real catalogue: mostly approved, every phase present.
    phases = Counter(products.values_list("phase", flat=True))
    assert set(phases) == set(Phase.values)
    approved = phases[Phase.APPROVED] + phases[Phase.APPROVED_WITH_CONSTRAINTS]
    assert approved >= 0.6 * products.count()
    assert phases[Phase.REJECTED] >= 2 and phases[Phase.RETIRED] >= 3
    # Every decision is dated, reasoned and the IT coordinator's (P5.4).
    coordinator = Person.objects.get(municipality=karlsborg, user__username="it.samordnare")
    today = timezone.localdate()
    decisions = PhaseDecision.objects.filter(municipality=karlsborg, request__isnull=True)
    assert decisions.exclude(decided_by=coordinator).count() == 0
    assert decisions.filter(effective_from__gt=today).count() == 0
    constrained = products.filter(phase=Phase.APPROVED_WITH_CONSTRAINTS)
    assert not constrained.filter(constraints="").exists()
    assert constrained.filter(constraints__icontains="sekretessbelagda").exists()
    # The vendors' own dates, e.g. Microsoft's end of support for Windows 10.
    windows10 = products.get(name="Windows 10")
    assert (windows10.phase, windows10.end_of_support) == (
        Phase.RETIRED,
        datetime.date(2025, 10, 14),
    )
    assert windows10.decisions.count() == 3
    # A phase-out that ends within the reminder period, counted from the load date.
    notice = CatalogueSettings.objects.get(municipality=karlsborg).phase_out_notice_days
    soon = products.filter(
        phase=Phase.PHASE_OUT, phase_ends_on__lte=today + datetime.timedelta(days=notice)
    )
    assert "Enhetshantering elevdatorer" in {p.name for p in soon}
    assert products.get(name="Enhetshantering elevdatorer").phase_ends_on == (
        today + datetime.timedelta(days=45)
    )


def test_systems_run_on_products_and_a_few_are_flagged(karlsborg):  # P5.4, P5.5, P5.6
    today = timezone.localdate()
    systems = System.objects.filter(municipality=karlsborg)
    links = SystemProduct.objects.filter(system__municipality=karlsborg).select_related(
        "system", "product__vendor", "version"
    )
    # Every system with a vendor runs on a product of that vendor.
    by_system: dict[str, list[SystemProduct]] = {}
    for link in links:
        by_system.setdefault(link.system.identifier, []).append(link)
    for item in data.SYSTEMS:
        if item.vendor and item.system_type != SystemType.IN_HOUSE:
            vendors = {lk.product.vendor.name for lk in by_system[item.identifier]}
            assert item.vendor in vendors, item.identifier
    # Most systems in use are fine; the deliberate few are flagged, each for its own reason.
    in_use = (LifecyclePhase.IN_PRODUCTION, LifecyclePhase.PHASE_OUT)
    flagged: dict[str, set[str]] = {}
    for link in links:
        flags = link.product.flags_on(today, link.version)
        if flags and link.system.lifecycle_phase in in_use:
            flagged.setdefault(link.system.name, set()).update(flags)
    assert flagged == {
        "Överförmyndarsystem": {ProductFlag.RETIRED, ProductFlag.PAST_END_OF_SUPPORT},
        "Verksamhetssystem socialtjänst": {ProductFlag.PAST_END_OF_SUPPORT},
        "Bokningssystem lokaler och anläggningar": {ProductFlag.NEVER_APPROVED},
        "Föreningsregister och bidragshantering": {ProductFlag.REJECTED},
    }
    assert systems.filter(lifecycle_phase__in=in_use).count() - len(flagged) >= 35


# --- Product requests ----------------------------------------------------------------------------


def test_requests_in_each_state_of_their_way(karlsborg):  # P5.4, P5.6, P8.2
    requests = {r.title: r for r in ProductRequest.objects.filter(municipality=karlsborg)}
    assert len(requests) == len(catalogue.REQUESTS)
    statuses = Counter(r.status for r in requests.values())
    assert statuses == {
        RequestStatus.DRAFT: 1,
        RequestStatus.SUBMITTED: 2,
        RequestStatus.DECIDED: 3,
    }

    waiting = requests["Ritprogram för underhållsplanering"]
    assert [(s.approver, s.status) for s in waiting.steps.all()] == [
        (Approver.IT_DEPARTMENT, StepStatus.PENDING)
    ]

    # A new business system: its decision waits for the neighbours (P8.2).
    night = requests["Digital nattillsyn i hemtjänsten"]
    assert night.is_business_system and night.assessments.count() == 3
    assert night.inquiry.status == InquiryStatus.OPEN
    answers = {r.name: r.answer for r in night.inquiry.recipients.all()}
    assert answers == {"Hjo kommun": Answer.INTERESTED, "Tibro kommun": Answer.NO_ANSWER}
    settings = CatalogueSettings.objects.get(municipality=karlsborg)
    # Hjo and Tibro joined Stadga after that inquiry was sent: now they are asked there (P8.2).
    assert sorted(settings.neighbours.values_list("slug", flat=True)) == ["hjo", "tibro"]
    assert settings.other_neighbour_names == []

    approved = requests["Videomötesutrustning till socialförvaltningens mötesrum"]
    assert approved.outcome == Outcome.APPROVED and approved.steps.count() == 1
    assert approved.assessments.count() == 5

    # Above the cost threshold, the department head signs after the IT department.
    constrained = requests["PDF-redigering för kommunledningskontoret"]
    assert constrained.outcome == Outcome.APPROVED_WITH_CONSTRAINTS and constrained.constraints
    head = Person.objects.get(municipality=karlsborg, user__username="kommundirektor")
    assert [(s.name, s.status, s.decided_by) for s in constrained.steps.all()][1] == (
        "Förvaltningschef över 50 000 kr",
        StepStatus.APPROVED,
        head,
    )
    assert ApprovalStep.objects.get(municipality=karlsborg).min_total_cost == 50000

    # In-house development is rejected citing P5.6; its inquiry was waived with a reason.
    rejected = requests["Egen app för föreningsbidrag"]
    assert rejected.outcome == Outcome.REJECTED and "5.6" in rejected.decision_reason
    assert rejected.inquiry.status == InquiryStatus.WAIVED and rejected.inquiry.conclusion
    assert rejected.decided_product.phase == Phase.REJECTED

    # Each requester has the decision in their inbox.
    for request in (approved, constrained, rejected):
        assert Notification.objects.filter(
            recipient=request.requested_by, key=f"product-request:{request.pk}:decided"
        ).exists()


# --- Idempotence ---------------------------------------------------------------------------------


def test_a_second_load_changes_nothing_in_the_catalogue(db):
    load_demo()
    before = counts()
    phases = dict(Product.objects.values_list("pk", "updated_at"))
    out = io.StringIO()

    load_demo(stdout=out)

    assert counts() == before
    assert dict(Product.objects.values_list("pk", "updated_at")) == phases
    assert "nothing was changed" in out.getvalue()


def test_an_older_demo_gets_the_rest_of_the_catalogue(db, monkeypatch):
    """A demo loaded with a smaller catalogue and no requests is completed, not doubled; what
    it had keeps its decisions and links."""
    with monkeypatch.context() as older:
        older.setattr(catalogue, "PRODUCTS", catalogue.PRODUCTS[:60])
        older.setattr(
            catalogue,
            "LINKS",
            [lk for lk in catalogue.LINKS if lk.product in {p.name for p in catalogue.PRODUCTS}],
        )
        older.setattr(catalogue, "REQUESTS", [])
        load_demo()
    # Karlsborg's own; the neighbours' catalogues have their own test (test_demo_cooperation).
    own = Product.objects.filter(municipality__slug="karlsborg")
    decided = own.exclude(phase=Phase.NOT_ASSESSED).count()
    assert own.count() == 60 and decided

    karlsborg = load_demo()

    names = set(Product.objects.filter(municipality=karlsborg).values_list("name", flat=True))
    assert {p.name for p in catalogue.PRODUCTS} <= names
    expected = sum(len(p.decisions) for p in catalogue.PRODUCTS)
    assert (
        PhaseDecision.objects.filter(municipality=karlsborg, request__isnull=True).count()
        == expected
    )
    assert ProductRequest.objects.filter(municipality=karlsborg).count() == len(catalogue.REQUESTS)
    # Its requests came after the neighbours joined: asked in Stadga, Hjo answered there (P8.2).
    night = ProductRequest.objects.get(
        municipality=karlsborg, title="Digital nattillsyn i hemtjänsten"
    )
    hjo = night.inquiry.recipients.get(partner__slug="hjo")
    assert hjo.answer == Answer.INTERESTED
    assert hjo.answered_by.user.username == "hjo.samordnare"
