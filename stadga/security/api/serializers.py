"""The security records (P9) as the API reads and writes them: ids plus the names a client shows.

Serializers validate and describe; the viewsets hand `validated_data` to the security services.
A body may only refer to objects of the record's own municipality that the user may use: the
related fields' querysets are narrowed to them (`scoped_fields`), so anything else is "unknown".
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer, UiUrlMixin
from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Board, Department, Person
from stadga.organisation.selectors import organisation_list
from stadga.security.access import system_bound_q
from stadga.security.choices import DECIDED_NOTICE_STATUSES, MeasureStatus, NoticeStatus
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
from stadga.security.services_incidents import DEADLINE_LABELS, DEADLINE_NAMES, incident_deadlines
from stadga.systems.models import System
from stadga.systems.selectors import system_list

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")


class InlineChoiceField(serializers.ChoiceField):
    """A choice field whose values the schema documents in place rather than as a shared enum
    component. drf-spectacular names enum components after the field, and `status` already
    names the policy's compliance statuses: a second `status` choice set would collide (a
    warning, which fails `spectacular --fail-on-warn`). See InlineChoiceFieldExtension."""


class InlineChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InlineChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        values = [value for value in field.choices if value not in ("", None)]
        labels = "\n".join(f"* `{v}` - {field.choices[v]}" for v in values)
        return {"allOf": [{"type": "string", "enum": values}], "description": labels}


_UNKNOWN = {"error_messages": NOT_FOUND_MESSAGES}


# --- what a body may refer to --------------------------------------------------------------------


def _people(access: Access) -> Any:
    return organisation_list(model=Person, access=access)


def _boards(access: Access) -> Any:
    return organisation_list(model=Board, access=access)


def _departments(access: Access) -> Any:
    return organisation_list(model=Department, access=access)


def _systems_seen(access: Access) -> Any:
    return system_list(access=access)


def _systems_kept(access: Access) -> Any:
    """Current systems the user may edit: where classification and measures are kept (P9.3)."""
    return System.objects.filter(access.system_edit_q(), archived_at__isnull=True)


def _measures_seen(access: Access) -> Any:
    return Measure.objects.filter(system_bound_q(access), archived_at__isnull=True)


def _information_types_seen(access: Access) -> Any:
    return InformationType.objects.filter(system_bound_q(access), archived_at__isnull=True)


def _municipality_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


# --- classification (P9.1) -----------------------------------------------------------------------


class InformationTypeSerializer(ScopedSerializer):
    """A kind of information a system handles, classified on the municipality's consequence
    scale per aspect (P9.1). Who classified and when are set by the service: the writer, today
    (or the date given, never ahead)."""

    system_name = serializers.CharField(source="system.name", read_only=True)
    classified_by_name = serializers.CharField(
        source="classified_by.name", read_only=True, allow_null=True
    )

    scoped_fields = {"system": _systems_kept}

    class Meta:
        model = InformationType
        fields = (
            "id",
            "municipality",
            "system",
            "system_name",
            "name",
            "description",
            "personal_data",
            "sensitive_personal_data",
            "confidentiality",
            "integrity",
            "availability",
            "traceability",
            "justification",
            "classified_by",
            "classified_by_name",
            "classified_on",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = ("classified_by", *_TIMESTAMPS)
        extra_kwargs = {
            "system": _UNKNOWN,
            "classified_on": {"required": False, "allow_null": True},
        }
        # The unique name per system is the model's constraint, checked by full_clean().
        validators: list[Any] = []


class InformationTypeUpdateSerializer(InformationTypeSerializer):
    """A change of classification; the information type stays with its system."""

    municipality = _municipality_field()
    system: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)


# --- requirement catalogues ----------------------------------------------------------------------


class RequirementCatalogueSerializer(serializers.ModelSerializer):
    """A version of a baseline requirement catalogue, shared by every municipality."""

    requirement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RequirementCatalogue
        fields = (
            "id",
            "key",
            "version",
            "title",
            "title_en",
            "checksum",
            "requirement_count",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class RequirementSerializer(serializers.ModelSerializer):
    """A baseline requirement: from which level of which aspect it applies, and the ISO/IEC
    27002:2022 control it implements (by number)."""

    catalogue_key = serializers.CharField(source="catalogue.key", read_only=True)
    catalogue_version = serializers.CharField(source="catalogue.version", read_only=True)

    class Meta:
        model = Requirement
        fields = (
            "id",
            "catalogue",
            "catalogue_key",
            "catalogue_version",
            "code",
            "order",
            "category",
            "aspect",
            "level",
            "iso_control",
            "text",
            "text_en",
            "personal_data",
        )
        read_only_fields = fields


# --- measures and follow-ups (P9.4, P9.5) --------------------------------------------------------


class MeasureSerializer(ScopedSerializer):
    """A protective measure of a system, or with no system of the platform and data
    communication (P9.4), with its latest follow-up and when the next is due (P9.5)."""

    system_name = serializers.CharField(source="system.name", read_only=True, allow_null=True)
    requirement_code = serializers.CharField(
        source="requirement.code", read_only=True, allow_null=True
    )
    responsible_name = serializers.CharField(
        source="responsible.name", read_only=True, allow_null=True
    )
    follow_up_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=120,
        help_text=_("Left out or null: the municipality's interval for the level (P9.5)."),
    )
    last_follow_up_on = serializers.DateField(
        source="last_performed_on", read_only=True, allow_null=True
    )
    last_effect = serializers.CharField(read_only=True, allow_null=True)
    evidence_file = serializers.FileField(read_only=True, allow_null=True, use_url=True)
    status = InlineChoiceField(choices=MeasureStatus.choices, required=False)

    scoped_fields = {"system": _systems_kept, "responsible": _people}

    class Meta:
        model = Measure
        fields = (
            "id",
            "municipality",
            "system",
            "system_name",
            "requirement",
            "requirement_code",
            "title",
            "description",
            "status",
            "planned_for",
            "not_applicable_reason",
            "responsible",
            "responsible_name",
            "evidence",
            "evidence_link",
            "evidence_file",
            "follow_up_months",
            "next_follow_up",
            "last_follow_up_on",
            "last_effect",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = ("next_follow_up", *_TIMESTAMPS)
        extra_kwargs = {
            "system": {**_UNKNOWN, "required": False, "allow_null": True},
            "requirement": {**_UNKNOWN, "required": False, "allow_null": True},
            "responsible": _UNKNOWN,
        }


class MeasureUpdateSerializer(MeasureSerializer):
    """A change to a measure; it stays with its system (or the platform)."""

    municipality = _municipality_field()
    system: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )


class FollowUpSerializer(UiUrlMixin, serializers.ModelSerializer):
    """A check of a measure's effect (P9.5). Recording one schedules the measure's next; a
    follow-up whose effect falls short says what will be done (`action`)."""

    municipality = _municipality_field()
    measure_title = serializers.CharField(source="measure.title", read_only=True)
    measure_next_follow_up = serializers.DateField(
        source="measure.next_follow_up",
        read_only=True,
        allow_null=True,
        help_text=_("When the measure is next due for a follow-up."),
    )
    performed_by_name = serializers.CharField(source="performed_by.name", read_only=True)

    class Meta:
        model = FollowUp
        fields = (
            "id",
            "municipality",
            "measure",
            "measure_title",
            "measure_next_follow_up",
            "performed_on",
            "performed_by",
            "performed_by_name",
            "checked",
            "effect",
            "action",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")
        extra_kwargs = {
            "measure": _UNKNOWN,
            "performed_by": {
                **_UNKNOWN,
                "required": False,
                "help_text": _("Left out: the person you are in the municipality."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        access = access_for(request) if request is not None else None
        measure = self.fields["measure"]
        performed_by = self.fields["performed_by"]
        if access is None:  # the schema: nothing may be referenced
            measure.queryset = Measure.objects.none()  # type: ignore[attr-defined]
            performed_by.queryset = Person.objects.none()  # type: ignore[attr-defined]
            return
        # Measures the user reads: one they read but may not keep is a 403, not "unknown".
        measure.queryset = _measures_seen(access).select_related("system")  # type: ignore[attr-defined]
        performed_by.queryset = _people(access)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        person = attrs.get("performed_by")
        if person is not None and person.municipality_id != attrs["measure"].municipality_id:
            raise serializers.ValidationError(
                {"performed_by": [_("It belongs to another municipality.")]}
            )
        return attrs


# --- shortfall notices (P9.6) --------------------------------------------------------------------


class ShortfallNoticeSerializer(ScopedSerializer):
    """A written need (P9.6): what is missing, the risk it leaves, the estimated cost and the
    measures affected, addressed to the department head and/or the board. Filed once, never
    changed or deleted; its addressees acknowledge and decide."""

    written_by_name = serializers.CharField(source="written_by.name", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    board_name = serializers.CharField(source="board.name", read_only=True, allow_null=True)
    acknowledged_by_name = serializers.CharField(
        source="acknowledged_by.name", read_only=True, allow_null=True
    )
    decided_by_name = serializers.CharField(
        source="decided_by.name", read_only=True, allow_null=True
    )
    status = InlineChoiceField(choices=NoticeStatus.choices, read_only=True)

    scoped_fields = {
        "department": _departments,
        "board": _boards,
        "systems": _systems_seen,
        "measures": _measures_seen,
    }

    class Meta:
        model = ShortfallNotice
        fields = (
            "id",
            "municipality",
            "title",
            "need",
            "risk",
            "estimated_cost",
            "systems",
            "measures",
            "department",
            "department_name",
            "board",
            "board_name",
            "written_by",
            "written_by_name",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_by_name",
            "decided_at",
            "decided_by",
            "decided_by_name",
            "decision_reason",
            "escalated_at",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "written_by",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "decided_at",
            "decided_by",
            "decision_reason",
            "escalated_at",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            name: {**_UNKNOWN, "required": False}
            for name in ("systems", "measures", "department", "board")
        }
        extra_kwargs["department"]["allow_null"] = True
        extra_kwargs["board"]["allow_null"] = True


class NoticeDecisionSerializer(serializers.Serializer):
    """The addressee's decision on a notice (P9.6); risk accepted and rejected need a reason."""

    status = InlineChoiceField(choices=[(s.value, s.label) for s in DECIDED_NOTICE_STATUSES])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- incidents -----------------------------------------------------------------------------------


