"""API endpoints of training and competence (P6), with the pages' access rules (`training.access`):
every member reads courses, sessions, requirements, training plans and the watch log; a
person's registrations, records and systems are read by the person, their department head and
those who read everything. The IT department records completions and keeps the watch log; a
department's head and the IT department keep its training plan."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination, flag_archived
from stadga.organisation.access import Access, access_for
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality

from .. import services_plans, services_records, services_watch
from ..access import keeps_plan, keeps_training, person_q, reads_training
from ..models import (
    CompetenceRecord,
    Course,
    Registration,
    SystemUse,
    TrainingPlan,
    TrainingPlanLine,
    TrainingRequirement,
    TrainingSession,
    WatchNote,
)
from ..selectors_plans import with_totals
from . import serializers as s


def _members_q(access: Access, prefix: str = "") -> Q:
    """Objects of the municipalities where the user is a member (every member reads them)."""
    return access.organisation_q(prefix)


class _Filter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__slug")


# --- read-only resources -------------------------------------------------------------------------


class TrainingReadViewSet(viewsets.ReadOnlyModelViewSet):
    """List and read; a 404 for what the user may not see. `?archived=true` lists archived."""

    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()
    archivable = True
    model: type[Model]
    related: tuple[str, ...] = ("municipality",)
    prefetch: tuple[str, ...] = ()

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def scope(self) -> Q:
        return _members_q(self.access)

    def get_queryset(self) -> QuerySet:
        qs = self.model._default_manager.filter(self.scope())
        if self.action == "list":
            qs = qs.filter(archived_at__isnull=not flag_archived(self.request))
        return qs.select_related(*self.related).prefetch_related(*self.prefetch)

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance


class CourseFilter(_Filter):
    class Meta:
        model = Course
        fields = ("municipality", "kind", "basic_training", "given_by")


class CourseViewSet(TrainingReadViewSet):
    """Courses: general IT skills, security awareness, system-specific (P6.2, P6.3)."""

    model = Course
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilter
    search_fields = ("name", "description", "provider")
    ordering_fields = ("name", "updated_at")
    prefetch = ("systems",)


class SessionFilter(_Filter):
    course = django_filters.NumberFilter(field_name="course_id")
    department = django_filters.NumberFilter(field_name="departments")

    class Meta:
        model = TrainingSession
        fields = ("municipality", "course", "department", "mode")


class TrainingSessionViewSet(TrainingReadViewSet):
    """Sessions of the courses; one for several departments is a joint session (P6.2)."""

    model = TrainingSession
    serializer_class = s.TrainingSessionSerializer
    filterset_class = SessionFilter
    search_fields = ("course__name", "place", "trainer")
    ordering_fields = ("starts_at", "updated_at")
    related = ("municipality", "course")
    prefetch = ("departments",)


class RegistrationFilter(_Filter):
    session = django_filters.NumberFilter(field_name="session_id")
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta:
        model = Registration
        fields = ("municipality", "session", "person", "status")


class RegistrationViewSet(TrainingReadViewSet):
    """Places on sessions and waiting lists, and attendance: a person's own, their staff's for a
    department head, everyone's for those who read everything."""

    model = Registration
    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilter
    search_fields = ("person__name", "session__course__name")
    ordering_fields = ("created_at", "updated_at")
    related = ("municipality", "person", "session__municipality")

    def scope(self) -> Q:
        return _members_q(self.access) & person_q(self.access, "person__")


class SystemUseFilter(_Filter):
    system = django_filters.NumberFilter(field_name="system_id")
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta:
        model = SystemUse
        fields = ("municipality", "system", "person")


class SystemUseViewSet(TrainingReadViewSet):
    """Who works in which system: whom a system's required training applies to."""

    model = SystemUse
    serializer_class = s.SystemUseSerializer
    filterset_class = SystemUseFilter
    search_fields = ("person__name", "system__name")
    ordering_fields = ("since", "updated_at")
    related = ("municipality", "person", "system")

    def scope(self) -> Q:
        return _members_q(self.access) & person_q(self.access, "person__")


class RequirementFilter(_Filter):
    course = django_filters.NumberFilter(field_name="course_id")
    system = django_filters.NumberFilter(field_name="system_id")

    class Meta:
        model = TrainingRequirement
        fields = ("municipality", "course", "system", "scope", "role")


class TrainingRequirementViewSet(TrainingReadViewSet):
    """Who must have which course: a role's holders, or a system's users (P6)."""

    model = TrainingRequirement
    serializer_class = s.TrainingRequirementSerializer
    filterset_class = RequirementFilter
    search_fields = ("course__name", "note")
    ordering_fields = ("updated_at",)
    related = ("municipality", "course")


# --- governed resources --------------------------------------------------------------------------


class TrainingViewSet(GovernedViewSet):
    """Objects every member of their municipality reads."""

    related: tuple[str, ...] = ("municipality",)
    prefetch: tuple[str, ...] = ()

    def scope(self) -> Q:
        return _members_q(self.access)

    def base(self) -> QuerySet:
        qs = self.model._default_manager.filter(self.scope())
        return qs.select_related(*self.related).prefetch_related(*self.prefetch)

    def visible(self, *, archived: bool) -> QuerySet:
        return self.base().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        if not reads_training(self.access, municipality.pk):
            raise Http404
        return get_object_or_404(self.base().filter(municipality=municipality), pk=pk)


class RecordFilter(_Filter):
    person = django_filters.NumberFilter(field_name="person_id")
    course = django_filters.NumberFilter(field_name="course_id")

    class Meta:
        model = CompetenceRecord
        fields = ("municipality", "person", "course", "source")


