"""The portal's settings and its accessibility statement, under /k/<municipality>/portal/:
read by those who read everything in the municipality, changed by the IT coordinator (P7.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.core.forms import ScopedModelForm
from stadga.core.views import MunicipalityView

from . import services
from .access import keeps_portal
from .forms_settings import AccessibilityStatementForm, PortalSettingsForm
from .models import AccessibilityStatement, PortalSettings

NAV_SECTION = "portal"


class SettingsPageView(MunicipalityView):
    """One settings row of the portal: shown with its defaults until the first save, which
    creates it. Others than readers of everything get a 404; readers who may not change it a
    form they cannot submit, and a 403 if they post."""

    nav_section = NAV_SECTION
    model: ClassVar[type[PortalSettings] | type[AccessibilityStatement]]
    form_class: ClassVar[type[ScopedModelForm]]
    template_name: ClassVar[str]
    update: ClassVar[Callable[..., Any]]

    def saved_message(self) -> str:
        raise NotImplementedError

    def make_form(self, data: Any = None) -> ScopedModelForm:
        row = self.model.for_municipality(self.municipality)
        return self.form_class(
            data,
            instance=row if row.pk else None,
            municipality=self.municipality,
            access=self.access,
        )

    def render(self, form: ScopedModelForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            self.context(
                form=form,
                can_edit=keeps_portal(self.access, self.municipality.pk),
                portal=PortalSettings.for_municipality(self.municipality),
            ),
            status=status,
        )

    def _require_reader(self) -> None:
        if not self.access.reads_all(self.municipality.pk):
            raise Http404

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._require_reader()
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._require_reader()
        if not keeps_portal(self.access, self.municipality.pk):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            type(self).update(municipality=self.municipality, data=data, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render(form, status=400)
        messages.success(request, self.saved_message())
        return HttpResponseRedirect(request.path)


class PortalSettingsView(SettingsPageView):
    """Publish or withdraw the portal; its introduction, contact, answer target and licence."""

    model = PortalSettings
    form_class = PortalSettingsForm
    template_name = "portal/settings.html"
    update = staticmethod(services.portal_settings_update)

    def saved_message(self) -> str:
        return _("The portal settings were saved.")


class StatementView(SettingsPageView):
    """The accessibility statement (lag 2018:1937, MDFFS 2019:2)."""

    model = AccessibilityStatement
    form_class = AccessibilityStatementForm
    template_name = "portal/statement_form.html"
    update = staticmethod(services.statement_update)

    def saved_message(self) -> str:
        return _("The accessibility statement was saved.")
