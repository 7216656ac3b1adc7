"""The catalogue's compliance rules (P4.1, P5.1–P5.4, P5.6, P5.7, P8.2): each met, each kind of
offence with its reason and a link that opens, not applicable where nothing is measured, blind
to archived rows, narrowed to a board or department, bound by the shipped policy, and in a
number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.catalogue.choices import (
    Criterion,
    InquiryStatus,
    Outcome,
    Phase,
    RequestStatus,
    Verdict,
)
from stadga.catalogue.models import (
    Assessment,
    CoordinationInquiry,
    PolicyException,
    Product,
    ProductCategory,
    ProductRequest,
    SystemProduct,
)
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.library import read_library, shipped_libraries
from stadga.policy.registry import RuleContext, RuleResult, get_rule
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    ProductRequestFactory,
    ProductVersionFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

pytestmark = pytest.mark.django_db

CATALOGUE_RULES = {
    "catalogue.system_products_approved": ("P5.4", "P4.1"),
    "catalogue.no_overlapping_business_systems": ("P4.1",),
    "catalogue.requests_assessed": ("P5.1", "P5.2", "P5.3", "P5.7"),
    "catalogue.in_house_exception": ("P5.6",),
    "catalogue.coordination_before_decision": ("P8.2",),
}

TODAY = timezone.localdate()
NOW = timezone.now()
DAY = datetime.timedelta(days=1)
_numbers = itertools.count(1)


def run(rule_id: str, municipality: Municipality, **scope: Any) -> RuleResult:
    with translation.override("en"):
        return get_rule(rule_id).evaluate(RuleContext(municipality=municipality, **scope))


def archive(obj: Any) -> Any:
    """Archive without a service: the rules read `archived_at`, not who set it."""
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


def reasons(result: RuleResult) -> dict[str, str]:
    return {o.label: o.reason for o in result.offenders}


def assert_links_work(result: RuleResult, municipality: Municipality) -> None:
    """Each offender's link opens its page for the IT coordinator."""
    assert result.offenders
    client = Client()
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    for offender in result.offenders:
        assert client.get(offender.url).status_code == 200, offender.url


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


# --- test data (saved directly: the rules read the rows, not how they were written) -------------


def running_on(municipality: Municipality, *products: Product, **fields: Any) -> Any:
    system = SystemFactory(municipality=municipality, **fields)
    for product in products:
        SystemProductFactory(system=system, product=product)
    return system


def decided(
    municipality: Municipality, outcome: str = Outcome.APPROVED, **fields: Any
) -> ProductRequest:
    values: dict[str, Any] = {
        "status": RequestStatus.DECIDED,
        "outcome": outcome,
        "submitted_at": NOW - 10 * DAY,
        "decided_at": NOW - DAY,
        "decision_reason": "Uppfyller kraven.",
        **fields,
    }
    return ProductRequestFactory(municipality=municipality, **values)


def assess(request: ProductRequest, *criteria: str, note: str = "Bedömd utifrån policyn.") -> None:
    for criterion in criteria or Criterion.values:
        Assessment.objects.create(
            municipality=request.municipality,
            request=request,
            criterion=criterion,
            verdict=Verdict.MET,
            note=note,
        )


def executive_board(municipality: Municipality) -> Any:
    return BoardFactory(municipality=municipality, kind=BoardKind.EXECUTIVE_BOARD)


def exception(municipality: Municipality, **subject: Any) -> PolicyException:
    return PolicyException.objects.create(
        municipality=municipality,
        board=executive_board(municipality),
        decided_on=TODAY - 30 * DAY,
        minute_reference=f"KS 2026-01-{next(_numbers) % 28 + 1:02d} § 4",
        reason="Ingen produkt på marknaden fyller behovet.",
        **subject,
    )


