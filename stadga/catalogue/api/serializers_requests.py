"""Serializers of the product requests (P5.4): what a requester writes, and, read-only, the
IT department's assessments, the decision steps and the coordination inquiry (P8.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.catalogue.choices import (
    Answer,
    Approver,
    Criterion,
    InquiryStatus,
    Outcome,
    ProductKind,
    RequestStatus,
    StepStatus,
    Verdict,
)
from stadga.catalogue.models import (
    Assessment,
    CoordinationInquiry,
    InquiryRecipient,
    Product,
    ProductCategory,
    ProductRequest,
    RequestStep,
    Vendor,
)
from stadga.catalogue.services_requests import REQUEST_FIELDS
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Municipality
from stadga.organisation.selectors import municipality_list, organisation_list
from stadga.plans.models import Goal
from stadga.security.api.serializers import InlineChoiceField
from stadga.systems.models import System

_UNKNOWN = {"error_messages": NOT_FOUND_MESSAGES}


def _catalogue(model: Any) -> Any:
    def visible(access: Access) -> Any:
        return model.objects.filter(access.organisation_q(), archived_at__isnull=True)

    return visible


def _departments(access: Access) -> Any:
    return organisation_list(model=Department, access=access)


def _systems(access: Access) -> Any:
    return System.objects.filter(access.system_q(), archived_at__isnull=True)


class GoalCodeField(serializers.SlugRelatedField):
    """A goal (P2) by its code, e.g. "P2.3", among the goals of the request's own municipality:
    the one named in a new request's body, or the request's. An archived goal is refused by the
    service unless the request already serves it."""

    default_error_messages = {
        "does_not_exist": _('No goal with the code "{value}" in the municipality.'),
        "invalid": _("Give the goal's code, e.g. P2.3."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Goal.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        serializer = self.root
        municipality = getattr(serializer, "goal_municipality", lambda: None)()
        if municipality is None:
            return Goal.objects.none()
        return Goal.objects.filter(municipality=municipality)


class AssessmentSerializer(serializers.ModelSerializer):
    criterion = InlineChoiceField(choices=Criterion.choices, read_only=True)
    verdict = InlineChoiceField(choices=Verdict.choices, read_only=True)
    assessed_by_name = serializers.CharField(
        source="assessed_by.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Assessment
        fields = ("criterion", "verdict", "note", "assessed_by", "assessed_by_name", "updated_at")
        read_only_fields = fields


class RequestStepSerializer(serializers.ModelSerializer):
    approver = InlineChoiceField(choices=Approver.choices, read_only=True)
    status = InlineChoiceField(choices=StepStatus.choices, read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.name", read_only=True, allow_null=True
    )

    class Meta:
        model = RequestStep
        fields = (
            "id",
            "order",
            "name",
            "approver",
            "status",
            "reason",
            "constraints",
            "decided_by",
            "decided_by_name",
            "decided_at",
        )
        read_only_fields = fields


class InquiryRecipientSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    partner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    answer = InlineChoiceField(choices=Answer.choices, read_only=True)

    class Meta:
        model = InquiryRecipient
        fields = (
            "id",
            "name",
            "partner",
            "asked_on",
            "answer",
            "answer_text",
            "answered_on",
            "answered_by_name",
        )
        read_only_fields = fields


class CoordinationInquirySerializer(serializers.ModelSerializer):
    status = InlineChoiceField(choices=InquiryStatus.choices, read_only=True)
    recipients = InquiryRecipientSerializer(many=True, read_only=True)

    class Meta:
        model = CoordinationInquiry
        fields = ("question", "sent_on", "status", "conclusion", "closed_at", "recipients")
        read_only_fields = fields


class ProductRequestSerializer(ScopedSerializer):
    """A product request (P5.4). Created as a draft by the requester (the caller's person in
    the municipality) and sent with `POST …/submit/`; status, steps and the decision are the
    services'."""

    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)
    kind = InlineChoiceField(choices=ProductKind.choices, required=False)
    goals = GoalCodeField(many=True, required=False)
    status = InlineChoiceField(choices=RequestStatus.choices, read_only=True)
    outcome = InlineChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    steps = RequestStepSerializer(many=True, read_only=True)
    inquiry = serializers.SerializerMethodField()

    scoped_fields = {
        "product": _catalogue(Product),
        "vendor": _catalogue(Vendor),
        "category": _catalogue(ProductCategory),
        "department": _departments,
        "systems": _systems,
    }

    class Meta:
        model = ProductRequest
        fields = (
            "id",
            "municipality",
            *REQUEST_FIELDS,
            "requested_by",
            "requested_by_name",
            "status",
            "submitted_at",
            "outcome",
            "decided_at",
            "decision_reason",
            "constraints",
            "decided_product",
            "assessments",
            "steps",
            "inquiry",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "requested_by",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "constraints",
            "decided_product",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            name: {**_UNKNOWN, "required": False}
            for name in ("product", "vendor", "category", "systems")
        } | {"department": _UNKNOWN}

    def goal_municipality(self) -> Municipality | None:
        """The municipality whose goals a body's codes name: the request's own, or for a new
        request the one its body names (if the user is a member there; else none)."""
        if isinstance(self.instance, ProductRequest):
            return self.instance.municipality
        if not hasattr(self, "_goal_municipality"):  # once per body, not once per code
            data = getattr(self, "initial_data", None)
            slug = data.get("municipality") if isinstance(data, Mapping) else None
            access = self.access
            self._goal_municipality = (
                municipality_list(access=access).filter(slug=slug).first()
                if isinstance(slug, str) and access is not None
                else None
            )
        return self._goal_municipality

    @extend_schema_field(CoordinationInquirySerializer(allow_null=True))
    def get_inquiry(self, obj: ProductRequest) -> dict | None:
        inquiry = getattr(obj, "inquiry", None)
        return CoordinationInquirySerializer(inquiry).data if inquiry is not None else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        product = attrs.get("product", getattr(self.instance, "product", None))
        name = attrs.get("product_name", getattr(self.instance, "product_name", ""))
        if product is None and not (name or "").strip():
            raise serializers.ValidationError(
                {"product_name": [_("Name the product, or choose it from the catalogue.")]}
            )
        return attrs


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
