"""The installed-software inventory as the API reads and writes it (P5.4, P5.5).

Sources, snapshots, software titles and installations come from imports and are read-only here;
the normalisation rules (the software dictionary) are written by the IT department through
`services_rules`. A title's and an installation's `status` is the reconciliation status as the
catalogue stands today (`Reconciliation`), computed by the query, never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer
from stadga.catalogue.selectors import product_list, version_list
from stadga.inventory.choices import (
    InventoryFormat,
    Reconciliation,
    RuleAction,
    RuleField,
    RuleMatch,
    SnapshotStatus,
)
from stadga.inventory.models import (
    Installation,
    InventorySource,
    NormalisationRule,
    Snapshot,
    SoftwareTitle,
)
from stadga.security.api.serializers import InlineChoiceField

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")
_UNKNOWN = {"error_messages": NOT_FOUND_MESSAGES}


class TitleOutcome(models.TextChoices):
    """What the software dictionary made of a title, for the titles' filter and rows."""

    MAPPED = "mapped", _("Mapped to a catalogue product")
    IGNORED = "ignored", _("Ignored")
    UNKNOWN = "unknown", _("Unknown: no rule maps it (renamed titles included)")


def page_url(context: Mapping[str, Any], name: str, municipality_slug: str, pk: int) -> str | None:
    """The inventory page `inventory:<name>` of an object, absolute when there is a request; None
    while the page is not mounted."""
    try:
        path = reverse(f"inventory:{name}", kwargs={"municipality": municipality_slug, "pk": pk})
    except NoReverseMatch:
        return None
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PageUrlMixin(serializers.Serializer):
    """`url`: the object's page in the UI (`page_name` of the inventory's URLs)."""

    page_name: str = ""
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj: Any) -> str | None:
        return page_url(self.context, self.page_name, obj.municipality.slug, obj.pk)


def _municipality_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