def inquiry(request: ProductRequest, **fields: Any) -> CoordinationInquiry:
    values: dict[str, Any] = {
        "question": "Vill ni samordna upphandlingen?",
        "sent_on": TODAY - 20 * DAY,
        "status": InquiryStatus.CLOSED,
        "closed_at": NOW - 2 * DAY,
        "conclusion": "Ingen grannkommun vill samordna.",
        **fields,
    }
    return CoordinationInquiry.objects.create(
        municipality=request.municipality, request=request, **values
    )


# --- P5.4 catalogue.system_products_approved ---------------------------------------------------


class TestSystemProductsApproved:
    rule = "catalogue.system_products_approved"

    def test_met_on_approved_and_phase_out_products(self, municipality: Any) -> None:
        approved = ProductFactory(municipality=municipality)
        constrained = ProductFactory(
            municipality=municipality, phase=Phase.APPROVED_WITH_CONSTRAINTS
        )
        ending_today = ProductFactory(
            municipality=municipality, phase=Phase.PHASE_OUT, phase_ends_on=TODAY
        )
        version = ProductVersionFactory(product=approved, end_of_support=TODAY)
        system = running_on(municipality, constrained, ending_today)
        SystemProduct.objects.create(system=system, product=approved, version=version)

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (Status.MET, 1, 1)
        assert result.summary == (
            "1 of 1 systems in production or phase-out run only on approved products"
        )

    def test_each_kind_of_offence_names_the_product_and_why(self, municipality: Any) -> None:
        ok = ProductFactory(municipality=municipality, name="Visma")
        product = {
            phase: ProductFactory(municipality=municipality, name=f"P-{phase}", phase=phase)
            for phase in (Phase.NOT_ASSESSED, Phase.EVALUATION, Phase.REJECTED, Phase.RETIRED)
        }
        ended = ProductFactory(
            municipality=municipality,
            name="Gammal",
            phase=Phase.PHASE_OUT,
            phase_ends_on=datetime.date(2025, 12, 31),
        )
        unsupported = ProductFactory(
            municipality=municipality, name="Osupp", end_of_support=datetime.date(2024, 6, 30)
        )
        old_version = ProductVersionFactory(
            product=ok, version="7", end_of_support=datetime.date(2025, 1, 31)
        )
        running_on(municipality, ok, product[Phase.NOT_ASSESSED], name="A")
        running_on(municipality, product[Phase.EVALUATION], name="B")
        running_on(municipality, product[Phase.REJECTED], name="C")
        running_on(municipality, product[Phase.RETIRED], ok, name="D")
        running_on(municipality, ended, name="E")
        running_on(municipality, unsupported, name="F")
        g = running_on(municipality, name="G")
        SystemProduct.objects.create(system=g, product=ok, version=old_version)
        running_on(municipality, name="H")  # nothing recorded
        running_on(municipality, ok, name="OK")

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (
            Status.PARTLY_MET,
            1,
            9,
        )
        assert reasons(result) == {
            "A": "P-not_assessed was never approved",
            "B": "P-evaluation was never approved",
            "C": "P-rejected is rejected",
            "D": "P-retired is retired",
            "E": "Gammal: phase-out ended on 2025-12-31",
            "F": "Osupp: support ended on 2024-06-30",
            "G": "Visma 7: support ended on 2025-01-31",
            "H": "No product recorded in the catalogue",
        }
        assert result.offender_count == 8
        assert_links_work(result, municipality)

    def test_several_reasons_of_one_system_are_joined(self, municipality: Any) -> None:
        rejected = ProductFactory(municipality=municipality, name="Aa", phase=Phase.REJECTED)
        retired = ProductFactory(
            municipality=municipality,
            name="Bb",
            phase=Phase.RETIRED,
            end_of_support=datetime.date(2020, 1, 1),
        )
        running_on(municipality, retired, rejected, name="S")
        assert reasons(run(self.rule, municipality)) == {
            "S": "Aa is rejected; Bb is retired; Bb: support ended on 2020-01-01"
        }

    def test_archived_rows_count_for_nothing(self, municipality: Any) -> None:
        rejected = ProductFactory(municipality=municipality, phase=Phase.REJECTED)
        archive(running_on(municipality, rejected))
        gone = archive(ProductFactory(municipality=municipality, phase=Phase.REJECTED))
        approved = ProductFactory(municipality=municipality)
        running_on(municipality, approved, gone, name="Kept")
        only_archived = running_on(municipality, gone, name="Only")

        result = run(self.rule, municipality)
        assert (result.numerator, result.denominator) == (1, 2)
        assert reasons(result) == {only_archived.name: "No product recorded in the catalogue"}

    def test_planned_retired_and_in_house_systems_are_not_measured(self, municipality: Any) -> None:
        rejected = ProductFactory(municipality=municipality, phase=Phase.REJECTED)
        running_on(municipality, rejected, lifecycle_phase=LifecyclePhase.PLANNED)
        running_on(municipality, rejected, lifecycle_phase=LifecyclePhase.RETIRED)
        running_on(municipality, rejected, system_type=SystemType.IN_HOUSE)
        running_on(MunicipalityFactory(), ProductFactory(phase=Phase.REJECTED))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_phase_out_system_is_measured(self, municipality: Any) -> None:
        running_on(municipality, lifecycle_phase=LifecyclePhase.PHASE_OUT)
        assert run(self.rule, municipality).status == Status.NOT_MET


