"""API endpoints for the municipality's organisation (P3), with the UI's access rules.

Every member of a municipality reads its organisation; only the IT coordinator keeps it
(`Access.manages_organisation`). Municipalities themselves are created and changed by the operator.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination
from stadga.core.services import object_archive, object_restore
from stadga.organisation import services
from stadga.organisation.access import Access, access_for
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import (
    Board,
    ConsequenceLevel,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.organisation.selectors import (
    municipality_get,
    municipality_list,
    organisation_get,
    organisation_list,
)

from . import serializers as s

# --- filters -------------------------------------------------------------------------------------
# Related objects are filtered by id as a plain number: a choice filter would answer 400 for an
# id that does not exist and 200 for another municipality's, telling them apart.


class MunicipalityScopedFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )


class BoardFilter(MunicipalityScopedFilter):
    kind = django_filters.ChoiceFilter(choices=BoardKind.choices)

    class Meta:
        model = Board
        fields = ("municipality", "kind")


class DepartmentFilter(MunicipalityScopedFilter):
    board = django_filters.NumberFilter(field_name="board_id")

    class Meta:
        model = Department
        fields = ("municipality", "board")


class PersonFilter(MunicipalityScopedFilter):
    department = django_filters.NumberFilter(field_name="department_id")
    has_login = django_filters.BooleanFilter(field_name="user", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Person
        fields = ("municipality", "department", "has_login")


class ExternalOrganisationFilter(MunicipalityScopedFilter):
    class Meta:
        model = ExternalOrganisation
        fields = ("municipality",)


class RoleAssignmentFilter(MunicipalityScopedFilter):
    person = django_filters.NumberFilter(field_name="person_id")
    role = django_filters.MultipleChoiceFilter(choices=Role.choices)
    board = django_filters.NumberFilter(field_name="board_id")
    department = django_filters.NumberFilter(field_name="department_id")
    system = django_filters.NumberFilter(field_name="system_id")

    class Meta:
        model = RoleAssignment
        fields = ("municipality", "person", "role", "board", "department", "system")


class ConsequenceLevelFilter(MunicipalityScopedFilter):
    class Meta:
        model = ConsequenceLevel
        fields = ("municipality",)


class MunicipalityFilter(django_filters.FilterSet):
    class Meta:
        model = Municipality
        fields = ("is_demo",)


# --- municipalities ------------------------------------------------------------------------------


class MunicipalityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The municipalities the user is a member of; the operator sees and keeps them all."""

    model = Municipality
    serializer_class = s.MunicipalitySerializer
    update_serializer_class = s.MunicipalityUpdateSerializer
    filterset_class = MunicipalityFilter
    search_fields = ("name", "slug", "code")
    ordering_fields = ("name", "slug", "code")
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,50}"
    pagination_class = Pagination
    schema = ApiAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_queryset(self) -> QuerySet[Municipality]:
        return municipality_list(access=self.access)

    def get_serializer_class(self) -> Any:
        if self.action in ("update", "partial_update"):
            return self.update_serializer_class
        return self.serializer_class

    def get_object(self) -> Municipality:
        municipality = municipality_get(access=self.access, slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, municipality)
        return municipality

    def _require_operator(self) -> None:
        if not self.access.is_operator:
            raise PermissionDenied(_("Only the operator of the installation may do this."))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._require_operator()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        municipality = services.municipality_create(actor=request.user, **serializer.validated_data)
        return Response(
            self.serializer_class(municipality, context=self.get_serializer_context()).data,
            status=201,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        municipality = self.get_object()  # a 404 for a municipality the user is not a member of
        self._require_operator()
        serializer = self.get_serializer(
            municipality, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        municipality = services.municipality_update(
            municipality=municipality, data=serializer.validated_data, actor=request.user
        )
        return Response(
            self.serializer_class(municipality, context=self.get_serializer_context()).data
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class ConsequenceLevelViewSet(viewsets.ReadOnlyModelViewSet):
    """The consequence scale of each municipality the user is a member of (P9.1)."""

    model = ConsequenceLevel
    serializer_class = s.ConsequenceLevelSerializer
    filterset_class = ConsequenceLevelFilter
    search_fields = ("name",)
    ordering_fields = ("level", "name")
    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    def get_queryset(self) -> QuerySet[ConsequenceLevel]:
        # No selector of its own: the scale is organisation data, visible to every member.
        access = access_for(self.request)
        return ConsequenceLevel.objects.filter(
            access.organisation_q(), municipality__archived_at__isnull=True
        ).select_related("municipality")

    def get_object(self) -> ConsequenceLevel:
        level = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, level)
        return level


# --- the organisation ----------------------------------------------------------------------------


class OrganisationViewSet(GovernedViewSet):
    """Boards, departments, people, external organisations and role assignments: read by every
    member of the municipality, kept by the IT coordinator."""

    create_denied = _("Only the IT coordinator keeps the organisation of the municipality.")
    change_denied = create_denied
    archive_denied = create_denied

    def visible(self, *, archived: bool) -> QuerySet:
        return organisation_list(model=self.model, access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        return organisation_get(
            model=self.model, access=self.access, municipality=municipality, pk=pk
        )

    def may_create(self, municipality: Municipality) -> bool:
        return self.access.manages_organisation(municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return self.access.manages_organisation(instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return self.access.manages_organisation(instance.municipality_id)

    def service_archive(self, *, instance: Any) -> Model:
        return object_archive(instance=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return object_restore(instance=instance, actor=self.request.user)


class BoardViewSet(OrganisationViewSet):
    """Boards (nämnder and styrelser) (P3.3)."""

    model = Board
    serializer_class = s.BoardSerializer
    update_serializer_class = s.BoardUpdateSerializer
    filterset_class = BoardFilter
    search_fields = ("name", "short_name")
    ordering_fields = ("name", "short_name", "kind", "updated_at")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.board_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.board_update(board=instance, data=data, actor=self.request.user)


class DepartmentViewSet(OrganisationViewSet):
    """Departments (förvaltningar), each under a board."""

    model = Department
    serializer_class = s.DepartmentSerializer
    update_serializer_class = s.DepartmentUpdateSerializer
    filterset_class = DepartmentFilter
    search_fields = ("name", "board__name")
    ordering_fields = ("name", "board__name", "updated_at")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.department_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.department_update(department=instance, data=data, actor=self.request.user)


class PersonViewSet(OrganisationViewSet):
    """Officials and elected representatives."""

    model = Person
    serializer_class = s.PersonSerializer
    update_serializer_class = s.PersonUpdateSerializer
    filterset_class = PersonFilter
    search_fields = ("name", "title", "email")
    ordering_fields = ("name", "title", "department__name", "updated_at")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.person_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.person_update(person=instance, data=data, actor=self.request.user)


class ExternalOrganisationViewSet(OrganisationViewSet):
    """Companies and authorities with a responsibility in the municipality's IT (P3.11)."""

    model = ExternalOrganisation
    serializer_class = s.ExternalOrganisationSerializer
    update_serializer_class = s.ExternalOrganisationUpdateSerializer
    filterset_class = ExternalOrganisationFilter
    search_fields = ("name", "organisation_number", "responsibilities")
    ordering_fields = ("name", "updated_at")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.external_organisation_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.external_organisation_update(
            external_organisation=instance, data=data, actor=self.request.user
        )


class RoleAssignmentViewSet(OrganisationViewSet):
    """Who holds which role over which scope; the roles decide what each user may see and do."""

    model = RoleAssignment
    serializer_class = s.RoleAssignmentSerializer
    update_serializer_class = s.RoleAssignmentUpdateSerializer
    filterset_class = RoleAssignmentFilter
    search_fields = ("person__name",)
    ordering_fields = ("person__name", "role", "updated_at")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.role_assign(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.role_assignment_update(
            role_assignment=instance, data=data, actor=self.request.user
        )
