"""The pages of the departments' training plans (P6.2), the IT department's competence plan and
its watch log (P6.4).

Every member reads the plans and the log. A department's head and the IT department keep the
department's plan (`access.keeps_plan`); the IT department keeps the log. A user who may read but
not keep gets a 403 for a write; another municipality's plan or note is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality

from . import selectors_plans as selectors
from . import services_plans, services_watch
from .access import keeps_plan, keeps_training
from .choices import TrainingPlanStatus
from .forms_plans import (
    COMPETENCE_PLAN,
    FollowUpForm,
    TrainingPlanFilterSet,
    TrainingPlanForm,
    TrainingPlanLineForm,
    TrainingPlanTable,
    WatchNoteFilterSet,
    WatchNoteForm,
    WatchNoteTable,
)
from .models import TrainingPlan, TrainingPlanLine, WatchNote

NAV_SECTION = "training"


@dataclass(frozen=True)
class PlanRegistration(Registration):
    """The training plans' pages are named `plan_*` (the model's URL is `plan_detail`)."""

    @property
    def name(self) -> str:
        return "plan"


def _keeps(access: Access, plan: TrainingPlan) -> bool:
    return keeps_plan(access, plan.municipality_id, plan.department_id)


def _may_create_plan(access: Access, municipality: Municipality) -> bool:
    """The IT department, or a department head (for their own departments)."""
    return keeps_training(access, municipality.pk) or (
        access.has_role(municipality.pk, Role.DEPARTMENT_HEAD) and bool(access.department_head_of)
    )


def _plan_context(access: Access, plan: TrainingPlan) -> dict[str, Any]:
    keeps = _keeps(access, plan) and not plan.is_archived
    open_plan = keeps and plan.status != TrainingPlanStatus.FOLLOWED_UP
    return {
        "lines": selectors.plan_lines(plan),
        "is_competence_plan": plan.department_id == selectors.central_office_id(plan.municipality),
        "competence_plan_label": COMPETENCE_PLAN,
        "may_change_lines": open_plan,
        "may_adopt": open_plan and plan.status == TrainingPlanStatus.DRAFT,
        "may_follow_up": open_plan and plan.status == TrainingPlanStatus.ADOPTED,
    }


plan_views = PlanRegistration(
    model=TrainingPlan,
    nav_section=NAV_SECTION,
    list_queryset=selectors.plan_list,
    get_object=selectors.plan_get,
    table=TrainingPlanTable,
    filterset=TrainingPlanFilterSet,
    form=TrainingPlanForm,
    create=services_plans.plan_create,
    update=lambda obj, data, actor: services_plans.plan_update(plan=obj, data=data, actor=actor),
    archive=lambda obj, actor: services_plans.plan_archive(plan=obj, actor=actor),
    restore=lambda obj, actor: services_plans.plan_restore(plan=obj, actor=actor),
    can_create=_may_create_plan,
    can_edit=lambda access, obj: (
        _keeps(access, obj) and obj.status != TrainingPlanStatus.FOLLOWED_UP
    ),
    can_archive=_keeps,
    detail_template="training/plan_detail.html",
    list_template="training/plan_list.html",
    detail_context=_plan_context,
)


def _keeps_log(access: Access, obj: Any) -> bool:
    return keeps_training(access, obj.municipality_id)


watch_views = Registration(
    model=WatchNote,
    nav_section=NAV_SECTION,
    list_queryset=selectors.watch_note_list,
    get_object=selectors.watch_note_get,
    table=WatchNoteTable,
    filterset=WatchNoteFilterSet,
    form=WatchNoteForm,
    create=services_watch.watch_note_create,
    update=lambda obj, data, actor: services_watch.watch_note_update(
        note=obj, data=data, actor=actor
    ),
    archive=lambda obj, actor: services_watch.watch_note_archive(note=obj, actor=actor),
    restore=lambda obj, actor: services_watch.watch_note_restore(note=obj, actor=actor),
    can_create=lambda access, municipality: keeps_training(access, municipality.pk),
    can_edit=_keeps_log,
    can_archive=_keeps_log,
    detail_template="training/watchnote_detail.html",
    list_template="training/watchnote_list.html",
    detail_context=selectors.watch_note_links,
)


# --- actions on one plan -----------------------------------------------------------------------


class PlanActionView(MunicipalityView):
    """A page or action on one plan, for those who keep it, while it is open."""

    nav_section = NAV_SECTION
    plan: TrainingPlan

    def setup_plan(self, pk: int) -> TrainingPlan:
        plan = selectors.plan_get(access=self.access, municipality=self.municipality, pk=pk)
        if not _keeps(self.access, plan) or plan.is_archived:
            raise PermissionDenied
        self.plan = plan
        return plan

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.plan.get_absolute_url())

    def refused(self, error: ValidationError) -> HttpResponseRedirect:
        for message in error.messages:
            messages.error(self.request, message)
        return self.back()


class PlanAdoptView(PlanActionView):
    """POST: adopt a draft plan."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_plan(pk)
        try:
            services_plans.plan_adopt(plan=self.plan, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The plan was adopted."))
        return self.back()


class PlanFollowUpView(PlanActionView):
    """Follow up an adopted plan: what was carried out; then it is a record."""

    def render(self, form: FollowUpForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "training/plan_form.html",
            self.context(
                plan=self.plan,
                form=form,
                title=_("Follow up %(plan)s") % {"plan": self.plan},
            ),
            status=status,
        )

    def check(self) -> None:
        if self.plan.status != TrainingPlanStatus.ADOPTED:
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_plan(pk)
        self.check()
        return self.render(FollowUpForm(initial={"follow_up": self.plan.follow_up}))

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_plan(pk)
        self.check()
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services_plans.plan_follow_up(
                    plan=self.plan, follow_up=form.cleaned_data["follow_up"], actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The plan was followed up."))
                return self.back()
        return self.render(form, status=400)


class PlanLineView(PlanActionView):
    """Add a planned training to a plan, or change one."""

    def setup_line(self, pk: int, line: int | None) -> TrainingPlanLine | None:
        self.setup_plan(pk)
        if self.plan.status == TrainingPlanStatus.FOLLOWED_UP:
            raise PermissionDenied
        return selectors.plan_line_get(self.plan, line) if line is not None else None

    def make_form(self, obj: TrainingPlanLine | None, data: Any = None) -> TrainingPlanLineForm:
        instance = TrainingPlanLine.objects.get(pk=obj.pk) if obj is not None else None
        return TrainingPlanLineForm(
            data, instance=instance, municipality=self.municipality, access=self.access
        )

    def render(self, form: Any, obj: TrainingPlanLine | None, status: int = 200) -> HttpResponse:
        title = _("Change planned training") if obj is not None else _("Add planned training")
        return TemplateResponse(
            self.request,
            "training/plan_form.html",
            self.context(plan=self.plan, form=form, title=title),
            status=status,
        )

    def get(
        self, request: HttpRequest, *args: Any, pk: int, line: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_line(pk, line)
        return self.render(self.make_form(obj), obj)

    def post(
        self, request: HttpRequest, *args: Any, pk: int, line: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_line(pk, line)
        form = self.make_form(obj, request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                if obj is None:
                    services_plans.line_create(plan=self.plan, data=data, actor=request.user)
                else:
                    services_plans.line_update(line=obj, data=data, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The planned training was saved."))
                return self.back()
        return self.render(form, obj, status=400)


class PlanLineArchiveView(PlanActionView):
    """POST: take a planned training out of the plan (archived, not deleted)."""

    def post(
        self, request: HttpRequest, *args: Any, pk: int, line: int, **kwargs: Any
    ) -> HttpResponse:
        self.setup_plan(pk)
        obj = selectors.plan_line_get(self.plan, line)
        try:
            services_plans.line_archive(line=obj, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("%(object)s was removed from the plan.") % {"object": obj})
        return self.back()
