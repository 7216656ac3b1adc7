"""Training and competence (P6) as the API reads and writes it. Courses, sessions, registrations,
system users and requirements are read here (their writes belong to the pages' services);
competence records are created through `record_create` and archived; the departments' training
plans, their lines and the IT department's watch notes are kept through their services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from stadga.api.base import ScopedSerializer, UiUrlMixin
from stadga.catalogue.models import Product
from stadga.organisation.models import Department, Person
from stadga.organisation.selectors import organisation_list
from stadga.plans.models import ITPlan, PlanItem
from stadga.security.api.serializers import InlineChoiceField
from stadga.systems.models import System

from ..access import person_q
from ..choices import CourseKind, RecordSource, RegistrationStatus, TrainingPlanStatus
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

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")


def _members(model: Any) -> Any:
    """What a body may reference: the model's objects in the user's municipalities."""

    def visible(access: Any) -> Any:
        return model.objects.filter(access.organisation_q(), archived_at__isnull=True)

    return visible


# --- read-only -----------------------------------------------------------------------------------


class _ReadSerializer(UiUrlMixin, serializers.ModelSerializer):
    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    is_archived = serializers.BooleanField(read_only=True)


class CourseSerializer(_ReadSerializer):
    """A course: general IT skills, security awareness or a system's (P6.2, P6.3)."""

    kind = InlineChoiceField(choices=CourseKind.choices, read_only=True)

    class Meta:
        model = Course
        fields = (
            "id",
            "municipality",
            "name",
            "kind",
            "description",
            "systems",
            "basic_training",
            "given_by",
            "provider",
            "validity_months",
            "duration_hours",
            "cost_per_participant",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


class TrainingSessionSerializer(_ReadSerializer):
    """A session of a course for one or more departments (several: a joint session, P6.2)."""

    course_name = serializers.CharField(source="course.name", read_only=True)
    joint = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = (
            "id",
            "municipality",
            "course",
            "course_name",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "trainer",
            "capacity",
            "departments",
            "joint",
            "open_to_partners",
            "cancelled_at",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields

    def get_joint(self, obj: TrainingSession) -> bool:
        """Given for several departments together (P6.2)."""
        return len(obj.departments.all()) > 1


class RegistrationSerializer(_ReadSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = InlineChoiceField(choices=RegistrationStatus.choices, read_only=True)

    class Meta:
        model = Registration
        fields = (
            "id",
            "municipality",
            "session",
            "person",
            "person_name",
            "status",
            "note",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


class SystemUseSerializer(_ReadSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    system_name = serializers.CharField(source="system.name", read_only=True)

    class Meta:
        model = SystemUse
        fields = (
            "id",
            "municipality",
            "person",
            "person_name",
            "system",
            "system_name",
            "since",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


class TrainingRequirementSerializer(_ReadSerializer):
    """Who must have a course: a role's holders (optionally in a department) or a system's
    users."""

    class Meta:
        model = TrainingRequirement
        fields = (
            "id",
            "municipality",
            "course",
            "scope",
            "role",
            "department",
            "system",
            "note",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


# --- competence records --------------------------------------------------------------------------


class CompetenceRecordSerializer(ScopedSerializer):
    """A person completed a course on a date. Created through `record_create`: its validity
    follows the course; corrected records are archived and recorded again."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    course_name = serializers.CharField(source="course.name", read_only=True)
    source = InlineChoiceField(choices=RecordSource.choices, read_only=True)  # type: ignore[assignment]

    scoped_fields = {
        "person": lambda access: Person.objects.filter(
            person_q(access), access.organisation_q(), archived_at__isnull=True
        ),
        "course": _members(Course),
        "session": lambda access: TrainingSession.objects.filter(access.organisation_q()),
    }

    class Meta:
        model = CompetenceRecord
        fields = (
            "id",
            "municipality",
            "person",
            "person_name",
            "course",
            "course_name",
            "completed_on",
            "valid_until",
            "source",
            "session",
            "note",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = (*_TIMESTAMPS, "valid_until")
        validators: list[Any] = []


# --- training plans ------------------------------------------------------------------------------


class TrainingPlanSerializer(ScopedSerializer):
    """A department's training plan for a year (P6.2), with its total cost; the central
    office's is the IT department's competence plan (P6.4). Adopted and followed up through
    the `adopt` and `follow-up` actions."""

    department_name = serializers.CharField(source="department.name", read_only=True)
    status = InlineChoiceField(choices=TrainingPlanStatus.choices, read_only=True)
    total_cost = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    shared_lines = serializers.IntegerField(read_only=True)

    scoped_fields = {
        "department": lambda access: organisation_list(model=Department, access=access),
        "it_plan": lambda access: ITPlan.objects.filter(access.organisation_q()),
    }

    class Meta:
        model = TrainingPlan
        fields = (
            "id",
            "municipality",
            "department",
            "department_name",
            "year",
            "status",
            "it_plan",
            "summary",
            "follow_up",
            "total_cost",
            "shared_lines",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = (*_TIMESTAMPS, "follow_up")
        validators: list[Any] = []


class TrainingPlanUpdateSerializer(TrainingPlanSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class TrainingPlanFollowUpSerializer(serializers.Serializer):
    follow_up = serializers.CharField()


class TrainingPlanLineSerializer(ScopedSerializer):
    """One planned training of a plan: a course or a description, participants, cost, and
    whether it is given together with other departments (P6.2)."""

    scoped_fields = {
        "plan": lambda access: TrainingPlan.objects.filter(access.organisation_q()),
        "course": _members(Course),
    }

    class Meta:
        model = TrainingPlanLine
        fields = (
            "id",
            "municipality",
            "plan",
            "course",
            "description",
            "participants",
            "cost",
            "shared_with_others",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class TrainingPlanLineUpdateSerializer(TrainingPlanLineSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)


# --- the watch log -------------------------------------------------------------------------------


class WatchNoteSerializer(ScopedSerializer):
    """A change in technology or the market the IT department noticed (P6.4), and what it
    concerns."""

    scoped_fields = {
        "author": _members(Person),
        "products": _members(Product),
        "systems": lambda access: System.objects.filter(access.system_q()),
        "plan_items": lambda access: PlanItem.objects.filter(access.organisation_q()),
    }

    class Meta:
        model = WatchNote
        fields = (
            "id",
            "municipality",
            "noted_on",
            "title",
            "body",
            "source",
            "author",
            "products",
            "systems",
            "plan_items",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class WatchNoteUpdateSerializer(WatchNoteSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
