"""The platform's uniformity in figures (P4.1): what the IT coordinator shows management.

Products per category (with their phases), systems per function (the categories of the products
the systems in use run on), overlapping products, the share of systems in use that run only on
approved products (the P5.4 rule's own count), and the trend of P5.4 and P4.1 read from the
daily compliance snapshots. Each function runs a fixed number of queries, whatever the size of
the catalogue and the register; `uniformity_report` runs them all (eleven queries at most).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from stadga.organisation.models import Municipality
from stadga.policy.models import ComplianceSnapshot
from stadga.policy.registry import RuleContext, RuleResult
from stadga.systems.models import System
from stadga.systems.rules import IN_USE

from .choices import APPROVED_PHASES, Phase
from .models import Product, ProductCategory, SystemProduct
from .rules import current_links, system_products_approved

# A category with this many approved products or more is pointed out, business system or not.
MANY_APPROVED = 3
# How many systems are named per function; the count names them all.
SYSTEMS_NAMED = 12
# How many months the trend covers.
TREND_MONTHS = 12
# The clauses whose trend the page shows.
TREND_CLAUSES = ("P5.4", "P4.1")


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent with one decimal, or None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- Products per category ----------------------------------------------------------------------


@dataclass
class CategoryProducts:
    """One category's products, counted per phase (in `Phase` order)."""

    name: str
    category: ProductCategory | None = None
    is_business_system: bool = False
    per_phase: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Phase.values, 0))

    @property
    def total(self) -> int:
        return sum(self.per_phase.values())

    @property
    def approved(self) -> int:
        return sum(self.per_phase[phase] for phase in APPROVED_PHASES)

    @property
    def phase_counts(self) -> list[int]:
        return [self.per_phase[phase] for phase in Phase.values]


