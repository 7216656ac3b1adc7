"""Pages of the IT plans (P3.3–P3.5): each board's plan per year with its items and costs, the
plan's steps (adoption, follow-up, evaluation, next year's draft), the plan as a PDF for the
board's agenda, the roll-up per board and year for the budget, and the goals, cost categories and
settings behind them."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.catalogue import access as catalogue_access
from stadga.catalogue.models import ProductRequest
from stadga.core.pdf import pdf_response
from stadga.core.tabular import views as tabular_views
from stadga.core.views import (
    MunicipalityView,
    ObjectEditView,
    RegisteredView,
    Registration,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality

from . import access as plans_access
from . import rent, selectors, services
from .choices import PlanStatus
from .exports import write_rent_xlsx, write_rollup_xlsx
from .filters import (
    CostCategoryFilterSet,
    GoalFilterSet,
    ITPlanFilterSet,
    PlanItemFilterSet,
    PremisesFilterSet,
)
from .forms import (
    AdoptForm,
    CostCategoryForm,
    CostFormSet,
    EvaluateForm,
    FollowUpForm,
    GoalForm,
    ITPlanForm,
    PlanItemForm,
    PlansSettingsForm,
    PremisesForm,
    TenantFormSet,
    TenantsForm,
    YearForm,
)
from .models import CostCategory, Goal, ITPlan, PlanItem, Premises
from .tables import CostCategoryTable, GoalTable, ITPlanTable, PlanItemTable, PremisesTable
from .tabular import PlanItemTabular

NAV_SECTION = "plans"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_errors(form: Any, error: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


# --- goals and cost categories (P2, P3.6–P3.9) ------------------------------------------------


def _keeps(access: Access, obj: Any) -> bool:
    return plans_access.keeps_plan_data(access, obj.municipality_id)


def _keeps_in(access: Access, municipality: Municipality) -> bool:
    return plans_access.keeps_plan_data(access, municipality.pk)


def _goal_context(access: Access, goal: Goal) -> dict[str, Any]:
    """The initiatives serving the goal that the user may see, and what they cost per year
    (P2: activity and cost per goal)."""
    items = list(
        selectors.item_list(access=access, municipality=goal.municipality)
        .filter(goals=goal)
        .prefetch_related("costs")
        .order_by("-plan__year", "plan__board__name", "pk")
    )
    # The product requests serving it (P5.4) that the user reads, newest first.
    requests = list(
        ProductRequest.objects.filter(
            catalogue_access.request_q(access),
            municipality=goal.municipality,
            goals=goal,
            archived_at__isnull=True,
        )
        .select_related("municipality")
        .order_by("-created_at", "-pk")
    )
    return {"items": items, "totals": selectors.cost_totals(items), "requests": requests}


goal_views = Registration(
    model=Goal,
    nav_section=NAV_SECTION,
    list_queryset=selectors.goal_list,
    get_object=selectors.goal_get,
    table=GoalTable,
    filterset=GoalFilterSet,
    form=GoalForm,
    create=services.goal_create,
    update=lambda goal, data, actor: services.goal_update(goal=goal, data=data, actor=actor),
    archive=lambda goal, actor: services.archive(instance=goal, actor=actor),
    restore=lambda goal, actor: services.restore(instance=goal, actor=actor),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_fields=("code", "name", "description", "order"),
    detail_template="plans/goal_detail.html",
    detail_context=_goal_context,
)

costcategory_views = Registration(
    model=CostCategory,
    nav_section=NAV_SECTION,
    list_queryset=selectors.cost_category_list,
    get_object=selectors.cost_category_get,
    table=CostCategoryTable,
    filterset=CostCategoryFilterSet,
    form=CostCategoryForm,
    create=services.cost_category_create,
    update=lambda category, data, actor: services.cost_category_update(
        category=category, data=data, actor=actor
    ),
    archive=lambda category, actor: services.archive(instance=category, actor=actor),
    restore=lambda category, actor: services.restore(instance=category, actor=actor),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_fields=("name", "description", "default_bearer", "recovered_through_rent"),
)


# --- plans (P3.4) ------------------------------------------------------------------------------


def _writes_plan(access: Access, plan: ITPlan) -> bool:
    return plans_access.can_write_plan(access, plan)


def _plan_context(access: Access, plan: ITPlan) -> dict[str, Any]:
    items = selectors.plan_items(plan)
    writes = _writes_plan(access, plan) and not plan.is_archived
    slug = plan.municipality.slug
    next_exists = ITPlan.objects.filter(
        municipality=plan.municipality, board=plan.board, year=plan.year + 1
    ).exists()
    return {
        "items": items,
        "totals": selectors.cost_totals(items),
        "writes": writes,
        "can_add_items": writes and plan.is_draft,
        "can_adopt": writes and plan.status == PlanStatus.DRAFT,
        "can_follow_up_items": writes
        and plan.status in (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP),
        "can_close_follow_up": writes and plan.status == PlanStatus.ADOPTED,
        "can_evaluate": writes and plan.status == PlanStatus.FOLLOWED_UP,
        "can_copy": writes and not plan.is_draft and not next_exists,
        "unfollowed": sum(1 for item in items if item.followed_up_at is None),
        "add_item_url": reverse("plans:planitem_create", kwargs={"municipality": slug})
        + f"?plan={plan.pk}",
    }


itplan_views = Registration(
    model=ITPlan,
    nav_section=NAV_SECTION,
    list_queryset=selectors.plan_list,
    get_object=selectors.plan_get,
    table=ITPlanTable,
    filterset=ITPlanFilterSet,
    form=ITPlanForm,
    create=services.it_plan_create,
    update=lambda plan, data, actor: services.it_plan_update(plan=plan, data=data, actor=actor),
    archive=lambda plan, actor: services.it_plan_archive(plan=plan, actor=actor),
    restore=lambda plan, actor: services.it_plan_restore(plan=plan, actor=actor),
    can_create=lambda access, m: plans_access.can_create_plan(access, m.pk),
    can_edit=_writes_plan,
    can_archive=_writes_plan,
    detail_template="plans/itplan_detail.html",
    list_template="plans/itplan_list.html",
    detail_context=_plan_context,
)


class _PlanStepView(RegisteredView):
    """A step of a plan taken by its board or the IT coordinator, after a form."""

    registration = itplan_views
    template = ""
    heading: Any = ""
    allowed: tuple[str, ...] = ()

    def setup_plan(self, pk: int) -> ITPlan:
        plan = self.get_object(pk)
        if plan.is_archived or not _writes_plan(self.access, plan):
            raise PermissionDenied
        if plan.status not in self.allowed:
            raise PermissionDenied
        return plan

    def render(self, form: Any, plan: ITPlan, **extra: Any) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(
                form=form,
                object=plan,
                heading=self.heading,
                cancel_url=plan.get_absolute_url(),
                **extra,
            ),
            status=400 if getattr(form, "is_bound", False) and form.errors else 200,
        )


class PlanAdoptView(_PlanStepView):
    """The board adopted the plan: the meeting's date and the minutes' paragraph (P3.4)."""

    template = "plans/itplan_adopt.html"
    heading = gettext_lazy("Record the board's adoption")
    allowed = (PlanStatus.DRAFT,)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.setup_plan(pk)
        return self.render(AdoptForm(initial={"adopted_on": timezone.localdate()}), plan)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.setup_plan(pk)
        form = AdoptForm(request.POST)
        if form.is_valid():
            try:
                services.it_plan_adopt(plan=plan, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
                plan.refresh_from_db()
            else:
                messages.success(request, _("%(plan)s was adopted.") % {"plan": plan})
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render(form, plan)


class PlanFollowUpView(_PlanStepView):
    """The year's follow-up is done, once every item's follow-up is recorded (P3.4)."""

    allowed = (PlanStatus.ADOPTED,)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.setup_plan(pk)
        try:
            services.it_plan_follow_up(plan=plan, actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("%(plan)s is followed up.") % {"plan": plan})
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanEvaluateView(_PlanStepView):
    """The year's evaluation, in words (P3.4)."""

    template = "plans/itplan_evaluate.html"
    heading = gettext_lazy("Evaluation")
    allowed = (PlanStatus.FOLLOWED_UP,)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        return self.render(EvaluateForm(), self.setup_plan(pk))

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.setup_plan(pk)
        form = EvaluateForm(request.POST)
        if form.is_valid():
            try:
                services.it_plan_evaluate(
                    plan=plan, evaluation=form.cleaned_data["evaluation"], actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
                plan.refresh_from_db()
            else:
                messages.success(request, _("%(plan)s is evaluated.") % {"plan": plan})
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render(form, plan)


class PlanCopyView(_PlanStepView):
    """Next year's draft, started from this plan's unfinished items."""

    allowed = (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP, PlanStatus.EVALUATED)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.setup_plan(pk)
        try:
            new_plan = services.it_plan_copy_to_next_year(plan=plan, actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return HttpResponseRedirect(plan.get_absolute_url())
        messages.success(
            request,
            _("%(plan)s was started from the unfinished items.") % {"plan": new_plan},
        )
        return HttpResponseRedirect(new_plan.get_absolute_url())


class PlanPdfView(RegisteredView):
    """The plan as a PDF fit to attach to the board's agenda."""

    registration = itplan_views

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = self.get_object(pk)
        items = selectors.plan_items(plan)
        return pdf_response(
            "plans/itplan_pdf.html",
            {
                "municipality": self.municipality,
                "plan": plan,
                "items": items,
                "totals": selectors.cost_totals(items),
            },
            f"it-plan-{plan.year}-{plan.board.short_name or plan.board.pk}.pdf",
        )


# --- items (P1.2, P2, P3.5–P3.9) -----------------------------------------------------------------


def _writes_item(access: Access, item: PlanItem) -> bool:
    return _writes_plan(access, item.plan) and item.plan.is_draft


def _item_context(access: Access, item: PlanItem) -> dict[str, Any]:
    writes = _writes_plan(access, item.plan) and not item.is_archived
    return {
        "costs": list(item.costs.all()),
        "can_edit_costs": writes and item.plan.is_draft,
        "can_follow_up": writes
        and item.plan.status in (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP),
    }


planitem_views = Registration(
    model=PlanItem,
    nav_section=NAV_SECTION,
    list_queryset=selectors.item_list,
    get_object=selectors.item_get,
    table=PlanItemTable,
    filterset=PlanItemFilterSet,
    form=PlanItemForm,
    create=services.plan_item_create,
    update=lambda item, data, actor: services.plan_item_update(item=item, data=data, actor=actor),
    archive=lambda item, actor: services.plan_item_archive(item=item, actor=actor),
    restore=lambda item, actor: services.plan_item_restore(item=item, actor=actor),
    can_create=lambda access, m: plans_access.can_create_plan(access, m.pk),
    can_edit=_writes_item,
    can_archive=_writes_item,
    detail_template="plans/planitem_detail.html",
    list_template="plans/planitem_list.html",
    detail_context=_item_context,
)


class PlanItemEditView(ObjectEditView):
    """The generic create and edit page; a new item may be started from its plan's page."""

    registration = planitem_views

    def make_form(self, obj: Any, data: Any = None) -> Any:
        form = super().make_form(obj, data)
        plan = self.request.GET.get("plan", "")
        if obj is None and data is None and plan.isdigit():
            form.initial["plan"] = int(plan)
        return form


class _ItemView(RegisteredView):
    registration = planitem_views
    template = ""

    def render(self, item: PlanItem, status: int = 200, **extra: Any) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(object=item, cancel_url=item.get_absolute_url(), **extra),
            status=status,
        )


class ItemCostsView(_ItemView):
    """The item's planned costs per year, investment and running, in whole kronor (P3.5)."""

    template = "plans/planitem_costs.html"

    def setup_item(self, pk: int) -> PlanItem:
        item = self.get_object(pk)
        if item.is_archived or not _writes_item(self.access, item):
            raise PermissionDenied
        return item

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        item = self.setup_item(pk)
        initial = [
            {"year": c.year, "investment": c.investment, "running": c.running}
            for c in item.costs.all()
        ]
        formset = CostFormSet(initial=initial or [{"year": item.plan.year}])
        return self.render(item, formset=formset)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        item = self.setup_item(pk)
        formset = CostFormSet(request.POST)
        if formset.is_valid():
            rows = [
                (f.cleaned_data["year"], f.cleaned_data["investment"], f.cleaned_data["running"])
                for f in formset.forms
                if f.cleaned_data
            ]
            try:
                services.plan_item_costs_set(item=item, costs=rows, actor=request.user)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("The costs were saved."))
                return HttpResponseRedirect(item.get_absolute_url())
        return self.render(item, status=400, formset=formset)


