"""The product request workflow through its services (P5.4): each allowed and each refused
transition, multi-step approvals, the P5.6 hard stop and its exception, the P8.2 block,
notifications and the catalogue updated on a decision."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stadga.catalogue import services_inquiries as inquiries
from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import (
    Approver,
    Criterion,
    InquiryStatus,
    Outcome,
    Phase,
    RequestStatus,
    StepStatus,
    Verdict,
)
from stadga.catalogue.models import (
    ApprovalStep,
    CoordinationInquiry,
    PhaseDecision,
    Product,
    ProductRequest,
    RequestStep,
    Vendor,
)
from stadga.catalogue.selectors import catalogue_settings_for
from stadga.notifications.models import Notification
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Person
from stadga.plans.models import Goal
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    ProductCategoryFactory,
    ProductFactory,
    SystemFactory,
    VendorFactory,
    member,
)

pytestmark = pytest.mark.django_db


# --- helpers shared with the other request tests --------------------------------------------------


def person(user: Any, municipality: Any) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


class World:
    """A municipality with an IT coordinator, a department with its head, an employee of it and
    an executive board with a reader."""

    def __init__(self) -> None:
        self.m = MunicipalityFactory()
        self.department = DepartmentFactory(board__municipality=self.m)
        self.executive_board = BoardFactory(municipality=self.m, kind=BoardKind.EXECUTIVE_BOARD)
        self.it = member(self.m, Role.IT_COORDINATOR)
        self.technician = member(self.m, Role.IT_TECHNICIAN)
        self.head = member(self.m, Role.DEPARTMENT_HEAD, department=self.department)
        self.board_reader = member(self.m, Role.EXECUTIVE_BOARD_READER)
        self.employee = member(self.m)
        Person.objects.filter(user=self.employee).update(department=self.department)
        self.category = ProductCategoryFactory(municipality=self.m, name="Kontorsstöd")

    def data(self, **extra: Any) -> dict[str, Any]:
        return {
            "title": "Verktyg för digitala möten",
            "product_name": "Mötesrum Pro",
            "vendor_name": "Möteshuset AB",
            "category": self.category,
            "reason": "Vi behöver hålla möten med medborgare på distans.",
            "department": self.department,
            "one_time_cost": Decimal("10000"),
            "yearly_cost": Decimal("5000"),
            "goals": [self.goal("P2.1"), self.goal("P2.3")],
            "expected_benefit": "Färre resor.",
            **extra,
        }

    def goal(self, code: str) -> Goal:
        """One of the municipality's goals (P2), seeded with it."""
        return Goal.objects.get(municipality=self.m, code=code)

    def draft(self, **extra: Any) -> ProductRequest:
        return services.request_create(
            municipality=self.m, data=self.data(**extra), actor=self.employee
        )

    def submitted(self, **extra: Any) -> ProductRequest:
        request = self.draft(**extra)
        return services.request_submit(request=request, actor=self.employee)

    def assess_all(self, request: ProductRequest, verdict: str = Verdict.MET) -> None:
        for criterion in Criterion.values:
            services.assessment_record(
                request=request,
                criterion=criterion,
                verdict=verdict,
                note="Bedömt enligt policyn.",
                actor=self.it,
            )

    def it_step(self, request: ProductRequest) -> RequestStep:
        return request.steps.get(order=1)


@pytest.fixture
def world() -> World:
    return World()


def notified(user: Any, municipality: Any, key_part: str = "") -> list[Notification]:
    return list(
        Notification.objects.filter(
            recipient__user=user, municipality=municipality, key__contains=key_part
        )
    )


# --- create, edit, submit, withdraw ---------------------------------------------------------------


def test_any_member_writes_a_draft_as_themselves(world: World) -> None:
    request = world.draft()
    assert request.status == RequestStatus.DRAFT
    assert request.requested_by == person(world.employee, world.m)
    assert [g.code for g in request.goals.all()] == ["P2.1", "P2.3"]
    assert not request.steps.exists()


