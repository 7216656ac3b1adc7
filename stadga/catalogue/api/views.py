"""API endpoints of the product catalogue, with the UI's access rules: every member of a
municipality reads its catalogue (P5.4: anyone may ask whether a product is approved); the IT
department keeps it and decides on products' phases. Anything of another municipality is a 404.
Phase decisions are records: read-only, recorded through `POST products/<id>/phase/`."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import ID_PATTERN, ApiAutoSchema, GovernedViewSet, Pagination
from stadga.catalogue import selectors
from stadga.catalogue import services_catalogue as services
from stadga.catalogue.access import keeps_catalogue
from stadga.catalogue.choices import Phase, ProductKind
from stadga.catalogue.models import PhaseDecision, Product, ProductCategory, ProductVersion, Vendor
from stadga.catalogue.services_phases import product_phase_set
from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import person_of

from . import serializers as s

KEEPER_ONLY = _("Only the IT department keeps the product catalogue (P5.4).")


# --- filters -------------------------------------------------------------------------------------


class MunicipalityScopedFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )


class VendorFilter(MunicipalityScopedFilter):
    class Meta:
        model = Vendor
        fields = ("municipality",)


class ProductCategoryFilter(MunicipalityScopedFilter):
    class Meta:
        model = ProductCategory
        fields = ("municipality", "is_business_system")


class ProductFilter(MunicipalityScopedFilter):
    # Related objects by plain number, as elsewhere in the API (no 400 telling ids apart).
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    category = django_filters.NumberFilter(field_name="category_id")
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ProductKind.choices)
    flagged = django_filters.BooleanFilter(
        method="filter_flagged",
        label=_("Flagged: never approved, rejected, retired, phase-out ended or past support"),
    )

    class Meta:
        model = Product
        fields = {"end_of_support": ["gte", "lte"], "phase_ends_on": ["gte", "lte"]}

    def filter_flagged(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        flagged = selectors.flagged_product_q(timezone.localdate())
        return queryset.filter(flagged) if value else queryset.exclude(flagged)


class ProductVersionFilter(MunicipalityScopedFilter):
    product = django_filters.NumberFilter(field_name="product_id")

    class Meta:
        model = ProductVersion
        fields = {"end_of_support": ["gte", "lte"]}


class PhaseDecisionFilter(MunicipalityScopedFilter):
    product = django_filters.NumberFilter(field_name="product_id")
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices)

    class Meta:
        model = PhaseDecision
        fields = {"effective_from": ["gte", "lte"]}


# --- shared --------------------------------------------------------------------------------------


class CatalogueViewSet(GovernedViewSet):
    """Read by every member, written by the IT department of the object's municipality."""

    create_denied = KEEPER_ONLY
    change_denied = KEEPER_ONLY
    archive_denied = KEEPER_ONLY

    def may_create(self, municipality: Municipality) -> bool:
        return keeps_catalogue(self.access, municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return keeps_catalogue(self.access, instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)


class VendorViewSet(CatalogueViewSet):
    """Vendors and the IT department's view of their standing and prospects (P5.2)."""

    model = Vendor
    serializer_class = s.VendorSerializer
    update_serializer_class = s.VendorUpdateSerializer
    filterset_class = VendorFilter
    search_fields = ("name", "organisation_number")
    ordering_fields = ("name", "assessed_on", "updated_at")

    def visible(self, *, archived: bool) -> QuerySet[Vendor]:
        return Vendor.objects.filter(
            selectors.catalogue_q(self.access), archived_at__isnull=not archived
        ).select_related("municipality")

    def visible_object(self, *, municipality: Municipality, pk: int) -> Vendor:
        return selectors.vendor_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.vendor_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: Vendor, data: dict[str, Any]) -> Model:
        return services.vendor_update(vendor=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Vendor) -> Model:
        return services.vendor_archive(vendor=instance, actor=self.request.user)

    def service_restore(self, *, instance: Vendor) -> Model:
        return services.vendor_restore(vendor=instance, actor=self.request.user)