class CompetenceRecordViewSet(TrainingViewSet):
    """Completed courses. The IT department records a completion (its validity follows the
    course) and archives one recorded by mistake; a record is not edited."""

    model = CompetenceRecord
    serializer_class = s.CompetenceRecordSerializer
    update_serializer_class = s.CompetenceRecordSerializer
    filterset_class = RecordFilter
    search_fields = ("person__name", "course__name", "note")
    ordering_fields = ("completed_on", "valid_until", "updated_at")
    related = ("municipality", "person", "course")
    http_method_names = ["get", "post", "head", "options"]
    create_denied = _("Only the IT department records completed courses.")
    archive_denied = create_denied

    def scope(self) -> Q:
        return _members_q(self.access) & person_q(self.access, "person__")

    def may_create(self, municipality: Municipality) -> bool:
        return keeps_training(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return False

    def may_archive(self, instance: Any) -> bool:
        return keeps_training(self.access, instance.municipality_id)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services_records.record_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_archive(self, *, instance: Any) -> Model:
        return services_records.record_archive(record=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services_records.record_restore(record=instance, actor=self.request.user)


class PlanFilter(_Filter):
    department = django_filters.NumberFilter(field_name="department_id")

    class Meta:
        model = TrainingPlan
        fields = ("municipality", "department", "year", "status")


class TrainingPlanViewSet(TrainingViewSet):
    """The departments' training plans per year with their total cost (P6.2); the central
    office's is the IT department's competence plan (P6.4)."""

    model = TrainingPlan
    serializer_class = s.TrainingPlanSerializer
    update_serializer_class = s.TrainingPlanUpdateSerializer
    filterset_class = PlanFilter
    search_fields = ("department__name", "summary")
    ordering_fields = ("year", "department__name", "updated_at")
    related = ("municipality", "department", "it_plan")
    create_denied = _("Only the department's head and the IT department keep its training plan.")
    change_denied = create_denied
    archive_denied = create_denied

    def base(self) -> QuerySet:
        return with_totals(super().base())

    def may_create(self, municipality: Municipality) -> bool:
        return keeps_training(self.access, municipality.pk) or (
            self.access.has_role(municipality.pk, Role.DEPARTMENT_HEAD)
            and bool(self.access.department_head_of)
        )

    def may_change(self, instance: Any) -> bool:
        return keeps_plan(self.access, instance.municipality_id, instance.department_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def _check_department(self, municipality_id: int, department: Any) -> None:
        if department is not None and not keeps_plan(self.access, municipality_id, department.pk):
            raise PermissionDenied(self.create_denied)

    def check_changes(self, *, instance: Any, data: Any) -> None:
        self._check_department(instance.municipality_id, data.get("department"))

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        self._check_department(municipality.pk, data.get("department"))
        return services_plans.plan_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services_plans.plan_update(plan=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services_plans.plan_archive(plan=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services_plans.plan_restore(plan=instance, actor=self.request.user)

    def _open_plan(self) -> Any:
        plan = self.get_object()
        if not self.may_change(plan):
            raise PermissionDenied(self.change_denied)
        return plan

    @extend_schema(request=None, responses=s.TrainingPlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Adopt a draft plan that plans at least one training."""
        plan = self._open_plan()
        return self.represent(services_plans.plan_adopt(plan=plan, actor=request.user))

    @extend_schema(request=s.TrainingPlanFollowUpSerializer, responses=s.TrainingPlanSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Follow up an adopted plan; from then on it is a record."""
        plan = self._open_plan()
        body = s.TrainingPlanFollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services_plans.plan_follow_up(
                plan=plan, follow_up=body.validated_data["follow_up"], actor=request.user
            )
        )


class PlanLineFilter(_Filter):
    plan = django_filters.NumberFilter(field_name="plan_id")

    class Meta:
        model = TrainingPlanLine
        fields = ("municipality", "plan", "shared_with_others")


class TrainingPlanLineViewSet(TrainingViewSet):
    """The planned training of the plans: course or description, participants, cost, and
    whether it is given together with other departments (P6.2)."""

    model = TrainingPlanLine
    serializer_class = s.TrainingPlanLineSerializer
    update_serializer_class = s.TrainingPlanLineUpdateSerializer
    filterset_class = PlanLineFilter
    search_fields = ("description", "course__name")
    ordering_fields = ("cost", "updated_at")
    related = ("municipality", "plan__municipality", "plan__department", "course")
    create_denied = TrainingPlanViewSet.create_denied
    change_denied = create_denied
    archive_denied = create_denied

    def may_create(self, municipality: Municipality) -> bool:
        return keeps_training(self.access, municipality.pk) or (
            self.access.has_role(municipality.pk, Role.DEPARTMENT_HEAD)
            and bool(self.access.department_head_of)
        )

    def may_change(self, instance: Any) -> bool:
        return keeps_plan(self.access, instance.municipality_id, instance.plan.department_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        plan = data.pop("plan")
        if not keeps_plan(self.access, municipality.pk, plan.department_id):
            raise PermissionDenied(self.create_denied)
        return services_plans.line_create(plan=plan, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services_plans.line_update(line=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services_plans.line_archive(line=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services_plans.line_restore(line=instance, actor=self.request.user)


class WatchNoteFilter(_Filter):
    product = django_filters.NumberFilter(field_name="products")
    system = django_filters.NumberFilter(field_name="systems")
    plan_item = django_filters.NumberFilter(field_name="plan_items")

    class Meta:
        model = WatchNote
        fields = ("municipality", "product", "system", "plan_item")


class WatchNoteViewSet(TrainingViewSet):
    """The IT department's watch of the outside world (P6.4), newest first."""

    model = WatchNote
    serializer_class = s.WatchNoteSerializer
    update_serializer_class = s.WatchNoteUpdateSerializer
    filterset_class = WatchNoteFilter
    search_fields = ("title", "body")
    ordering_fields = ("noted_on", "updated_at")
    related = ("municipality", "author")
    prefetch = ("products", "systems", "plan_items")
    create_denied = _("Only the IT department keeps the watch log.")
    change_denied = create_denied
    archive_denied = create_denied

    def may_create(self, municipality: Municipality) -> bool:
        return keeps_training(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return keeps_training(self.access, instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services_watch.watch_note_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services_watch.watch_note_update(note=instance, data=data, actor=self.request.user)[
            0
        ]

    def service_archive(self, *, instance: Any) -> Model:
        return services_watch.watch_note_archive(note=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services_watch.watch_note_restore(note=instance, actor=self.request.user)
