"""API endpoints of information security management (P9), with the UI's access rules.

Who reads what (stadga.security.access): classification, measures and follow-ups follow their
system — whoever reads the system reads them, whoever may edit it keeps them (P9.3, P9.5); the
platform's measures are the IT department's (P9.4). Shortfall notices are read by their writer,
their addressees and those who read everything (P9.6); incidents by the IT department, readers of
everything and readers of an affected system; the register of processing activities by those who
read everything and the board's members and department heads (P9.2). Requirement catalogues are
shared by the installation and read by every signed-in user.

Every write goes through the security services; anything the user may not see is a 404.
Shortfall notices and incidents are records: never changed by PUT/PATCH (notices), never
archived or deleted (both).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django.db.models import Count, Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination
from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import municipality_get, municipality_list
from stadga.security import services_classification as classification
from stadga.security import services_incidents as incidents
from stadga.security import services_measures as measures
from stadga.security import services_notices as notices
from stadga.security import services_register as register
from stadga.security.access import (
    can_decide_notice,
    can_edit_system_bound,
    can_keep_processing,
    incident_q,
    notice_q,
    system_bound_q,
)
from stadga.security.choices import (
    Effect,
    LegalBasis,
    MeasureStatus,
    NoticeStatus,
    RequirementCategory,
)
from stadga.security.exports_measures import with_last_follow_up
from stadga.security.models import (
    FollowUp,
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
    ShortfallNotice,
)
from stadga.security.views_classification import information_type_get
from stadga.systems.choices import Aspect
from stadga.systems.models import System

from . import serializers as s

# --- filters -------------------------------------------------------------------------------------
# Related objects by plain number, as elsewhere in the API: a choice filter would answer 400 for
# an id that does not exist and 200 for another municipality's, telling them apart.


class MunicipalityScopedFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )


class InformationTypeFilter(MunicipalityScopedFilter):
    system = django_filters.NumberFilter(field_name="system_id")
    classified = django_filters.BooleanFilter(
        method="filter_classified", label=_("Classified on every aspect (P9.1)")
    )

    class Meta:
        model = InformationType
        fields = {
            "personal_data": ["exact"],
            "sensitive_personal_data": ["exact"],
            "classified_on": ["gte", "lte"],
            **{aspect: ["exact", "gte", "lte"] for aspect in Aspect.values},
        }

    def filter_classified(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        every_aspect = Q(**{f"{aspect}__isnull": False for aspect in Aspect.values})
        return queryset.filter(every_aspect) if value else queryset.exclude(every_aspect)


class RequirementCatalogueFilter(django_filters.FilterSet):
    class Meta:
        model = RequirementCatalogue
        fields = ("key", "version")


class RequirementFilter(django_filters.FilterSet):
    catalogue = django_filters.NumberFilter(field_name="catalogue_id")
    category = django_filters.MultipleChoiceFilter(choices=RequirementCategory.choices)
    aspect = django_filters.MultipleChoiceFilter(choices=Aspect.choices)

    class Meta:
        model = Requirement
        fields = {
            "code": ["exact"],
            "level": ["exact", "gte", "lte"],
            "iso_control": ["exact"],
            "personal_data": ["exact"],
        }


class MeasureFilter(MunicipalityScopedFilter):
    system = django_filters.NumberFilter(field_name="system_id")
    platform = django_filters.BooleanFilter(
        field_name="system", lookup_expr="isnull", label=_("The platform's measures (P9.4)")
    )
    requirement = django_filters.NumberFilter(field_name="requirement_id")
    responsible = django_filters.NumberFilter(field_name="responsible_id")
    status = django_filters.MultipleChoiceFilter(choices=MeasureStatus.choices)
    follow_up_overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("The follow-up is overdue (P9.5)")
    )

    class Meta:
        model = Measure
        fields = {"next_follow_up": ["gte", "lte"]}

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Q(next_follow_up__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class FollowUpFilter(MunicipalityScopedFilter):
    measure = django_filters.NumberFilter(field_name="measure_id")
    effect = django_filters.MultipleChoiceFilter(choices=Effect.choices)

    class Meta:
        model = FollowUp
        fields = {"performed_on": ["gte", "lte"]}


class ShortfallNoticeFilter(MunicipalityScopedFilter):
    status = django_filters.MultipleChoiceFilter(choices=NoticeStatus.choices)
    department = django_filters.NumberFilter(field_name="department_id")
    board = django_filters.NumberFilter(field_name="board_id")
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ShortfallNotice
        fields = ("municipality", "status", "department", "board", "acknowledged")


def _through_system(queryset: QuerySet, field: str, value: int | None) -> QuerySet:
    """Rows linked to a system, by a subquery: a join over the links would repeat rows."""
    if value is None:
        return queryset
    linked = queryset.model._default_manager.filter(**{f"{field}__id": value}).values("pk")
    return queryset.filter(pk__in=linked)


class IncidentFilter(MunicipalityScopedFilter):
    system = django_filters.NumberFilter(method="filter_system", label=_("Affects the system"))
    closed = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Incident
        fields = {"significant": ["exact"], "discovered_at": ["gte", "lte"]}

    def filter_system(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return _through_system(queryset, "systems", value)


class ProcessingActivityFilter(MunicipalityScopedFilter):
    board = django_filters.NumberFilter(field_name="board_id")
    legal_basis = django_filters.MultipleChoiceFilter(choices=LegalBasis.choices)
    system = django_filters.NumberFilter(method="filter_system", label=_("Uses the system"))

    class Meta:
        model = ProcessingActivity
        fields = ("municipality", "board", "legal_basis", "sensitive_data", "dpia_done")

    def filter_system(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return _through_system(queryset, "systems", value)


# --- shared plumbing -----------------------------------------------------------------------------


def _edits_some_system(access: Access, municipality: Municipality) -> bool:
    """The IT department, or whoever may edit one of the municipality's current systems."""
    if access.keeps_register(municipality.pk):
        return True
    if not access.is_member(municipality.pk):
        return False
    return System.objects.filter(
        access.system_edit_q(), municipality=municipality, archived_at__isnull=True
    ).exists()


def keep_unseen_links(
    instance: Model,
    data: dict[str, Any],
    visible: Mapping[str, Callable[[Access], QuerySet]],
    access: Access,
) -> dict[str, Any]:
    """A body can only name links the user may see; a changed list keeps the ones the user
    could not name, rather than dropping them silently."""
    for name, seen in visible.items():
        if name not in data:
            continue
        current = list(getattr(instance, name).all())
        nameable = set(
            seen(access).filter(pk__in=[o.pk for o in current]).values_list("pk", flat=True)
        )
        data[name] = [*data[name], *(o for o in current if o.pk not in nameable)]
    return data


class RecordViewSet(GovernedViewSet):
    """A governed resource that is a record: read, created and acted on, never archived (no
    archive or restore route) and never deleted."""

    archivable = False
    archive = None  # type: ignore[assignment]
    restore = None  # type: ignore[assignment]

    def may_archive(self, instance: Any) -> bool:
        return False


class SharedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and read what the installation shares; objects by numeric id."""

    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance


# --- classification (P9.1) -----------------------------------------------------------------------


def information_type_list(*, access: Access, archived: bool = False) -> QuerySet[InformationType]:
    """As stadga.security.views_classification.information_type_list, across the user's
    municipalities."""
    return InformationType.objects.filter(
        system_bound_q(access), archived_at__isnull=not archived
    ).select_related("municipality", "system", "classified_by")


class InformationTypeViewSet(GovernedViewSet):
    """Information types per system, classified per aspect on the consequence scale (P9.1); the
    system's levels follow the highest of its current types."""

    model = InformationType
    serializer_class = s.InformationTypeSerializer
    update_serializer_class = s.InformationTypeUpdateSerializer
    filterset_class = InformationTypeFilter
    search_fields = ("name", "description", "system__name")
    ordering_fields = ("name", "system__name", "classified_on", "updated_at", *Aspect.values)

    create_denied = _("Only whoever keeps a system classifies its information (P9.1, P9.3).")
    change_denied = _("You may read this classification but not change it.")
    archive_denied = change_denied

    def visible(self, *, archived: bool) -> QuerySet[InformationType]:
        return information_type_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> InformationType:
        return information_type_get(access=self.access, municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return _edits_some_system(self.access, municipality)

    def may_change(self, instance: InformationType) -> bool:
        return self.access.can_edit_system(instance.system)

    def may_archive(self, instance: InformationType) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        system = data.pop("system")
        return classification.information_type_create(
            system=system, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: InformationType, data: dict[str, Any]) -> Model:
        return classification.information_type_update(
            information_type=instance, data=data, actor=self.request.user
        )[0]

    def service_archive(self, *, instance: InformationType) -> Model:
        return classification.information_type_archive(
            information_type=instance, actor=self.request.user
        )

    def service_restore(self, *, instance: InformationType) -> Model:
        return classification.information_type_restore(
            information_type=instance, actor=self.request.user
        )


# --- requirement catalogues ----------------------------------------------------------------------


class RequirementCatalogueViewSet(SharedReadOnlyViewSet):
    """The baseline requirement catalogues loaded into the installation, each version whole;
    their requirements are under `requirements/?catalogue=`."""

    model = RequirementCatalogue
    serializer_class = s.RequirementCatalogueSerializer
    filterset_class = RequirementCatalogueFilter
    search_fields = ("key", "title", "title_en")
    ordering_fields = ("key", "version", "created_at")

    def get_queryset(self) -> QuerySet[RequirementCatalogue]:
        return RequirementCatalogue.objects.annotate(
            requirement_count=Count("requirements")
        ).order_by("key", "-version")


class RequirementViewSet(SharedReadOnlyViewSet):
    """The baseline requirements, in catalogue order: the aspect and level from which each
    applies, and the ISO/IEC 27002:2022 control it implements."""

    model = Requirement
    serializer_class = s.RequirementSerializer
    filterset_class = RequirementFilter
    search_fields = ("code", "text", "text_en", "iso_control")
    ordering_fields = ("order", "code", "level")

    def get_queryset(self) -> QuerySet[Requirement]:
        return Requirement.objects.select_related("catalogue")


# --- measures and follow-ups (P9.4, P9.5) --------------------------------------------------------


def _measure_queryset(access: Access) -> QuerySet[Measure]:
    return with_last_follow_up(
        Measure.objects.filter(system_bound_q(access)).select_related(
            "municipality", "system", "requirement", "responsible"
        )
    )


class MeasureViewSet(GovernedViewSet):
    """Protective measures (P9.5) of systems, and with no system of the platform and data
    communication, kept by the IT department (P9.4)."""

    model = Measure
    serializer_class = s.MeasureSerializer
    update_serializer_class = s.MeasureUpdateSerializer
    filterset_class = MeasureFilter
    search_fields = ("title", "description", "system__name", "requirement__code")
    ordering_fields = ("title", "system__name", "status", "next_follow_up", "updated_at")

    create_denied = _("Only whoever keeps a system documents its measures (P9.5).")
    change_denied = _("You may read this measure but not change it.")
    archive_denied = change_denied
    platform_denied = _("The platform's measures are kept by the IT department (P9.4).")

    def visible(self, *, archived: bool) -> QuerySet[Measure]:
        return _measure_queryset(self.access).filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Measure:
        return get_object_or_404(_measure_queryset(self.access), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return _edits_some_system(self.access, municipality)

    def may_change(self, instance: Measure) -> bool:
        return can_edit_system_bound(self.access, instance.municipality_id, instance.system)

    def may_archive(self, instance: Measure) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        if data.get("system") is None and not self.access.keeps_register(municipality.pk):
            raise PermissionDenied(self.platform_denied)
        return measures.measure_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Measure, data: dict[str, Any]) -> Model:
        return measures.measure_update(measure=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Measure) -> Model:
        return measures.measure_archive(measure=instance, actor=self.request.user)

    def service_restore(self, *, instance: Measure) -> Model:
        return measures.measure_restore(measure=instance, actor=self.request.user)


class FollowUpViewSet(RecordViewSet):
    """Follow-ups of measures (P9.5): recorded, then read; a correction is a new follow-up.
    Recording one schedules the measure's next follow-up."""

    model = FollowUp
    serializer_class = s.FollowUpSerializer
    update_serializer_class = s.FollowUpSerializer
    filterset_class = FollowUpFilter
    search_fields = ("checked", "action", "measure__title")
    ordering_fields = ("performed_on", "created_at")
    http_method_names = ["get", "post", "head", "options"]

    create_denied = _("Only whoever keeps the measure records its follow-ups (P9.5).")

    def _queryset(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(
            system_bound_q(self.access, "measure__system")
        ).select_related("municipality", "measure__municipality", "performed_by")

    def visible(self, *, archived: bool) -> QuerySet[FollowUp]:
        return self._queryset().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> FollowUp:
        return get_object_or_404(self._queryset(), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return _edits_some_system(self.access, municipality)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A member who keeps nothing anywhere is refused before the body is read.
        if not any(self.may_create(m) for m in municipality_list(access=self.access)):
            raise PermissionDenied(self.create_denied)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        measure = data.pop("measure")
        if not can_edit_system_bound(self.access, measure.municipality_id, measure.system):
            raise PermissionDenied(self.create_denied)
        follow_up = measures.follow_up_record(measure=measure, data=data, actor=request.user)
        return self.represent(follow_up, status=201)


# --- shortfall notices (P9.6) --------------------------------------------------------------------


class ShortfallNoticeViewSet(RecordViewSet):
    """Resource-shortfall notices (P9.6): filed by a system owner or the IT department, then
    acknowledged and decided by their addressees. Never changed, archived or deleted."""

    model = ShortfallNotice
    serializer_class = s.ShortfallNoticeSerializer
    update_serializer_class = s.ShortfallNoticeSerializer
    filterset_class = ShortfallNoticeFilter
    search_fields = ("title", "need", "risk")
    ordering_fields = ("created_at", "status", "estimated_cost")
    http_method_names = ["get", "post", "head", "options"]

    create_denied = _(
        "A shortfall notice is filed by the IT department or the system owner (P9.6)."
    )
    decide_denied = _("Only the department head or the board it is addressed to may do this.")

    def _queryset(self) -> QuerySet[ShortfallNotice]:
        return (
            ShortfallNotice.objects.filter(notice_q(self.access))
            .select_related(
                "municipality",
                "written_by",
                "department",
                "board",
                "acknowledged_by",
                "decided_by",
            )
            .prefetch_related("systems", "measures")
        )

    def visible(self, *, archived: bool) -> QuerySet[ShortfallNotice]:
        return self._queryset().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> ShortfallNotice:
        return get_object_or_404(self._queryset(), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return notices.can_file_notice(self.access, municipality)

    def may_change(self, instance: ShortfallNotice) -> bool:
        return False

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return notices.shortfall_notice_file(
            municipality=municipality, data=data, actor=self.request.user
        )

    def _addressed(self) -> ShortfallNotice:
        notice = self.get_object()
        if not can_decide_notice(self.access, notice):
            raise PermissionDenied(self.decide_denied)
        return notice

    @extend_schema(request=None, responses=s.ShortfallNoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An addressee confirms the notice has reached them; its writer is told (P9.6)."""
        notice = self._addressed()
        return self.represent(
            notices.shortfall_notice_acknowledge(notice=notice, actor=request.user)
        )

    @extend_schema(request=s.NoticeDecisionSerializer, responses=s.ShortfallNoticeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An addressee decides: funded, risk accepted or rejected (the last two with a reason).
        A decision is final."""
        notice = self._addressed()
        body = s.NoticeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = notices.shortfall_notice_decide(
            notice=notice,
            status=body.validated_data["status"],
            reason=body.validated_data["reason"],
            actor=request.user,
        )
        return self.represent(decided)


# --- incidents -----------------------------------------------------------------------------------

_INCIDENT_LINKS: dict[str, Callable[[Access], QuerySet]] = {
    "systems": lambda access: System.objects.filter(access.system_q()),
    "information_types": lambda access: InformationType.objects.filter(system_bound_q(access)),
    "measures": lambda access: Measure.objects.filter(system_bound_q(access)),
}


class IncidentViewSet(RecordViewSet):
    """Security incidents, with the Cybersecurity Act's (2025:1506) deadlines for a significant
    one counted from discovery. Reported and kept by the IT department and the system owners of
    affected systems; closed, never archived or deleted."""

    model = Incident
    serializer_class = s.IncidentSerializer
    update_serializer_class = s.IncidentUpdateSerializer
    filterset_class = IncidentFilter
    search_fields = ("title", "description", "lessons_learned")
    ordering_fields = ("discovered_at", "created_at", "title")

    create_denied = _(
        "An incident is reported by the IT department or the system owner of an affected system."
    )
    change_denied = _("You may read this incident but not change it.")

    def _queryset(self) -> QuerySet[Incident]:
        access = self.access
        visible = Q(pk__in=Incident.objects.filter(incident_q(access)).values("pk"))
        if not access.is_operator:
            visible |= Q(reported_by_id__in=access.person_ids)  # as on the pages
        return (
            Incident.objects.filter(visible)
            .select_related("municipality", "reported_by")
            .prefetch_related("systems", "information_types", "measures")
        )

    def visible(self, *, archived: bool) -> QuerySet[Incident]:
        return self._queryset().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Incident:
        return get_object_or_404(self._queryset(), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return incidents.can_report_incident(self.access, municipality)

    def may_change(self, instance: Incident) -> bool:
        return incidents.can_edit_incident(self.access, instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return incidents.incident_report(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Incident, data: dict[str, Any]) -> Model:
        data = keep_unseen_links(instance, data, _INCIDENT_LINKS, self.access)
        return incidents.incident_update(incident=instance, data=data, actor=self.request.user)

    def _kept(self) -> Incident:
        incident = self.get_object()
        if not self.may_change(incident):
            raise PermissionDenied(self.change_denied)
        return incident

    @extend_schema(request=s.IncidentSentSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record when the early warning, the notification or the final report was sent."""
        incident = self._kept()
        body = s.IncidentSentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = incidents.incident_mark_sent(
            incident=incident,
            which=body.validated_data["report"],
            at=body.validated_data["at"],
            actor=request.user,
        )
        return self.represent(updated)

    @extend_schema(request=s.IncidentCloseSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close the incident; a significant one once its three reports are recorded as sent."""
        incident = self._kept()
        body = s.IncidentCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closed = incidents.incident_close(
            incident=incident, actor=request.user, at=body.validated_data.get("at")
        )
        return self.represent(closed)


# --- the register of processing activities (GDPR art. 30, P9.2) ----------------------------------


class ProcessingActivityViewSet(GovernedViewSet):
    """The register of processing activities, kept per board as controller (P9.2): read by
    those who read everything and by the board's members and department heads; kept by the IT
    department and the board's department heads."""

    model = ProcessingActivity
    serializer_class = s.ProcessingActivitySerializer
    update_serializer_class = s.ProcessingActivityUpdateSerializer
    filterset_class = ProcessingActivityFilter
    search_fields = ("name", "purposes", "data_subjects", "personal_data_categories")
    ordering_fields = ("name", "board__name", "legal_basis", "updated_at")

    create_denied = _(
        "The register of processing activities is kept by the IT department and the board's "
        "department heads (P9.2)."
    )
    change_denied = _("You may read this entry but not change it.")
    archive_denied = change_denied

    def visible(self, *, archived: bool) -> QuerySet[ProcessingActivity]:
        return register.processing_activity_list(
            access=self.access, archived=archived
        ).prefetch_related(*register.link_prefetches())

    def visible_object(self, *, municipality: Municipality, pk: int) -> ProcessingActivity:
        return register.processing_activity_get(
            access=self.access, municipality=municipality, pk=pk
        )

    def may_create(self, municipality: Municipality) -> bool:
        return register.may_keep_any(self.access, municipality)

    def may_change(self, instance: ProcessingActivity) -> bool:
        return can_keep_processing(self.access, instance.board)

    def may_archive(self, instance: ProcessingActivity) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return register.processing_activity_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: ProcessingActivity, data: dict[str, Any]) -> Model:
        return register.processing_activity_update(
            activity=instance, data=data, actor=self.request.user
        )[0]

    def service_archive(self, *, instance: ProcessingActivity) -> Model:
        return register.processing_activity_archive(activity=instance, actor=self.request.user)

    def service_restore(self, *, instance: ProcessingActivity) -> Model:
        return register.processing_activity_restore(activity=instance, actor=self.request.user)


# --- settings ------------------------------------------------------------------------------------

_SLUG = OpenApiParameter(
    name="municipality",
    type=str,
    location=OpenApiParameter.PATH,
    description=_("The municipality's short name."),
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[_SLUG]),
    update=extend_schema(parameters=[_SLUG]),
    partial_update=extend_schema(parameters=[_SLUG]),
)
class SecuritySettingsViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The security settings of each municipality the user is a member of, by its short name:
    read by every member, changed by the IT coordinator."""

    model = SecuritySettings
    serializer_class = s.SecuritySettingsSerializer
    lookup_field = "municipality"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,50}"
    pagination_class = Pagination
    schema = ApiAutoSchema()
    filter_backends: list[Any] = []
    http_method_names = ["get", "put", "patch", "head", "options"]

    change_denied = _("Only the IT coordinator changes the security settings.")

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_queryset(self) -> QuerySet[SecuritySettings]:
        return SecuritySettings.objects.filter(
            municipality__in=municipality_list(access=self.access)
        ).select_related("municipality")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        municipalities = list(municipality_list(access=self.access).order_by("name"))
        stored = {row.municipality_id: row for row in self.get_queryset()}
        rows = [stored.get(m.pk) or SecuritySettings(municipality=m) for m in municipalities]
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def get_object(self) -> Any:
        municipality = municipality_get(access=self.access, slug=self.kwargs["municipality"])
        return SecuritySettings.for_municipality(municipality)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        if not self.access.manages_organisation(current.municipality_id):
            raise PermissionDenied(self.change_denied)
        serializer = self.get_serializer(
            current, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        updated, _changed = classification.security_settings_update(
            municipality=current.municipality,
            data=dict(serializer.validated_data),
            actor=request.user,
        )
        return Response(self.get_serializer(updated).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