def test_a_login_that_is_nobody_in_the_municipality_is_refused(world: World) -> None:
    stranger = member(MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        services.request_create(municipality=world.m, data=world.data(), actor=stranger)


def test_an_operator_without_a_person_is_refused_with_a_clear_error(world: World) -> None:
    from stadga.testing.factories import UserFactory

    operator = UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied, match="inte kopplad till någon"):
        services.request_create(municipality=world.m, data=world.data(), actor=operator)


def test_a_request_names_a_product(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        world.draft(product_name="")
    assert "product_name" in error.value.message_dict


def test_goals_are_the_municipalitys_own(world: World) -> None:
    other = Goal.objects.get(municipality=MunicipalityFactory(), code="P2.1")
    with pytest.raises(ValidationError) as error:
        world.draft(goals=[other])
    assert "goals" in error.value.message_dict
    assert not ProductRequest.objects.filter(municipality=world.m).exists()


def test_an_archived_goal_is_not_chosen_but_one_already_served_stays(world: World) -> None:
    request = world.draft()
    education = world.goal("P2.4")
    Goal.objects.filter(pk__in=[education.pk, world.goal("P2.1").pk]).update(
        archived_at=timezone.now()
    )
    education.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        world.draft(goals=[education])
    assert "goals" in error.value.message_dict
    # P2.1 was archived after the request chose it: an edit keeps it, and may drop it.
    services.request_update(
        request=request,
        data={"goals": [world.goal("P2.1"), world.goal("P2.2")]},
        actor=world.employee,
    )
    assert [g.code for g in request.goals.all()] == ["P2.1", "P2.2"]
    with pytest.raises(ValidationError):
        services.request_update(request=request, data={"goals": [education]}, actor=world.employee)
    services.request_update(request=request, data={"goals": []}, actor=world.employee)
    assert not request.goals.exists()


def test_a_change_of_goals_is_logged(world: World) -> None:
    from auditlog.models import LogEntry

    request = world.draft()
    before = LogEntry.objects.get_for_object(request).count()
    services.request_update(
        request=request, data={"goals": [world.goal("P2.2")]}, actor=world.employee
    )
    # auditlog writes the relation's removals and additions as entries of their own.
    entries = list(LogEntry.objects.get_for_object(request).order_by("pk")[before:])
    assert entries and all("goals" in e.changes_dict for e in entries)
    assert all(e.actor == world.employee for e in entries)


def test_a_system_of_another_municipality_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        world.draft(systems=[SystemFactory()])


def test_requester_edits_own_draft_but_not_after_submit(world: World) -> None:
    request = world.draft()
    request, changed = services.request_update(
        request=request, data={"title": "Nytt namn"}, actor=world.employee
    )
    assert changed and request.title == "Nytt namn"
    services.request_submit(request=request, actor=world.employee)
    with pytest.raises(PermissionDenied):
        services.request_update(request=request, data={"title": "Igen"}, actor=world.employee)
    # The IT department still may, e.g. to mark it in-house development (P5.6).
    _, changed = services.request_update(
        request=request, data={"is_in_house_development": True}, actor=world.it
    )
    assert changed


def test_another_member_may_not_edit_or_submit(world: World) -> None:
    request = world.draft()
    other = member(world.m)
    with pytest.raises(PermissionDenied):
        services.request_update(request=request, data={"title": "X"}, actor=other)
    with pytest.raises(PermissionDenied):
        services.request_submit(request=request, actor=other)


def test_submit_sets_the_it_step_and_notifies_the_it_department(world: World) -> None:
    request = world.submitted()
    assert request.status == RequestStatus.SUBMITTED and request.submitted_at
    steps = list(request.steps.all())
    assert [(s.order, s.approver, s.status) for s in steps] == [
        (1, Approver.IT_DEPARTMENT, StepStatus.PENDING)
    ]
    assert notified(world.it, world.m, "submitted")
    assert notified(world.technician, world.m, "submitted")
    assert not notified(world.employee, world.m)
    assert not hasattr(request, "inquiry") or not services.has_inquiry(request)


def test_a_submitted_request_is_not_submitted_again(world: World) -> None:
    request = world.submitted()
    with pytest.raises(ValidationError):
        services.request_submit(request=request, actor=world.employee)


def test_withdraw_a_draft_and_a_submitted_request(world: World) -> None:
    draft = world.draft()
    services.request_withdraw(request=draft, reason="Behövs inte längre.", actor=world.employee)
    assert draft.status == RequestStatus.WITHDRAWN
    submitted = world.submitted()
    services.request_withdraw(request=submitted, reason="Annan lösning.", actor=world.employee)
    assert world.it_step(submitted).status == StepStatus.SKIPPED
    with pytest.raises(ValidationError):
        services.request_withdraw(request=submitted, reason="Igen.", actor=world.employee)


def test_withdraw_needs_a_reason_and_the_right_person(world: World) -> None:
    request = world.submitted()
    with pytest.raises(ValidationError):
        services.request_withdraw(request=request, reason=" ", actor=world.employee)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(request=request, reason="Nej.", actor=member(world.m))


# --- assessment and the IT department's decision --------------------------------------------------


def test_assessment_is_upserted_with_a_note(world: World) -> None:
    request = world.submitted()
    services.assessment_record(
        request=request,
        criterion=Criterion.VENDOR,
        verdict=Verdict.NOT_MET,
        note="Litet bolag.",
        actor=world.it,
    )
    services.assessment_record(
        request=request,
        criterion=Criterion.VENDOR,
        verdict=Verdict.MET,
        note="Köpt av en större aktör.",
        actor=world.it,
    )
    assessment = request.assessments.get()
    assert assessment.verdict == Verdict.MET
    assert assessment.assessed_by == person(world.it, world.m)
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            request=request,
            criterion=Criterion.VENDOR,
            verdict=Verdict.MET,
            note="",
            actor=world.it,
        )
    assert "note" in error.value.message_dict


