"""Product requests (P5.4): any member asks for a product, the IT department assesses it
against the policy's criteria (P5.1–P5.7) and decides first, then the municipality's approval
steps that apply sign in order. Every decision has written reasons; the requester is told and
the catalogue is updated through the phase service.

Two hard stops are enforced here and nowhere else:

- P5.6: a request for in-house development or an unfinished business system (or whose P5.6
  criterion is assessed not met) can only be rejected, unless the executive board's exception
  is recorded for it (`policy_exception_record`).
- P8.2: a request for a new business system cannot be decided at all while its coordination
  inquiry to the neighbouring municipalities is open (`services_inquiries`).

Decisions and steps are records: a decided step is never changed, a decided request never
reopened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.access import Access
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import person_of, role_holders
from stadga.plans.models import Goal

from . import access as catalogue_access
from .choices import (
    APPROVED_PHASES,
    SUPPORTED_PHASES,
    Approver,
    Criterion,
    Outcome,
    Phase,
    RequestStatus,
    StepStatus,
    Verdict,
)
from .models import (
    ApprovalStep,
    Assessment,
    CatalogueSettings,
    PolicyException,
    Product,
    ProductRequest,
    RequestStep,
    Vendor,
)
from .services_phases import product_phase_set

# What the requester fills in; status, steps and the decision are the services'.
REQUEST_FIELDS = (
    "title",
    "product",
    "product_name",
    "vendor",
    "vendor_name",
    "kind",
    "category",
    "reason",
    "department",
    "one_time_cost",
    "yearly_cost",
    "goals",
    "expected_benefit",
    "information_handled",
    "personal_data",
    "is_business_system",
    "is_in_house_development",
    "is_unfinished",
    "systems",
)

EXCEPTION_FIELDS = ("board", "decided_on", "minute_reference", "reason", "system", "request")

OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.SUBMITTED)


# --- settings -----------------------------------------------------------------------------------


def catalogue_settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> tuple[CatalogueSettings, bool]:
    """Change the reminder periods and the neighbours (P8.2); the row is created on the first
    save. Only the IT coordinator."""
    if not catalogue_access.manages_catalogue_settings(Access.for_user(actor), municipality.pk):
        raise PermissionDenied(_("Only the IT coordinator changes the catalogue settings."))
    neighbours = list(data.get("neighbours") or [])
    if any(n.pk == municipality.pk for n in neighbours):
        raise ValidationError({"neighbours": _("A municipality is not its own neighbour.")})
    row = CatalogueSettings.objects.filter(municipality=municipality).first()
    if row is None:
        return object_create(
            model=CatalogueSettings, data=data, actor=actor, municipality=municipality
        ), True
    return object_update(instance=row, data=data, actor=actor)


def approval_step_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ApprovalStep:
    """A sign-off after the IT department's decision (P5.4), e.g. the department head's above
    a cost threshold. Only the IT coordinator."""
    if not catalogue_access.manages_catalogue_settings(Access.for_user(actor), municipality.pk):
        raise PermissionDenied(_("Only the IT coordinator changes the approval steps."))
    return object_create(model=ApprovalStep, data=data, actor=actor, municipality=municipality)


def approval_step_update(
    *, step: ApprovalStep, data: Mapping[str, Any], actor: Any
) -> tuple[ApprovalStep, bool]:
    """Change an approval step; requests already submitted keep the steps they were given."""
    if not catalogue_access.manages_catalogue_settings(
        Access.for_user(actor), step.municipality_id
    ):
        raise PermissionDenied(_("Only the IT coordinator changes the approval steps."))
    return object_update(instance=step, data=data, actor=actor)


# --- helpers ------------------------------------------------------------------------------------


def is_new_business_system(request: ProductRequest) -> bool:
    """A request that would bring a new business system: marked so, or of a category (its own
    or its catalogue product's) of business systems (P8.2). More of a product the catalogue
    already approves (or is phasing out) brings no new system, unless the request is marked so."""
    if request.is_business_system:
        return True
    product = request.product
    if product is not None and product.phase in SUPPORTED_PHASES:
        return False
    category = request.category
    if category is None and request.product_id:
        category = request.product.category  # type: ignore[union-attr]
    return bool(category and category.is_business_system)


def step_signers(step: RequestStep) -> list[Person]:
    """Who signs `step`: the IT department, the requesting department's head(s), or the
    executive board's read-role holders. One query."""
    municipality = step.request.municipality
    if step.approver == Approver.DEPARTMENT_HEAD:
        return role_holders(
            municipality,
            (Role.DEPARTMENT_HEAD,),
            q=Q(department_id=step.request.department_id),
        )
    roles = catalogue_access.SIGNER_ROLES.get(step.approver)
    return role_holders(municipality, roles) if roles else []


def has_p56_exception(request: ProductRequest) -> bool:
    """The executive board's exception from P5.6 is recorded for the request."""
    return PolicyException.objects.filter(
        request=request, clause="P5.6", archived_at__isnull=True
    ).exists()


def offends_p56(request: ProductRequest) -> bool:
    """In-house development or an unfinished business system, by the request's own marks or
    by the IT department's assessment of the P5.6 criterion (P5.6)."""
    if request.offends_p56:
        return True
    return Assessment.objects.filter(
        request=request, criterion=Criterion.NOT_IN_HOUSE, verdict=Verdict.NOT_MET
    ).exists()


def missing_criteria(request: ProductRequest) -> list[str]:
    """The criteria (values) the IT department has not yet assessed, in the checklist's order."""
    done = set(request.assessments.values_list("criterion", flat=True))
    return [c for c in Criterion.values if c not in done]


def decision_blocker(request: ProductRequest) -> str:
    """Why the request cannot be decided at all now (P8.2), or an empty string."""
    if not is_new_business_system(request):
        return ""
    inquiry = getattr(request, "inquiry", None) if request.pk else None
    if inquiry is None:
        return _(
            "The request is for a new business system: the neighbouring municipalities must be "
            "asked about coordination before it is decided (P8.2)."
        )
    if not inquiry.is_settled:
        return _(
            "The request is for a new business system: it cannot be decided until the "
            "coordination inquiry to the neighbouring municipalities is closed or waived (P8.2)."
        )
    return ""


def p56_blocker(request: ProductRequest) -> str:
    """Why the request may only be rejected (P5.6), or an empty string."""
    if offends_p56(request) and not has_p56_exception(request):
        return _(
            "In-house development and business systems that are not fully developed are not "
            "allowed (P5.6): the request can only be rejected, unless an exception decided by "
            "the executive board is recorded for it."
        )
    return ""


def _link(request: ProductRequest) -> str:
    return reverse(
        "catalogue:productrequest_detail",
        kwargs={"municipality": request.municipality.slug, "pk": request.pk},
    )


def _notify(
    request: ProductRequest, recipients: Iterable[Person], event: str, subject: str, body: str
) -> None:
    from stadga.notifications.services import notify

    notify(
        municipality=request.municipality,
        recipients=recipients,
        key=f"product-request:{request.pk}:{event}",
        link=_link(request),
        subject=subject,
        body=body,
    )


def _requester(municipality: Municipality, actor: Any) -> Person:
    person = person_of(municipality, actor)
    if person is None:
        raise PermissionDenied(
            _(
                "Only a person of the municipality may request a product: your login is not "
                "linked to anyone in %(municipality)s."
            )
            % {"municipality": municipality.name}
        )
    return person


def _check_data(
    municipality: Municipality, data: Mapping[str, Any], request: ProductRequest | None = None
) -> None:
    unknown = set(data) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"A request is written with {REQUEST_FIELDS}, not {sorted(unknown)}.")
    systems = list(data.get("systems") or [])
    if any(s.municipality_id != municipality.pk for s in systems):
        raise ValidationError({"systems": _("A system belongs to another municipality.")})
    _check_goals(municipality, list(data.get("goals") or []), request)


def _check_goals(
    municipality: Municipality, goals: list[Goal], request: ProductRequest | None
) -> None:
    """The goals a request serves are its municipality's own (P2). An archived goal is no
    longer chosen, but one the request already serves may stay."""
    if any(g.municipality_id != municipality.pk for g in goals):
        raise ValidationError({"goals": _("A goal belongs to another municipality.")})
    archived = [g for g in goals if g.archived_at is not None]
    if archived and request is not None and request.pk:
        kept = set(request.goals.values_list("pk", flat=True))
        archived = [g for g in archived if g.pk not in kept]
    if archived:
        raise ValidationError(
            {
                "goals": _("The goal %(code)s is archived: choose a current one.")
                % {"code": archived[0].code}
            }
        )


def _save(obj: Any, fields: list[str]) -> None:
    """Validate and save one step of the workflow; a refused one leaves the object as stored."""
    try:
        obj.full_clean()
    except ValidationError:
        obj.refresh_from_db()
        raise
    obj.save(update_fields=[*fields, "updated_at"])


# --- the request --------------------------------------------------------------------------------


def request_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ProductRequest:
    """Write a product request as a draft (P5.4). The requester is the actor's person in the
    municipality; a login that is nobody there is refused."""
    _check_data(municipality, data)
    requester = _requester(municipality, actor)
    if not catalogue_access.can_request(Access.for_user(actor), municipality.pk):
        raise PermissionDenied(_("Only a member of the municipality may request a product."))
    return object_create(
        model=ProductRequest,
        data=data,
        actor=actor,
        municipality=municipality,
        requested_by=requester,
        status=RequestStatus.DRAFT,
    )


