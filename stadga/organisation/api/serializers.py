"""The organisation as the API reads and writes it (P3): ids plus the names a client shows.

Serializers validate and describe; the viewsets hand `validated_data` to the services.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer, UiUrlMixin
from stadga.organisation.choices import Role
from stadga.organisation.models import (
    Board,
    ConsequenceLevel,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.organisation.selectors import organisation_list
from stadga.systems.selectors import system_list

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")

# --- municipalities ------------------------------------------------------------------------------


class RoleLabelsField(serializers.DictField):
    """The municipality's own names for roles, e.g. {"system_owner": "systemägare"}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=100), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        labels = super().to_internal_value(data)
        unknown = sorted(set(labels) - set(Role.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown roles: %(roles)s. Known roles: %(known)s.")
                % {"roles": ", ".join(unknown), "known": ", ".join(Role.values)}
            )
        return {role: label.strip() for role, label in labels.items() if label.strip()}


class MunicipalitySerializer(UiUrlMixin, serializers.ModelSerializer):
    """A municipality (the tenant). Created by the operator with the default consequence scale."""

    role_labels = RoleLabelsField(read_only=True)

    class Meta:
        model = Municipality
        fields = ("id", "slug", "name", "code", "is_demo", "role_labels", "url", *_TIMESTAMPS)
        read_only_fields = _TIMESTAMPS


class MunicipalityUpdateSerializer(MunicipalitySerializer):
    """A change to a municipality: its short name stays, because addresses are built on it."""

    slug = serializers.SlugField(read_only=True)
    role_labels = RoleLabelsField(required=False)


class ConsequenceLevelSerializer(serializers.ModelSerializer):
    """One step of the municipality's consequence scale (P9.1)."""

    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = ConsequenceLevel
        fields = ("id", "municipality", "level", "name", "description")
        read_only_fields = fields


# --- the organisation ----------------------------------------------------------------------------


class BoardSerializer(ScopedSerializer):
    """A board (nämnd or styrelse) (P3.3)."""

    class Meta:
        model = Board
        fields = (
            "id",
            "municipality",
            "name",
            "short_name",
            "kind",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        # Unique names are the model's constraints, checked by the service's full_clean().
        validators: list[Any] = []


class BoardUpdateSerializer(BoardSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class DepartmentSerializer(ScopedSerializer):
    """A department (förvaltning) under a board."""

    board_name = serializers.CharField(source="board.name", read_only=True)

    scoped_fields = {"board": lambda access: organisation_list(model=Board, access=access)}

    class Meta:
        model = Department
        fields = (
            "id",
            "municipality",
            "board",
            "board_name",
            "name",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {"board": {"error_messages": NOT_FOUND_MESSAGES}}
        validators: list[Any] = []


class DepartmentUpdateSerializer(DepartmentSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class PersonSerializer(ScopedSerializer):
    """An official or elected representative. Whether they have a login is shown, not which:
    logins are linked by the operator, not through the API."""

    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    has_login = serializers.SerializerMethodField()

    scoped_fields = {
        "department": lambda access: organisation_list(model=Department, access=access)
    }

    class Meta:
        model = Person
        fields = (
            "id",
            "municipality",
            "name",
            "title",
            "email",
            "phone",
            "department",
            "department_name",
            "has_login",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {"department": {"error_messages": NOT_FOUND_MESSAGES}}
        validators: list[Any] = []

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None


class PersonUpdateSerializer(PersonSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class ExternalOrganisationSerializer(ScopedSerializer):
    """A company or authority with a responsibility in the municipality's IT (P3.11)."""

    class Meta:
        model = ExternalOrganisation
        fields = (
            "id",
            "municipality",
            "name",
            "organisation_number",
            "responsibilities",
            "website",
            "contact",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class ExternalOrganisationUpdateSerializer(ExternalOrganisationSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class RoleAssignmentSerializer(ScopedSerializer):
    """A person's role over a scope: the municipality, a board, a department or a system.
    Which scope a role takes is checked by the model (e.g. a system owner answers for a system,
    P9.3)."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    role_label = serializers.SerializerMethodField()
    scope_name = serializers.SerializerMethodField()

    scoped_fields = {
        "person": lambda access: organisation_list(model=Person, access=access),
        "board": lambda access: organisation_list(model=Board, access=access),
        "department": lambda access: organisation_list(model=Department, access=access),
        "system": lambda access: system_list(access=access),
    }

    class Meta:
        model = RoleAssignment
        fields = (
            "id",
            "municipality",
            "person",
            "person_name",
            "role",
            "role_label",
            "board",
            "department",
            "system",
            "scope_name",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {
            name: {"error_messages": NOT_FOUND_MESSAGES}
            for name in ("person", "board", "department", "system")
        }
        validators: list[Any] = []

    def get_role_label(self, assignment: RoleAssignment) -> str:
        """The municipality's own name for the role (e.g. "systemägare")."""
        return assignment.municipality.role_label(assignment.role)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_scope_name(self, assignment: RoleAssignment) -> str | None:
        scope = assignment.scope_object
        return str(scope) if scope is not None else None


class RoleAssignmentUpdateSerializer(RoleAssignmentSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
