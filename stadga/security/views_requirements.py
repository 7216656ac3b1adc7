"""The requirement catalogues' pages, shared by every municipality of the installation (P9.1).

Catalogues are reference data like the policy libraries: any logged-in user reads them; which of
their requirements a system triggers is on the system's classification page.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from stadga.systems.choices import Aspect

from .catalogue import TOP_LEVEL
from .choices import RequirementCategory
from .models import Requirement, RequirementCatalogue
from .requirements import current_catalogue

NAV_SECTION = "security"


class RequirementCatalogueListView(LoginRequiredMixin, View):
    """Every loaded catalogue with its versions, the current one marked."""

    def get(self, request: HttpRequest) -> HttpResponse:
        catalogues = list(
            RequirementCatalogue.objects.annotate(requirement_count=Count("requirements")).order_by(
                "key", "-created_at", "-pk"
            )
        )
        current = current_catalogue()
        return TemplateResponse(
            request,
            "security/requirements_list.html",
            {
                "libraries": [
                    (key, list(versions)) for key, versions in groupby(catalogues, lambda c: c.key)
                ],
                "current": current,
                "nav_section": NAV_SECTION,
            },
        )


class RequirementFilterForm(forms.Form):
    """A GET form: which requirements to show, so a filtered view has a link of its own."""

    aspect = forms.ChoiceField(
        label=_("Aspect"), required=False, choices=[("", _("All")), *Aspect.choices]
    )
    level = forms.TypedChoiceField(
        label=_("Applies at level"),
        help_text=_("The requirements a system at this level must meet."),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *[(n, str(n)) for n in range(1, TOP_LEVEL + 1)]],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *RequirementCategory.choices]
    )
    personal_data = forms.BooleanField(label=_("Only those about personal data"), required=False)

    def filter(self, requirements: list[Requirement]) -> list[Requirement]:
        if not self.is_valid():
            return requirements
        data = self.cleaned_data
        return [
            r
            for r in requirements
            if (not data["aspect"] or r.aspect == data["aspect"])
            and (data["level"] is None or r.level <= data["level"])
            and (not data["category"] or r.category == data["category"])
            and (not data["personal_data"] or r.personal_data)
        ]


class RequirementCatalogueDetailView(LoginRequiredMixin, View):
    """One catalogue version, its requirements grouped by category (two queries)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        catalogue = get_object_or_404(RequirementCatalogue, pk=pk)
        requirements = list(catalogue.requirements.all())
        form = RequirementFilterForm(request.GET or None)
        shown = form.filter(requirements)
        grouped: dict[str, list[Requirement]] = {}
        for requirement in shown:
            grouped.setdefault(requirement.category, []).append(requirement)
        groups = [
            (value, label, grouped[value])
            for value, label in RequirementCategory.choices
            if value in grouped
        ]
        return TemplateResponse(
            request,
            "security/requirements_detail.html",
            {
                "catalogue": catalogue,
                "groups": groups,
                "total": len(requirements),
                "shown": len(shown),
                "filter_form": form,
                "filtered": form.is_bound,
                "is_current": current_catalogue() == catalogue,
                "nav_section": NAV_SECTION,
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )
