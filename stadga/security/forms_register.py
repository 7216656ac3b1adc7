"""The form and the filters of the register of processing activities (GDPR art. 30, P9.2)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet, ScopedModelForm
from stadga.organisation.models import Board
from stadga.systems.models import System

from .access import system_bound_q
from .choices import LegalBasis
from .models import Measure, ProcessingActivity
from .services_register import boards_kept, linkable_measures, linkable_systems

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


def measure_label(measure: Measure) -> str:
    """A measure as a choice shows it: whose it is, then its title."""
    owner = measure.system.name if measure.system_id else _("Platform")  # type: ignore[union-attr]
    return f"{owner}: {measure.title}"


class ProcessingActivityForm(ScopedModelForm):
    """An entry of the register. Boards are those whose register the user keeps; systems and
    measures those the user may see (links they cannot see are kept by the service)."""

    class Meta:
        model = ProcessingActivity
        fields = [
            "board",
            "name",
            "purposes",
            "legal_basis",
            "legal_basis_detail",
            "data_subjects",
            "personal_data_categories",
            "sensitive_data",
            "recipients",
            "third_country_transfers",
            "erasure_time_limits",
            "dpia_done",
            "processor_agreements",
            "systems",
            "security_measures",
        ]
        widgets = {
            name: _TEXTAREA
            for name in (
                "purposes",
                "legal_basis_detail",
                "data_subjects",
                "personal_data_categories",
                "recipients",
                "third_country_transfers",
                "erasure_time_limits",
                "processor_agreements",
            )
        } | {
            "systems": forms.SelectMultiple(attrs={"size": 8}),
            "security_measures": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {
            "legal_basis_detail": _("The law or decision the processing rests on, if any."),
            "third_country_transfers": _(
                "Countries outside the EU/EEA the data goes to, and the safeguards; "
                "leave empty if none."
            ),
            "erasure_time_limits": _("When the data is erased or thinned (gallras)."),
            "processor_agreements": _("The processors and their agreements."),
            "security_measures": _(
                "The measures of the chosen systems and of the platform that protect the "
                "data (P9.5)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality, access = self.municipality, self.access
        current = self.instance if self.instance.pk else None
        board = self.fields["board"]
        assert isinstance(board, forms.ModelChoiceField)
        kept = boards_kept(access=access, municipality=municipality)
        board.queryset = self._with_current(kept, [current.board_id] if current else [])
        systems = self.fields["systems"]
        assert isinstance(systems, forms.ModelMultipleChoiceField)
        measures = self.fields["security_measures"]
        assert isinstance(measures, forms.ModelMultipleChoiceField)
        # Current links the user sees stay choosable even when archived; links they cannot
        # see are not offered, and the service keeps them.
        current_systems = current.systems.filter(access.system_q()).values("pk") if current else []
        systems.queryset = System.objects.filter(
            Q(pk__in=linkable_systems(access=access, municipality=municipality).values("pk"))
            | Q(pk__in=current_systems)
        ).order_by("name")
        current_measures = (
            current.security_measures.filter(system_bound_q(access)).values("pk") if current else []
        )
        measures.queryset = (
            Measure.objects.filter(
                Q(pk__in=linkable_measures(access=access, municipality=municipality).values("pk"))
                | Q(pk__in=current_measures)
            )
            .select_related("system")
            .order_by(F("system__name").asc(nulls_first=True), "title")
        )
        measures.label_from_instance = measure_label  # type: ignore[method-assign,assignment]

    @staticmethod
    def _with_current(queryset: QuerySet, ids: list[int]) -> QuerySet:
        if not ids:
            return queryset
        return queryset.model._default_manager.filter(
            Q(pk__in=queryset.values("pk")) | Q(pk__in=ids)
        )


_YES_NO = [("1", _("Yes")), ("0", _("No"))]


class ProcessingActivityFilterSet(ScopedFilterSet):
    """Filter the register by controller, legal basis, sensitive data and DPIA (P9.2)."""

    search_fields = ("name", "purposes", "data_subjects", "personal_data_categories")

    board = django_filters.ModelChoiceFilter(
        queryset=Board.objects.all(), label=_("Controller (board)")
    )
    legal_basis = django_filters.ChoiceFilter(choices=LegalBasis.choices, label=_("Legal basis"))
    sensitive_data = django_filters.ChoiceFilter(
        choices=_YES_NO, method="filter_flag", label=_("Sensitive personal data")
    )
    dpia_done = django_filters.ChoiceFilter(
        choices=_YES_NO, method="filter_flag", label=_("Impact assessment (DPIA) done")
    )

    class Meta:
        model = ProcessingActivity
        fields = ["q", "board", "legal_basis", "sensitive_data", "dpia_done"]

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{name: value == "1"})