def products_per_category(municipality: Municipality) -> list[CategoryProducts]:
    """Every current category with its current products counted per phase, and the products of
    no category last. Two queries."""
    rows: dict[int | None, CategoryProducts] = {}
    for category in (
        ProductCategory.objects.filter(municipality=municipality, archived_at__isnull=True)
        .select_related("municipality")
        .order_by("name", "pk")
    ):
        rows[category.pk] = CategoryProducts(
            name=category.name, category=category, is_business_system=category.is_business_system
        )
    counts = (
        Product.objects.filter(municipality=municipality, archived_at__isnull=True)
        .values("category_id", "phase")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        key = row["category_id"] if row["category_id"] in rows else None
        if key not in rows:
            rows[key] = CategoryProducts(name=_("No category"))
        rows[key].per_phase[row["phase"]] += row["n"]
    return list(rows.values())


# --- Systems per function -----------------------------------------------------------------------


def systems_in_use(municipality: Municipality) -> QuerySet[System]:
    return System.objects.filter(
        municipality=municipality, archived_at__isnull=True, lifecycle_phase__in=IN_USE
    )


def links_in_use(municipality: Municipality) -> QuerySet[SystemProduct]:
    """Links of the systems in use to products still in the catalogue."""
    return current_links().filter(system__in=systems_in_use(municipality))


@dataclass
class Function:
    """A function (a product category) and the systems in use that run on its products."""

    name: str
    category_id: int | None
    is_business_system: bool = False
    systems: list[str] = field(default_factory=list)
    products: set[str] = field(default_factory=set)

    @property
    def system_count(self) -> int:
        return len(self.systems)

    @property
    def named(self) -> list[str]:
        return self.systems[:SYSTEMS_NAMED]

    @property
    def unnamed(self) -> int:
        return max(self.system_count - SYSTEMS_NAMED, 0)


@dataclass
class SystemsPerFunction:
    functions: list[Function]
    systems_in_use: int
    without_product: int


def systems_per_function(municipality: Municipality) -> SystemsPerFunction:
    """The systems in production or phase-out grouped by the categories of the products they run
    on (a system on products of two categories counts in both), most systems first; and how many
    systems are in use and how many have no product recorded. Two queries."""
    functions: dict[int | None, Function] = {}
    seen: set[tuple[int | None, int]] = set()
    rows = (
        links_in_use(municipality)
        .order_by("system__name", "system_id", "product__name")
        .values_list(
            "product__category_id",
            "product__category__name",
            "product__category__is_business_system",
            "product__category__archived_at",
            "system_id",
            "system__name",
            "product__name",
        )
    )
    for category_id, name, business, archived_at, system_id, system, product in rows:
        key = category_id if archived_at is None else None
        if key not in functions:
            functions[key] = (
                Function(name=name, category_id=key, is_business_system=bool(business))
                if key is not None
                else Function(name=_("No category"), category_id=None)
            )
        function = functions[key]
        function.products.add(product)
        if (key, system_id) not in seen:
            seen.add((key, system_id))
            function.systems.append(system)
    has_product = Exists(current_links().filter(system=OuterRef("pk")))
    counts = systems_in_use(municipality).aggregate(
        total=Count("pk"), without=Count("pk", filter=~Q(has_product))
    )
    ordered = sorted(
        functions.values(),
        key=lambda f: (f.category_id is None, -f.system_count, f.name.casefold()),
    )
    return SystemsPerFunction(
        functions=ordered, systems_in_use=counts["total"], without_product=counts["without"]
    )


# --- Overlapping products -----------------------------------------------------------------------


@dataclass
class ProductInUse:
    name: str
    url: str
    phase_label: str
    phase: str
    systems: int


@dataclass
class Overlap:
    """A category with more than one approved product: in use side by side (business systems)
    or many approved at all."""

    name: str
    url: str
    is_business_system: bool
    approved: int
    in_use: list[ProductInUse] = field(default_factory=list)


def overlaps(
    municipality: Municipality, categories: list[CategoryProducts]
) -> tuple[list[Overlap], list[Overlap]]:
    """(business-system categories with more than one approved product in use by systems in
    use, categories with `MANY_APPROVED` approved products or more), from `categories` (see
    `products_per_category`) and one query of the approved products in use."""
    by_category: dict[int, list[ProductInUse]] = defaultdict(list)
    in_use_systems = Q(
        system_links__system__in=systems_in_use(municipality),
    )
    products = (
        Product.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            phase__in=APPROVED_PHASES,
            category__isnull=False,
            pk__in=links_in_use(municipality).values("product"),
        )
        .annotate(system_count=Count("system_links__system", filter=in_use_systems, distinct=True))
        .select_related("municipality")
        .order_by("-system_count", "name", "pk")
    )
    for product in products:
        assert product.category_id is not None
        by_category[product.category_id].append(
            ProductInUse(
                name=product.name,
                url=product.get_absolute_url(),
                phase=product.phase,
                phase_label=product.get_phase_display(),
                systems=product.system_count,  # type: ignore[attr-defined]
            )
        )
    in_use: list[Overlap] = []
    many: list[Overlap] = []
    for row in categories:
        if row.category is None:
            continue
        overlap = Overlap(
            name=row.name,
            url=row.category.get_absolute_url(),
            is_business_system=row.is_business_system,
            approved=row.approved,
            in_use=by_category.get(row.category.pk, []),
        )
        if row.is_business_system and len(overlap.in_use) > 1:
            in_use.append(overlap)
        if row.approved >= MANY_APPROVED:
            many.append(overlap)
    many.sort(key=lambda o: (-o.approved, o.name.casefold()))
    return in_use, many


# --- Share on approved products (P5.4) ----------------------------------------------------------


@dataclass
class ApprovedShare:
    result: RuleResult

    @property
    def kept(self) -> int:
        return self.result.numerator or 0

    @property
    def total(self) -> int:
        return self.result.denominator or 0

    @property
    def percent(self) -> Decimal | None:
        return percent(self.kept, self.total)


def approved_share(municipality: Municipality) -> ApprovedShare:
    """The share of systems in use that run only on approved products, counted exactly as the
    compliance rule `catalogue.system_products_approved` (P5.4) counts it, with its first
    offenders. Three queries at most."""
    return ApprovedShare(system_products_approved(RuleContext(municipality=municipality)))


# --- Trend --------------------------------------------------------------------------------------


@dataclass
class ClausePoint:
    status: str = ""
    numerator: int | None = None
    denominator: int | None = None
    summary: str = ""

    @property
    def percent(self) -> Decimal | None:
        if self.numerator is None or self.denominator is None:
            return None
        return percent(self.numerator, self.denominator)

    @property
    def status_label(self) -> str:
        from stadga.policy.choices import Status

        return str(Status(self.status).label) if self.status in Status.values else ""


