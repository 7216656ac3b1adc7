"""Tables of the product requests, the approval steps and the executive board's exceptions."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import ApprovalStep, PolicyException, ProductRequest


class ProductRequestTable(ScopedTable):
    title = tables.Column(linkify=True)
    product = tables.Column(
        verbose_name=_("Product"), accessor="requested_product_name", orderable=False
    )
    department = tables.Column(order_by=("department__name",))
    requested_by = tables.Column(order_by=("requested_by__name",))
    status = tables.Column()
    awaiting = tables.Column(
        verbose_name=_("Awaiting"), accessor="awaiting_step", orderable=False, default="–"
    )
    outcome = tables.Column(default="–")
    submitted_at = tables.DateColumn(verbose_name=_("Submitted"), format="Y-m-d")

    class Meta(ScopedTable.Meta):
        model = ProductRequest
        fields = (
            "title",
            "product",
            "department",
            "requested_by",
            "status",
            "awaiting",
            "outcome",
            "submitted_at",
        )

    def render_outcome(self, record: ProductRequest) -> Any:
        return record.get_outcome_display() or "–"


class ApprovalStepTable(ScopedTable):
    name = tables.Column(linkify=True)
    only_business_systems = tables.BooleanColumn(yesno=(_("Yes"), _("No")))

    class Meta(ScopedTable.Meta):
        model = ApprovalStep
        fields = ("order", "name", "approver", "min_total_cost", "only_business_systems")
        sequence = ("order", "name", "approver", "min_total_cost", "only_business_systems")


class PolicyExceptionTable(ScopedTable):
    minute_reference = tables.Column(linkify=True)
    subject = tables.Column(verbose_name=_("For"), empty_values=(), orderable=False)

    class Meta(ScopedTable.Meta):
        model = PolicyException
        fields = ("minute_reference", "clause", "decided_on", "board")
        sequence = ("minute_reference", "subject", "clause", "decided_on", "board")

    def render_subject(self, record: PolicyException) -> Any:
        return record.request or record.system