# --- P4.1 catalogue.no_overlapping_business_systems -------------------------------------------


def business(municipality: Municipality, name: str = "") -> ProductCategory:
    return ProductCategoryFactory(
        municipality=municipality,
        is_business_system=True,
        **({"name": name} if name else {}),
    )


class TestNoOverlappingBusinessSystems:
    rule = "catalogue.no_overlapping_business_systems"

    def test_not_applicable_without_business_systems_in_use(self, municipality: Any) -> None:
        business(municipality)  # no product in use
        laptops = ProductCategoryFactory(municipality=municipality)
        running_on(
            municipality,
            ProductFactory(municipality=municipality, category=laptops),
            ProductFactory(municipality=municipality, category=laptops),
        )
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_one_approved_product_per_category_keeps_it(self, municipality: Any) -> None:
        finance = business(municipality)
        new = ProductFactory(municipality=municipality, category=finance)
        old = ProductFactory(
            municipality=municipality,
            category=finance,
            phase=Phase.PHASE_OUT,
            phase_ends_on=TODAY + 90 * DAY,
        )
        unused = ProductFactory(municipality=municipality, category=finance)
        running_on(municipality, new)
        running_on(municipality, old)
        running_on(municipality, unused, lifecycle_phase=LifecyclePhase.RETIRED)
        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (Status.MET, 1, 1)

    def test_two_approved_products_in_use_overlap(self, municipality: Any) -> None:
        finance = business(municipality, "Ekonomisystem")
        visma = ProductFactory(municipality=municipality, category=finance, name="Visma")
        unit4 = ProductFactory(
            municipality=municipality,
            category=finance,
            name="Unit4",
            phase=Phase.APPROVED_WITH_CONSTRAINTS,
        )
        running_on(municipality, visma)
        running_on(municipality, unit4)
        hr = business(municipality, "Personalsystem")
        running_on(municipality, ProductFactory(municipality=municipality, category=hr))

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (
            Status.PARTLY_MET,
            1,
            2,
        )
        assert reasons(result) == {"Ekonomisystem": "2 approved products in use: Unit4, Visma"}
        assert_links_work(result, municipality)

    def test_archived_rows_count_for_nothing(self, municipality: Any) -> None:
        finance = business(municipality)
        a = ProductFactory(municipality=municipality, category=finance)
        b = ProductFactory(municipality=municipality, category=finance)
        running_on(municipality, a)
        archived_system = running_on(municipality, b)
        archive(archived_system)
        assert run(self.rule, municipality).status == Status.MET
        running_on(municipality, b)
        archive(b)
        assert run(self.rule, municipality).status == Status.MET
        archive(finance)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P5.1–P5.3, P5.7 catalogue.requests_assessed -----------------------------------------------


