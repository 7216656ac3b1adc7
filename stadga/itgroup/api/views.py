"""API endpoints for the IT group (P3.12), with the pages' access rules: readers of everything,
department heads and the group's members read; the IT department keeps it, and records a
meeting's attendance and decisions through the meeting's actions (`attendance`, `decisions`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, GovernedViewSet
from stadga.organisation.models import Municipality

from .. import services
from ..access import manages_group, reads_group
from ..choices import MeetingStatus
from ..models import ITGroupMeeting, ITGroupMember, MeetingAttendance, MeetingDecision
from . import serializers as s


class MemberFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__slug")
    department = django_filters.NumberFilter(field_name="department_id")
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta:
        model = ITGroupMember
        fields = ("municipality", "department", "person", "role")


class MeetingFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__slug")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)

    class Meta:
        model = ITGroupMeeting
        fields = ("municipality", "status")


class ITGroupViewSet(GovernedViewSet):
    create_denied = _("Only the IT department keeps the IT group.")
    change_denied = create_denied
    archive_denied = create_denied
    related: tuple[str, ...] = ()

    def readable_municipalities(self) -> list[int] | None:
        """The municipalities whose group the user reads (None: every one, the operator)."""
        access = self.access
        if access.is_operator:
            return None
        return [m for m in sorted(access.member_of) if reads_group(access, m)]

    def base(self) -> QuerySet:
        qs = self.model._default_manager.select_related(*self.related)
        readable = self.readable_municipalities()
        return qs if readable is None else qs.filter(municipality_id__in=readable)

    def visible(self, *, archived: bool) -> QuerySet:
        return self.base().filter(archived_at__isnull=not archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        if not reads_group(self.access, municipality.pk):
            raise Http404
        return get_object_or_404(self.base().filter(municipality=municipality), pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return manages_group(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return manages_group(self.access, instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return manages_group(self.access, instance.municipality_id)


class ITGroupMemberViewSet(ITGroupViewSet):
    """Seats in the IT group: who represents which department, from when to when."""

    model = ITGroupMember
    serializer_class = s.ITGroupMemberSerializer
    update_serializer_class = s.ITGroupMemberUpdateSerializer
    filterset_class = MemberFilter
    search_fields = ("person__name", "department__name")
    ordering_fields = ("since", "until", "person__name", "department__name", "updated_at")
    related = ("municipality", "person", "department")

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.member_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.member_update(member=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services.member_archive(member=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services.member_restore(member=instance, actor=self.request.user)


DECISION = OpenApiParameter(
    "decision_pk", int, OpenApiParameter.PATH, description="The decision's id."
)


class ITGroupMeetingViewSet(ITGroupViewSet):
    """Meetings of the IT group, with their attendance and decisions: read with the meeting,
    written through its actions."""

    model = ITGroupMeeting
    serializer_class = s.ITGroupMeetingSerializer
    update_serializer_class = s.ITGroupMeetingUpdateSerializer
    filterset_class = MeetingFilter
    search_fields = ("place", "agenda", "minutes")
    ordering_fields = ("starts_at", "updated_at")
    related = ("municipality", "convened_by")

    def base(self) -> QuerySet:
        return (
            super()
            .base()
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=MeetingAttendance.objects.filter(archived_at__isnull=True)
                    .select_related("person", "member")
                    .order_by("person__name", "pk"),
                ),
                Prefetch(
                    "decisions",
                    queryset=MeetingDecision.objects.filter(archived_at__isnull=True)
                    .select_related("responsible")
                    .order_by("pk"),
                ),
            )
        )

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.meeting_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        return services.meeting_update(meeting=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Any) -> Model:
        return services.meeting_archive(meeting=instance, actor=self.request.user)

    def service_restore(self, *, instance: Any) -> Model:
        return services.meeting_restore(meeting=instance, actor=self.request.user)

    @extend_schema(request=None, responses=s.ITGroupMeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Approve the minutes of a held meeting; from then on it is a record."""
        meeting = self.get_object()
        if not self.may_change(meeting):
            raise PermissionDenied(self.change_denied)
        return self.represent(services.meeting_approve_minutes(meeting=meeting, actor=request.user))

    # --- attendance and decisions: the meeting's record, kept by the IT department ---------------

    def open_meeting(self) -> ITGroupMeeting:
        """The meeting, for a write on its record: a 404 if the user may not read it, a 403 if
        they may read but not keep it or it is archived. Approved minutes are the services'
        refusal (a 400), as for the meeting itself."""
        meeting = self.get_object()
        if not self.may_change(meeting):
            raise PermissionDenied(self.change_denied)
        if meeting.archived_at is not None:
            raise PermissionDenied(_("It is archived: restore it before changing it."))
        return meeting

    def meeting_decision(self, meeting: ITGroupMeeting, decision_pk: str) -> MeetingDecision:
        return get_object_or_404(
            MeetingDecision.objects.filter(meeting=meeting, archived_at__isnull=True),
            pk=int(decision_pk),
        )

    def represent_decision(self, decision: MeetingDecision, status: int = 200) -> Response:
        fresh = MeetingDecision.objects.select_related("responsible").get(pk=decision.pk)
        return Response(s.MeetingDecisionSerializer(fresh).data, status=status)

    @extend_schema(request=s.AttendanceRecordSerializer, responses=s.ITGroupMeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record who was present, excused or absent; a person left out keeps what was
        recorded. Not for a cancelled meeting or approved minutes."""
        meeting = self.open_meeting()
        body = s.AttendanceRecordSerializer(
            data=request.data, context={**self.get_serializer_context(), "meeting": meeting}
        )
        body.is_valid(raise_exception=True)
        services.attendance_record(meeting=meeting, presences=body.presences(), actor=request.user)
        return self.represent(meeting)

    @extend_schema(
        request=s.MeetingDecisionWriteSerializer,
        responses={201: s.MeetingDecisionSerializer},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a decision to the meeting. Not for a cancelled meeting or approved minutes."""
        meeting = self.open_meeting()
        body = s.MeetingDecisionWriteSerializer(
            data=request.data, context={**self.get_serializer_context(), "meeting": meeting}
        )
        body.is_valid(raise_exception=True)
        decision = services.decision_create(
            meeting=meeting, data=dict(body.validated_data), actor=request.user
        )
        return self.represent_decision(decision, status=201)

    @extend_schema(
        parameters=[DECISION],
        request=s.MeetingDecisionWriteSerializer,
        responses=s.MeetingDecisionSerializer,
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=rf"decisions/(?P<decision_pk>{ID_PATTERN})",
        url_name="decision",
    )
    def decision(self, request: Request, *args: Any, decision_pk: str, **kwargs: Any) -> Response:
        """Change a decision; once the minutes are approved only whether it is done."""
        meeting = self.open_meeting()
        decision = self.meeting_decision(meeting, decision_pk)
        body = s.MeetingDecisionWriteSerializer(
            decision,
            data=request.data,
            partial=True,
            context={**self.get_serializer_context(), "meeting": meeting},
        )
        body.is_valid(raise_exception=True)
        decision, _changed = services.decision_update(
            decision=decision, data=dict(body.validated_data), actor=request.user
        )
        return self.represent_decision(decision)

    @extend_schema(parameters=[DECISION], request=None, responses=s.MeetingDecisionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"decisions/(?P<decision_pk>{ID_PATTERN})/archive",
        url_name="decision-archive",
    )
    def decision_archive(
        self, request: Request, *args: Any, decision_pk: str, **kwargs: Any
    ) -> Response:
        """Archive a decision recorded by mistake; not once the minutes are approved."""
        meeting = self.open_meeting()
        decision = self.meeting_decision(meeting, decision_pk)
        return self.represent_decision(
            services.decision_archive(decision=decision, actor=request.user)
        )
