"""Pages of the product requests (P5.4): the list, the form, and the request's page with its
checklist against the policy's criteria (P5.1–P5.7), its steps and decisions, its coordination
inquiry (P8.2) and the executive board's exceptions (P5.6). Also the partner municipality's page
of inquiries received, and the exceptions' list and form.

A request is a record: it is withdrawn, never archived; a decision is never changed. Every POST
goes through the services; a refused one re-renders the page with the error on its form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from stadga.cooperation.selectors import comparison
from stadga.core.views import MunicipalityView, ObjectEditView, RegisteredView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.plans.models import Goal
from stadga.systems.models import System

from . import access as catalogue_access
from . import services_inquiries as inquiries
from . import services_requests as services
from .choices import (
    CRITERION_CLAUSES,
    Criterion,
    InquiryStatus,
    RequestStatus,
    StepStatus,
)
from .filters_requests import PolicyExceptionFilterSet, ProductRequestFilterSet
from .forms_requests import (
    AnswerForm,
    AssessmentForm,
    CloseInquiryForm,
    PolicyExceptionForm,
    ProductRequestForm,
    RecipientAddForm,
    RecordAnswerForm,
    StepDecideForm,
    WaiveInquiryForm,
    WithdrawForm,
)
from .models import (
    CoordinationInquiry,
    InquiryRecipient,
    PolicyException,
    Product,
    ProductRequest,
    RequestStep,
)
from .tables_requests import PolicyExceptionTable, ProductRequestTable

NAV_SECTION = "catalogue"


def _never(*args: Any, **kwargs: Any) -> Any:
    """For the generic actions a record does not offer (archive, restore)."""
    raise PermissionDenied


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- selectors ----------------------------------------------------------------------------------


def request_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ProductRequest]:
    """The requests the user reads (their own, their department's as its head, all where they
    read everything), with the step each awaits. A fixed number of queries."""
    qs = ProductRequest.objects.filter(
        catalogue_access.request_q(access), archived_at__isnull=not archived
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    pending = RequestStep.objects.filter(request=OuterRef("pk"), status=StepStatus.PENDING)
    return qs.select_related("municipality", "department", "requested_by", "product").annotate(
        awaiting_step=Subquery(pending.order_by("order").values("name")[:1])
    )


def request_get(*, access: Access, municipality: Municipality, pk: int) -> ProductRequest:
    """One request the user reads; another municipality's or an unseen one is a 404."""
    qs = ProductRequest.objects.filter(
        catalogue_access.request_q(access), municipality=municipality
    )
    qs = qs.select_related(
        "municipality",
        "department",
        "requested_by",
        "product__category",
        "product__vendor",
        "vendor",
        "category",
        "decided_product",
    ).prefetch_related(
        "systems", Prefetch("goals", queryset=Goal.objects.select_related("municipality"))
    )
    return get_object_or_404(qs, pk=pk)


def received_list(*, access: Access, municipality: Municipality) -> QuerySet[InquiryRecipient]:
    """The rows of other municipalities' inquiries addressed to `municipality` (P8.2)."""
    return (
        InquiryRecipient.objects.filter(
            catalogue_access.received_inquiry_q(access, municipality.pk)
        )
        .select_related(
            "municipality",
            "inquiry__request__product__vendor",
            "inquiry__request__product__category",
            "inquiry__request__vendor",
            "inquiry__request__category",
            "answered_by",
        )
        .order_by("-asked_on", "-pk")
    )


def exception_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[PolicyException]:
    return (
        PolicyException.objects.filter(
            catalogue_access.exception_q(access),
            municipality=municipality,
            archived_at__isnull=not archived,
        )
        .select_related("municipality", "board", "system__municipality", "request__municipality")
        .order_by("-decided_on", "-pk")
    )


def exception_get(*, access: Access, municipality: Municipality, pk: int) -> PolicyException:
    return get_object_or_404(exception_list(access=access, municipality=municipality), pk=pk)


# --- the request ---------------------------------------------------------------------------------