class DeadlineSerializer(serializers.Serializer):
    """One of a significant incident's reporting deadlines (Cybersecurity Act 2025:1506)."""

    report = serializers.ChoiceField(choices=[(n, DEADLINE_LABELS[n]) for n in DEADLINE_NAMES])
    label = serializers.CharField()  # type: ignore[assignment]
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    sent_late = serializers.BooleanField()


class IncidentSerializer(ScopedSerializer):
    """A security incident with the systems and information types it hit, the measures taken
    or changed, and for a significant one its reporting deadlines counted from discovery."""

    reported_by_name = serializers.CharField(
        source="reported_by.name", read_only=True, allow_null=True
    )
    deadlines = serializers.SerializerMethodField(
        help_text=_(
            "Early warning 24 h, notification 72 h, final report one month; empty for "
            "an incident that is not significant."
        )
    )

    scoped_fields = {
        "systems": _systems_seen,
        "information_types": _information_types_seen,
        "measures": _measures_seen,
    }

    class Meta:
        model = Incident
        fields = (
            "id",
            "municipality",
            "title",
            "description",
            "discovered_at",
            "significant",
            "systems",
            "information_types",
            "measures",
            "lessons_learned",
            "reported_by",
            "reported_by_name",
            "early_warning_sent_at",
            "notification_sent_at",
            "final_report_sent_at",
            "closed_at",
            "deadlines",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "reported_by",
            "early_warning_sent_at",
            "notification_sent_at",
            "final_report_sent_at",
            "closed_at",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            name: {**_UNKNOWN, "required": False}
            for name in ("systems", "information_types", "measures")
        }

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, incident: Incident) -> list[dict[str, Any]]:
        return [
            {
                "report": d.name,
                "label": d.label,
                "due_at": d.due_at,
                "sent_at": d.sent_at,
                "overdue": d.overdue,
                "sent_late": d.sent_late,
            }
            for d in incident_deadlines(incident)
        ]


class IncidentUpdateSerializer(IncidentSerializer):
    municipality = _municipality_field()


class IncidentSentSerializer(serializers.Serializer):
    """When a report was sent to the authority."""

    report = serializers.ChoiceField(choices=[(n, DEADLINE_LABELS[n]) for n in DEADLINE_NAMES])
    at = serializers.DateTimeField()


class IncidentCloseSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Left out: now."))


# --- the register of processing activities (GDPR art. 30, P9.2) -----------------------------------


class ProcessingActivitySerializer(ScopedSerializer):
    """An entry of the register of processing activities, kept per board as controller (P9.2).
    Its systems and security measures are linked, not retyped; links the user cannot see are
    listed by id and kept on a change."""

    board_name = serializers.CharField(source="board.name", read_only=True)

    scoped_fields = {
        "board": _boards,
        "systems": _systems_seen,
        "security_measures": _measures_seen,
    }

    class Meta:
        model = ProcessingActivity
        fields = (
            "id",
            "municipality",
            "board",
            "board_name",
            "name",
            "purposes",
            "legal_basis",
            "legal_basis_detail",
            "data_subjects",
            "personal_data_categories",
            "sensitive_data",
            "recipients",
            "third_country_transfers",
            "erasure_time_limits",
            "dpia_done",
            "processor_agreements",
            "systems",
            "security_measures",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {
            "board": _UNKNOWN,
            "systems": {**_UNKNOWN, "required": False},
            "security_measures": {**_UNKNOWN, "required": False},
        }


class ProcessingActivityUpdateSerializer(ProcessingActivitySerializer):
    municipality = _municipality_field()


# --- settings ------------------------------------------------------------------------------------


class FollowUpMonthsField(serializers.DictField):
    """Months between follow-ups per consequence level, e.g. {"1": 24, "2": 12, "3": 6, "4": 3}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=120), **kwargs)


class SecuritySettingsSerializer(serializers.ModelSerializer):
    """The municipality's intervals: classification review (P9.1), follow-ups per level (P9.5)
    and escalation of unacknowledged shortfall notices (P9.6). Read by every member, changed by
    the IT coordinator."""

    municipality = _municipality_field()
    follow_up_months = FollowUpMonthsField(required=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SecuritySettings
        fields = (
            "municipality",
            "classification_review_months",
            "shortfall_escalation_days",
            "follow_up_months",
            "url",
            "updated_at",
        )
        read_only_fields = ("updated_at",)
        extra_kwargs = {
            "classification_review_months": {"min_value": 1},
            "shortfall_escalation_days": {"min_value": 1},
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, settings: SecuritySettings) -> str | None:
        try:
            path = settings.get_absolute_url()
        except NoReverseMatch:  # the settings page is not mounted
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate_follow_up_months(self, value: dict[str, int]) -> dict[str, int]:
        top = self.instance.municipality.max_consequence_level if self.instance else 4
        levels = {str(level) for level in range(1, top + 1)}
        unknown = sorted(set(value) - levels, key=str)
        if unknown:
            raise serializers.ValidationError(
                _("Levels go from 1 to %(top)s; not %(levels)s.")
                % {"top": top, "levels": ", ".join(unknown)}
            )
        return value