class TestRequestsAssessed:
    rule = "catalogue.requests_assessed"

    def test_not_applicable_without_approved_decisions(self, municipality: Any) -> None:
        decided(municipality, Outcome.REJECTED)
        ProductRequestFactory(municipality=municipality)  # a draft
        ProductRequestFactory(municipality=municipality, status=RequestStatus.SUBMITTED)
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_met_when_every_criterion_has_a_note(self, municipality: Any) -> None:
        assess(decided(municipality))
        assess(decided(municipality, Outcome.APPROVED_WITH_CONSTRAINTS, constraints="Endast"))
        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (Status.MET, 2, 2)

    def test_a_missing_or_empty_assessment_offends(self, municipality: Any) -> None:
        partial = decided(municipality, title="Delvis")
        assess(partial, Criterion.ESTABLISHED, Criterion.VENDOR, Criterion.COEXISTENCE)
        assess(partial, Criterion.NOT_IN_HOUSE, note="   ")
        bare = decided(municipality, title="Tom")
        assess(decided(municipality))

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (
            Status.PARTLY_MET,
            1,
            3,
        )
        found = reasons(result)
        assert found[str(partial)] == (
            "Not assessed with a note: "
            "Not in-house development and not an unfinished business system (P5.6); "
            "Financed according to the investment policy (P5.7)"
        )
        assert found[str(bare)].count("(P5.") == 5
        assert_links_work(result, municipality)

    def test_archived_requests_count_for_nothing(self, municipality: Any) -> None:
        archive(decided(municipality))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P5.6 catalogue.in_house_exception ---------------------------------------------------------


class TestInHouseException:
    rule = "catalogue.in_house_exception"

    def test_not_applicable_without_in_house_development(self, municipality: Any) -> None:
        SystemFactory(municipality=municipality)
        decided(municipality)
        decided(municipality, Outcome.REJECTED, is_in_house_development=True)
        SystemFactory(
            municipality=municipality,
            system_type=SystemType.IN_HOUSE,
            lifecycle_phase=LifecyclePhase.RETIRED,
        )
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_met_with_an_exception_for_each(self, municipality: Any) -> None:
        system = SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE)
        exception(municipality, system=system)
        request = decided(municipality, is_unfinished=True)
        exception(municipality, request=request)
        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (Status.MET, 2, 2)

    def test_without_an_exception_each_kind_offends(self, municipality: Any) -> None:
        running = SystemFactory(
            municipality=municipality, system_type=SystemType.IN_HOUSE, name="Egen"
        )
        planned = SystemFactory(
            municipality=municipality,
            system_type=SystemType.IN_HOUSE,
            lifecycle_phase=LifecyclePhase.PLANNED,
            system_owner=None,
            name="Planerad",
        )
        in_house = decided(municipality, is_in_house_development=True)
        unfinished = decided(municipality, is_unfinished=True)
        assessed = decided(municipality)
        Assessment.objects.create(
            municipality=municipality,
            request=assessed,
            criterion=Criterion.NOT_IN_HOUSE,
            verdict=Verdict.NOT_MET,
            note="Egenutvecklad modul ingår.",
        )
        other = SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE)
        exception(municipality, system=other)
        archive(exception(municipality, system=running))  # an archived exception is none
        PolicyException.objects.create(  # an exception from another clause is not P5.6's
            municipality=municipality,
            board=executive_board(municipality),
            clause="P5.4",
            system=planned,
            decided_on=TODAY,
            minute_reference="KS § 1",
            reason="Annat",
        )

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (
            Status.PARTLY_MET,
            1,
            6,
        )
        assert reasons(result) == {
            "Egen": "In-house development without an exception decided by the executive board",
            "Planerad": (
                "In-house development without an exception decided by the executive board"
            ),
            str(in_house): (
                "Approved as in-house development without an exception of the executive board"
            ),
            str(unfinished): (
                "Approved as a business system that is not fully developed, without an "
                "exception of the executive board"
            ),
            str(assessed): (
                "Approved although assessed as in-house development or not fully developed, "
                "without an exception of the executive board"
            ),
        }
        assert_links_work(result, municipality)

    def test_archived_systems_and_requests_count_for_nothing(self, municipality: Any) -> None:
        archive(SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE))
        archive(decided(municipality, is_in_house_development=True))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- P8.2 catalogue.coordination_before_decision -----------------------------------------------


