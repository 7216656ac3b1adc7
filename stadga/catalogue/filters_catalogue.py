"""Filters of the catalogue's lists; the same sets drive the pages and the product export."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet

from .choices import Phase, ProductKind
from .models import Product, ProductCategory, Vendor
from .selectors import flagged_product_q

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class VendorFilterSet(ScopedFilterSet):
    search_fields = ("name", "organisation_number")

    class Meta:
        model = Vendor
        fields = ["q"]


class ProductCategoryFilterSet(ScopedFilterSet):
    search_fields = ("name", "description")
    is_business_system = django_filters.BooleanFilter(label=_("Business systems"))

    class Meta:
        model = ProductCategory
        fields = ["q", "is_business_system"]


class ProductFilterSet(ScopedFilterSet):
    search_fields = ("name", "vendor__name", "category__name", "description")

    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    kind = django_filters.ChoiceFilter(choices=ProductKind.choices, label=_("Kind"))
    category = django_filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), label=_("Category")
    )
    vendor = django_filters.ModelChoiceFilter(queryset=Vendor.objects.all(), label=_("Vendor"))
    flagged = django_filters.ChoiceFilter(
        method="filter_flagged",
        choices=YES_NO,
        label=_("Flagged"),
        help_text=_("Never approved, rejected, retired, phase-out ended or past end of support."),
    )

    class Meta:
        model = Product
        fields = ["q", "phase", "kind", "category", "vendor"]

    def filter_flagged(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        flagged = flagged_product_q(timezone.localdate())
        if value == "yes":
            return queryset.filter(flagged)
        if value == "no":
            return queryset.exclude(flagged)
        return queryset