def test_only_the_it_department_assesses_a_submitted_request(world: World) -> None:
    request = world.draft()
    with pytest.raises(ValidationError):
        services.assessment_record(
            request=request, criterion="vendor", verdict="met", note="x", actor=world.it
        )
    services.request_submit(request=request, actor=world.employee)
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            request=request, criterion="vendor", verdict="met", note="x", actor=world.head
        )


def test_it_approval_needs_the_whole_checklist(world: World) -> None:
    request = world.submitted()
    services.assessment_record(
        request=request, criterion="established", verdict="met", note="x", actor=world.it
    )
    with pytest.raises(ValidationError, match="Bedöm varje kriterium"):
        services.step_decide(
            step=world.it_step(request), outcome=Outcome.APPROVED, reason="Bra.", actor=world.it
        )
    # A rejection needs no checklist.
    services.step_decide(
        step=world.it_step(request), outcome=Outcome.REJECTED, reason="Finns redan.", actor=world.it
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.REJECTED


def test_reasons_are_always_required_and_constraints_with_constraints(world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    step = world.it_step(request)
    with pytest.raises(ValidationError) as error:
        services.step_decide(step=step, outcome=Outcome.REJECTED, reason="", actor=world.it)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.step_decide(
            step=step, outcome=Outcome.APPROVED_WITH_CONSTRAINTS, reason="Ok.", actor=world.it
        )
    assert "constraints" in error.value.message_dict
    step.refresh_from_db()
    assert step.status == StepStatus.PENDING


def test_wrong_signer_is_refused(world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    for user in (world.employee, world.head, world.board_reader):
        with pytest.raises(PermissionDenied):
            services.step_decide(
                step=world.it_step(request), outcome="approved", reason="Ja.", actor=user
            )


def test_a_decided_step_is_not_decided_again(world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    step = world.it_step(request)
    services.step_decide(step=step, outcome="approved", reason="Ja.", actor=world.it)
    with pytest.raises(ValidationError, match="inväntar inte"):
        services.step_decide(step=step, outcome="rejected", reason="Nej.", actor=world.it)


def test_a_step_decided_meanwhile_is_not_decided_again(world: World) -> None:
    """Two signers with the same page open: the second finds the step decided, even though its
    copy of the step (and of the request) still says it is pending."""
    request = world.submitted()
    world.assess_all(request)
    first = world.it_step(request)
    second = RequestStep.objects.select_related("request").get(pk=first.pk)
    services.step_decide(step=first, outcome="approved", reason="Ja.", actor=world.it)
    with pytest.raises(ValidationError, match="inväntar inte"):
        services.step_decide(step=second, outcome="rejected", reason="Nej.", actor=world.it)
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED


def test_a_waiting_step_is_not_decided_before_its_turn(world: World) -> None:
    ApprovalStep.objects.create(
        municipality=world.m, order=1, name="Förvaltningschef", approver=Approver.DEPARTMENT_HEAD
    )
    request = world.submitted()
    later = request.steps.get(order=2)
    assert later.status == StepStatus.WAITING
    with pytest.raises(ValidationError):
        services.step_decide(step=later, outcome="approved", reason="Ja.", actor=world.head)


def test_approval_creates_the_product_and_tells_the_requester(world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    services.step_decide(
        step=world.it_step(request),
        outcome=Outcome.APPROVED_WITH_CONSTRAINTS,
        reason="Etablerad produkt.",
        constraints="Endast webbversionen.",
        actor=world.it,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECIDED
    assert request.outcome == Outcome.APPROVED_WITH_CONSTRAINTS
    assert request.constraints == "Endast webbversionen."
    product = request.decided_product
    assert product is not None and product.name == "Mötesrum Pro"
    assert product.phase == Phase.APPROVED_WITH_CONSTRAINTS
    assert product.category == world.category
    assert product.vendor == Vendor.objects.get(municipality=world.m, name="Möteshuset AB")
    decision = PhaseDecision.objects.get(product=product)
    assert decision.request == request and decision.decided_by == person(world.it, world.m)
    (note,) = notified(world.employee, world.m, "decided")
    assert "Etablerad produkt." in note.body and "Endast webbversionen." in note.body


def test_the_vendor_is_found_by_name_case_insensitively(world: World) -> None:
    vendor = VendorFactory(municipality=world.m, name="MÖTESHUSET AB")
    request = world.submitted()
    world.assess_all(request)
    services.step_decide(
        step=world.it_step(request), outcome="approved", reason="Ja.", actor=world.it
    )
    request.refresh_from_db()
    assert request.decided_product.vendor == vendor  # type: ignore[union-attr]
    assert Vendor.objects.filter(municipality=world.m).count() == 1


def test_an_existing_product_gets_the_phase(world: World) -> None:
    product = ProductFactory(municipality=world.m, phase=Phase.NOT_ASSESSED)
    request = world.submitted(product=product, product_name="")
    world.assess_all(request)
    services.step_decide(
        step=world.it_step(request), outcome="approved", reason="Ja.", actor=world.it
    )
    product.refresh_from_db()
    assert product.phase == Phase.APPROVED
    request.refresh_from_db()
    assert request.decided_product == product


def test_a_rejection_does_not_demote_a_product_approved_for_others(world: World) -> None:
    product = ProductFactory(municipality=world.m, phase=Phase.APPROVED)
    request = world.submitted(product=product, product_name="")
    services.step_decide(
        step=world.it_step(request), outcome="rejected", reason="Inte för er.", actor=world.it
    )
    product.refresh_from_db()
    assert product.phase == Phase.APPROVED
    assert not PhaseDecision.objects.filter(product=product).exists()
    request.refresh_from_db()
    assert request.outcome == Outcome.REJECTED and request.decided_product == product


def test_an_approval_keeps_the_catalogues_entry_of_an_approved_product(world: World) -> None:
    """A request for more licences of a product approved with general constraints is decided
    on the request; the catalogue's constraints are not replaced by this purchase's (P5.4)."""
    product = ProductFactory(
        municipality=world.m,
        phase=Phase.APPROVED_WITH_CONSTRAINTS,
        constraints="Endast utan sekretess.",
    )
    request = world.submitted(product=product, product_name="")
    world.assess_all(request)
    services.step_decide(
        step=world.it_step(request),
        outcome="approved_with_constraints",
        reason="Behovet är beskrivet.",
        constraints="Tio licenser.",
        actor=world.it,
    )
    product.refresh_from_db()
    assert (product.phase, product.constraints) == (
        Phase.APPROVED_WITH_CONSTRAINTS,
        "Endast utan sekretess.",
    )
    assert not PhaseDecision.objects.filter(product=product).exists()
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED_WITH_CONSTRAINTS
    assert (request.constraints, request.decided_product) == ("Tio licenser.", product)


def test_a_rejected_new_product_is_in_the_catalogue_as_rejected(world: World) -> None:
    request = world.submitted()
    services.step_decide(
        step=world.it_step(request), outcome="rejected", reason="Ej etablerad.", actor=world.it
    )
    product = Product.objects.get(municipality=world.m, name="Mötesrum Pro")
    assert product.phase == Phase.REJECTED
    (note,) = notified(world.employee, world.m, "decided")
    assert "Ej etablerad." in note.body


# --- multi-step approvals -------------------------------------------------------------------------


@pytest.fixture
def steps(world: World) -> World:
    ApprovalStep.objects.create(
        municipality=world.m,
        order=1,
        name="Förvaltningschefen",
        approver=Approver.DEPARTMENT_HEAD,
        min_total_cost=Decimal("50000"),
    )
    ApprovalStep.objects.create(
        municipality=world.m,
        order=2,
        name="Kommunstyrelsen",
        approver=Approver.EXECUTIVE_BOARD,
        only_business_systems=True,
    )
    return world


def test_below_the_threshold_only_the_it_department_signs(steps: World) -> None:
    request = steps.submitted(one_time_cost=Decimal("10000"), yearly_cost=Decimal("39999"))
    assert request.steps.count() == 1


def test_above_the_threshold_the_department_head_signs_too(steps: World) -> None:
    request = steps.submitted(one_time_cost=Decimal("40000"), yearly_cost=Decimal("10000"))
    assert [s.approver for s in request.steps.all()] == [
        Approver.IT_DEPARTMENT,
        Approver.DEPARTMENT_HEAD,
    ]
    steps.assess_all(request)
    services.step_decide(
        step=steps.it_step(request), outcome="approved", reason="Uppfyller kraven.", actor=steps.it
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    head_step = request.steps.get(order=2)
    assert head_step.status == StepStatus.PENDING
    assert notified(steps.head, steps.m, "step-2")
    # The IT department does not sign the head's step; another department's head neither.
    with pytest.raises(PermissionDenied):
        services.step_decide(step=head_step, outcome="approved", reason="Ja.", actor=steps.it)
    other_head = member(
        steps.m, Role.DEPARTMENT_HEAD, department=DepartmentFactory(board__municipality=steps.m)
    )
    with pytest.raises(PermissionDenied):
        services.step_decide(step=head_step, outcome="approved", reason="Ja.", actor=other_head)
    services.step_decide(
        step=head_step,
        outcome=Outcome.APPROVED_WITH_CONSTRAINTS,
        reason="Ryms i budgeten.",
        constraints="Högst 20 licenser.",
        actor=steps.head,
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED_WITH_CONSTRAINTS
    assert "Högst 20 licenser." in request.constraints
    assert (
        "Uppfyller kraven." in request.decision_reason
        and "Ryms i budgeten." in request.decision_reason
    )
    head_step.refresh_from_db()
    assert head_step.decided_by == person(steps.head, steps.m) and head_step.decided_at


def test_a_later_rejection_skips_the_rest(steps: World) -> None:
    request = steps.submitted(one_time_cost=Decimal("100000"), is_business_system=True)
    assert [s.approver for s in request.steps.all()] == [
        Approver.IT_DEPARTMENT,
        Approver.DEPARTMENT_HEAD,
        Approver.EXECUTIVE_BOARD,
    ]
    inquiries.inquiry_waive(
        inquiry=request.inquiry, reason="Inga grannar att fråga.", actor=steps.it
    )
    steps.assess_all(request)
    services.step_decide(
        step=steps.it_step(request), outcome="approved", reason="Ja.", actor=steps.it
    )
    services.step_decide(
        step=request.steps.get(order=2), outcome="rejected", reason="För dyrt.", actor=steps.head
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.REJECTED
    assert request.decision_reason == "För dyrt."
    assert request.steps.get(order=3).status == StepStatus.SKIPPED


def test_the_business_systems_step_applies_by_category_too(steps: World) -> None:
    category = ProductCategoryFactory(municipality=steps.m, is_business_system=True)
    request = steps.submitted(category=category)
    assert request.is_business_system
    assert [s.approver for s in request.steps.all()] == [
        Approver.IT_DEPARTMENT,
        Approver.EXECUTIVE_BOARD,
    ]


def test_more_of_an_approved_business_system_is_no_new_system(steps: World) -> None:
    """Licences for a business system the catalogue already approves bring no new system: no
    inquiry to the neighbours (P8.2) and no business-system step, unless marked so."""
    category = ProductCategoryFactory(municipality=steps.m, is_business_system=True)
    product = ProductFactory(municipality=steps.m, category=category, phase=Phase.APPROVED)
    request = steps.submitted(product=product, product_name="", category=None)
    assert not request.is_business_system
    assert not CoordinationInquiry.objects.filter(request=request).exists()
    assert [s.approver for s in request.steps.all()] == [Approver.IT_DEPARTMENT]
    new = ProductFactory(municipality=steps.m, category=category, phase=Phase.EVALUATION)
    assert steps.submitted(product=new, product_name="", category=None).is_business_system


def test_the_executive_board_signs_its_step(steps: World) -> None:
    request = steps.submitted(is_business_system=True)
    inquiries.inquiry_close(
        inquiry=request.inquiry, conclusion="Ingen var intresserad.", actor=steps.it
    )
    steps.assess_all(request)
    services.step_decide(
        step=steps.it_step(request), outcome="approved", reason="Ja.", actor=steps.it
    )
    board_step = request.steps.get(order=2)
    assert notified(steps.board_reader, steps.m, "step-2")
    services.step_decide(
        step=board_step, outcome="approved", reason="Beslutat.", actor=steps.board_reader
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED


# --- P5.6 -----------------------------------------------------------------------------------------


def _exception(world: World, request: ProductRequest) -> Any:
    return services.policy_exception_record(
        municipality=world.m,
        data={
            "board": world.executive_board,
            "decided_on": datetime.date(2026, 1, 15),
            "minute_reference": "KS 2026-01-15 § 4",
            "reason": "Ingen leverantör finns för detta.",
            "request": request,
        },
        actor=world.it,
    )


@pytest.mark.parametrize("flag", ["is_in_house_development", "is_unfinished"])
def test_p56_request_can_only_be_rejected(world: World, flag: str) -> None:
    request = world.submitted(**{flag: True})
    world.assess_all(request)
    for outcome in (Outcome.APPROVED, Outcome.APPROVED_WITH_CONSTRAINTS):
        with pytest.raises(ValidationError, match=r"P5\.6"):
            services.step_decide(
                step=world.it_step(request),
                outcome=outcome,
                reason="Ja.",
                constraints="Villkor.",
                actor=world.it,
            )
    services.step_decide(
        step=world.it_step(request), outcome="rejected", reason="Strider mot P5.6.", actor=world.it
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.REJECTED


def test_p56_criterion_not_met_stops_approval(world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    services.assessment_record(
        request=request,
        criterion=Criterion.NOT_IN_HOUSE,
        verdict=Verdict.NOT_MET,
        note="Produkten är under utveckling.",
        actor=world.it,
    )
    with pytest.raises(ValidationError, match=r"P5\.6"):
        services.step_decide(
            step=world.it_step(request), outcome="approved", reason="Ja.", actor=world.it
        )


def test_p56_exception_of_the_executive_board_allows_approval(world: World) -> None:
    request = world.submitted(is_in_house_development=True)
    world.assess_all(request)
    exception = _exception(world, request)
    assert exception.clause == "P5.6"
    services.step_decide(
        step=world.it_step(request), outcome="approved", reason="Undantag.", actor=world.it
    )
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED


def test_only_the_executive_board_decides_an_exception(world: World) -> None:
    request = world.submitted(is_in_house_development=True)
    with pytest.raises(ValidationError) as error:
        services.policy_exception_record(
            municipality=world.m,
            data={
                "board": world.department.board,
                "decided_on": datetime.date(2026, 1, 15),
                "minute_reference": "BUN § 3",
                "reason": "x",
                "request": request,
            },
            actor=world.it,
        )
    assert "board" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.policy_exception_record(
            municipality=world.m,
            data={
                "board": world.executive_board,
                "decided_on": datetime.date(2026, 1, 15),
                "minute_reference": "KS § 3",
                "reason": "x",
                "request": request,
            },
            actor=world.employee,
        )


def test_an_exception_for_a_system(world: World) -> None:
    system = SystemFactory(municipality=world.m)
    exception = services.policy_exception_record(
        municipality=world.m,
        data={
            "board": world.executive_board,
            "decided_on": datetime.date(2026, 1, 15),
            "minute_reference": "KS § 9",
            "reason": "Egenutvecklat sedan 1998, ersätts 2027.",
            "system": system,
        },
        actor=world.it,
    )
    assert exception.system == system and exception.request is None


# --- P8.2 -----------------------------------------------------------------------------------------


@pytest.fixture
def partner_world(world: World) -> tuple[World, Any, Any]:
    partner = MunicipalityFactory(name="Grannby")
    partner_it = member(partner, Role.IT_COORDINATOR)
    services.catalogue_settings_update(
        municipality=world.m,
        data={"neighbours": [partner], "other_neighbours": "Fjärrby kommun\n\nBortby kommun"},
        actor=world.it,
    )
    return world, partner, partner_it


def test_new_business_system_asks_the_neighbours_and_cannot_be_decided(partner_world: Any) -> None:
    world, partner, partner_it = partner_world
    request = world.submitted(is_business_system=True)
    inquiry = request.inquiry
    assert inquiry.status == InquiryStatus.OPEN and inquiry.sent_on
    assert sorted(r.name for r in inquiry.recipients.all()) == [
        "Bortby kommun",
        "Fjärrby kommun",
        "Grannby",
    ]
    # The partner's IT coordinator is told in their own municipality.
    (note,) = notified(partner_it, partner, "coordination-inquiry")
    assert note.municipality == partner
    world.assess_all(request)
    for outcome in (Outcome.APPROVED, Outcome.REJECTED):
        with pytest.raises(ValidationError, match=r"P8\.2"):
            services.step_decide(
                step=world.it_step(request), outcome=outcome, reason="x", actor=world.it
            )
    inquiries.inquiry_close(
        inquiry=inquiry, conclusion="Grannby vill samupphandla.", actor=world.it
    )
    services.step_decide(
        step=world.it_step(request), outcome="approved", reason="Ja.", actor=world.it
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECIDED


def test_waiving_the_inquiry_releases_the_decision(partner_world: Any) -> None:
    world, _partner, _ = partner_world
    request = world.submitted(is_business_system=True)
    with pytest.raises(ValidationError):
        inquiries.inquiry_waive(inquiry=request.inquiry, reason="", actor=world.it)
    with pytest.raises(PermissionDenied):
        inquiries.inquiry_waive(inquiry=request.inquiry, reason="Brådskande.", actor=world.employee)
    inquiries.inquiry_waive(inquiry=request.inquiry, reason="Brådskande.", actor=world.it)
    services.step_decide(
        step=world.it_step(request), outcome="rejected", reason="Nej.", actor=world.it
    )
    with pytest.raises(ValidationError):
        inquiries.inquiry_close(inquiry=request.inquiry, conclusion="x", actor=world.it)


def test_partner_answers_in_stadga_and_the_asking_it_department_is_told(partner_world: Any) -> None:
    world, partner, partner_it = partner_world
    request = world.submitted(is_business_system=True)
    row = request.inquiry.recipients.get(partner=partner)
    with pytest.raises(PermissionDenied):
        inquiries.inquiry_answer(recipient=row, answer="interested", answer_text="", actor=world.it)
    with pytest.raises(PermissionDenied):
        inquiries.inquiry_answer(
            recipient=row, answer="interested", answer_text="", actor=member(partner)
        )
    with pytest.raises(ValidationError):
        inquiries.inquiry_answer(
            recipient=row, answer="no_answer", answer_text="", actor=partner_it
        )
    inquiries.inquiry_answer(
        recipient=row, answer="already_uses", answer_text="Vi kör Mötesrum Pro.", actor=partner_it
    )
    row.refresh_from_db()
    assert row.answered_by == person(partner_it, partner) and row.answered_on
    assert notified(world.it, world.m, "answered")


def test_the_it_department_records_others_answers_and_adds_recipients(partner_world: Any) -> None:
    world, partner, partner_it = partner_world
    request = world.submitted(is_business_system=True)
    other = request.inquiry.recipients.get(organisation_name="Fjärrby kommun")
    inquiries.inquiry_answer(
        recipient=other,
        answer="not_interested",
        answer_text="",
        answered_by_name="Eva i Fjärrby",
        actor=world.it,
    )
    other.refresh_from_db()
    assert other.answer == "not_interested" and other.answered_by_name == "Eva i Fjärrby"
    with pytest.raises(PermissionDenied):
        inquiries.inquiry_answer(
            recipient=other, answer="interested", answer_text="", actor=partner_it
        )
    added = inquiries.inquiry_recipient_add(
        inquiry=request.inquiry, organisation_name="Nyby", actor=world.it
    )
    assert added.asked_on
    with pytest.raises(ValidationError):
        inquiries.inquiry_recipient_add(inquiry=request.inquiry, partner=partner, actor=world.it)
    with pytest.raises(ValidationError):
        inquiries.inquiry_recipient_add(inquiry=request.inquiry, partner=world.m, actor=world.it)
    with pytest.raises(PermissionDenied):
        inquiries.inquiry_recipient_add(
            inquiry=request.inquiry, organisation_name="X", actor=world.employee
        )


def test_withdrawing_waives_the_open_inquiry(partner_world: Any) -> None:
    world, _partner, _ = partner_world
    request = world.submitted(is_business_system=True)
    services.request_withdraw(request=request, reason="Köps av regionen.", actor=world.employee)
    request.inquiry.refresh_from_db()
    assert request.inquiry.status == InquiryStatus.WAIVED


def test_marking_a_submitted_request_a_business_system_starts_the_inquiry(world: World) -> None:
    request = world.submitted()
    services.request_update(request=request, data={"is_business_system": True}, actor=world.it)
    assert services.has_inquiry(request)


def test_settings_are_the_it_coordinators(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.catalogue_settings_update(
            municipality=world.m, data={"request_wait_days": 3}, actor=world.technician
        )
    with pytest.raises(ValidationError):
        services.catalogue_settings_update(
            municipality=world.m, data={"neighbours": [world.m]}, actor=world.it
        )
    assert catalogue_settings_for(world.m).pk is None
    settings, changed = services.catalogue_settings_update(
        municipality=world.m, data={"request_wait_days": 3}, actor=world.it
    )
    assert changed and settings.pk and settings.request_wait_days == 3


def test_approved_products_in_the_same_category_are_shown(world: World) -> None:
    same = ProductFactory(municipality=world.m, category=world.category, phase=Phase.APPROVED)
    ProductFactory(municipality=world.m, category=world.category, phase=Phase.REJECTED)
    ProductFactory(municipality=world.m, phase=Phase.APPROVED)
    request = world.draft()
    assert services.approved_in_category(request) == [same]
