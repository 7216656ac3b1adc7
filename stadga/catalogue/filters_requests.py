"""Filters of the product request list and of the approval steps."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Department

from .choices import Approver, Outcome, RequestStatus
from .models import ApprovalStep, PolicyException, ProductRequest


class ProductRequestFilterSet(ScopedFilterSet):
    search_fields = ("title", "product_name", "product__name", "vendor_name", "reason")

    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Decision"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )

    class Meta:
        model = ProductRequest
        fields = ["q", "status", "outcome", "department"]


class ApprovalStepFilterSet(ScopedFilterSet):
    approver = django_filters.ChoiceFilter(choices=Approver.choices, label=_("Who signs"))

    class Meta:
        model = ApprovalStep
        fields = ["q", "approver"]


class PolicyExceptionFilterSet(ScopedFilterSet):
    search_fields = ("minute_reference", "reason", "system__name", "request__title")

    class Meta:
        model = PolicyException
        fields = ["q"]
