"""The catalogue's settings (the IT coordinator's): reminder periods, the neighbouring
municipalities asked before a new business system (P8.2), and the approval steps a product
request needs after the IT department's decision (P5.4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from . import access as catalogue_access
from . import services_requests as services
from .filters_requests import ApprovalStepFilterSet
from .forms_requests import ApprovalStepForm, CatalogueSettingsForm
from .models import ApprovalStep
from .selectors import catalogue_settings_for
from .tables_requests import ApprovalStepTable

NAV_SECTION = "catalogue"


def approval_step_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[ApprovalStep]:
    """The municipality's approval steps: every member reads them (they say who signs)."""
    return ApprovalStep.objects.filter(
        catalogue_access.catalogue_q(access),
        municipality=municipality,
        archived_at__isnull=not archived,
    ).select_related("municipality")


def approval_step_get(*, access: Access, municipality: Municipality, pk: int) -> ApprovalStep:
    qs = ApprovalStep.objects.filter(
        catalogue_access.catalogue_q(access), municipality=municipality
    )
    return get_object_or_404(qs.select_related("municipality"), pk=pk)


def _manages(access: Access, obj: Any) -> bool:
    return catalogue_access.manages_catalogue_settings(access, obj.municipality_id)


approval_step_views = Registration(
    model=ApprovalStep,
    nav_section=NAV_SECTION,
    list_queryset=approval_step_list,
    get_object=approval_step_get,
    table=ApprovalStepTable,
    filterset=ApprovalStepFilterSet,
    form=ApprovalStepForm,
    create=services.approval_step_create,
    update=lambda step, data, actor: services.approval_step_update(
        step=step, data=data, actor=actor
    ),
    archive=lambda step, actor: services.approval_step_archive(step=step, actor=actor),
    restore=lambda step, actor: services.approval_step_restore(step=step, actor=actor),
    can_create=lambda access, m: catalogue_access.manages_catalogue_settings(access, m.pk),
    can_edit=_manages,
    can_archive=_manages,
    detail_fields=("order", "name", "approver", "min_total_cost", "only_business_systems"),
)


class CatalogueSettingsView(MunicipalityView):
    """Members read the settings; the IT coordinator changes them. The row is created on the
    first save; until then the defaults are shown."""

    nav_section = NAV_SECTION

    def render(self, form: CatalogueSettingsForm, status: int = 200) -> HttpResponse:
        can_edit = catalogue_access.manages_catalogue_settings(self.access, self.municipality.pk)
        return TemplateResponse(
            self.request,
            "catalogue/settings.html",
            self.context(
                form=form,
                can_edit=can_edit,
                steps=approval_step_list(access=self.access, municipality=self.municipality),
            ),
            status=status,
        )

    def make_form(self, data: Any = None) -> CatalogueSettingsForm:
        row = catalogue_settings_for(self.municipality)
        return CatalogueSettingsForm(
            data,
            instance=row if row.pk else None,
            municipality=self.municipality,
            access=self.access,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not catalogue_access.manages_catalogue_settings(self.access, self.municipality.pk):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        data = {name: form.cleaned_data[name] for name in form.fields}
        services.catalogue_settings_update(
            municipality=self.municipality, data=data, actor=request.user
        )
        messages.success(request, _("The settings were saved."))
        return HttpResponseRedirect(request.path)
