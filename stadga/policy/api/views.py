"""API endpoints for policies, their adoption and compliance (P3.1).

Who reads what: every signed-in user the policy libraries (shared by the installation); every
member of a municipality its adoptions; the IT department, executive board and auditors (those who
read everything there) its compliance — the live evaluation and the daily snapshots. Anything else
is a 404, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination
from stadga.core.services import object_archive, object_restore, object_update
from stadga.organisation.access import Access, access_for
from stadga.organisation.choices import Role
from stadga.organisation.models import Board, Department, Municipality
from stadga.policy.engine import evaluate
from stadga.policy.models import Clause, ComplianceSnapshot, Policy, PolicyAdoption
from stadga.policy.report import evaluation_as_dict
from stadga.policy.selectors import (
    adoption_get,
    adoption_list,
    clause_list,
    compliance_municipality,
    policy_list,
    snapshot_list,
)
from stadga.policy.services_library import policy_adopt

from . import serializers as s

# --- filters -------------------------------------------------------------------------------------


class PolicyFilter(django_filters.FilterSet):
    class Meta:
        model = Policy
        fields = ("key", "version", "language")


class ClauseFilter(django_filters.FilterSet):
    # By plain number, as elsewhere in the API.
    policy = django_filters.NumberFilter(field_name="policy_id")
    responsible_role = django_filters.MultipleChoiceFilter(choices=Role.choices)

    class Meta:
        model = Clause
        fields = ("policy", "clause_id", "section", "responsible_role", "attestation_required")


class PolicyAdoptionFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )
    policy = django_filters.NumberFilter(field_name="policy_id")

    class Meta:
        model = PolicyAdoption
        fields = ("municipality", "policy")


class ComplianceSnapshotFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )
    policy = django_filters.NumberFilter(field_name="policy_id")

    class Meta:
        model = ComplianceSnapshot
        fields = {"taken_on": ["exact", "gte", "lte"]}


# --- read-only base ------------------------------------------------------------------------------


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and read; objects by numeric id, a 404 for what the user may not see."""

    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance


class PolicyViewSet(ReadOnlyViewSet):
    """Policy versions loaded from the libraries; the clauses are under `clauses/?policy=`."""

    model = Policy
    serializer_class = s.PolicySerializer
    filterset_class = PolicyFilter
    search_fields = ("key", "title", "title_en", "issuing_body")
    ordering_fields = ("key", "version", "adopted_on")

    def get_queryset(self) -> QuerySet[Policy]:
        return policy_list()


class ClauseViewSet(ReadOnlyViewSet):
    """The clauses of the policy versions, in document order."""

    model = Clause
    serializer_class = s.ClauseSerializer
    filterset_class = ClauseFilter
    search_fields = ("clause_id", "text", "text_en")
    ordering_fields = ("order", "clause_id")

    def get_queryset(self) -> QuerySet[Clause]:
        return clause_list()


class PolicyAdoptionViewSet(GovernedViewSet):
    """The policy versions each of the user's municipalities has adopted: read by every member,
    recorded by the IT coordinator (who keeps the organisation) when the council has decided."""

    model = PolicyAdoption
    serializer_class = s.PolicyAdoptionSerializer
    update_serializer_class = s.PolicyAdoptionUpdateSerializer
    filterset_class = PolicyAdoptionFilter
    ordering_fields = ("adopted_on", "updated_at")

    create_denied = _("Only the IT coordinator records the adoption of a policy.")
    change_denied = create_denied
    archive_denied = create_denied

    def visible(self, *, archived: bool) -> QuerySet[PolicyAdoption]:
        return adoption_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> PolicyAdoption:
        return adoption_get(access=self.access, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return self.access.manages_organisation(municipality.pk)

    def may_change(self, instance: PolicyAdoption) -> bool:
        return self.access.manages_organisation(instance.municipality_id)

    def may_archive(self, instance: PolicyAdoption) -> bool:
        return self.access.manages_organisation(instance.municipality_id)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return policy_adopt(
            municipality=municipality,
            policy=data["policy"],
            adopted_on=data["adopted_on"],
            decision_reference=data.get("decision_reference", ""),
            actor=self.request.user,
        )

    def service_update(self, *, instance: PolicyAdoption, data: dict[str, Any]) -> Model:
        return object_update(instance=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: PolicyAdoption) -> Model:
        return object_archive(instance=instance, actor=self.request.user)

    def service_restore(self, *, instance: PolicyAdoption) -> Model:
        return object_restore(instance=instance, actor=self.request.user)


class ComplianceSnapshotViewSet(ReadOnlyViewSet):
    """Daily snapshots of compliance, for the trend; filter by municipality and by date
    (`taken_on__gte`, `taken_on__lte`)."""

    model = ComplianceSnapshot
    serializer_class = s.ComplianceSnapshotSerializer
    filterset_class = ComplianceSnapshotFilter
    ordering_fields = ("taken_on",)

    def get_queryset(self) -> QuerySet[ComplianceSnapshot]:
        return snapshot_list(access=self.access)


# --- the live evaluation -------------------------------------------------------------------------


def _scope_parameter(name: str, help_text: Any) -> OpenApiParameter:
    return OpenApiParameter(
        name=name, type=int, location=OpenApiParameter.QUERY, description=help_text
    )


class ComplianceViewSet(viewsets.ViewSet):
    """The current evaluation of a municipality's adopted policy, clause by clause, in the JSON of
    `stadga compliance --format json` (docs/compliance.md)."""

    schema = ApiAutoSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                name="municipality",
                type=str,
                location=OpenApiParameter.QUERY,
                required=True,
                description=_("The municipality's short name."),
            ),
            _scope_parameter("board", _("Only the systems of this board (its id).")),
            _scope_parameter("department", _("Only the systems of this department (its id).")),
        ],
        responses=s.EvaluationSerializer,
    )
    def list(self, request: Request) -> Response:
        access = access_for(request)
        slug = request.query_params.get("municipality")
        if not slug:
            raise ValidationError({"municipality": [_("Give the municipality's short name.")]})
        try:
            municipality = compliance_municipality(access=access, slug=slug)
        except Http404:
            raise NotFound from None
        board = self._scope(request, Board, "board", municipality)
        department = self._scope(request, Department, "department", municipality)
        evaluation = evaluate(municipality, board=board, department=department)
        if evaluation is None:
            raise NotFound(_("The municipality has adopted no policy."))
        data = evaluation_as_dict(
            evaluation, municipality=municipality, board=board, department=department
        )
        return Response(s.EvaluationSerializer(data).data)

    @staticmethod
    def _scope(
        request: Request,
        model: type[Board] | type[Department],
        name: str,
        municipality: Municipality,
    ) -> Any:
        """The board or department named by `?board=` / `?department=`, in this municipality."""
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return None
        try:
            pk = serializers.IntegerField(min_value=1).run_validation(raw)
        except ValidationError as error:
            raise ValidationError({name: error.detail}) from error
        found = model.objects.filter(municipality=municipality, pk=pk).first()
        if found is None:
            raise ValidationError({name: [_("No object with that id in the municipality.")]})
        return found