def request_update(
    *, request: ProductRequest, data: Mapping[str, Any], actor: Any
) -> tuple[ProductRequest, bool]:
    """Change what a request says: the requester while it is a draft, the IT department until
    it is decided (e.g. marking it in-house development, P5.6). A submitted request that turns
    out to be a new business system gets its coordination inquiry (P8.2)."""
    _check_data(request.municipality, data, request)
    if not catalogue_access.can_edit_request(Access.for_user(actor), request):
        raise PermissionDenied(_("You may not change this request."))
    with governed_write(actor):
        request, changed = object_update(instance=request, data=data, actor=actor)
        if changed and request.status == RequestStatus.SUBMITTED:
            _mark_business_system(request)
            if request.is_business_system and not has_inquiry(request):
                from .services_inquiries import inquiry_start

                inquiry_start(request=request, actor=actor)
    return request, changed


def has_inquiry(request: ProductRequest) -> bool:
    """Whether the request has its coordination inquiry (P8.2)."""
    from .models import CoordinationInquiry

    return CoordinationInquiry.objects.filter(request=request).exists()


def _mark_business_system(request: ProductRequest) -> None:
    """Make the request's own mark agree with its category, so approval steps for business
    systems (`ApprovalStep.applies_to`) and the rules read one field."""
    if not request.is_business_system and is_new_business_system(request):
        request.is_business_system = True
        _save(request, ["is_business_system"])