class TestCoordinationBeforeDecision:
    rule = "catalogue.coordination_before_decision"

    def test_not_applicable_without_decisions_on_business_systems(self, municipality: Any) -> None:
        decided(municipality)  # not a business system
        ProductRequestFactory(municipality=municipality, is_business_system=True)  # a draft
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE

    def test_met_when_closed_or_waived_before_or_at_the_decision(self, municipality: Any) -> None:
        closed = decided(municipality, is_business_system=True)
        inquiry(closed)
        at_once = decided(municipality, is_business_system=True, decided_at=NOW - DAY)
        inquiry(at_once, status=InquiryStatus.WAIVED, closed_at=NOW - DAY)
        marked_at_submit = decided(
            municipality, category=business(municipality), is_business_system=True
        )
        inquiry(marked_at_submit)
        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (Status.MET, 3, 3)

    def test_each_kind_of_offence(self, municipality: Any) -> None:
        decision = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
        never = decided(municipality, is_business_system=True, decided_at=decision)
        still_open = decided(municipality, is_business_system=True, decided_at=decision)
        inquiry(still_open, status=InquiryStatus.OPEN, closed_at=None)
        late = decided(municipality, Outcome.REJECTED, is_business_system=True, decided_at=decision)
        inquiry(late, closed_at=datetime.datetime(2026, 3, 9, 10, tzinfo=datetime.UTC))
        archived_inquiry = decided(municipality, is_business_system=True, decided_at=decision)
        archive(inquiry(archived_inquiry))

        result = run(self.rule, municipality)
        assert (result.status, result.numerator, result.denominator) == (
            Status.NOT_MET,
            0,
            4,
        )
        assert reasons(result) == {
            str(never): "Decided 2026-03-02 without asking the neighbouring municipalities",
            str(still_open): ("Decided 2026-03-02 while the coordination inquiry was still open"),
            str(late): (
                "Decided 2026-03-02; the coordination inquiry was closed only on 2026-03-09"
            ),
            str(archived_inquiry): (
                "Decided 2026-03-02 without asking the neighbouring municipalities"
            ),
        }
        assert_links_work(result, municipality)

    def test_the_mark_recorded_at_submit_counts(self, municipality: Any) -> None:
        """Submitting marks a request of a business-system category (the request services);
        a decided request without the mark was more of an approved product, not a new system."""
        product = ProductFactory(municipality=municipality, category=business(municipality))
        decided(municipality, product=product, category=None, is_business_system=True)
        decided(municipality, product=product, category=None)
        assert run(self.rule, municipality).denominator == 1

    def test_archived_requests_count_for_nothing(self, municipality: Any) -> None:
        archive(decided(municipality, is_business_system=True))
        assert run(self.rule, municipality).status == Status.NOT_APPLICABLE


# --- every rule ----------------------------------------------------------------------------------


def broken_and_clean(municipality: Municipality, department: Any, *, broken: bool) -> None:
    """One offender of every rule (or none) belonging to `department`'s board."""
    where = {"board": department.board, "department": department}
    finance = business(municipality)
    first = ProductFactory(municipality=municipality, category=finance)
    second = ProductFactory(municipality=municipality, category=finance)
    rejected = ProductFactory(municipality=municipality, phase=Phase.REJECTED)
    running_on(municipality, first, **where)
    if broken:
        running_on(municipality, second, rejected, **where)
    in_house = SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE, **where)
    request = decided(
        municipality, department=department, is_business_system=True, is_unfinished=True
    )
    if not broken:
        assess(request)
        inquiry(request)
        exception(municipality, system=in_house)
        exception(municipality, request=request)


