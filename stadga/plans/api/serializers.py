"""The IT plans as the API reads and writes them: goals (P2), cost categories (P3.6–P3.9), the
boards' plans (P3.4; status and decision read-only, changed through the actions) and their items
with their costs per year (P3.5; written through the `costs` action)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.catalogue.access import request_q
from stadga.catalogue.models import Product, ProductRequest
from stadga.organisation.models import Board, Department, ExternalOrganisation, Person
from stadga.plans.access import plan_q
from stadga.plans.choices import BearerKind, ItemStatus, PlanStatus, Tenure
from stadga.plans.models import (
    CostCategory,
    Goal,
    ITPlan,
    PlanItem,
    PlanItemCost,
    Premises,
    Tenancy,
)
from stadga.security.api.serializers import InlineChoiceField
from stadga.systems.models import System

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")
_UNKNOWN = {"error_messages": NOT_FOUND_MESSAGES}


def _municipality_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


def _members(model: Any) -> Any:
    return lambda access: model.objects.filter(access.organisation_q())


class GoalSerializer(ScopedSerializer):
    """One of the municipality's IT goals (P2); `code` is the policy's clause ID."""

    class Meta:
        model = Goal
        fields = (
            "id",
            "municipality",
            "code",
            "name",
            "description",
            "order",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class GoalUpdateSerializer(GoalSerializer):
    municipality = _municipality_field()


class CostCategorySerializer(ScopedSerializer):
    """A kind of IT cost and who bears it by default (P3.6–P3.9)."""

    default_bearer = InlineChoiceField(choices=BearerKind.choices, required=False)

    class Meta:
        model = CostCategory
        fields = (
            "id",
            "municipality",
            "name",
            "description",
            "default_bearer",
            "recovered_through_rent",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class CostCategoryUpdateSerializer(CostCategorySerializer):
    municipality = _municipality_field()


class ITPlanSerializer(ScopedSerializer):
    """A board's IT plan for a year (P3.4). The status and the board's decision are read-only:
    they change through `adopt`, `follow-up` and `evaluate`."""

    status = InlineChoiceField(choices=PlanStatus.choices, read_only=True)
    board_name = serializers.CharField(source="board.name", read_only=True)

    scoped_fields = {"board": _members(Board)}

    class Meta:
        model = ITPlan
        fields = (
            "id",
            "municipality",
            "board",
            "board_name",
            "year",
            "status",
            "adopted_on",
            "decision_paragraph",
            "followed_up_on",
            "evaluated_on",
            "evaluation",
            "copied_from",
            "notes",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = (
            "adopted_on",
            "decision_paragraph",
            "followed_up_on",
            "evaluated_on",
            "evaluation",
            "copied_from",
            *_TIMESTAMPS,
        )
        extra_kwargs = {"board": _UNKNOWN}
        validators: list[Any] = []


class ITPlanUpdateSerializer(ITPlanSerializer):
    municipality = _municipality_field()


class PlanAdoptSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()
    decision_paragraph = serializers.CharField(max_length=100)


class PlanEvaluateSerializer(serializers.Serializer):
    evaluation = serializers.CharField()


class PlanItemCostSerializer(serializers.ModelSerializer):
    """One year of an item's costs in whole kronor (P3.5); the actual ones from follow-up."""

    class Meta:
        model = PlanItemCost
        fields = ("year", "investment", "running", "actual_investment", "actual_running")
        read_only_fields = ("actual_investment", "actual_running")


class ItemCostsSerializer(serializers.Serializer):
    costs = PlanItemCostSerializer(many=True)


class ActualCostSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    actual_investment = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, allow_null=True, required=False
    )
    actual_running = serializers.DecimalField(
        max_digits=14, decimal_places=0, min_value=0, allow_null=True, required=False
    )


class ItemFollowUpSerializer(serializers.Serializer):
    follow_up_status = InlineChoiceField(choices=ItemStatus.choices)
    follow_up_comment = serializers.CharField(allow_blank=True, required=False, default="")
    actuals = ActualCostSerializer(many=True, required=False)


class PlanItemSerializer(ScopedSerializer):
    """An initiative of a board's plan (P1.2, P2, P3.5–P3.9). A blank `bearer` is the cost
    category's default; another bearer needs `bearer_reason`. Costs are written through the
    `costs` action; the follow-up through `follow-up`."""

    follow_up_status = InlineChoiceField(choices=ItemStatus.choices, read_only=True)
    costs = PlanItemCostSerializer(many=True, read_only=True)

    scoped_fields = {
        "plan": lambda access: ITPlan.objects.filter(plan_q(access)),
        "goals": _members(Goal),
        "systems": lambda access: System.objects.filter(access.system_q()),
        "products": _members(Product),
        "product_requests": lambda access: ProductRequest.objects.filter(request_q(access)),
        "external_organisations": lambda access: ExternalOrganisation.objects.filter(
            access.organisation_q(), archived_at__isnull=True
        ),
        "responsible": _members(Person),
        "department": _members(Department),
        "cost_category": _members(CostCategory),
        "bearer": _members(Department),
        "premises": _members(Premises),
    }

    class Meta:
        model = PlanItem
        fields = (
            "id",
            "municipality",
            "plan",
            "title",
            "description",
            "goals",
            "business_benefit",
            "societal_benefit",
            "systems",
            "products",
            "product_requests",
            "external_organisations",
            "responsible",
            "department",
            "cost_category",
            "bearer",
            "bearer_reason",
            "premises",
            "follow_up_status",
            "follow_up_comment",
            "followed_up_at",
            "costs",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = ("follow_up_comment", "followed_up_at", *_TIMESTAMPS)
        extra_kwargs = {
            name: _UNKNOWN
            for name in (
                "plan",
                "goals",
                "systems",
                "products",
                "product_requests",
                "external_organisations",
                "responsible",
                "department",
                "cost_category",
                "bearer",
                "premises",
            )
        }
        validators: list[Any] = []


class PlanItemUpdateSerializer(PlanItemSerializer):
    municipality = _municipality_field()


class PremisesSerializer(ScopedSerializer):
    """A building or office the departments rent (P3.7); leased premises follow the investment
    policy (P3.10). Its tenants are set through the `tenants` action."""

    tenure = InlineChoiceField(choices=Tenure.choices, required=False)
    follows_investment_policy = serializers.BooleanField(read_only=True)

    class Meta:
        model = Premises
        fields = (
            "id",
            "municipality",
            "name",
            "address",
            "tenure",
            "lease_note",
            "follows_investment_policy",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class PremisesUpdateSerializer(PremisesSerializer):
    municipality = _municipality_field()


class TenancySerializer(serializers.ModelSerializer):
    """A department's share of a premises from one day (until another) (P3.7). Read-only here:
    the tenants of a premises are set together through the premises' `tenants` action."""

    municipality = _municipality_field()
    department_name = serializers.CharField(source="department.name", read_only=True)
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = Tenancy
        fields = (
            "id",
            "municipality",
            "premises",
            "department",
            "department_name",
            "share",
            "valid_from",
            "valid_until",
            "is_archived",
        )
        read_only_fields = fields


class TenantShareSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4, min_value=0, max_value=1)


class TenantsSerializer(serializers.Serializer):
    """The premises' tenants from `valid_from` on; the shares sum to exactly 1 (or no tenants:
    the premises stands empty from that day)."""

    valid_from = serializers.DateField()
    tenants = TenantShareSerializer(many=True)