request_views = Registration(
    model=ProductRequest,
    nav_section=NAV_SECTION,
    list_queryset=request_list,
    get_object=request_get,
    table=ProductRequestTable,
    filterset=ProductRequestFilterSet,
    form=ProductRequestForm,
    create=services.request_create,
    update=lambda obj, data, actor: services.request_update(request=obj, data=data, actor=actor),
    archive=_never,
    restore=_never,
    can_create=lambda access, municipality: catalogue_access.can_request(access, municipality.pk),
    can_edit=catalogue_access.can_edit_request,
    can_archive=lambda access, obj: False,
    detail_template="catalogue/productrequest_detail.html",
    list_template="catalogue/productrequest_list.html",
)


class RequestEditView(ObjectEditView):
    """Write a request (`?product=<pk>` or `?name=<text>` fill in the product) or change it."""

    registration = request_views
    template = "catalogue/productrequest_form.html"

    def make_form(self, obj: Any, data: Any = None) -> Any:
        form = super().make_form(obj, data)
        if obj is None and data is None:
            person = services.person_of(self.municipality, self.request.user)
            if person is not None and person.department_id:
                form.initial.setdefault("department", person.department_id)
            product_pk = self.request.GET.get("product", "")
            product = (
                Product.objects.filter(
                    municipality=self.municipality, archived_at__isnull=True, pk=product_pk
                ).first()
                if product_pk.isdigit()
                else None
            )
            if product is not None:
                form.initial.update(
                    product=product.pk,
                    kind=product.kind,
                    category=product.category_id,
                    vendor=product.vendor_id,
                    title=product.name,
                )
            name = self.request.GET.get("name", "").strip()[:200]
            if name and product is None:
                form.initial.update(product_name=name, title=name)
        return form


def _checklist(access: Access, request: ProductRequest, bound: dict[str, Any]) -> list[dict]:
    """The policy's criteria, each with its assessment, clauses and (for the IT department
    while it has not decided) a form."""
    assessments = {a.criterion: a for a in request.assessments.select_related("assessed_by")}
    it_pending = request.steps.filter(order=1, status=StepStatus.PENDING).exists()
    may_assess = catalogue_access.can_assess(access, request) and it_pending
    rows = []
    for value, label in Criterion.choices:
        assessment = assessments.get(value)
        form = None
        if may_assess:
            form = bound.get(f"assess:{value}") or AssessmentForm(
                prefix=f"assess-{value}",
                initial={"verdict": assessment.verdict, "note": assessment.note}
                if assessment
                else None,
            )
        rows.append(
            {
                "value": value,
                "label": label,
                "clauses": CRITERION_CLAUSES[value],
                "assessment": assessment,
                "form": form,
            }
        )
    return rows


def _steps(access: Access, request: ProductRequest, bound: dict[str, Any]) -> list[dict]:
    rows = []
    for step in request.steps.select_related("decided_by").order_by("order"):
        step.request = request  # the signer check reads the request's department
        form = None
        if request.status == RequestStatus.SUBMITTED and catalogue_access.can_sign_step(
            access, step
        ):
            form = bound.get(f"decide:{step.pk}") or StepDecideForm(prefix=f"decide-{step.pk}")
        rows.append({"step": step, "form": form})
    return rows


def _inquiry(access: Access, request: ProductRequest, bound: dict[str, Any]) -> dict | None:
    inquiry = (
        CoordinationInquiry.objects.filter(request=request).select_related("closed_by").first()
    )
    if inquiry is None:
        return None
    manages = catalogue_access.can_manage_inquiry(access, inquiry)
    is_open = inquiry.status == InquiryStatus.OPEN
    recipients = []
    for recipient in inquiry.recipients.select_related("partner", "answered_by"):
        form = None
        if manages and is_open and not recipient.partner_id:
            form = bound.get(f"answer:{recipient.pk}") or RecordAnswerForm(
                prefix=f"answer-{recipient.pk}",
                initial={
                    "answer": recipient.answer if recipient.answer != "no_answer" else None,
                    "answer_text": recipient.answer_text,
                    "answered_on": recipient.answered_on,
                    "answered_by_name": recipient.answered_by_name,
                },
            )
        recipients.append({"recipient": recipient, "form": form})
    may_act = manages and is_open
    return {
        "object": inquiry,
        "recipients": recipients,
        "is_open": is_open,
        "add_form": (
            bound.get("recipient_add")
            or RecipientAddForm(prefix="recipient", municipality=request.municipality)
        )
        if may_act
        else None,
        "close_form": (bound.get("close") or CloseInquiryForm(prefix="close")) if may_act else None,
        "waive_form": (bound.get("waive") or WaiveInquiryForm(prefix="waive")) if may_act else None,
    }


def _partners_using(request: ProductRequest) -> dict[str, Any] | None:
    """Beside the inquiry (P8.2): which partners in the cooperation groups approve or run the
    requested product, from what they share (P8.1), and the link to the full comparison. None
    when the municipality has no partners. Five queries at most, whatever the findings."""
    name = request.requested_product_name.strip()
    if not name:
        return None
    rows = comparison(request.municipality, name)
    if not rows:
        return None
    compare = reverse("cooperation:compare", kwargs={"municipality": request.municipality.slug})
    return {
        "product_name": name,
        "rows": [row for row in rows if row.has_findings],
        "compare_url": f"{compare}?{urlencode({'q': name})}",
    }


def request_context(
    access: Access, request: ProductRequest, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the request's page shows and the forms the user may use; `bound` holds a
    refused form by its key, to show it with its errors."""
    bound = bound or {}
    is_submitted = request.status == RequestStatus.SUBMITTED
    failed = [f for f in bound.values() if f is not None and f.errors]
    exceptions = list(
        request.policy_exceptions.filter(archived_at__isnull=True).select_related("board")
    )
    inquiry = _inquiry(access, request, bound)
    is_new_business_system = services.is_new_business_system(request)
    return {
        "checklist": _checklist(access, request, bound),
        "approved_in_category": services.approved_in_category(request),
        "steps": _steps(access, request, bound),
        "inquiry": inquiry,
        "partners_using": _partners_using(request) if inquiry or is_new_business_system else None,
        "exceptions": exceptions,
        "decision_blocker": services.decision_blocker(request) if is_submitted else "",
        "p56_blocker": services.p56_blocker(request) if is_submitted else "",
        "is_new_business_system": is_new_business_system,
        "can_submit": request.status == RequestStatus.DRAFT
        and catalogue_access.can_edit_request(access, request),
        "can_withdraw": catalogue_access.can_withdraw_request(access, request),
        "withdraw_form": bound.get("withdraw") or WithdrawForm(prefix="withdraw"),
        "can_record_exception": request.status in services.OPEN_STATUSES
        and catalogue_access.can_record_exception(access, request.municipality_id),
        "form": failed[0] if failed else None,  # the error summary's
    }


class RequestPageView(RegisteredView):
    """The request's page: what is asked, the checklist, the steps, the inquiry, the
    exceptions, and the forms of whoever acts on it now."""

    registration = request_views

    def render_detail(
        self, request_obj: ProductRequest, bound: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        return TemplateResponse(
            self.request,
            request_views.detail_template,
            self.context(
                object=request_obj,
                can_edit=catalogue_access.can_edit_request(self.access, request_obj),
                can_archive=False,
                edit_url=self.url("edit", pk=request_obj.pk),
                history_url=self.url("history", pk=request_obj.pk),
                **request_context(self.access, request_obj, bound),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        return self.render_detail(self.get_object(pk))


class RequestActionView(RequestPageView):
    """A POST on the request's page. Subclasses say which form and which service; a refused
    action re-renders the page (400) with the error on its form."""

    http_method_names = ["post"]
    key = ""
    done = ""

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        return forms.Form(data)

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        raise NotImplementedError

    def form_key(self, **kwargs: Any) -> str:
        return self.key

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        request_obj = self.get_object(pk)
        form = self.make_form(request_obj, request.POST, **kwargs)
        if form.is_valid():
            try:
                self.act(request_obj, form, **kwargs)
            except ValidationError as error:
                request_obj.refresh_from_db()
                add_errors(form, error)
            else:
                messages.success(request, self.done)
                return HttpResponseRedirect(request_obj.get_absolute_url())
        return self.render_detail(request_obj, {self.form_key(**kwargs): form}, status=400)


class RequestSubmitView(RequestActionView):
    key = "submit"

    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The request was sent to the IT department.")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        services.request_submit(request=request_obj, actor=self.request.user)


class RequestWithdrawView(RequestActionView):
    key = "withdraw"

    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The request was withdrawn.")

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        return WithdrawForm(data, prefix="withdraw")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        services.request_withdraw(
            request=request_obj, reason=form.cleaned_data["reason"], actor=self.request.user
        )


class RequestAssessView(RequestActionView):
    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The assessment was recorded.")

    def form_key(self, **kwargs: Any) -> str:
        return f"assess:{kwargs['criterion']}"

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        if kwargs["criterion"] not in Criterion.values:
            raise Http404
        return AssessmentForm(data, prefix=f"assess-{kwargs['criterion']}")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        services.assessment_record(
            request=request_obj,
            criterion=kwargs["criterion"],
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )


class StepDecideView(RequestActionView):
    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The decision was recorded.")

    def form_key(self, **kwargs: Any) -> str:
        return f"decide:{kwargs['step']}"

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        get_object_or_404(request_obj.steps, pk=kwargs["step"])
        return StepDecideForm(data, prefix=f"decide-{kwargs['step']}")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        step = request_obj.steps.get(pk=kwargs["step"])
        services.step_decide(
            step=step,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            constraints=form.cleaned_data["constraints"],
            actor=self.request.user,
        )


def _inquiry_of(request_obj: ProductRequest) -> CoordinationInquiry:
    inquiry = CoordinationInquiry.objects.filter(request=request_obj).first()
    if inquiry is None:
        raise Http404
    return inquiry


class RecipientAddView(RequestActionView):
    key = "recipient_add"

    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The municipality was added to the inquiry.")

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        _inquiry_of(request_obj)
        return RecipientAddForm(data, prefix="recipient", municipality=request_obj.municipality)

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        inquiries.inquiry_recipient_add(
            inquiry=_inquiry_of(request_obj),
            partner=form.cleaned_data["partner"],
            organisation_name=form.cleaned_data["organisation_name"],
            asked_on=form.cleaned_data["asked_on"],
            actor=self.request.user,
        )


class RecordAnswerView(RequestActionView):
    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The answer was recorded.")

    def form_key(self, **kwargs: Any) -> str:
        return f"answer:{kwargs['recipient']}"

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        get_object_or_404(_inquiry_of(request_obj).recipients, pk=kwargs["recipient"])
        return RecordAnswerForm(data, prefix=f"answer-{kwargs['recipient']}")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        recipient = _inquiry_of(request_obj).recipients.get(pk=kwargs["recipient"])
        inquiries.inquiry_answer(
            recipient=recipient,
            answer=form.cleaned_data["answer"],
            answer_text=form.cleaned_data["answer_text"],
            answered_on=form.cleaned_data["answered_on"],
            answered_by_name=form.cleaned_data["answered_by_name"],
            actor=self.request.user,
        )


class InquiryCloseView(RequestActionView):
    key = "close"

    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The inquiry was closed: the request can be decided.")

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        _inquiry_of(request_obj)
        return CloseInquiryForm(data, prefix="close")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        inquiries.inquiry_close(
            inquiry=_inquiry_of(request_obj),
            conclusion=form.cleaned_data["conclusion"],
            actor=self.request.user,
        )


class InquiryWaiveView(RequestActionView):
    key = "waive"

    @property
    def done(self) -> str:  # type: ignore[override]
        return _("The inquiry was waived: the request can be decided.")

    def make_form(self, request_obj: ProductRequest, data: Any, **kwargs: Any) -> forms.Form:
        _inquiry_of(request_obj)
        return WaiveInquiryForm(data, prefix="waive")

    def act(self, request_obj: ProductRequest, form: forms.Form, **kwargs: Any) -> None:
        inquiries.inquiry_waive(
            inquiry=_inquiry_of(request_obj),
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )


# --- inquiries received (P8.2) -------------------------------------------------------------------


class InquiriesReceivedView(MunicipalityView):
    """Other municipalities' questions to this one (P8.2): only the asking municipality, the
    request's title, product, vendor, category and the question, with a form to answer. Only
    this municipality's IT department (or the operator)."""

    nav_section = NAV_SECTION

    def check(self) -> None:
        access = self.access
        if not (access.is_operator or self.municipality.pk in catalogue_access.answers_for(access)):
            raise PermissionDenied

    def render(self, bound: dict[int, AnswerForm] | None = None, status: int = 200) -> HttpResponse:
        bound = bound or {}
        rows = []
        for recipient in received_list(access=self.access, municipality=self.municipality):
            request = recipient.inquiry.request
            product = request.product
            vendor = request.vendor or (product.vendor if product else None)
            category = request.category or (product.category if product else None)
            form = None
            if recipient.inquiry.status == InquiryStatus.OPEN:
                form = bound.get(recipient.pk) or AnswerForm(
                    prefix=f"answer-{recipient.pk}",
                    initial={
                        "answer": recipient.answer if recipient.answer != "no_answer" else None,
                        "answer_text": recipient.answer_text,
                    },
                )
            rows.append(
                {
                    "recipient": recipient,
                    "asking": recipient.municipality.name,
                    "title": request.title,
                    "product": request.requested_product_name,
                    "vendor": vendor.name if vendor else request.vendor_name,
                    "category": category.name if category else "",
                    "question": recipient.inquiry.question,
                    "is_open": recipient.inquiry.status == InquiryStatus.OPEN,
                    "form": form,
                }
            )
        failed = [f for f in bound.values() if f.errors]
        return TemplateResponse(
            self.request,
            "catalogue/inquiries_received.html",
            self.context(rows=rows, form=failed[0] if failed else None),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return self.render()


class InquiryAnswerView(InquiriesReceivedView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, recipient: int, **kwargs: Any) -> HttpResponse:
        self.check()
        row = get_object_or_404(
            received_list(access=self.access, municipality=self.municipality), pk=recipient
        )
        form = AnswerForm(request.POST, prefix=f"answer-{row.pk}")
        if form.is_valid():
            try:
                inquiries.inquiry_answer(
                    recipient=row,
                    answer=form.cleaned_data["answer"],
                    answer_text=form.cleaned_data["answer_text"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your answer was sent."))
                return HttpResponseRedirect(
                    reverse(
                        "catalogue:inquiries_received",
                        kwargs={"municipality": self.municipality.slug},
                    )
                )
        return self.render({row.pk: form}, status=400)


# --- the executive board's exceptions (P5.6) -----------------------------------------------------


exception_views = Registration(
    model=PolicyException,
    nav_section=NAV_SECTION,
    list_queryset=exception_list,
    get_object=exception_get,
    table=PolicyExceptionTable,
    filterset=PolicyExceptionFilterSet,
    form=PolicyExceptionForm,
    create=services.policy_exception_record,
    update=_never,
    archive=_never,
    restore=_never,
    can_create=lambda access, m: catalogue_access.can_record_exception(access, m.pk),
    can_edit=lambda access, obj: False,
    can_archive=lambda access, obj: False,
    list_template="catalogue/policyexception_list.html",
)


class PolicyExceptionCreateView(ObjectEditView):
    """Record the executive board's exception for a system (`?system=<pk>`) or a request
    (`?request=<pk>`); the page of either shows it afterwards."""

    registration = exception_views
    template = "catalogue/policyexception_form.html"

    def make_form(self, obj: Any, data: Any = None) -> Any:
        form = super().make_form(obj, data)
        if data is None:
            for name, model in (("system", System), ("request", ProductRequest)):
                pk = self.request.GET.get(name, "")
                if (
                    pk.isdigit()
                    and model.objects.filter(municipality=self.municipality, pk=pk).exists()
                ):
                    form.initial[name] = int(pk)
        return form
