from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Board, Department, ExternalOrganisation, Person

from .choices import Aspect, Flag, LifecyclePhase, ResponsibilityKind, SystemType
from .models import ExternalResponsibility, System


class SystemFilterSet(ScopedFilterSet):
    """The register's filters; the same set drives the list page, its export and the API."""

    search_fields = ("name", "identifier", "purpose")

    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label=_("Board"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )
    system_owner = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), label=_("System owner")
    )
    lifecycle_phase = django_filters.ChoiceFilter(
        choices=LifecyclePhase.choices, label=_("Lifecycle phase")
    )
    system_type = django_filters.ChoiceFilter(choices=SystemType.choices, label=_("Type"))
    classification = django_filters.ChoiceFilter(
        method="filter_classification",
        label=_("Classification"),
        choices=[
            ("unclassified", _("Not fully classified")),
            ("high", _("Some aspect at level 3 or higher")),
        ],
    )
    flag = django_filters.ChoiceFilter(method="filter_flag", label=_("Gap"), choices=Flag.choices)
    flagged_product = django_filters.ChoiceFilter(
        method="filter_flagged_product",
        label=_("Runs on a flagged product"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        help_text=_("Never approved, rejected, retired, phase-out ended or past end of support."),
    )

    class Meta:
        model = System
        fields = ["q", "board", "department", "system_owner", "lifecycle_phase", "system_type"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Name, ID, purpose, or the name or vendor of a product the system runs on (a
        subquery: a system with two such products is listed once)."""
        from stadga.catalogue.selectors import runs_on_product_named

        condition = Q(runs_on_product_named(value))
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def filter_flagged_product(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """P5.4: systems running on a product that is not approved or no longer supported."""
        from django.utils import timezone

        from stadga.catalogue.selectors import runs_on_flagged_product

        flagged = runs_on_flagged_product(timezone.localdate())
        if value == "yes":
            return queryset.filter(flagged)
        if value == "no":
            return queryset.exclude(flagged)
        return queryset

    def filter_classification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unclassified":
            condition = Q()
            for aspect in Aspect.values:
                condition |= Q(**{f"{aspect}__isnull": True})
            return queryset.filter(condition)
        if value == "high":
            condition = Q()
            for aspect in Aspect.values:
                condition |= Q(**{f"{aspect}__gte": 3})
            return queryset.filter(condition)
        return queryset

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == Flag.NO_OWNER:
            return queryset.filter(system_owner__isnull=True)
        if value == Flag.UNCLASSIFIED:
            return self.filter_classification(queryset, name, "unclassified").exclude(
                lifecycle_phase=LifecyclePhase.RETIRED
            )
        if value == Flag.IN_HOUSE:
            return queryset.filter(system_type=SystemType.IN_HOUSE)
        return queryset


class ExternalResponsibilityFilterSet(ScopedFilterSet):
    search_fields = ("organisation__name", "system__name", "description")

    organisation = django_filters.ModelChoiceFilter(
        queryset=ExternalOrganisation.objects.all(), label=_("External organisation")
    )
    kind = django_filters.ChoiceFilter(
        choices=ResponsibilityKind.choices, label=_("Responsible for")
    )

    class Meta:
        model = ExternalResponsibility
        fields = ["q", "organisation", "kind"]
