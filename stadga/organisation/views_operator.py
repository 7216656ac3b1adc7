"""The operator's pages (issue 10): the installation's municipalities and adding one.

Only a superuser (the operator who runs the installation) sees them; anyone else logged in gets a
404, as for any page they may not see, and an anonymous visitor is sent to the login page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .forms_operator import MunicipalityOnboardForm
from .selectors import municipalities_with_members


class OperatorView(LoginRequiredMixin, View):
    """The installation's operator only: anyone else logged in gets a 404."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_superuser:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MunicipalityListView(OperatorView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipalities = list(municipalities_with_members())
        # Just added (from the form's redirect): a link straight to its start page.
        added = next((m for m in municipalities if m.slug == request.GET.get("added")), None)
        return TemplateResponse(
            request,
            "organisation/operator/municipality_list.html",
            {"municipalities": municipalities, "added": added},
        )


class MunicipalityAddView(OperatorView):
    template_name = "organisation/operator/municipality_form.html"

    def render(self, form: MunicipalityOnboardForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(MunicipalityOnboardForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = MunicipalityOnboardForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            onboarding = services.municipality_onboard(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render(form, status=400)
        municipality = onboarding.municipality
        messages.success(
            request,
            _("%(name)s was added to the installation.") % {"name": municipality.name},
        )
        if onboarding.login is not None:
            messages.info(
                request,
                _(
                    "The IT coordinator's login “%(username)s” has no password yet. Set one with "
                    "the command: stadga changepassword %(username)s"
                )
                % {"username": onboarding.login.get_username()},
            )
        return redirect(
            reverse("operator:municipality_list") + "?" + urlencode({"added": municipality.slug})
        )
