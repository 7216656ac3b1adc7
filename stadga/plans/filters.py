"""Filters of the plan lists: by board, year and status; items also by goal and follow-up."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Board

from .choices import BearerKind, ItemStatus, PlanStatus, Tenure
from .models import CostCategory, Goal, ITPlan, PlanItem, Premises


class ITPlanFilterSet(ScopedFilterSet):
    search_fields = ("board__name", "notes", "decision_paragraph")

    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label=_("Board"))
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))

    class Meta:
        model = ITPlan
        fields = ["q", "board", "year", "status"]


class PlanItemFilterSet(ScopedFilterSet):
    search_fields = ("title", "description")

    board = django_filters.ModelChoiceFilter(
        field_name="plan__board", queryset=Board.objects.all(), label=_("Board")
    )
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))
    goal = django_filters.ModelChoiceFilter(
        field_name="goals", queryset=Goal.objects.all(), label=_("Goal")
    )
    follow_up_status = django_filters.ChoiceFilter(
        choices=ItemStatus.choices, label=_("Status at follow-up")
    )
    cost_category = django_filters.ModelChoiceFilter(
        queryset=CostCategory.objects.all(), label=_("Cost category")
    )

    class Meta:
        model = PlanItem
        fields = ["q", "board", "year", "goal", "follow_up_status", "cost_category"]


class GoalFilterSet(ScopedFilterSet):
    search_fields = ("code", "name", "description")

    class Meta:
        model = Goal
        fields = ["q"]


class CostCategoryFilterSet(ScopedFilterSet):
    default_bearer = django_filters.ChoiceFilter(
        choices=BearerKind.choices, label=_("Borne by default by")
    )

    class Meta:
        model = CostCategory
        fields = ["q", "default_bearer"]


class PremisesFilterSet(ScopedFilterSet):
    search_fields = ("name", "address")

    tenure = django_filters.ChoiceFilter(choices=Tenure.choices, label=_("Owned or leased"))

    class Meta:
        model = Premises
        fields = ["q", "tenure"]
