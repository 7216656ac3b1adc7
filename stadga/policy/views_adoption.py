"""A municipality adopts a policy version: the council's decision, recorded by the IT
coordinator (P3.1). The latest adoption is the policy the municipality is measured against."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.views import MunicipalityView

from .models import Policy, PolicyAdoption
from .services_library import policy_adopt
from .views_library import PolicyChoiceField


class AdoptionForm(forms.Form):
    policy = PolicyChoiceField(
        queryset=Policy.objects.order_by("key", "-adopted_on"), label=gettext_lazy("Policy")
    )
    adopted_on = forms.DateField(
        label=gettext_lazy("Adopted on"),
        help_text=gettext_lazy("The date of the council's decision (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision_reference = forms.CharField(
        label=gettext_lazy("Decision reference"),
        help_text=gettext_lazy("E.g. the paragraph of the minutes: KF § 87/2006."),
        max_length=200,
        required=False,
    )


class PolicyAdoptView(MunicipalityView):
    """The municipality's adoptions, and a form to record a new one (IT coordinator only)."""

    nav_section = "policy"
    template = "policy/adopt.html"

    def check_permission(self) -> None:
        # The organisation's keeper records the council's decisions; others may not (403: the
        # municipality itself is theirs to see).
        if not self.access.manages_organisation(self.municipality.pk):
            raise PermissionDenied

    def render(self, form: AdoptionForm, status: int = 200) -> HttpResponse:
        adoptions = PolicyAdoption.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        ).select_related("policy")
        return TemplateResponse(
            self.request,
            self.template,
            self.context(form=form, adoptions=adoptions),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_permission()
        adopted = PolicyAdoption.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        ).values("policy")
        newest = Policy.objects.exclude(pk__in=adopted).order_by("-adopted_on", "-pk").first()
        return self.render(AdoptionForm(initial={"policy": newest}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_permission()
        form = AdoptionForm(request.POST)
        if form.is_valid():
            try:
                adoption = policy_adopt(
                    municipality=self.municipality,
                    policy=form.cleaned_data["policy"],
                    adopted_on=form.cleaned_data["adopted_on"],
                    decision_reference=form.cleaned_data["decision_reference"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(municipality)s adopted %(policy)s.")
                    % {"municipality": self.municipality.name, "policy": adoption.policy},
                )
                # Straight to the live policy: what the municipality is now measured against.
                return HttpResponseRedirect(adoption.get_absolute_url())
        return self.render(form, status=400)