@dataclass
class TrendPoint:
    """The last snapshot of a month: how P5.4 and P4.1 stood that day."""

    taken_on: datetime.date
    clauses: dict[str, ClausePoint]

    @property
    def p54(self) -> ClausePoint:
        return self.clauses["P5.4"]

    @property
    def p41(self) -> ClausePoint:
        return self.clauses["P4.1"]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def trend(municipality: Municipality, today: datetime.date) -> list[TrendPoint]:
    """The last snapshot of each of the last `TREND_MONTHS` months (this one included), oldest
    first, with P5.4's and P4.1's status and figures as they were that day. Two queries: the
    last day of each month, and those days' figures (read from the JSON, not the whole
    snapshot)."""
    since = today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
    snapshots = ComplianceSnapshot.objects.filter(municipality=municipality, taken_on__gte=since)
    days = [
        row["last"]
        for row in snapshots.annotate(month=TruncMonth("taken_on"))
        .values("month")
        .annotate(last=Max("taken_on"))
        .order_by("month")
    ]
    if not days:
        return []
    fields: dict[str, Any] = {}
    for index, clause in enumerate(TREND_CLAUSES):
        for name in ("status", "numerator", "denominator", "summary"):
            fields[f"c{index}_{name}"] = KT(f"clauses__{clause}__{name}")
    points: dict[datetime.date, TrendPoint] = {}
    # Two policies measured on one day (a new version adopted): the later snapshot counts.
    rows: Any = (
        snapshots.filter(taken_on__in=days).values("taken_on", **fields).order_by("taken_on", "pk")
    )
    for row in rows:
        points[row["taken_on"]] = TrendPoint(
            taken_on=row["taken_on"],
            clauses={
                clause: ClausePoint(
                    status=row[f"c{index}_status"] or "",
                    numerator=_int(row[f"c{index}_numerator"]),
                    denominator=_int(row[f"c{index}_denominator"]),
                    summary=row[f"c{index}_summary"] or "",
                )
                for index, clause in enumerate(TREND_CLAUSES)
            },
        )
    return [points[day] for day in sorted(points)]


@dataclass(frozen=True)
class Bar:
    """One bar of the trend chart, in the SVG's own units."""

    x: int
    y: int
    height: int
    label: str
    value: str
    width: int = 0

    @property
    def middle(self) -> int:
        return self.x + self.width // 2


CHART_HEIGHT = 100
BAR_WIDTH = 28
BAR_GAP = 10
# The chart is drawn twice the size of its own units.
CHART_SCALE = 2


def trend_bars(points: list[TrendPoint]) -> list[Bar]:
    """The trend of P5.4's share as bars: 100 units high is 100 per cent."""
    bars = []
    for index, point in enumerate(points):
        share = point.p54.percent
        height = int(share.to_integral_value()) if share is not None else 0
        bars.append(
            Bar(
                x=index * (BAR_WIDTH + BAR_GAP),
                y=CHART_HEIGHT - height,
                height=height,
                label=point.taken_on.strftime("%Y-%m"),
                value=f"{share:.0f} %" if share is not None else "–",
                width=BAR_WIDTH,
            )
        )
    return bars


# --- Everything ---------------------------------------------------------------------------------


@dataclass
class UniformityReport:
    today: datetime.date
    categories: list[CategoryProducts]
    functions: SystemsPerFunction
    overlapping: list[Overlap]
    many_approved: list[Overlap]
    share: ApprovedShare
    trend: list[TrendPoint]
    bars: list[Bar]

    @property
    def phases(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Phase.choices]

    @property
    def product_total(self) -> int:
        return sum(row.total for row in self.categories)

    @property
    def approved_total(self) -> int:
        return sum(row.approved for row in self.categories)

    @property
    def phase_totals(self) -> list[int]:
        return [sum(row.per_phase[p] for row in self.categories) for p in Phase.values]

    @property
    def chart_width(self) -> int:
        return max(len(self.bars) * (BAR_WIDTH + BAR_GAP), BAR_WIDTH + BAR_GAP)

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT

    @property
    def svg_width(self) -> int:
        return (self.chart_width + 40) * CHART_SCALE

    @property
    def svg_height(self) -> int:
        return (self.chart_height + 36) * CHART_SCALE


def uniformity_report(municipality: Municipality, today: datetime.date) -> UniformityReport:
    """Every figure of the uniformity page: eleven queries at most, whatever the data."""
    categories = products_per_category(municipality)
    overlapping, many = overlaps(municipality, categories)
    points = trend(municipality, today)
    return UniformityReport(
        today=today,
        categories=categories,
        functions=systems_per_function(municipality),
        overlapping=overlapping,
        many_approved=many,
        share=approved_share(municipality),
        trend=points,
        bars=trend_bars(points),
    )
