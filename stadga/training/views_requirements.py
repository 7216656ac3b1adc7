"""The requirements' pages (kept by the IT department, read by every member) and a system's
users (kept by the IT department, and by department heads for their staff) — P6.

Who may see and do what is in `access.py`: one who may not read gets a 404; a reader who may
not keep gets a 403 for a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.tables import ScopedTable
from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access
from stadga.systems.models import System

from . import selectors_requirements as selectors
from . import services_requirements as services
from .access import keeps_system_use, keeps_training
from .forms_requirements import SystemUseForm, TrainingRequirementFilterSet, TrainingRequirementForm
from .links import coverage_url
from .models import SystemUse, TrainingRequirement

NAV_SECTION = "training"


@dataclass(frozen=True)
class NamedRegistration(Registration):
    """A registration whose routes are named after `url_base` rather than the model's name:
    `requirement_detail`, not `trainingrequirement_detail` (the model's URL names it so)."""

    url_base: str = ""

    @property
    def name(self) -> str:
        return self.url_base or super().name


class TrainingRequirementTable(ScopedTable):
    course = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("course__name",)
    )
    whom = tables.Column(
        verbose_name=gettext_lazy("Applies to"), accessor="pk", order_by=("scope", "role")
    )
    department = tables.Column(order_by=("department__name",))

    class Meta(ScopedTable.Meta):
        model = TrainingRequirement
        fields = ("course", "whom", "department", "note")

    def render_whom(self, record: TrainingRequirement) -> str:
        return str(record).split(" — ", 1)[-1]


def _keeps(access: Access, obj: Any) -> bool:
    return keeps_training(access, obj.municipality_id)


def _requirement_context(access: Access, requirement: TrainingRequirement) -> dict[str, Any]:
    slug = requirement.municipality.slug
    return {
        "coverage_url": coverage_url(
            slug, course=requirement.course_id, system=requirement.system_id
        ),
    }


requirement_views = NamedRegistration(
    model=TrainingRequirement,
    url_base="requirement",
    nav_section=NAV_SECTION,
    list_queryset=selectors.requirement_list,
    get_object=selectors.requirement_get,
    table=TrainingRequirementTable,
    filterset=TrainingRequirementFilterSet,
    form=TrainingRequirementForm,
    create=services.requirement_create,
    update=lambda obj, data, actor: services.requirement_update(
        requirement=obj, data=data, actor=actor
    ),
    archive=lambda obj, actor: services.requirement_archive(requirement=obj, actor=actor),
    restore=lambda obj, actor: services.requirement_restore(requirement=obj, actor=actor),
    can_create=lambda access, municipality: keeps_training(access, municipality.pk),
    can_edit=_keeps,
    can_archive=_keeps,
    detail_fields=("course", "scope", "role", "department", "system", "note"),
    detail_template="training/requirement_detail.html",
    list_template="training/requirement_list.html",
    detail_context=_requirement_context,
)


# --- a system's users ------------------------------------------------------------------------


class SystemUsersView(MunicipalityView):
    """Who works in a system: its current users (those the user reads), the courses its users
    must have, adding a user and ending a use. `?ended=1` lists the ended uses. Readers of
    everything see all its users, a department head their staff."""

    nav_section = NAV_SECTION
    system: System

    def setup_system(self, pk: int) -> System:
        self.system = selectors.system_for_users(
            access=self.access, municipality=self.municipality, pk=pk
        )
        return self.system

    def people(self) -> Any:
        return selectors.people_for_system_use(access=self.access, municipality=self.municipality)

    def may_add(self) -> bool:
        return not self.system.is_archived and (
            keeps_training(self.access, self.municipality.pk)
            or bool(self.access.department_head_of)
        )

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse(
                "training:system_users",
                kwargs={"municipality": self.municipality.slug, "system": self.system.pk},
            )
        )

    def render(self, form: SystemUseForm | None, status: int = 200) -> HttpResponse:
        ended = self.request.GET.get("ended") == "1"
        uses = list(selectors.system_uses(access=self.access, system=self.system, ended=ended))
        rows = [
            (use, keeps_system_use(self.access, use.municipality_id, use.person.department_id))
            for use in uses
        ]
        return TemplateResponse(
            self.request,
            "training/system_users.html",
            self.context(
                system=self.system,
                rows=rows,
                ended=ended,
                form=form,
                courses=list(selectors.system_required_courses(self.system)),
                coverage_url=coverage_url(self.municipality.slug, system=self.system.pk),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, system: int, **kwargs: Any) -> HttpResponse:
        self.setup_system(system)
        form = None
        if self.may_add():
            form = SystemUseForm(people=self.people(), initial={"since": timezone.localdate()})
        return self.render(form)

    def post(self, request: HttpRequest, *args: Any, system: int, **kwargs: Any) -> HttpResponse:
        self.setup_system(system)
        if not self.may_add():
            raise PermissionDenied
        form = SystemUseForm(request.POST, people=self.people())
        if not form.is_valid():
            return self.render(form, status=400)
        person = form.cleaned_data["person"]
        try:
            services.system_use_add(
                municipality=self.municipality,
                data={"person": person, "system": self.system, "since": form.cleaned_data["since"]},
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(
            request,
            _("%(person)s is now a user of %(system)s.")
            % {"person": person, "system": self.system},
        )
        return self.back()


class SystemUseEndView(SystemUsersView):
    """POST: end a use (archive it), or with `restore` undo an ending made by mistake."""

    http_method_names = ["post"]
    restoring = False

    def post(
        self, request: HttpRequest, *args: Any, system: int, use: int = 0, **kwargs: Any
    ) -> HttpResponse:
        self.setup_system(system)
        found: SystemUse = selectors.system_use_get(access=self.access, system=self.system, pk=use)
        if not keeps_system_use(self.access, found.municipality_id, found.person.department_id):
            raise PermissionDenied
        if self.restoring:
            try:
                services.system_use_restore(use=found, actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return self.back()
            message = _("%(person)s is a user of %(system)s again.")
        else:
            services.system_use_end(use=found, actor=request.user)
            message = _("%(person)s is no longer a user of %(system)s.")
        messages.success(request, message % {"person": found.person, "system": self.system})
        return self.back()