class InventorySourceSerializer(PageUrlMixin, serializers.ModelSerializer):
    """Where an inventory comes from (GLPI, Intune, a spreadsheet); each import of it is a
    snapshot that replaces the previous one, `current_snapshot`."""

    page_name = "source_detail"
    municipality = _municipality_field()
    format = InlineChoiceField(choices=InventoryFormat.choices, read_only=True)
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = InventorySource
        fields = (
            "id",
            "municipality",
            "name",
            "format",
            "current_snapshot",
            "notes",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = fields


@extend_schema_serializer(component_name="InventorySnapshot")
class SnapshotSerializer(PageUrlMixin, serializers.ModelSerializer):
    """One import of a source: its counts, its progress while it loads, and `figures` —
    installations per reconciliation status when it completed (the trend)."""

    page_name = "snapshot_detail"
    municipality = _municipality_field()
    source_name = serializers.CharField(source="source.name", read_only=True)
    status = InlineChoiceField(choices=SnapshotStatus.choices, read_only=True)
    is_current = serializers.SerializerMethodField()
    figures = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_(
            "Installations per reconciliation status when the snapshot completed, and the "
            "distinct titles counted (`titles`)."
        ),
    )
    imported_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = (
            "id",
            "municipality",
            "source",
            "source_name",
            "status",
            "is_current",
            "started_at",
            "finished_at",
            "file_name",
            "rows_read",
            "bytes_read",
            "bytes_total",
            "rows_imported",
            "rows_skipped",
            "device_count",
            "title_count",
            "error",
            "figures",
            "imported_by_name",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_is_current(self, snapshot: Snapshot) -> bool:
        return snapshot.source.current_snapshot_id == snapshot.pk

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_imported_by_name(self, snapshot: Snapshot) -> str | None:
        user = snapshot.imported_by
        if user is None:
            return None
        return user.get_full_name() or user.get_username()


class SoftwareTitleSerializer(serializers.ModelSerializer):
    """A distinct title as the inventories report it, what the dictionary made of it (`rule`,
    `product`, `ignored`, `display_name`), its reconciliation status today and its installations
    in the current snapshots."""

    municipality = _municipality_field()
    outcome = serializers.SerializerMethodField()
    status = InlineChoiceField(choices=Reconciliation.choices, read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, allow_null=True)
    product_version_name = serializers.CharField(
        source="product_version.version", read_only=True, allow_null=True
    )
    installations = serializers.IntegerField(
        read_only=True, help_text=_("Installations in the sources' current snapshots.")
    )
    devices = serializers.IntegerField(
        read_only=True, help_text=_("Devices it is installed on in the current snapshots.")
    )

    class Meta:
        model = SoftwareTitle
        fields = (
            "id",
            "municipality",
            "name",
            "publisher",
            "version",
            "outcome",
            "status",
            "rule",
            "product",
            "product_name",
            "product_version",
            "product_version_name",
            "ignored",
            "display_name",
            "installations",
            "devices",
        )
        read_only_fields = fields

    @extend_schema_field(InlineChoiceField(choices=TitleOutcome.choices))
    def get_outcome(self, title: SoftwareTitle) -> str:
        if title.ignored:
            return TitleOutcome.IGNORED
        if title.product_id is not None:
            return TitleOutcome.MAPPED
        return TitleOutcome.UNKNOWN


class NormalisationRuleSerializer(PageUrlMixin, ScopedSerializer):
    """One rule of the software dictionary: titles whose `field` matches `pattern` (exact text
    or a regular expression, ignoring case) are mapped to a catalogue product, renamed or
    ignored. Rules are tried in order of `position`; the first that matches decides. Without a
    `position` a new rule goes last."""

    page_name = "rule_update"
    field = InlineChoiceField(choices=RuleField.choices)
    match = InlineChoiceField(choices=RuleMatch.choices, required=False)
    action = InlineChoiceField(choices=RuleAction.choices)
    product_name = serializers.CharField(source="product.name", read_only=True, allow_null=True)

    scoped_fields = {
        "product": lambda access: product_list(access=access),
        "product_version": lambda access: version_list(access=access),
    }

    class Meta:
        model = NormalisationRule
        fields = (
            "id",
            "municipality",
            "position",
            "field",
            "match",
            "pattern",
            "action",
            "product",
            "product_name",
            "product_version",
            "new_name",
            "notes",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {
            "position": {"required": False},
            # A regular expression's spaces are part of it ("^Update for ").
            "pattern": {"trim_whitespace": False},
            "product": _UNKNOWN,
            "product_version": _UNKNOWN,
        }
        # The unique position is checked by the service's full_clean().
        validators: list[Any] = []


class NormalisationRuleUpdateSerializer(NormalisationRuleSerializer):
    """A change of a rule; the rule stays in its municipality."""

    municipality = _municipality_field()


class InstallationSerializer(serializers.ModelSerializer):
    """One title on one device in a source's current snapshot, with its reconciliation status
    today (P5.5: `unapproved` and `retired` may not be installed or supported)."""

    status = InlineChoiceField(choices=Reconciliation.choices, read_only=True)
    device_name = serializers.CharField(source="device.name", read_only=True)
    user = serializers.CharField(source="device.user", read_only=True)
    department = serializers.IntegerField(
        source="device.department_id", read_only=True, allow_null=True
    )
    department_name = serializers.CharField(
        source="device.department.name", read_only=True, allow_null=True
    )
    department_text = serializers.CharField(
        source="device.department_text",
        read_only=True,
        help_text=_("The department as the source reported it."),
    )
    name = serializers.CharField(source="title.name", read_only=True)
    publisher = serializers.CharField(source="title.publisher", read_only=True)
    version = serializers.CharField(source="title.version", read_only=True)
    product = serializers.IntegerField(source="title.product_id", read_only=True, allow_null=True)
    product_name = serializers.CharField(
        source="title.product.name", read_only=True, allow_null=True
    )
    device_url = serializers.SerializerMethodField()

    class Meta:
        model = Installation
        fields = (
            "id",
            "snapshot",
            "status",
            "device",
            "device_name",
            "user",
            "department",
            "department_name",
            "department_text",
            "title",
            "name",
            "publisher",
            "version",
            "product",
            "product_name",
            "install_date",
            "arch",
            "device_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_device_url(self, installation: Installation) -> str | None:
        slug = self.context.get("municipality_slug")
        if not slug:
            return None
        return page_url(self.context, "device_detail", slug, installation.device_id)