class ItemFollowUpView(_ItemView):
    """How the initiative stood at follow-up, and what it actually cost (P3.4)."""

    template = "plans/planitem_follow_up.html"

    def setup_item(self, pk: int) -> PlanItem:
        item = self.get_object(pk)
        writes = _writes_plan(self.access, item.plan) and not item.is_archived
        if not writes or item.plan.status not in (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP):
            raise PermissionDenied
        return item

    def make_form(self, item: PlanItem, data: Any = None) -> FollowUpForm:
        costs = list(item.costs.all())
        years = sorted({c.year for c in costs} | {item.plan.year})
        initial: dict[str, Any] = {
            "status": item.follow_up_status,
            "comment": item.follow_up_comment,
        }
        for cost in costs:
            initial[f"actual_investment_{cost.year}"] = cost.actual_investment
            initial[f"actual_running_{cost.year}"] = cost.actual_running
        return FollowUpForm(data, initial=initial, years=years)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        item = self.setup_item(pk)
        return self.render(item, form=self.make_form(item))

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        item = self.setup_item(pk)
        form = self.make_form(item, request.POST)
        if form.is_valid():
            try:
                services.plan_item_follow_up(
                    item=item,
                    status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                    actuals=form.actuals(),
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    renamed = {
                        {"follow_up_status": "status", "follow_up_comment": "comment"}.get(k, k): v
                        for k, v in error.message_dict.items()
                    }
                    add_errors(form, ValidationError(renamed))
                else:
                    add_errors(form, error)
            else:
                messages.success(request, _("The follow-up was recorded."))
                return HttpResponseRedirect(item.get_absolute_url())
        return self.render(item, status=400, form=form)


# --- the roll-up for the budget and operational plan (P3.5) ----------------------------------


class RollupView(MunicipalityView):
    """Each board's plan for a year and its costs per year, investment and running, with totals:
    what the finance office weighs for the budget (P3.5). Every member reads it (see
    `selectors.plan_rollup`); `?format=xlsx` downloads it."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = YearForm(request.GET or None)
        year = form.year_or(timezone.localdate().year)
        rollup = selectors.plan_rollup(
            access=self.access, municipality=self.municipality, year=year
        )
        if request.GET.get("format") == "xlsx":
            out = io.BytesIO()
            write_rollup_xlsx(rollup, out)
            response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
            filename = f"it-planer-{self.municipality.slug}-{year}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return TemplateResponse(
            request,
            "plans/rollup.html",
            self.context(
                form=form,
                rollup=rollup,
                rows=rollup.row_cells(),
                totals=rollup.totals(),
                years=selectors.plan_years(municipality=self.municipality),
            ),
        )


# --- premises, their tenants and the internal rent (P3.6, P3.7, P3.10) --------------------------


def _premises_context(access: Access, premises: Premises) -> dict[str, Any]:
    tenancies = selectors.premises_tenancies(premises)
    today = timezone.localdate()
    return {
        "tenancies": tenancies,
        "current": [t for t in tenancies if t.in_force_on(today)],
        "can_set_tenants": _keeps(access, premises) and not premises.is_archived,
    }


premises_views = Registration(
    model=Premises,
    nav_section=NAV_SECTION,
    list_queryset=selectors.premises_list,
    get_object=selectors.premises_get,
    table=PremisesTable,
    filterset=PremisesFilterSet,
    form=PremisesForm,
    create=services.premises_create,
    update=lambda premises, data, actor: services.premises_update(
        premises=premises, data=data, actor=actor
    ),
    archive=lambda premises, actor: services.premises_archive(premises=premises, actor=actor),
    restore=lambda premises, actor: services.premises_restore(premises=premises, actor=actor),
    can_create=_keeps_in,
    can_edit=_keeps,
    can_archive=_keeps,
    detail_fields=("name", "address", "tenure", "lease_note"),
    detail_template="plans/premises_detail.html",
    detail_context=_premises_context,
)


class TenantsView(RegisteredView):
    """The premises' tenants and their shares from a day on (P3.7): set together, so that they
    sum to one. The IT coordinator keeps them."""

    registration = premises_views

    def setup_premises(self, pk: int) -> Premises:
        premises = self.get_object(pk)
        if premises.is_archived or not _keeps(self.access, premises):
            raise PermissionDenied
        return premises

    def departments(self) -> Any:
        return Department.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        ).order_by("name")

    def render(self, premises: Premises, form: Any, formset: Any, status: int = 200) -> Any:
        return TemplateResponse(
            self.request,
            "plans/premises_tenants.html",
            self.context(
                object=premises,
                form=form,
                formset=formset,
                cancel_url=premises.get_absolute_url(),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        premises = self.setup_premises(pk)
        today = timezone.localdate()
        current = [t for t in selectors.premises_tenancies(premises) if t.in_force_on(today)]
        formset = TenantFormSet(
            initial=[{"department": t.department_id, "share": t.share} for t in current],
            form_kwargs={"departments": self.departments()},
        )
        return self.render(premises, TenantsForm(initial={"valid_from": today}), formset)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        premises = self.setup_premises(pk)
        form = TenantsForm(request.POST)
        formset = TenantFormSet(request.POST, form_kwargs={"departments": self.departments()})
        if form.is_valid() and formset.is_valid():
            shares = [
                (f.cleaned_data["department"], f.cleaned_data["share"])
                for f in formset.forms
                if f.cleaned_data.get("department") is not None
            ]
            try:
                services.tenancies_set(
                    premises=premises,
                    valid_from=form.cleaned_data["valid_from"],
                    shares=shares,
                    actor=request.user,
                )
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("The tenants were saved."))
                return HttpResponseRedirect(premises.get_absolute_url())
        return self.render(premises, form, formset, status=400)


class RentAllocationView(MunicipalityView):
    """The year's internal-rent allocation of passive network costs (P3.6, P3.7): per department
    its share in kronor, per premises the breakdown. Every member reads it, like the roll-up:
    the finance office charges the rents from it. `?format=xlsx` downloads it."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = YearForm(request.GET or None)
        year = form.year_or(timezone.localdate().year)
        allocation = rent.rent_allocation(municipality=self.municipality, year=year)
        if request.GET.get("format") == "xlsx":
            out = io.BytesIO()
            write_rent_xlsx(allocation, out)
            response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
            filename = f"internhyra-natverk-{self.municipality.slug}-{year}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return TemplateResponse(
            request,
            "plans/rent.html",
            self.context(
                form=form,
                allocation=allocation,
                years=rent.rent_years(self.municipality),
            ),
        )