def request_submit(*, request: ProductRequest, actor: Any) -> ProductRequest:
    """Send a draft to the IT department (P5.4): its steps are set — the IT department first,
    then every approval step of the municipality that applies, in order — the IT department is
    notified and, for a new business system, the neighbouring municipalities are asked (P8.2)."""
    if request.status != RequestStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not catalogue_access.can_edit_request(Access.for_user(actor), request):
        raise PermissionDenied(_("Only the requester or the IT department submits a request."))
    with governed_write(actor):
        _mark_business_system(request)
        request.status = RequestStatus.SUBMITTED
        request.submitted_at = timezone.now()
        _save(request, ["status", "submitted_at"])
        # The step's name is part of the record, written in the installation's language like
        # the municipality's own step names, whichever language the submitter reads.
        with translation.override(django_settings.LANGUAGE_CODE):
            it_step_name = str(Approver.IT_DEPARTMENT.label)
        first = RequestStep(
            municipality=request.municipality,
            request=request,
            order=1,
            name=it_step_name,
            approver=Approver.IT_DEPARTMENT,
            status=StepStatus.PENDING,
        )
        first.full_clean()
        first.save()
        steps = ApprovalStep.objects.filter(
            municipality=request.municipality, archived_at__isnull=True
        ).order_by("order", "pk")
        order = 1
        for step in steps:
            if step.applies_to(request):
                order += 1
                later = RequestStep(
                    municipality=request.municipality,
                    request=request,
                    order=order,
                    name=step.name,
                    approver=step.approver,
                    status=StepStatus.WAITING,
                )
                later.full_clean()
                later.save()
        with translation.override(django_settings.LANGUAGE_CODE):
            values = {"title": request.title, "requester": request.requested_by}
            _notify(
                request,
                step_signers(first),
                "submitted",
                subject=_("New product request: %(title)s") % values,
                body=_(
                    "%(requester)s requests a product. Assess it against the policy's criteria "
                    "and decide, with written reasons (P5.4)."
                )
                % values,
            )
        if request.is_business_system:
            from .services_inquiries import inquiry_start

            inquiry_start(request=request, actor=actor)
    return request


