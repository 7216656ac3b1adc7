"""Filters of the measures list (P9.5, P9.4) and of the gap page and its action plan."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Board, Department
from stadga.systems.models import System

from .choices import MeasureStatus
from .models import Measure

PLATFORM = "platform"
SYSTEMS = "systems"
OVERDUE = "overdue"


class MeasureFilterSet(ScopedFilterSet):
    """The measures list's filters. The system choices are the systems whose measures the list
    holds, so no filter names a system the user may not see."""

    search_fields = ("title", "description", "requirement__code", "system__name")

    system = django_filters.ModelChoiceFilter(queryset=System.objects.all(), label=_("System"))
    board = django_filters.ModelChoiceFilter(
        field_name="system__board", queryset=Board.objects.all(), label=_("Board")
    )
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))
    scope = django_filters.ChoiceFilter(
        method="filter_scope",
        label=_("Scope"),
        choices=[
            (PLATFORM, _("Platform and data communication only")),
            (SYSTEMS, _("Systems only")),
        ],
    )
    follow_up = django_filters.ChoiceFilter(
        method="filter_follow_up",
        label=_("Follow-up"),
        choices=[(OVERDUE, _("Overdue"))],
    )

    class Meta:
        model = Measure
        fields = ["q", "system", "board", "status", "scope", "follow_up"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            self.filters["system"].queryset = System.objects.filter(  # type: ignore[attr-defined]
                pk__in=self.queryset.filter(system__isnull=False).values("system_id")
            ).order_by("name")

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == PLATFORM:
            return queryset.filter(system__isnull=True)
        if value == SYSTEMS:
            return queryset.filter(system__isnull=False)
        return queryset

    def filter_follow_up(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OVERDUE:
            return queryset.filter(next_follow_up__lt=timezone.localdate())
        return queryset

    @property
    def narrows_to_systems(self) -> bool:
        """Whether the chosen filters leave the platform's measures out by their nature."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return bool(data.get("system") or data.get("board") or data.get("scope") == SYSTEMS)


class GapFilterSet(ScopedFilterSet):
    """The gap page's and the action plan's filters, over the systems the user may see."""

    search_fields = ("name", "identifier")

    system = django_filters.ModelChoiceFilter(
        method="filter_system", queryset=System.objects.all(), label=_("System")
    )
    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label=_("Board"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )

    class Meta:
        model = System
        fields = ["q", "system", "board", "department"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.queryset is not None:  # the systems the user sees, not the municipality's
            self.filters["system"].queryset = self.queryset  # type: ignore[attr-defined]

    def filter_system(self, queryset: QuerySet, name: str, value: System) -> QuerySet:
        return queryset.filter(pk=value.pk)

    @property
    def includes_platform(self) -> bool:
        """The platform (P9.4) belongs to no board or department and has no name to search."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return not any(data.get(name) for name in ("system", "board", "department", "q"))
