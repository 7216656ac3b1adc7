"""API endpoints of the IT plans, with the UI's access rules: every member reads the goals and
cost categories, which the IT coordinator keeps; a board's plan and its items are read by the
board's members and those who read everything, and written by the board's members and the IT
coordinator. Anything of another municipality, or a plan the user may not read, is a 404. Every
write goes through `stadga.plans.services`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination, flag_archived
from stadga.organisation.access import access_for
from stadga.organisation.models import Department, Municipality
from stadga.plans import access as plans_access
from stadga.plans import selectors, services
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

from . import serializers as s

KEEPER_ONLY = _("Only the IT coordinator keeps the goals and cost categories.")
PLAN_WRITERS = _(
    "Only the IT coordinator, or a member or the secretary of the board, changes the board's IT "
    "plan."
)


class MunicipalityScopedFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )


class GoalFilter(MunicipalityScopedFilter):
    class Meta:
        model = Goal
        fields = ("municipality", "code")


class CostCategoryFilter(MunicipalityScopedFilter):
    default_bearer = django_filters.MultipleChoiceFilter(choices=BearerKind.choices)

    class Meta:
        model = CostCategory
        fields = ("municipality", "default_bearer")


class ITPlanFilter(MunicipalityScopedFilter):
    board = django_filters.NumberFilter(field_name="board_id")
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = ITPlan
        fields = ("municipality", "board", "year", "status")


class PlanItemFilter(MunicipalityScopedFilter):
    plan = django_filters.NumberFilter(field_name="plan_id")
    board = django_filters.NumberFilter(field_name="plan__board_id")
    year = django_filters.NumberFilter(field_name="plan__year")
    goal = django_filters.NumberFilter(field_name="goals")
    follow_up_status = django_filters.MultipleChoiceFilter(choices=ItemStatus.choices)

    class Meta:
        model = PlanItem
        fields = ("municipality", "plan", "board", "year", "goal", "follow_up_status")


class PremisesFilter(MunicipalityScopedFilter):
    tenure = django_filters.MultipleChoiceFilter(choices=Tenure.choices)

    class Meta:
        model = Premises
        fields = ("municipality", "tenure")


class TenancyFilter(MunicipalityScopedFilter):
    premises = django_filters.NumberFilter(field_name="premises_id")
    department = django_filters.NumberFilter(field_name="department_id")

    class Meta:
        model = Tenancy
        fields = ("municipality", "premises", "department")


class _KeptByCoordinator(GovernedViewSet):
    create_denied = KEEPER_ONLY
    change_denied = KEEPER_ONLY
    archive_denied = KEEPER_ONLY

    def may_create(self, municipality: Municipality) -> bool:
        return plans_access.keeps_plan_data(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return plans_access.keeps_plan_data(self.access, instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_archive(self, *, instance: Any) -> Model:
        return services.archive(instance=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services.restore(instance=instance, actor=self.request.user)


class GoalViewSet(_KeptByCoordinator):
    """The municipality's IT goals (P2): by default the policy's four."""

    model = Goal
    serializer_class = s.GoalSerializer
    update_serializer_class = s.GoalUpdateSerializer
    filterset_class = GoalFilter
    search_fields = ("code", "name", "description")
    ordering_fields = ("order", "code", "name")

    def visible(self, *, archived: bool) -> QuerySet[Goal]:
        return selectors.goal_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Goal:
        return selectors.goal_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.goal_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Goal, data: dict[str, Any]) -> Model:
        return services.goal_update(goal=instance, data=data, actor=self.request.user)[0]


class CostCategoryViewSet(_KeptByCoordinator):
    """Kinds of IT cost and who bears each by default (P3.6–P3.9)."""

    model = CostCategory
    serializer_class = s.CostCategorySerializer
    update_serializer_class = s.CostCategoryUpdateSerializer
    filterset_class = CostCategoryFilter
    search_fields = ("name", "description")
    ordering_fields = ("name",)

    def visible(self, *, archived: bool) -> QuerySet[CostCategory]:
        return selectors.cost_category_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> CostCategory:
        return selectors.cost_category_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.cost_category_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: CostCategory, data: dict[str, Any]) -> Model:
        return services.cost_category_update(category=instance, data=data, actor=self.request.user)[
            0
        ]


class ITPlanViewSet(GovernedViewSet):
    """The boards' IT plans (P3.4): create a draft, change it, and take its steps: `adopt`
    (the meeting's date and the minutes' paragraph), `follow-up`, `evaluate` and
    `copy-to-next-year` (next year's draft from the unfinished items)."""

    model = ITPlan
    serializer_class = s.ITPlanSerializer
    update_serializer_class = s.ITPlanUpdateSerializer
    filterset_class = ITPlanFilter
    search_fields = ("board__name", "notes")
    ordering_fields = ("year", "board__name", "status", "adopted_on")

    create_denied = PLAN_WRITERS
    change_denied = PLAN_WRITERS
    archive_denied = PLAN_WRITERS

    def visible(self, *, archived: bool) -> QuerySet[ITPlan]:
        return selectors.plan_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> ITPlan:
        return selectors.plan_get(access=self.access, municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return plans_access.can_create_plan(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return plans_access.can_write_plan(self.access, instance)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.it_plan_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: ITPlan, data: dict[str, Any]) -> Model:
        return services.it_plan_update(plan=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: ITPlan) -> Model:
        return services.it_plan_archive(plan=instance, actor=self.request.user)

    def service_restore(self, *, instance: ITPlan) -> Model:
        return services.it_plan_restore(plan=instance, actor=self.request.user)

    def _writable(self) -> ITPlan:
        plan = self.get_object()
        if not self.may_change(plan):
            raise PermissionDenied(PLAN_WRITERS)
        return plan

    @extend_schema(request=s.PlanAdoptSerializer, responses=s.ITPlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the board's adoption of a draft (P3.4)."""
        plan = self._writable()
        body = s.PlanAdoptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services.it_plan_adopt(plan=plan, actor=request.user, **body.validated_data)
        )

    @extend_schema(request=None, responses=s.ITPlanSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the year as followed up, once every item's follow-up is recorded (P3.4)."""
        plan = self._writable()
        return self.represent(services.it_plan_follow_up(plan=plan, actor=request.user))

    @extend_schema(request=s.PlanEvaluateSerializer, responses=s.ITPlanSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write the year's evaluation of a followed-up plan (P3.4)."""
        plan = self._writable()
        body = s.PlanEvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services.it_plan_evaluate(
                plan=plan, evaluation=body.validated_data["evaluation"], actor=request.user
            )
        )

    @extend_schema(request=None, responses=s.ITPlanSerializer)
    @action(detail=True, methods=["post"], url_path="copy-to-next-year")
    def copy_to_next_year(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start next year's draft from this plan's unfinished items, with their later costs."""
        plan = self._writable()
        new_plan = services.it_plan_copy_to_next_year(plan=plan, actor=request.user)
        return self.represent(new_plan, status=201)


class PlanItemViewSet(GovernedViewSet):
    """The initiatives of the boards' plans (P1.2, P2, P3.5–P3.9); `costs` sets the planned
    costs per year, `follow-up` records how the initiative stood and what it cost."""

    model = PlanItem
    serializer_class = s.PlanItemSerializer
    update_serializer_class = s.PlanItemUpdateSerializer
    filterset_class = PlanItemFilter
    search_fields = ("title", "description")
    ordering_fields = ("title", "plan__year", "follow_up_status")

    create_denied = PLAN_WRITERS
    change_denied = PLAN_WRITERS
    archive_denied = PLAN_WRITERS

    def _prefetched(self, queryset: QuerySet[PlanItem]) -> QuerySet[PlanItem]:
        return queryset.prefetch_related(
            "goals",
            "systems",
            "products",
            "product_requests",
            "external_organisations",
            Prefetch("costs", queryset=PlanItemCost.objects.order_by("year")),
        )

    def visible(self, *, archived: bool) -> QuerySet[PlanItem]:
        return self._prefetched(selectors.item_list(access=self.access, archived=archived))

    def visible_object(self, *, municipality: Municipality, pk: int) -> PlanItem:
        return selectors.item_get(access=self.access, municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return plans_access.can_create_plan(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return plans_access.can_write_plan(self.access, instance.plan)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.plan_item_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: PlanItem, data: dict[str, Any]) -> Model:
        return services.plan_item_update(item=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: PlanItem) -> Model:
        return services.plan_item_archive(item=instance, actor=self.request.user)

    def service_restore(self, *, instance: PlanItem) -> Model:
        return services.plan_item_restore(item=instance, actor=self.request.user)

    def _writable(self) -> PlanItem:
        item = self.get_object()
        if not self.may_change(item):
            raise PermissionDenied(PLAN_WRITERS)
        return item

    @extend_schema(request=s.ItemCostsSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"])
    def costs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Set the planned costs of the years given (whole kronor); other years are kept."""
        item = self._writable()
        body = s.ItemCostsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [(c["year"], c["investment"], c["running"]) for c in body.validated_data["costs"]]
        services.plan_item_costs_set(item=item, costs=rows, actor=request.user)
        return self.represent(item)

    @extend_schema(request=s.ItemFollowUpSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record how the initiative stood at follow-up, and its actual costs (P3.4)."""
        item = self._writable()
        body = s.ItemFollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actuals = {
            a["year"]: (a.get("actual_investment"), a.get("actual_running"))
            for a in data.get("actuals", [])
        }
        services.plan_item_follow_up(
            item=item,
            status=data["follow_up_status"],
            comment=data.get("follow_up_comment", ""),
            actuals=actuals,
            actor=request.user,
        )
        return self.represent(item)


class PremisesViewSet(_KeptByCoordinator):
    """The premises the departments rent (P3.7), owned or leased (P3.10); `tenants` sets who
    rents them, and their shares, from a day on."""

    model = Premises
    serializer_class = s.PremisesSerializer
    update_serializer_class = s.PremisesUpdateSerializer
    filterset_class = PremisesFilter
    search_fields = ("name", "address")
    ordering_fields = ("name",)

    def visible(self, *, archived: bool) -> QuerySet[Premises]:
        return selectors.premises_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Premises:
        return selectors.premises_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.premises_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Premises, data: dict[str, Any]) -> Model:
        return services.premises_update(premises=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services.premises_archive(premises=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services.premises_restore(premises=instance, actor=self.request.user)

    @extend_schema(request=s.TenantsSerializer, responses=s.TenancySerializer(many=True))
    @action(detail=True, methods=["post"])
    def tenants(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Set the premises' tenants and their shares from `valid_from` on (P3.7): the shares
        sum to exactly 1; the tenancies in force the day before end then."""
        premises = self.get_object()
        if not self.may_change(premises):
            raise PermissionDenied(KEEPER_ONLY)
        body = s.TenantsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["tenants"]
        departments = {
            d.pk: d
            for d in Department.objects.filter(
                municipality=premises.municipality, pk__in=[r["department"] for r in rows]
            )
        }
        unknown = [r["department"] for r in rows if r["department"] not in departments]
        if unknown:
            raise ApiValidationError({"tenants": [_("Unknown department: %s") % unknown[0]]})
        created = services.tenancies_set(
            premises=premises,
            valid_from=body.validated_data["valid_from"],
            shares=[(departments[r["department"]], r["share"]) for r in rows],
            actor=request.user,
        )
        return Response(s.TenancySerializer(created, many=True).data, status=201)


class TenancyViewSet(viewsets.ReadOnlyModelViewSet):
    """Who rents which premises, with which share, from when until when (P3.7). Read-only:
    tenants are set through the premises' `tenants` action, so the shares always sum to one."""

    serializer_class = s.TenancySerializer
    filterset_class = TenancyFilter
    ordering_fields = ("valid_from", "premises__name")
    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    def get_queryset(self) -> QuerySet[Tenancy]:
        access = access_for(self.request)
        return selectors.tenancy_list(access=access, archived=flag_archived(self.request))

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance
