"""Reads of the catalogue shared by its pages, the API, the register and the exports, scoped to
what the user may see (every member reads the catalogue; P5.4: everyone may ask "is this
approved?")."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .access import catalogue_q
from .choices import APPROVED_PHASES, Phase
from .models import (
    CatalogueSettings,
    PhaseDecision,
    Product,
    ProductCategory,
    ProductVersion,
    SystemProduct,
    Vendor,
)

# How many products one search answers with; the page says when there are more.
SEARCH_LIMIT = 50

# Phases that flag a system running on the product whatever the date (P5.4, P5.5).
FLAGGED_PHASES = (Phase.NOT_ASSESSED, Phase.EVALUATION, Phase.REJECTED, Phase.RETIRED)


def _scoped(model: Any, access: Access, municipality: Municipality | None, archived: bool | None):
    qs = model.objects.filter(catalogue_q(access))
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


# --- vendors, categories, products, versions -------------------------------------------------


def vendor_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Vendor]:
    return (
        _scoped(Vendor, access, municipality, archived)
        .select_related("municipality")
        .annotate(product_count=Count("products", filter=Q(products__archived_at__isnull=True)))
    )


def vendor_get(*, access: Access, municipality: Municipality, pk: int) -> Vendor:
    qs = _scoped(Vendor, access, municipality, None).select_related("municipality", "archived_by")
    return get_object_or_404(qs, pk=pk)


def category_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ProductCategory]:
    return (
        _scoped(ProductCategory, access, municipality, archived)
        .select_related("municipality")
        .annotate(product_count=Count("products", filter=Q(products__archived_at__isnull=True)))
    )


def category_get(*, access: Access, municipality: Municipality, pk: int) -> ProductCategory:
    qs = _scoped(ProductCategory, access, municipality, None).select_related(
        "municipality", "archived_by"
    )
    return get_object_or_404(qs, pk=pk)


def product_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Product]:
    """Products the user reads, with what a list row shows fetched up front."""
    return _scoped(Product, access, municipality, archived).select_related(
        "municipality", "vendor", "category"
    )


def product_get(*, access: Access, municipality: Municipality, pk: int) -> Product:
    qs = _scoped(Product, access, municipality, None).select_related(
        "municipality", "vendor", "category", "archived_by"
    )
    return get_object_or_404(qs, pk=pk)


def version_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool | None = False
) -> QuerySet[ProductVersion]:
    return _scoped(ProductVersion, access, municipality, archived).select_related(
        "municipality", "product__municipality"
    )


def version_get(*, access: Access, municipality: Municipality, pk: int) -> ProductVersion:
    qs = _scoped(ProductVersion, access, municipality, None).select_related(
        "municipality", "product__municipality"
    )
    return get_object_or_404(qs, pk=pk)


def phase_decision_list(
    *, access: Access, municipality: Municipality | None = None
) -> QuerySet[PhaseDecision]:
    """The catalogue's history: every decision, newest first, with who decided."""
    qs = PhaseDecision.objects.filter(catalogue_q(access))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "product", "decided_by", "request")


# --- flags (P5.4, P5.5) ----------------------------------------------------------------------


def flagged_product_q(today: datetime.date, prefix: str = "") -> Q:
    """Products a system should not run on today, as `Product.flags_on` says without a version:
    never approved, rejected, retired, phase-out ended, or past the vendor's end of support."""
    p = prefix
    return (
        Q(**{f"{p}phase__in": FLAGGED_PHASES})
        | Q(**{f"{p}phase": Phase.PHASE_OUT, f"{p}phase_ends_on__lt": today})
        | Q(**{f"{p}end_of_support__lt": today})
    )


def flagged_link_q(today: datetime.date) -> Q:
    """Links (SystemProduct) whose product or version `flags_on` would flag today."""
    return flagged_product_q(today, "product__") | Q(version__end_of_support__lt=today)


def runs_on_flagged_product(today: datetime.date, system_ref: str = "pk") -> Exists:
    """For a queryset of systems: whether the system runs on a flagged product (P5.4)."""
    return Exists(
        SystemProduct.objects.filter(system=OuterRef(system_ref)).filter(flagged_link_q(today))
    )


def runs_on_product_named(text: str, system_ref: str = "pk") -> Exists:
    """For a queryset of systems: whether one of its products, or their vendor, is named like
    `text` (a subquery, so a system with two such products is found once)."""
    return Exists(
        SystemProduct.objects.filter(system=OuterRef(system_ref)).filter(
            Q(product__name__icontains=text) | Q(product__vendor__name__icontains=text)
        )
    )


@dataclass
class ProductOfSystem:
    """One product a system runs on, with its version and today's flags."""

    link: SystemProduct
    product: Product
    version: ProductVersion | None
    flags: list[str]

    @property
    def flag_labels(self) -> list[str]:
        from .choices import ProductFlag

        return [str(ProductFlag(flag).label) for flag in self.flags]


def system_product_flags(
    systems: Iterable[Any], today: datetime.date
) -> dict[int, list[ProductOfSystem]]:
    """Per system (by id), the products it runs on, their versions and flags: one query for any
    number of systems."""
    ids = [getattr(s, "pk", s) for s in systems]
    result: dict[int, list[ProductOfSystem]] = {pk: [] for pk in ids}
    if not ids:
        return result
    links = (
        SystemProduct.objects.filter(system_id__in=ids)
        .select_related("product__vendor", "product__category", "version")
        .order_by("system_id", "product__name", "pk")
    )
    for link in links:
        result[link.system_id].append(
            ProductOfSystem(
                link=link,
                product=link.product,
                version=link.version,
                flags=link.product.flags_on(today, link.version),
            )
        )
    return result


# --- "is this approved?" ---------------------------------------------------------------------


@dataclass
class SearchHit:
    """A product found by a search, and, if it is not approved, the approved products of its
    category to choose instead (P4.1, P5.3)."""

    product: Product
    alternatives: list[Product] = field(default_factory=list)

    @property
    def is_approved(self) -> bool:
        return self.product.is_approved


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    more: bool  # more products matched than are shown


def product_search(*, access: Access, municipality: Municipality, q: str) -> SearchResult:
    """Current products whose name, vendor or category matches `q`, approved ones first, each
    not approved with the approved alternatives of its category. Two queries whatever the
    number of products."""
    text = " ".join(q.split())
    if not text:
        return SearchResult(query="", hits=[], more=False)
    matches = list(
        product_list(access=access, municipality=municipality)
        .filter(
            Q(name__icontains=text)
            | Q(vendor__name__icontains=text)
            | Q(category__name__icontains=text)
        )
        .order_by("name", "pk")[: SEARCH_LIMIT + 1]
    )
    more = len(matches) > SEARCH_LIMIT
    matches = matches[:SEARCH_LIMIT]
    # An exact name first, then the approved, then the rest: the answer to "is X approved?".
    folded = text.casefold()
    matches.sort(key=lambda p: (p.name.casefold() != folded, not p.is_approved))
    categories = {p.category_id for p in matches if not p.is_approved and p.category_id}
    alternatives: dict[int, list[Product]] = defaultdict(list)
    if categories:
        for product in (
            product_list(access=access, municipality=municipality)
            .filter(category_id__in=categories, phase__in=APPROVED_PHASES)
            .order_by("name", "pk")
        ):
            alternatives[product.category_id].append(product)  # type: ignore[index]
    hits = [
        SearchHit(
            product=p,
            alternatives=[]
            if p.is_approved or not p.category_id
            else [a for a in alternatives[p.category_id] if a.pk != p.pk],
        )
        for p in matches
    ]
    return SearchResult(query=text, hits=hits, more=more)


def systems_on_product(*, access: Access, product: Product) -> QuerySet[SystemProduct]:
    """The links of the systems the user may read that run on `product` (P4.1)."""
    from stadga.systems.models import System

    visible = System.objects.filter(access.system_q(), municipality_id=product.municipality_id)
    return (
        SystemProduct.objects.filter(product=product, system__in=visible)
        .select_related("system__municipality", "version")
        .order_by("system__name", "pk")
    )


def catalogue_settings_for(municipality: Municipality) -> CatalogueSettings:
    """The municipality's catalogue settings: the stored row, or the defaults (unsaved). One
    query."""
    return CatalogueSettings.for_municipality(municipality)