def test_narrowed_to_a_board_or_department(municipality: Any) -> None:
    broken = DepartmentFactory(board=BoardFactory(municipality=municipality))
    clean = DepartmentFactory(board=BoardFactory(municipality=municipality))
    broken_and_clean(municipality, broken, broken=True)
    broken_and_clean(municipality, clean, broken=False)
    for rule_id in CATALOGUE_RULES:
        whole = run(rule_id, municipality)
        assert whole.status in (Status.PARTLY_MET, Status.NOT_MET), rule_id
        for scope in ({"board": broken.board}, {"department": broken}):
            narrowed = run(rule_id, municipality, **scope)
            assert narrowed.status != Status.MET, (rule_id, scope)
            assert narrowed.offender_count >= 1, (rule_id, scope)
        for scope in ({"board": clean.board}, {"department": clean}):
            assert run(rule_id, municipality, **scope).status == Status.MET, (rule_id, scope)


def test_every_rule_answers_an_empty_municipality(municipality: Any) -> None:
    for rule_id in CATALOGUE_RULES:
        result = run(rule_id, municipality)
        assert result.status == Status.NOT_APPLICABLE, rule_id
        assert result.summary, rule_id


def bulk(municipality: Municipality, count: int) -> None:
    """`count` rows of each kind, a third of them offending each rule."""
    department = DepartmentFactory(board=BoardFactory(municipality=municipality))
    for n in range(count):
        bad = n % 3 == 0
        category = business(municipality)
        first = ProductFactory(municipality=municipality, category=category)
        second = ProductFactory(
            municipality=municipality,
            category=category,
            phase=Phase.REJECTED if n % 2 else Phase.APPROVED,
            end_of_support=TODAY - DAY if bad else None,
        )
        running_on(municipality, first, board=department.board, department=department)
        running_on(municipality, second, board=department.board, department=department)
        in_house = SystemFactory(
            municipality=municipality,
            system_type=SystemType.IN_HOUSE,
            board=department.board,
            department=department,
        )
        request = decided(
            municipality, department=department, is_business_system=True, is_unfinished=True
        )
        assess(request, *(Criterion.values[:3] if bad else Criterion.values))
        if not bad:
            inquiry(request)
            exception(municipality, system=in_house)
            exception(municipality, request=request)


@pytest.mark.parametrize("rule_id", list(CATALOGUE_RULES))
def test_query_count_does_not_grow_with_the_data(municipality: Any, rule_id: str) -> None:
    """The same queries for 3 rows of each kind as for 30, with offenders in both."""
    counts = []
    for total in (3, 30):
        bulk(municipality, total - (3 if total == 30 else 0))
        with CaptureQueriesContext(connection) as queries:
            result = run(rule_id, municipality)
            for offender in result.offenders:
                assert offender.url and offender.label and offender.reason
        assert result.offender_count >= 1, rule_id
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4, counts


def test_the_rules_cite_their_clauses_and_the_shipped_policy_binds_them() -> None:
    bound: dict[str, set[str]] = {}
    for clause in read_library(shipped_libraries()[0]).clauses:
        for rule_id in clause.rule_ids:
            if rule_id.startswith("catalogue."):
                bound.setdefault(rule_id, set()).add(clause.clause_id)
    assert bound == {rule_id: set(clauses) for rule_id, clauses in CATALOGUE_RULES.items()}
    for rule_id, clauses in CATALOGUE_RULES.items():
        assert get_rule(rule_id).clauses == clauses
        assert get_rule(rule_id).evaluate.__doc__
        for clause_id in clauses:
            assert clause_id in get_rule(rule_id).evaluate.__doc__, (rule_id, clause_id)
