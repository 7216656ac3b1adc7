"""The register of IT systems as the API reads and writes it (P9.3, P9.1, P5.6)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.organisation.models import Board, Department, ExternalOrganisation, Person
from stadga.organisation.selectors import organisation_list
from stadga.security.api.serializers import InlineChoiceField
from stadga.systems.choices import Flag, ResponsibilityKind
from stadga.systems.models import ExternalResponsibility, System
from stadga.systems.selectors import system_list

_RELATED = ("board", "department", "system_owner", "contacts", "depends_on")


def product_links_prefetch() -> Prefetch:
    """The products a system runs on, with their versions: one query for a page of systems."""
    from stadga.catalogue.models import SystemProduct

    return Prefetch(
        "product_links",
        queryset=SystemProduct.objects.select_related("product", "version").order_by(
            "product__name", "pk"
        ),
    )


class SystemProductSerializer(serializers.Serializer):
    """A product the system runs on (P5.4), with its version and today's flags; read-only:
    the links are kept on the catalogue's page for the system."""

    product = serializers.IntegerField(source="product_id")
    product_name = serializers.CharField(source="product.name")
    version = serializers.IntegerField(source="version_id", allow_null=True)
    version_name = serializers.CharField(source="version.version", allow_null=True)
    # Plain strings: a second `phase` or `flags` enum would collide in the schema with the
    # catalogue's and the register's own.
    phase = serializers.CharField(
        source="product.phase", help_text=_("The product's phase in the catalogue.")
    )
    flags = serializers.SerializerMethodField(
        help_text=_(
            "never_approved, rejected, retired, phase_out_ended or past_end_of_support (P5.4)."
        )
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_flags(self, link: Any) -> list[str]:
        return [str(flag) for flag in link.product.flags_on(timezone.localdate(), link.version)]


class SystemSerializer(ScopedSerializer):
    """An IT system with its board, department and named system owner (P9.3), classification
    (P9.1) and the gaps the register points out (`flags`)."""

    board_name = serializers.CharField(source="board.name", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    system_owner_name = serializers.CharField(
        source="system_owner.name", read_only=True, allow_null=True
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=Flag.choices),
        read_only=True,
        help_text=_("Gaps in the register: no system owner, not classified, in-house development."),
    )
    products = SystemProductSerializer(
        source="product_links",
        many=True,
        read_only=True,
        help_text=_("The products the system runs on (P5.4), kept in the product catalogue."),
    )

    scoped_fields = {
        "board": lambda access: organisation_list(model=Board, access=access),
        "department": lambda access: organisation_list(model=Department, access=access),
        "system_owner": lambda access: organisation_list(model=Person, access=access),
        "contacts": lambda access: organisation_list(model=Person, access=access),
        "depends_on": lambda access: system_list(access=access),
    }

    class Meta:
        model = System
        fields = (
            "id",
            "identifier",
            "name",
            "municipality",
            "purpose",
            "board",
            "board_name",
            "department",
            "department_name",
            "system_owner",
            "system_owner_name",
            "contacts",
            "lifecycle_phase",
            "in_production_from",
            "phase_out_from",
            "retired_on",
            "system_type",
            "user_count",
            "depends_on",
            "personal_data",
            "confidentiality",
            "integrity",
            "availability",
            "traceability",
            "classification_justification",
            "is_public",
            "notes",
            "flags",
            "products",
            "url",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("archived_at", "created_at", "updated_at")
        extra_kwargs = {
            # Left out, the service gives the next free SYS-NNNN key.
            "identifier": {"required": False, "allow_blank": True},
            **{name: {"error_messages": NOT_FOUND_MESSAGES} for name in _RELATED},
        }
        # The unique identifier is the model's constraint, checked by the service's full_clean().
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "depends_on" in attrs:
            attrs["depends_on"] = self._keep_unseen_dependencies(attrs["depends_on"])
        return attrs

    def _keep_unseen_dependencies(self, given: list[System]) -> list[System]:
        """A body can only name dependencies the user may see (and that are not archived); a
        change to the list keeps the ones it could not name rather than silently dropping them."""
        system = self.instance
        assert isinstance(system, System) and self.access is not None
        if any(dependency.pk == system.pk for dependency in given):
            raise serializers.ValidationError(
                {"depends_on": [_("A system cannot depend on itself.")]}
            )
        current = list(system.depends_on.all())
        nameable = set(
            system_list(access=self.access)
            .filter(pk__in=[d.pk for d in current])
            .values_list("pk", flat=True)
        )
        return [*given, *(d for d in current if d.pk not in nameable)]


class SystemUpdateSerializer(SystemSerializer):
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)


def _systems_kept(access: Any) -> Any:
    """Current systems the user may edit: where external responsibilities are kept."""
    return System.objects.filter(access.system_edit_q(), archived_at__isnull=True)


def _organisations(access: Any) -> Any:
    return ExternalOrganisation.objects.filter(access.organisation_q(), archived_at__isnull=True)


class ExternalResponsibilitySerializer(ScopedSerializer):
    """What an external organisation answers for in a system (P3.11, P8): supplier, operation
    and hosting, support and maintenance, network and connectivity, consultant or other."""

    # Inline: `kind` already names other choice sets in the schema (boards', vendors').
    kind = InlineChoiceField(choices=ResponsibilityKind.choices)
    system_name = serializers.CharField(source="system.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    scoped_fields = {"system": _systems_kept, "organisation": _organisations}

    class Meta:
        model = ExternalResponsibility
        fields = (
            "id",
            "municipality",
            "system",
            "system_name",
            "organisation",
            "organisation_name",
            "kind",
            "description",
            "contract_ends_on",
            "url",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("archived_at", "created_at", "updated_at")
        extra_kwargs = {
            "system": {"error_messages": NOT_FOUND_MESSAGES},
            "organisation": {"error_messages": NOT_FOUND_MESSAGES},
        }
        # The unique current responsibility is the model's constraint, checked by full_clean().
        validators: list[Any] = []


class ExternalResponsibilityUpdateSerializer(ExternalResponsibilitySerializer):
    """A change of a responsibility; it stays with its system."""

    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    system: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
