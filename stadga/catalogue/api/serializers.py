"""The catalogue as the API reads and writes it: vendors (P5.2), categories (P4.1), products with
their current phase (read-only: it changes only through a decision, P5.4), versions and the
decisions themselves (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from stadga.api.base import NOT_FOUND_MESSAGES, ScopedSerializer, UiUrlMixin
from stadga.catalogue.choices import Phase, ProductFlag, ProductKind
from stadga.catalogue.models import (
    PhaseDecision,
    Product,
    ProductCategory,
    ProductVersion,
    Vendor,
)
from stadga.catalogue.selectors import category_list, product_list, vendor_list
from stadga.security.api.serializers import InlineChoiceField

_TIMESTAMPS = ("archived_at", "created_at", "updated_at")
_UNKNOWN = {"error_messages": NOT_FOUND_MESSAGES}


def _municipality_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


class VendorSerializer(ScopedSerializer):
    """A vendor with the IT department's view of its standing and prospects (P5.2)."""

    class Meta:
        model = Vendor
        fields = (
            "id",
            "municipality",
            "name",
            "organisation_number",
            "website",
            "market_standing",
            "long_term_prospects",
            "assessed_on",
            "notes",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []  # the unique name is checked by the service's full_clean()


class VendorUpdateSerializer(VendorSerializer):
    municipality = _municipality_field()


class ProductCategorySerializer(ScopedSerializer):
    """What products are for: the unit of the platform's uniformity (P4.1)."""

    class Meta:
        model = ProductCategory
        fields = (
            "id",
            "municipality",
            "name",
            "description",
            "is_business_system",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        validators: list[Any] = []


class ProductCategoryUpdateSerializer(ProductCategorySerializer):
    municipality = _municipality_field()


# Named apart from the product requests: the input half of a "Product" component would be called
# "ProductRequest" too.
@extend_schema_serializer(component_name="CatalogueProduct")
class ProductSerializer(ScopedSerializer):
    """A product and where it stands: `phase`, `phase_since`, `phase_ends_on` and `constraints`
    are the IT department's latest decision (P5.4), read-only here; `POST …/phase/` records a
    new one. `flags` say why a system running on it is pointed out today."""

    kind = InlineChoiceField(choices=ProductKind.choices, required=False)
    phase = InlineChoiceField(choices=Phase.choices, read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    is_approved = serializers.BooleanField(read_only=True)
    flags = serializers.SerializerMethodField(
        help_text=_("Never approved, rejected, retired, phase-out ended, past end of support.")
    )

    scoped_fields = {
        "vendor": lambda access: vendor_list(access=access),
        "category": lambda access: category_list(access=access),
    }

    class Meta:
        model = Product
        fields = (
            "id",
            "municipality",
            "name",
            "kind",
            "category",
            "category_name",
            "vendor",
            "vendor_name",
            "description",
            "website",
            "end_of_support",
            "notes",
            "phase",
            "phase_since",
            "phase_ends_on",
            "constraints",
            "is_approved",
            "flags",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = ("phase_since", "phase_ends_on", "constraints", *_TIMESTAMPS)
        extra_kwargs = {"vendor": _UNKNOWN, "category": _UNKNOWN}
        validators: list[Any] = []

    @extend_schema_field(
        serializers.ListField(child=InlineChoiceField(choices=ProductFlag.choices))
    )
    def get_flags(self, obj: Product) -> list[str]:
        today = self.context.get("today") or timezone.localdate()
        return [str(flag) for flag in obj.flags_on(today)]


@extend_schema_serializer(component_name="CatalogueProductUpdate")
class ProductUpdateSerializer(ProductSerializer):
    municipality = _municipality_field()


class ProductVersionSerializer(ScopedSerializer):
    """A version of a product with the vendor's own dates."""

    product_name = serializers.CharField(source="product.name", read_only=True)

    scoped_fields = {"product": lambda access: product_list(access=access)}

    class Meta:
        model = ProductVersion
        fields = (
            "id",
            "municipality",
            "product",
            "product_name",
            "version",
            "general_availability",
            "end_of_sale",
            "end_of_support",
            "url",
            "is_archived",
            *_TIMESTAMPS,
        )
        read_only_fields = _TIMESTAMPS
        extra_kwargs = {"product": _UNKNOWN}
        validators: list[Any] = []


class ProductVersionUpdateSerializer(ProductVersionSerializer):
    """A change of a version's dates; the version stays its product's."""

    municipality = _municipality_field()
    product: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)


class PhaseDecisionSerializer(UiUrlMixin, serializers.ModelSerializer):
    """One dated decision on a product's phase with its reasons (P5.4): a record, read-only."""

    municipality = _municipality_field()
    phase = InlineChoiceField(choices=Phase.choices, read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.name", read_only=True, allow_null=True
    )

    class Meta:
        model = PhaseDecision
        fields = (
            "id",
            "municipality",
            "product",
            "product_name",
            "phase",
            "effective_from",
            "ends_on",
            "constraints",
            "reason",
            "decided_by",
            "decided_by_name",
            "request",
            "url",
            "created_at",
        )
        read_only_fields = fields


class PhaseDecisionInputSerializer(serializers.Serializer):
    """A new decision on a product's phase: always with reasons; constraints in words for
    'approved with constraints'; an end date for a phase-out (P5.4)."""

    phase = InlineChoiceField(
        choices=[(v, label) for v, label in Phase.choices if v != Phase.NOT_ASSESSED]
    )
    reason = serializers.CharField()
    effective_from = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    constraints = serializers.CharField(required=False, allow_blank=True, default="")
