"""The IT group as the API reads and writes it (P3.12). Attendance and decisions are read with
their meeting and written through the meeting's actions; everything through the same services as
the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.organisation.models import Department, Person
from stadga.organisation.selectors import organisation_list
from stadga.security.api.serializers import InlineChoiceField

from ..choices import GroupRole, MeetingStatus, Presence
from ..models import ITGroupMeeting, ITGroupMember, MeetingAttendance, MeetingDecision

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")


class ITGroupMemberSerializer(ScopedSerializer):
    """A seat in the IT group: a person representing one department for a period."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    # `role` and `status` name other choice sets in the schema (see InlineChoiceField).
    role = InlineChoiceField(choices=GroupRole.choices, required=False)
    is_current = serializers.SerializerMethodField()

    scoped_fields = {
        "person": lambda access: organisation_list(model=Person, access=access),
        "department": lambda access: organisation_list(model=Department, access=access),
    }

    class Meta:
        model = ITGroupMember
        fields = (
            "id",
            "municipality",
            "person",
            "person_name",
            "department",
            "department_name",
            "role",
            "since",
            "until",
            "is_current",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []

    def get_is_current(self, obj: ITGroupMember) -> bool:
        return obj.is_current()


class ITGroupMemberUpdateSerializer(ITGroupMemberSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class MeetingAttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    department = serializers.IntegerField(
        source="member.department_id", read_only=True, allow_null=True
    )

    class Meta:
        model = MeetingAttendance
        fields = ("person", "person_name", "member", "department", "presence")
        read_only_fields = fields


class MeetingDecisionSerializer(serializers.ModelSerializer):
    responsible_name = serializers.CharField(
        source="responsible.name", read_only=True, allow_null=True
    )
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = MeetingDecision
        fields = (
            "id",
            "text",
            "responsible",
            "responsible_name",
            "due_date",
            "done",
            "is_archived",
        )
        read_only_fields = fields


# --- what the meeting's actions write ------------------------------------------------------------


class MeetingPersonField(serializers.PrimaryKeyRelatedField):
    """A person of the meeting's municipality (the meeting is in the serializer's context); any
    other id is "unknown", the same 400 as an id that does not exist."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", NOT_FOUND_MESSAGES)
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        meeting = self.context.get("meeting")
        if meeting is None:
            return Person.objects.none()
        return Person.objects.filter(municipality_id=meeting.municipality_id)


class AttendanceEntrySerializer(serializers.Serializer):
    person = MeetingPersonField()
    presence = InlineChoiceField(choices=Presence.choices)


class AttendanceRecordSerializer(serializers.Serializer):
    """Who was present at, excused from or absent from the meeting. A person left out keeps
    what was recorded; a member of the group on the meeting's day is linked to that seat."""

    attendance = AttendanceEntrySerializer(many=True, allow_empty=False)

    def validate_attendance(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        people = [row["person"].pk for row in rows]
        if len(people) != len(set(people)):
            raise serializers.ValidationError(_("Name each person once."))
        return rows

    def presences(self) -> dict[int, str]:
        """The body as the service takes it: {person id: presence}."""
        return {row["person"].pk: row["presence"] for row in self.validated_data["attendance"]}


class MeetingDecisionWriteSerializer(serializers.ModelSerializer):
    """A decision of the meeting: what is to be done, by whom and when (P3.12). Once the
    minutes are approved only `done` may change."""

    responsible = MeetingPersonField(required=False, allow_null=True)

    class Meta:
        model = MeetingDecision
        fields = ("text", "responsible", "due_date", "done")


class ITGroupMeetingSerializer(ScopedSerializer):
    """A meeting of the IT group with its attendance and decisions (read-only here). Once the
    minutes are approved the meeting is a record: a change is refused (400)."""

    convened_by_name = serializers.CharField(
        source="convened_by.name", read_only=True, allow_null=True
    )
    minutes_approved = serializers.BooleanField(read_only=True)
    status = InlineChoiceField(choices=MeetingStatus.choices, required=False)
    attendance = MeetingAttendanceSerializer(many=True, read_only=True)
    decisions = MeetingDecisionSerializer(many=True, read_only=True)

    scoped_fields = {
        "convened_by": lambda access: organisation_list(model=Person, access=access),
    }

    class Meta:
        model = ITGroupMeeting
        fields = (
            "id",
            "municipality",
            "starts_at",
            "place",
            "convened_by",
            "convened_by_name",
            "status",
            "agenda",
            "minutes",
            "notice_sent_at",
            "minutes_approved",
            "minutes_approved_at",
            "attendance",
            "decisions",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = (*_TIMESTAMPS, "notice_sent_at", "minutes_approved_at")
        validators: list[Any] = []


class ITGroupMeetingUpdateSerializer(ITGroupMeetingSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
