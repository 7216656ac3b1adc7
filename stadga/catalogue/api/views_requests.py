"""API endpoints of the product requests (P5.4), with the UI's access rules: a request is read
by its requester, its department's head and those who read everything; any member writes one
(as themselves) and sends it with `submit`. Assessments, steps and the coordination inquiry
(P8.2) are nested read-only; decisions are taken on the request's page, through the same
services. A request is a record: never archived or deleted (withdrawn instead)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import GovernedViewSet
from stadga.catalogue import access as catalogue_access
from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import Outcome, RequestStatus
from stadga.catalogue.models import InquiryRecipient, ProductRequest
from stadga.organisation.models import Municipality

from . import serializers_requests as s


class ProductRequestFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    outcome = django_filters.MultipleChoiceFilter(choices=Outcome.choices)
    department = django_filters.NumberFilter(field_name="department_id")

    class Meta:
        model = ProductRequest
        fields = ("municipality", "status", "outcome", "department")


class ProductRequestViewSet(GovernedViewSet):
    """Product requests (P5.4): list, read, write a draft (`POST`), change it (`PATCH`, the
    requester while a draft, the IT department until decided), `submit` and `withdraw`."""

    model = ProductRequest
    serializer_class = s.ProductRequestSerializer
    update_serializer_class = s.ProductRequestSerializer
    filterset_class = ProductRequestFilter
    search_fields = ("title", "product_name", "reason")
    ordering_fields = ("created_at", "submitted_at", "decided_at", "status")
    archivable = False
    archive = None  # type: ignore[assignment]
    restore = None  # type: ignore[assignment]
    http_method_names = ["get", "post", "patch", "head", "options"]

    create_denied = _("Only a person of the municipality may request a product.")
    change_denied = _("You may not change this request.")

    def _queryset(self) -> QuerySet[ProductRequest]:
        return (
            ProductRequest.objects.filter(catalogue_access.request_q(self.access))
            .select_related("municipality", "requested_by", "inquiry")
            .prefetch_related(
                "systems",
                "goals",
                "assessments__assessed_by",
                "steps__decided_by",
                Prefetch(
                    "inquiry__recipients",
                    queryset=InquiryRecipient.objects.select_related("partner"),
                ),
            )
        )

    def visible(self, *, archived: bool) -> QuerySet[ProductRequest]:
        return self._queryset().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> ProductRequest:
        return get_object_or_404(self._queryset(), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return catalogue_access.can_request(self.access, municipality.pk)

    def may_change(self, instance: ProductRequest) -> bool:
        return catalogue_access.can_edit_request(self.access, instance)

    def may_archive(self, instance: Any) -> bool:
        return False

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.request_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: ProductRequest, data: dict[str, Any]) -> Model:
        data.pop("municipality", None)
        request, _changed = services.request_update(
            request=instance, data=data, actor=self.request.user
        )
        return request

    @extend_schema(request=None, responses=s.ProductRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send a draft to the IT department: its steps are set, the IT department is told
        and, for a new business system, the neighbouring municipalities are asked (P8.2)."""
        instance = self.get_object()
        if instance.status == RequestStatus.DRAFT and not catalogue_access.can_edit_request(
            self.access, instance
        ):
            raise PermissionDenied(_("Only the requester or the IT department submits a request."))
        return self.represent(services.request_submit(request=instance, actor=request.user))

    @extend_schema(request=s.WithdrawSerializer, responses=s.ProductRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Withdraw a request that is not decided, with the reason."""
        instance = self.get_object()
        if not catalogue_access.can_withdraw_request(self.access, instance):
            raise PermissionDenied(_("Only the requester or the IT department withdraws it."))
        body = s.WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services.request_withdraw(
                request=instance, reason=body.validated_data["reason"], actor=request.user
            )
        )
