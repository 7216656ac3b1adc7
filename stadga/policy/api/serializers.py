"""Policies, clauses, adoptions and compliance as the API reads them (P3.1).

The evaluation serializers describe the JSON of docs/compliance.md, which `stadga compliance
--format json` prints too: `GET /api/v1/compliance/` passes that same dictionary through them, so
the schema and the answer cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.policy.choices import Status
from stadga.policy.models import Clause, ComplianceSnapshot, Policy, PolicyAdoption
from stadga.policy.registry import all_rules

_TIMESTAMPS = ("created_at", "updated_at")
# Plain text rather than a second enum of the roles (the schema has one, from role assignments).
_ROLE_HELP = _(
    "The role that answers for the clause, as in role assignments (e.g. it_coordinator), or empty."
)


# --- the library ---------------------------------------------------------------------------------


class PolicySerializer(serializers.ModelSerializer):
    """One version of a policy library, shared by every municipality of the installation."""

    clause_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Policy
        fields = (
            "id",
            "key",
            "version",
            "title",
            "title_en",
            "issuing_body",
            "adopted_on",
            "decision_reference",
            "language",
            "clause_count",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


class RuleBriefSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()


class ClauseSerializer(serializers.ModelSerializer):
    """One clause of a policy version, with the rules that measure it."""

    policy_key = serializers.CharField(source="policy.key", read_only=True)
    policy_version = serializers.CharField(source="policy.version", read_only=True)
    rule_ids = serializers.ListField(child=serializers.CharField(), read_only=True)
    responsible_role = serializers.CharField(read_only=True, help_text=_ROLE_HELP)
    rules = serializers.SerializerMethodField(
        help_text=_("The compliance rules bound to the clause, with their titles.")
    )

    class Meta:
        model = Clause
        fields = (
            "id",
            "policy",
            "policy_key",
            "policy_version",
            "clause_id",
            "order",
            "section",
            "section_title",
            "section_title_en",
            "text",
            "text_en",
            "responsible_role",
            "rule_ids",
            "rules",
            "attestation_required",
            "unmeasured_note",
            "unmeasured_note_en",
        )
        read_only_fields = fields

    @extend_schema_field(RuleBriefSerializer(many=True))
    def get_rules(self, clause: Clause) -> list[dict[str, str]]:
        registered = all_rules()
        return [
            {"id": rule_id, "title": str(registered[rule_id].title)}
            for rule_id in clause.rule_ids
            if rule_id in registered
        ]


# --- adoptions -----------------------------------------------------------------------------------


class PolicyAdoptionSerializer(ScopedSerializer):
    """A municipality's decision to adopt a policy version (the council's decision); the latest
    adoption is the one compliance is measured against."""

    policy_key = serializers.CharField(source="policy.key", read_only=True)
    policy_version = serializers.CharField(source="policy.version", read_only=True)
    policy_title = serializers.CharField(source="policy.title", read_only=True)

    class Meta:
        model = PolicyAdoption
        fields = (
            "id",
            "municipality",
            "policy",
            "policy_key",
            "policy_version",
            "policy_title",
            "adopted_on",
            "decision_reference",
            "url",
            "is_archived",
            "archived_at",
            *_TIMESTAMPS,
        )
        read_only_fields = ("archived_at", *_TIMESTAMPS)
        extra_kwargs = {"policy": {"error_messages": NOT_FOUND_MESSAGES}}


class PolicyAdoptionUpdateSerializer(PolicyAdoptionSerializer):
    """A correction of the decision's date or reference; adopting another version is a new
    adoption."""

    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    policy: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        adoption = self.instance
        assert isinstance(adoption, PolicyAdoption)
        adopted_on = attrs.get("adopted_on")
        if adopted_on is not None and adopted_on < adoption.policy.adopted_on:
            # The same words as `policy_adopt`, which checks this on creation.
            raise serializers.ValidationError(
                {
                    "adopted_on": [
                        _("A policy cannot be adopted before its text was adopted (%(date)s).")
                        % {"date": date_format(adoption.policy.adopted_on, "Y-m-d")}
                    ]
                }
            )
        return attrs


# --- the evaluation (docs/compliance.md) ---------------------------------------------------------


class OffenderSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("The offending object, e.g. the system's name."))  # type: ignore[assignment]
    url = serializers.CharField(help_text=_("Its page, as a path on this site."))
    reason = serializers.CharField(allow_blank=True, help_text=_("Why it offends."))


class RuleResultSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("The rule's stable ID, e.g. systems.owner_named."))
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    numerator = serializers.IntegerField(
        allow_null=True, help_text=_("How many keep the rule (null for a yes/no rule).")
    )
    denominator = serializers.IntegerField(
        allow_null=True, help_text=_("How many the rule applies to (null for a yes/no rule).")
    )
    summary = serializers.CharField(allow_blank=True, help_text=_("The figure in words."))
    offender_count = serializers.IntegerField()
    offenders = OffenderSerializer(
        many=True, help_text=_("The first offenders (at most 50); offender_count counts all.")
    )


class AttestationBriefSerializer(serializers.Serializer):
    by = serializers.CharField()
    valid_until = serializers.DateField()
    statement = serializers.CharField()


class ClauseResultSerializer(serializers.Serializer):
    clause = serializers.CharField(help_text=_("The clause ID, e.g. P9.3."))
    section = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    figure = serializers.CharField(allow_blank=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    responsible_role = serializers.CharField(allow_blank=True, help_text=_ROLE_HELP)
    offender_count = serializers.IntegerField()
    attestation_required = serializers.BooleanField()
    rules = RuleResultSerializer(many=True)
    attestations = AttestationBriefSerializer(
        many=True, help_text=_("Attestations valid on the day of the evaluation.")
    )
    expired_attestations = serializers.IntegerField(
        help_text=_("How many attestations of the clause have expired.")
    )


class PolicyBriefSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)


class AdoptionBriefSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()
    decision_reference = serializers.CharField(allow_blank=True)


class ScopeSerializer(serializers.Serializer):
    board = serializers.IntegerField(allow_null=True)
    department = serializers.IntegerField(allow_null=True)


class StatusCountsSerializer(serializers.Serializer):
    """How many clauses have each status."""

    met = serializers.IntegerField()
    partly_met = serializers.IntegerField()
    not_met = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    not_measurable = serializers.IntegerField()


class EvaluationSerializer(serializers.Serializer):
    """The evaluation of a municipality's adopted policy, clause by clause (docs/compliance.md)."""

    format = serializers.IntegerField(help_text=_("The version of this shape (1)."))
    municipality = serializers.CharField(help_text=_("The municipality's short name."))
    policy = PolicyBriefSerializer()
    adoption = AdoptionBriefSerializer(allow_null=True)
    scope = ScopeSerializer()
    evaluated_at = serializers.DateTimeField()
    summary = StatusCountsSerializer()
    clauses = ClauseResultSerializer(many=True)


# --- snapshots -----------------------------------------------------------------------------------


class SnapshotClauseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    offender_count = serializers.IntegerField()
    order = serializers.IntegerField()


class ComplianceSnapshotSerializer(serializers.ModelSerializer):
    """The evaluation of the adopted policy on one day, kept for the trend."""

    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    policy_key = serializers.CharField(source="policy.key", read_only=True)
    policy_version = serializers.CharField(source="policy.version", read_only=True)
    clauses = serializers.SerializerMethodField(
        help_text=_("Per clause ID, its status and figure that day.")
    )

    class Meta:
        model = ComplianceSnapshot
        fields = (
            "id",
            "municipality",
            "policy",
            "policy_key",
            "policy_version",
            "taken_on",
            "met",
            "partly_met",
            "not_met",
            "not_applicable",
            "not_measurable",
            "clauses",
            *_TIMESTAMPS,
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=SnapshotClauseSerializer()))
    def get_clauses(self, snapshot: ComplianceSnapshot) -> dict[str, Any]:
        return snapshot.clauses
