"""The policy libraries' pages, shared by every municipality of the installation (P3.1).

Libraries are public documents (a council's decision), so any logged-in user reads them; what a
municipality adopted and how it complies is on the municipality's own pages.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from stadga.organisation.access import access_for
from stadga.organisation.models import Municipality

from .models import Clause, Policy, PolicyAdoption
from .registry import Rule, all_rules
from .services_library import diff_counts, policy_compare

NAV_SECTION = "policy"


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_title} – {obj.version} ({obj.key})"


class CompareForm(forms.Form):
    """Two loaded versions to compare; a GET form, so a comparison has a link of its own."""

    old = PolicyChoiceField(queryset=Policy.objects.all(), label=_("Older version"))
    new = PolicyChoiceField(queryset=Policy.objects.all(), label=_("Newer version"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("old") and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return data


class PolicyListView(LoginRequiredMixin, View):
    """Every loaded library with its versions, newest first, and a form to compare two."""

    def get(self, request: HttpRequest) -> HttpResponse:
        policies = list(
            Policy.objects.annotate(clause_count=Count("clauses")).order_by(
                "key", "-adopted_on", "-version"
            )
        )
        libraries = [(key, list(versions)) for key, versions in groupby(policies, lambda p: p.key)]
        return TemplateResponse(
            request,
            "policy/library_list.html",
            {
                "libraries": libraries,
                "compare_form": CompareForm(),
                "can_compare": len(policies) >= 2,
                "nav_section": NAV_SECTION,
            },
        )


ClauseRow = tuple[Clause, list[tuple[str, Rule | None]]]


def _sections(clauses: list[Clause]) -> list[tuple[str, str, list[ClauseRow]]]:
    """(section, title, [(clause, [(rule ID, rule)])]) in document order. A rule that is not (or
    no longer) registered in this installation comes with None and is shown by its ID."""
    rules = all_rules()
    sections: dict[str, tuple[str, list[ClauseRow]]] = {}
    for clause in clauses:
        row = (clause, [(rule_id, rules.get(rule_id)) for rule_id in clause.rule_ids])
        sections.setdefault(clause.section, (clause.display_section_title, []))[1].append(row)
    return [(number, title, rows) for number, (title, rows) in sections.items()]


class PolicyDetailView(LoginRequiredMixin, View):
    """The whole document, section by section, each clause with its role and rules. A fixed
    number of queries, whatever the number of clauses."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = get_object_or_404(Policy, pk=pk)
        clauses = list(policy.clauses.all())
        access = access_for(request)
        member_of = access.member_of
        adoptions = list(
            PolicyAdoption.objects.filter(
                policy=policy, municipality_id__in=member_of, archived_at__isnull=True
            ).select_related("municipality")
        )
        adopted_by = {a.municipality_id for a in adoptions}
        # The IT coordinator of a municipality that has not adopted this version may do so.
        may_adopt = list(
            Municipality.objects.filter(
                pk__in=[
                    m for m in member_of if m not in adopted_by and access.manages_organisation(m)
                ],
                archived_at__isnull=True,
            )
        )
        other_versions = list(
            Policy.objects.filter(key=policy.key).exclude(pk=policy.pk).order_by("-adopted_on")
        )
        return TemplateResponse(
            request,
            "policy/library_detail.html",
            {
                "policy": policy,
                "sections": _sections(clauses),
                "clause_count": len(clauses),
                "adoptions": adoptions,
                "may_adopt": may_adopt,
                "other_versions": other_versions,
                "nav_section": NAV_SECTION,
            },
        )


class PolicyCompareView(LoginRequiredMixin, View):
    """Two versions clause by clause: added, removed, changed (and how), unchanged."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CompareForm(request.GET or None)
        context: dict[str, Any] = {"form": form, "diffs": None, "nav_section": NAV_SECTION}
        status = 200
        if form.is_bound:
            if form.is_valid():
                old, new = form.cleaned_data["old"], form.cleaned_data["new"]
                diffs = policy_compare(old, new)
                context.update(old=old, new=new, diffs=diffs, counts=diff_counts(diffs))
            else:
                status = 400
        return TemplateResponse(request, "policy/library_compare.html", context, status=status)