# --- settings ------------------------------------------------------------------------------------


class PlansSettingsView(MunicipalityView):
    """Members read the settings; the IT coordinator names the technical department and the
    central office (the default bearers, P3.6–P3.9) and sets the due dates (P3.4)."""

    nav_section = NAV_SECTION

    def render(self, form: PlansSettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "plans/settings.html",
            self.context(
                form=form, can_edit=plans_access.keeps_plan_data(self.access, self.municipality.pk)
            ),
            status=status,
        )

    def make_form(self, data: Any = None) -> PlansSettingsForm:
        row = selectors.plans_settings_for(self.municipality)
        return PlansSettingsForm(
            data,
            instance=row if row.pk else None,
            municipality=self.municipality,
            access=self.access,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not plans_access.keeps_plan_data(self.access, self.municipality.pk):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                services.plans_settings_update(
                    municipality=self.municipality, data=data, actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The settings were saved."))
                return HttpResponseRedirect(request.path)
        return self.render(form, status=400)


# --- import of plan items ------------------------------------------------------------------------


class _ItemTabular(tabular_views.TabularView):
    spec_class = PlanItemTabular
    nav_section = NAV_SECTION
    url_names = {
        "list": "plans:planitem_list",
        "import": "plans:planitem_import",
        "confirm": "plans:planitem_import_confirm",
        "template": "plans:planitem_import_template",
        "export": "plans:planitem_export",
    }
    import_template = "plans/planitem_import.html"

    def may_import(self) -> bool:
        return plans_access.can_create_plan(self.access, self.municipality.pk)

    def export_queryset(self) -> Any:
        archived = self.request.GET.get("archived") == "1"
        queryset = selectors.item_list(
            access=self.access, municipality=self.municipality, archived=archived
        )
        return PlanItemFilterSet(
            self.request.GET or None, queryset=queryset, municipality=self.municipality
        ).qs


class PlanItemImportView(_ItemTabular, tabular_views.ImportView):
    pass


class PlanItemImportConfirmView(_ItemTabular, tabular_views.ImportConfirmView):
    pass


class PlanItemImportTemplateView(_ItemTabular, tabular_views.TemplateDownloadView):
    pass


class PlanItemExportView(_ItemTabular, tabular_views.ExportView):
    pass