def request_withdraw(*, request: ProductRequest, reason: str, actor: Any) -> ProductRequest:
    """The requester (or the IT department) withdraws a request not yet decided, with the
    reason. Its undecided steps are no longer needed; an open inquiry is waived."""
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("A decided or withdrawn request cannot be withdrawn."))
    if not catalogue_access.can_withdraw_request(Access.for_user(actor), request):
        raise PermissionDenied(_("Only the requester or the IT department withdraws a request."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the request is withdrawn.")})
    with governed_write(actor):
        request.status = RequestStatus.WITHDRAWN
        request.decision_reason = reason.strip()
        request.decided_at = timezone.now()
        _save(request, ["status", "decision_reason", "decided_at"])
        _skip_open_steps(request, _("The request was withdrawn."))
        inquiry = request.inquiry if has_inquiry(request) else None
        if inquiry is not None and not inquiry.is_settled:
            from .services_inquiries import inquiry_waive_withdrawn

            inquiry_waive_withdrawn(
                inquiry=inquiry,
                reason=_("The request was withdrawn: %(reason)s") % {"reason": reason.strip()},
                actor=actor,
            )
    return request


def _skip_open_steps(request: ProductRequest, reason: str) -> None:
    for step in request.steps.filter(status__in=(StepStatus.WAITING, StepStatus.PENDING)):
        step.status = StepStatus.SKIPPED
        step.reason = reason
        _save(step, ["status", "reason"])


# --- assessment ---------------------------------------------------------------------------------


def assessment_record(
    *, request: ProductRequest, criterion: str, verdict: str, note: str, actor: Any
) -> Assessment:
    """The IT department's assessment of one criterion (P5.1–P5.7), with its note; a second
    assessment of the same criterion replaces the first (the change log keeps both) until the
    IT department has decided."""
    access = Access.for_user(actor)
    if not catalogue_access.can_assess(access, request):
        if request.status != RequestStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted request that is not decided is assessed."))
        raise PermissionDenied(_("Only the IT department assesses a product request (P5.4)."))
    it_step = request.steps.filter(approver=Approver.IT_DEPARTMENT).order_by("order").first()
    if it_step is not None and it_step.status != StepStatus.PENDING:
        raise ValidationError(
            _("The IT department has decided; its assessment is part of that decision.")
        )
    errors: dict[str, str] = {}
    if criterion not in Criterion.values:
        errors["criterion"] = _("Choose one of the policy's criteria.")
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose met, not met or not applicable.")
    if not note.strip():
        errors["note"] = _("Write a note: what the assessment rests on.")
    if errors:
        raise ValidationError(errors)
    assessor = person_of(request.municipality, actor)
    existing = Assessment.objects.filter(request=request, criterion=criterion).first()
    with governed_write(actor):
        if existing is not None:
            assessment, _changed = object_update(
                instance=existing,
                data={"verdict": verdict, "note": note.strip(), "assessed_by": assessor},
                actor=actor,
            )
            return assessment
        return object_create(
            model=Assessment,
            data={"criterion": criterion, "verdict": verdict, "note": note.strip()},
            actor=actor,
            municipality=request.municipality,
            request=request,
            assessed_by=assessor,
        )


# --- decisions ----------------------------------------------------------------------------------


def step_decide(
    *, step: RequestStep, outcome: str, reason: str, actor: Any, constraints: str = ""
) -> RequestStep:
    """One signer's decision on a pending step: approve, approve with constraints or reject,
    always with written reasons (P5.4).

    Refused: a step that is not awaiting a decision, a signer the step does not name, a request
    for a new business system whose coordination inquiry is open (P8.2), an approval of
    in-house development or an unfinished business system without the executive board's
    exception (P5.6), and the IT department's approval before every criterion is assessed.

    A rejection decides the request (later steps are not needed); an approval hands it to the
    next step, or, after the last, decides it approved. The decision is written into the
    catalogue and the requester is told."""
    request = step.request
    if step.status != StepStatus.PENDING or request.status != RequestStatus.SUBMITTED:
        raise ValidationError(_("This step is not awaiting a decision."))
    if not catalogue_access.can_sign_step(Access.for_user(actor), step):
        raise PermissionDenied(
            _("You may not decide this step. Who signs it: %(approver)s.")
            % {"approver": step.get_approver_display()}
        )
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose approve, approve with constraints or reject.")
    if not reason.strip():
        errors["reason"] = _("Write the reasons for the decision.")
    if outcome == Outcome.APPROVED_WITH_CONSTRAINTS and not constraints.strip():
        errors["constraints"] = _("State the constraints in words.")
    if errors:
        raise ValidationError(errors)
    blocker = decision_blocker(request)
    if blocker:
        raise ValidationError(blocker)
    approving = outcome != Outcome.REJECTED
    if approving:
        p56 = p56_blocker(request)
        if p56:
            raise ValidationError(p56)
        if step.approver == Approver.IT_DEPARTMENT:
            missing = missing_criteria(request)
            if missing:
                labels = ", ".join(str(Criterion(c).label) for c in missing)
                raise ValidationError(
                    _("Assess every criterion before approving. Not yet assessed: %(list)s.")
                    % {"list": labels}
                )
    signer = person_of(request.municipality, actor)
    with governed_write(actor):
        # Two signers deciding the same step at once: the second waits for the first's commit
        # here and then finds the step decided (PostgreSQL; SQLite writes one at a time anyway).
        locked = RequestStep.objects.select_for_update().only("status").get(pk=step.pk)
        if locked.status != StepStatus.PENDING:
            raise ValidationError(_("This step is not awaiting a decision."))
        step.status = outcome
        step.reason = reason.strip()
        step.constraints = (
            constraints.strip() if outcome == Outcome.APPROVED_WITH_CONSTRAINTS else ""
        )
        step.decided_by = signer
        step.decided_at = timezone.now()
        _save(step, ["status", "reason", "constraints", "decided_by", "decided_at"])
        if not approving:
            _skip_open_steps(request, _("Not needed: an earlier step rejected the request."))
            _decide_request(request, Outcome.REJECTED, signer=signer, actor=actor)
            return step
        following = (
            request.steps.filter(status=StepStatus.WAITING, order__gt=step.order)
            .order_by("order")
            .first()
        )
        if following is not None:
            following.status = StepStatus.PENDING
            _save(following, ["status"])
            with translation.override(django_settings.LANGUAGE_CODE):
                values = {"title": request.title, "step": following.name}
                _notify(
                    request,
                    step_signers(following),
                    f"step-{following.order}",
                    subject=_("A product request awaits your decision: %(title)s") % values,
                    body=_(
                        "The earlier steps have approved the request. Decide it as %(step)s, "
                        "with written reasons (P5.4)."
                    )
                    % values,
                )
            return step
        signed = list(request.steps.exclude(status=StepStatus.SKIPPED).order_by("order"))
        with_constraints = [s for s in signed if s.constraints]
        final = Outcome.APPROVED_WITH_CONSTRAINTS if with_constraints else Outcome.APPROVED
        _decide_request(request, final, signer=signer, actor=actor)
    return step


def _decision_text(request: ProductRequest, outcome: str) -> tuple[str, str]:
    """The request's reasons and constraints: the deciding steps', each named when there are
    several."""
    steps = [
        s
        for s in request.steps.order_by("order")
        if s.status not in (StepStatus.WAITING, StepStatus.PENDING, StepStatus.SKIPPED)
    ]
    if outcome == Outcome.REJECTED:
        steps = [s for s in steps if s.status == StepStatus.REJECTED]
    named = len(steps) > 1
    reasons = "\n\n".join(f"{s.name}: {s.reason}" if named else s.reason for s in steps)
    constraints = "\n\n".join(
        f"{s.name}: {s.constraints}" if named else s.constraints for s in steps if s.constraints
    )
    return reasons, constraints


def _decide_request(
    request: ProductRequest, outcome: str, *, signer: Person | None, actor: Any
) -> None:
    reasons, constraints = _decision_text(request, outcome)
    request.status = RequestStatus.DECIDED
    request.outcome = outcome
    request.decided_at = timezone.now()
    request.decision_reason = reasons
    request.constraints = constraints if outcome == Outcome.APPROVED_WITH_CONSTRAINTS else ""
    _save(request, ["status", "outcome", "decided_at", "decision_reason", "constraints"])
    product = _catalogue_product(request, actor=actor)
    phases: dict[str, str] = {
        Outcome.APPROVED: Phase.APPROVED,
        Outcome.APPROVED_WITH_CONSTRAINTS: Phase.APPROVED_WITH_CONSTRAINTS,
        Outcome.REJECTED: Phase.REJECTED,
    }
    phase = phases[outcome]
    # The catalogue's entry stands where the decision would only repeat or narrow it: a
    # rejection does not demote a product the catalogue already has in another phase (approved,
    # phased out or retired for others), and an approval of a product already approved does not
    # replace the catalogue's general constraints with this purchase's. Either is recorded on
    # the request only.
    if phase == Phase.REJECTED:
        recorded = product.phase in (Phase.NOT_ASSESSED, Phase.EVALUATION)
    else:
        recorded = product.phase not in APPROVED_PHASES
    if recorded:
        product_phase_set(
            product=product,
            phase=phase,
            reason=reasons,
            constraints=request.constraints,
            actor=actor,
            decided_by=signer,
            request=request,
        )
    request.decided_product = product
    _save(request, ["decided_product"])
    with translation.override(django_settings.LANGUAGE_CODE):
        values = {
            "title": request.title,
            "outcome": request.get_outcome_display(),
            "reasons": reasons,
            "constraints": request.constraints,
        }
        labels: dict[str, str] = {
            Outcome.APPROVED: _("approved"),
            Outcome.APPROVED_WITH_CONSTRAINTS: _("approved with constraints"),
            Outcome.REJECTED: _("rejected"),
        }
        body = _("Your product request was %(label)s.") % {"label": labels[outcome]}
        body += "\n\n" + _("Reasons: %(reasons)s") % values
        if request.constraints:
            body += "\n\n" + _("Constraints: %(constraints)s") % values
        _notify(
            request,
            [request.requested_by],
            "decided",
            subject=_("Decision on your product request: %(title)s") % values,
            body=body,
        )


def _by_name(model: Any, municipality: Municipality, name: str) -> Any:
    """The municipality's vendor or product of that name, whatever its case (also beyond
    ASCII, which SQLite's case-insensitive match does not fold: 'Ö' and 'ö')."""
    qs = model.objects.filter(municipality=municipality)
    found = qs.filter(name__iexact=name).first()
    if found is not None:
        return found
    wanted = name.casefold()
    pk = next((pk for pk, n in qs.values_list("pk", "name") if n.casefold() == wanted), None)
    return qs.get(pk=pk) if pk is not None else None


def _catalogue_product(request: ProductRequest, *, actor: Any) -> Product:
    """The catalogue product the decision is written on: the request's, one of the same name
    (case-insensitive), or a new one with its vendor found by name or created."""
    if request.product_id:
        return request.product  # type: ignore[return-value]
    name = request.product_name.strip()
    found = _by_name(Product, request.municipality, name)
    if found is not None:
        return found
    vendor = request.vendor
    if vendor is None and request.vendor_name.strip():
        vendor_name = request.vendor_name.strip()
        vendor = _by_name(Vendor, request.municipality, vendor_name) or object_create(
            model=Vendor,
            data={"name": vendor_name},
            actor=actor,
            municipality=request.municipality,
        )
    return object_create(
        model=Product,
        data={
            "name": name,
            "kind": request.kind,
            "category": request.category,
            "vendor": vendor,
            "description": request.reason,
        },
        actor=actor,
        municipality=request.municipality,
    )


# --- exceptions (P5.6) --------------------------------------------------------------------------


def policy_exception_record(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> PolicyException:
    """Record the executive board's exception from P5.6 for a system in the register or for a
    product request: the IT department writes down the board's decision (date, minute
    reference, reasons). Only the executive board decides exceptions from the policy."""
    unknown = set(data) - set(EXCEPTION_FIELDS)
    if unknown:
        raise ValueError(
            f"An exception is recorded with {EXCEPTION_FIELDS}, not {sorted(unknown)}."
        )
    if not catalogue_access.can_record_exception(Access.for_user(actor), municipality.pk):
        raise PermissionDenied(
            _("The IT department records the executive board's exceptions from the policy.")
        )
    errors: dict[str, str] = {}
    board = data.get("board")
    if board is not None and board.kind != BoardKind.EXECUTIVE_BOARD:
        errors["board"] = _("Only the executive board decides exceptions from the policy.")
    system, request = data.get("system"), data.get("request")
    if system is None and request is None:
        errors["system"] = _("Choose the system or the product request the exception is for.")
    if system is not None and request is not None:
        errors["request"] = _("An exception is for one system or one request, not both.")
    if request is not None and request.status not in OPEN_STATUSES:
        errors["request"] = _("The request has already been decided or withdrawn.")
    decided_on = data.get("decided_on")
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = _("The board's decision cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    return object_create(
        model=PolicyException,
        data={**data, "clause": "P5.6"},
        actor=actor,
        municipality=municipality,
    )


def approved_in_category(request: ProductRequest) -> list[Product]:
    """The approved products already in the request's category (P5.3, P4.1): what the new one
    must coexist with or would duplicate. One query."""
    category_id = request.category_id or (
        request.product.category_id if request.product_id else None  # type: ignore[union-attr]
    )
    if category_id is None:
        return []
    qs = Product.objects.filter(
        municipality_id=request.municipality_id,
        category_id=category_id,
        phase__in=APPROVED_PHASES,
        archived_at__isnull=True,
    ).select_related("vendor", "municipality")
    if request.product_id:
        qs = qs.exclude(pk=request.product_id)
    return list(qs.order_by("name"))


def approval_step_archive(*, step: ApprovalStep, actor: Any) -> ApprovalStep:
    """Stop using an approval step for new requests; submitted requests keep theirs."""
    if not catalogue_access.manages_catalogue_settings(
        Access.for_user(actor), step.municipality_id
    ):
        raise PermissionDenied(_("Only the IT coordinator changes the approval steps."))
    return object_archive(instance=step, actor=actor)


def approval_step_restore(*, step: ApprovalStep, actor: Any) -> ApprovalStep:
    if not catalogue_access.manages_catalogue_settings(
        Access.for_user(actor), step.municipality_id
    ):
        raise PermissionDenied(_("Only the IT coordinator changes the approval steps."))
    return object_restore(instance=step, actor=actor)