class ProductCategoryViewSet(CatalogueViewSet):
    """What products are for: the unit in which the platform's uniformity is measured (P4.1)."""

    model = ProductCategory
    serializer_class = s.ProductCategorySerializer
    update_serializer_class = s.ProductCategoryUpdateSerializer
    filterset_class = ProductCategoryFilter
    search_fields = ("name", "description")
    ordering_fields = ("name", "updated_at")

    def visible(self, *, archived: bool) -> QuerySet[ProductCategory]:
        return ProductCategory.objects.filter(
            selectors.catalogue_q(self.access), archived_at__isnull=not archived
        ).select_related("municipality")

    def visible_object(self, *, municipality: Municipality, pk: int) -> ProductCategory:
        return selectors.category_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.product_category_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: ProductCategory, data: dict[str, Any]) -> Model:
        return services.product_category_update(
            category=instance, data=data, actor=self.request.user
        )[0]

    def service_archive(self, *, instance: ProductCategory) -> Model:
        return services.product_category_archive(category=instance, actor=self.request.user)

    def service_restore(self, *, instance: ProductCategory) -> Model:
        return services.product_category_restore(category=instance, actor=self.request.user)


class ProductViewSet(CatalogueViewSet):
    """Products and where each stands (P5.4); the phase is read-only here and changes only
    through `POST products/<id>/phase/`, a dated decision with reasons."""

    model = Product
    serializer_class = s.ProductSerializer
    update_serializer_class = s.ProductUpdateSerializer
    filterset_class = ProductFilter
    search_fields = ("name", "description", "vendor__name", "category__name")
    ordering_fields = ("name", "phase", "phase_since", "phase_ends_on", "end_of_support")

    def visible(self, *, archived: bool) -> QuerySet[Product]:
        return selectors.product_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> Product:
        return selectors.product_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        return services.product_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: Product, data: dict[str, Any]) -> Model:
        return services.product_update(product=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: Product) -> Model:
        return services.product_archive(product=instance, actor=self.request.user)

    def service_restore(self, *, instance: Product) -> Model:
        return services.product_restore(product=instance, actor=self.request.user)

    @extend_schema(request=s.PhaseDecisionInputSerializer, responses=s.ProductSerializer)
    @action(detail=True, methods=["post"])
    def phase(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the IT department's decision on the product's phase, with reasons (P5.4)."""
        product = self.get_object()
        if not self.may_change(product):
            raise PermissionDenied(KEEPER_ONLY)
        if product.archived_at is not None:
            raise PermissionDenied(_("It is archived: restore it before changing it."))
        body = s.PhaseDecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            product_phase_set(
                product=product,
                decided_by=person_of(product.municipality, self.request.user),
                actor=request.user,
                **body.validated_data,
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise ValidationError(detail) from error
        return self.represent(product)


class ProductVersionViewSet(CatalogueViewSet):
    """Versions of products with the vendor's own dates."""

    model = ProductVersion
    serializer_class = s.ProductVersionSerializer
    update_serializer_class = s.ProductVersionUpdateSerializer
    filterset_class = ProductVersionFilter
    search_fields = ("version", "product__name")
    ordering_fields = ("version", "general_availability", "end_of_support", "updated_at")

    def visible(self, *, archived: bool) -> QuerySet[ProductVersion]:
        return selectors.version_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> ProductVersion:
        return selectors.version_get(access=self.access, municipality=municipality, pk=pk)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        product = data.pop("product")
        return services.product_version_create(product=product, data=data, actor=self.request.user)

    def service_update(self, *, instance: ProductVersion, data: dict[str, Any]) -> Model:
        return services.product_version_update(
            version=instance, data=data, actor=self.request.user
        )[0]

    def service_archive(self, *, instance: ProductVersion) -> Model:
        return services.product_version_archive(version=instance, actor=self.request.user)

    def service_restore(self, *, instance: ProductVersion) -> Model:
        return services.product_version_restore(version=instance, actor=self.request.user)


class PhaseDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue's history: every dated decision on a product's phase with its reasons and
    who decided (P5.4). Records: read-only."""

    model = PhaseDecision
    serializer_class = s.PhaseDecisionSerializer
    filterset_class = PhaseDecisionFilter
    search_fields = ("reason", "product__name")
    ordering_fields = ("effective_from", "created_at")
    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_queryset(self) -> QuerySet[PhaseDecision]:
        return selectors.phase_decision_list(access=self.access)

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance
