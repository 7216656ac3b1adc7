"""Reconciliation: what is installed, measured against what the IT department approved (P5.4,
P5.5).

Each installation takes the status of its title (`Reconciliation`): the dictionary maps the title
to a catalogue product, or ignores it, or leaves it unknown; a mapped title is as approved as its
product's phase is today. The status is never stored: it is read live, so the figures follow a
new rule, a replayed dictionary or a phase decision at once.

The reports do not count the installations (a municipality may have a million): when a snapshot
completes, `tally_write` groups its installations once into `Tally` rows — per title and
department, how many installations on how many devices — and every figure is a GROUP BY over
those (thousands of rows) joined to the titles and their products. Only the lists of individual
installations (the deviations, a device's software) read installations, a page at a time, through
their indexes.

Several sources (say GLPI and Intune) are reported together: the current snapshot of each. A
device that both report is counted in each.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.catalogue.choices import Phase
from stadga.organisation.models import Department, Municipality

from .choices import COUNTED, NOT_SUPPORTED, SUPPORTED, Reconciliation, SnapshotStatus
from .models import Device, Installation, InventorySource, Snapshot, SoftwareTitle, Tally

# Phases of a product never approved: not assessed, under evaluation, rejected.
NEVER_APPROVED_PHASES = tuple(
    p
    for p in Phase.values
    if p not in (Phase.APPROVED, Phase.APPROVED_WITH_CONSTRAINTS, Phase.PHASE_OUT, Phase.RETIRED)
)
# Products listed on the report, most installations first; the rest are summed in one row.
PRODUCTS_LISTED = 25
# Snapshots shown in the trend, newest last.
TREND_SNAPSHOTS = 12


def _pk(obj: Any) -> int:
    """An object's primary key, or the key itself."""
    return int(getattr(obj, "pk", obj))


# --- The status of a title ----------------------------------------------------------------------


def status_case(prefix: str = "", today: datetime.date | None = None) -> Case:
    """The reconciliation status of a software title as an SQL expression; `prefix` is the path
    from the queried model to the title (`"title__"` from a `Tally` or an `Installation`, `""`
    on `SoftwareTitle` itself). A phase-out counts as retired from the day after its end date."""
    today = today or timezone.localdate()
    phase = f"{prefix}product__phase"
    return Case(
        When(**{f"{prefix}ignored": True}, then=Value(Reconciliation.IGNORED)),
        When(**{f"{prefix}product__isnull": True}, then=Value(Reconciliation.UNKNOWN)),
        When(**{phase: Phase.APPROVED}, then=Value(Reconciliation.APPROVED)),
        When(
            **{phase: Phase.APPROVED_WITH_CONSTRAINTS},
            then=Value(Reconciliation.APPROVED_WITH_CONSTRAINTS),
        ),
        When(
            Q(**{phase: Phase.PHASE_OUT})
            & (
                Q(**{f"{prefix}product__phase_ends_on__isnull": True})
                | Q(**{f"{prefix}product__phase_ends_on__gte": today})
            ),
            then=Value(Reconciliation.PHASE_OUT),
        ),
        When(
            **{f"{phase}__in": (Phase.PHASE_OUT, Phase.RETIRED)}, then=Value(Reconciliation.RETIRED)
        ),
        # Not assessed, under evaluation, rejected: never approved.
        default=Value(Reconciliation.UNAPPROVED),
        output_field=CharField(),
    )


def status_q(statuses: Iterable[str], prefix: str = "", today: datetime.date | None = None) -> Q:
    """A filter for the titles in `statuses`, the same rule as `status_case` written as plain
    conditions on the title and its product's phase: the database estimates these well (it
    takes any CASE to match a percent of the rows), and so reaches a list's first page through
    an index instead of sorting every deviating installation."""
    today = today or timezone.localdate()
    phase = f"{prefix}product__phase"
    ends = f"{prefix}product__phase_ends_on"
    kept = Q(**{f"{prefix}ignored": False})
    phase_out_ended = Q(**{phase: Phase.PHASE_OUT, f"{ends}__lt": today})
    conditions = {
        Reconciliation.IGNORED: Q(**{f"{prefix}ignored": True}),
        Reconciliation.UNKNOWN: kept & Q(**{f"{prefix}product__isnull": True}),
        Reconciliation.APPROVED: kept & Q(**{phase: Phase.APPROVED}),
        Reconciliation.APPROVED_WITH_CONSTRAINTS: kept
        & Q(**{phase: Phase.APPROVED_WITH_CONSTRAINTS}),
        Reconciliation.PHASE_OUT: kept
        & Q(**{phase: Phase.PHASE_OUT})
        & (Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gte": today})),
        Reconciliation.RETIRED: kept & (Q(**{phase: Phase.RETIRED}) | phase_out_ended),
        Reconciliation.UNAPPROVED: kept & Q(**{f"{phase}__in": NEVER_APPROVED_PHASES}),
    }
    chosen = [conditions[Reconciliation(status)] for status in dict.fromkeys(statuses)]
    if not chosen:
        return Q(pk__in=[])  # no status: nothing
    return functools.reduce(operator.or_, chosen)


def status_of(
    *,
    ignored: bool,
    phase: str | None,
    phase_ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> str:
    """The same status as `status_case`, for a title already in memory (`phase` None when the
    title maps to no product)."""
    if ignored:
        return Reconciliation.IGNORED
    if phase is None:
        return Reconciliation.UNKNOWN
    if phase == Phase.APPROVED:
        return Reconciliation.APPROVED
    if phase == Phase.APPROVED_WITH_CONSTRAINTS:
        return Reconciliation.APPROVED_WITH_CONSTRAINTS
    if phase == Phase.PHASE_OUT and (
        phase_ends_on is None or phase_ends_on >= (today or timezone.localdate())
    ):
        return Reconciliation.PHASE_OUT
    if phase in (Phase.PHASE_OUT, Phase.RETIRED):
        return Reconciliation.RETIRED
    return Reconciliation.UNAPPROVED


# --- Which snapshots are reported ---------------------------------------------------------------


def current_snapshot_ids(
    municipality: Municipality | int, source: InventorySource | int | None = None
) -> list[int]:
    """The current snapshot of each of the municipality's sources (not archived), or of one.
    One query."""
    sources = InventorySource.objects.filter(
        municipality=municipality, archived_at__isnull=True, current_snapshot__isnull=False
    )
    if source is not None:
        sources = sources.filter(pk=_pk(source))
    return list(sources.values_list("current_snapshot_id", flat=True))


def current_tallies(
    municipality: Municipality | int,
    *,
    source: InventorySource | int | None = None,
    snapshot_ids: Sequence[int] | None = None,
) -> QuerySet[Tally]:
    """The tallies of the current snapshots (a subquery, so no query of its own unless
    `snapshot_ids` is computed here)."""
    if snapshot_ids is None:
        snapshot_ids = current_snapshot_ids(municipality, source)
    return Tally.objects.filter(snapshot_id__in=snapshot_ids)


# A department filter's value for the devices whose department is none of the municipality's.
NO_DEPARTMENT = 0


def _narrowed(
    queryset: QuerySet[Any], department: Department | int | None, path: str
) -> QuerySet[Any]:
    """`queryset` narrowed to one department (`path` leads to it), or to none with
    `NO_DEPARTMENT`."""
    if department is None:
        return queryset
    if _pk(department) == NO_DEPARTMENT:
        return queryset.filter(**{f"{path}__isnull": True})
    return queryset.filter(**{f"{path}_id": _pk(department)})


def current_installations(
    municipality: Municipality | int,
    *,
    statuses: Iterable[str] | None = None,
    source: InventorySource | int | None = None,
    department: Department | int | None = None,
    product: Any = None,
    today: datetime.date | None = None,
) -> QuerySet[Installation]:
    """The installations of the current snapshots with their `status` annotated (and narrowed
    to `statuses`, a department — `NO_DEPARTMENT` for none — or a catalogue product when
    given), their device and title (with its product) joined. Order and slice it: the table
    may hold a million rows.

    The statuses are matched through the titles (a few thousand), so that the database can
    reach the installations through their (snapshot, title) index rather than computing the
    status of every row."""
    today = today or timezone.localdate()
    snapshot_ids = InventorySource.objects.filter(
        municipality=municipality, archived_at__isnull=True, current_snapshot__isnull=False
    )
    if source is not None:
        snapshot_ids = snapshot_ids.filter(pk=_pk(source))
    queryset = Installation.objects.filter(
        snapshot_id__in=snapshot_ids.values("current_snapshot_id"),
    )
    if statuses is not None:
        queryset = queryset.filter(title__in=titles_with_status(municipality, statuses, today))
    if product is not None:
        queryset = queryset.filter(title__product_id=_pk(product))
    queryset = _narrowed(queryset, department, "device__department")
    return queryset.annotate(status=status_case("title__", today)).select_related(
        "device", "device__department", "title", "title__product"
    )


def installation_total(
    municipality: Municipality | int,
    *,
    statuses: Iterable[str] | None = None,
    source: InventorySource | int | None = None,
    department: Department | int | None = None,
    product: Any = None,
    today: datetime.date | None = None,
) -> int:
    """How many installations `current_installations` with the same arguments holds, read from
    the tallies rather than counted (the deviations list's total): one query. Ignored titles
    count only when `statuses` names them."""
    today = today or timezone.localdate()
    tallies = Tally.objects.filter(
        snapshot_id__in=InventorySource.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            current_snapshot__isnull=False,
            **({"pk": _pk(source)} if source is not None else {}),
        ).values("current_snapshot_id")
    )
    if statuses is not None:
        tallies = tallies.filter(title__in=titles_with_status(municipality, statuses, today))
    if product is not None:
        tallies = tallies.filter(title__product_id=_pk(product))
    tallies = _narrowed(tallies, department, "department")
    return int(tallies.aggregate(n=Sum("installations"))["n"] or 0)


# --- Writing the tallies of a snapshot ----------------------------------------------------------


def tally_write(snapshot: Snapshot | int) -> None:
    """Group the snapshot's installations into `Tally` rows: one INSERT … SELECT, so no row of
    the snapshot passes through Python. Called once, when the snapshot completes."""
    snapshot_id = _pk(snapshot)
    grouped = (
        Installation.objects.filter(snapshot_id=snapshot_id)
        .values("snapshot_id", "title_id", "device__department_id")
        .annotate(n=Count("pk"), d=Count("device_id", distinct=True))
        .values_list("snapshot_id", "title_id", "device__department_id", "n", "d")
        .order_by()
    )
    select, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    column = {f.name: str(f.column) for f in Tally._meta.concrete_fields}
    columns = ", ".join(
        quote(column[name])
        for name in ("snapshot", "title", "department", "installations", "devices")
    )
    with connection.cursor() as cursor:
        # Only the model's own quoted names are formatted in; the SELECT is the ORM's, with
        # its parameters passed apart.
        cursor.execute(
            f"INSERT INTO {quote(Tally._meta.db_table)} ({columns}) {select}",
            params,
        )


def snapshot_figures(
    snapshot: Snapshot | int, today: datetime.date | None = None
) -> dict[str, int]:
    """Installations per status in the snapshot as the catalogue stands `today`, for the trend:
    a dict of every `Reconciliation` value, plus "titles" (distinct titles counted). One query
    over the snapshot's tallies."""
    snapshot_id = _pk(snapshot)
    figures = dict.fromkeys(Reconciliation.values, 0)
    titles = 0
    for row in (
        Tally.objects.filter(snapshot_id=snapshot_id)
        .annotate(status=status_case("title__", today))
        .values("status")
        .annotate(n=Sum("installations"), t=Count("title_id", distinct=True))
        .order_by()
    ):
        figures[row["status"]] = row["n"] or 0
        titles += row["t"]
    figures["titles"] = titles
    return figures


# --- The report ---------------------------------------------------------------------------------


def _by_status() -> dict[str, int]:
    return dict.fromkeys(COUNTED, 0)


@dataclass
class Row:
    """One line of a figure: installations per status (ignored titles not counted)."""

    label: str
    key: Any = None  # a department's or product's id, None for "none"
    per_status: dict[str, int] = field(default_factory=_by_status)
    phase: str = ""  # for a product row
    devices_with_deviations: int = 0  # for a department row

    @property
    def total(self) -> int:
        return sum(self.per_status.values())

    @property
    def supported(self) -> int:
        return sum(self.per_status[s] for s in SUPPORTED)

    @property
    def not_supported(self) -> int:
        return sum(self.per_status[s] for s in NOT_SUPPORTED)

    @property
    def unknown(self) -> int:
        return self.per_status[Reconciliation.UNKNOWN]

    @property
    def counts(self) -> list[int]:
        """Per status, in the order of `COUNTED` (for a table's columns)."""
        return [self.per_status[s] for s in COUNTED]

    @property
    def phase_label(self) -> str:
        """A product row's phase in words."""
        return str(Phase(self.phase).label) if self.phase else ""

    @property
    def share_supported(self) -> float | None:
        """Supported installations among those whose product is known, or None if none is."""
        known = self.total - self.unknown
        return self.supported / known if known else None


@dataclass
class TrendPoint:
    snapshot: Snapshot
    figures: dict[str, int]

    @property
    def not_supported(self) -> int:
        return sum(self.figures.get(s, 0) for s in NOT_SUPPORTED)

    @property
    def unknown(self) -> int:
        return int(self.figures.get(Reconciliation.UNKNOWN, 0))

    @property
    def total(self) -> int:
        return sum(self.figures.get(s, 0) for s in COUNTED)


@dataclass
class Report:
    """The reconciliation of a municipality's current snapshots: totals, per department, per
    product, and the trend of each source's snapshots."""

    snapshots: list[Snapshot]
    totals: Row
    departments: list[Row]
    products: list[Row]
    other_products: Row
    trend: list[TrendPoint]
    devices: int
    devices_with_deviations: int
    ignored: int

    @property
    def statuses(self) -> list[tuple[str, str]]:
        """The counted statuses with their labels, in column order."""
        return [(s, str(Reconciliation(s).label)) for s in COUNTED]

    @property
    def status_totals(self) -> list[tuple[str, str, int]]:
        """Each counted status with its label and its installations, in column order."""
        return [(s, label, self.totals.per_status[s]) for s, label in self.statuses]

    @property
    def is_empty(self) -> bool:
        return not self.snapshots


def report(
    municipality: Municipality,
    *,
    source: InventorySource | int | None = None,
    department: Department | int | None = None,
    today: datetime.date | None = None,
) -> Report:
    """The reconciliation report: a fixed number of queries (seven) whatever the number of
    installations, titles or departments. `department` narrows every figure to one department's
    devices (a device's department as its source reported it), or with `NO_DEPARTMENT` to the
    devices of none."""
    today = today or timezone.localdate()
    snapshots = list(
        Snapshot.objects.filter(
            source__municipality=municipality,
            source__archived_at__isnull=True,
            source__current_snapshot=F("pk"),
        )
        .select_related("source", "imported_by")
        .order_by("source__name")
    )
    if source is not None:
        source_id = _pk(source)
        snapshots = [s for s in snapshots if s.source_id == source_id]
    snapshot_ids = [s.pk for s in snapshots]
    tallies = _narrowed(
        Tally.objects.filter(snapshot_id__in=snapshot_ids), department, "department"
    )
    tallies = tallies.annotate(status=status_case("title__", today))

    totals = Row(label=_("All departments"))
    ignored = 0
    departments: dict[int | None, Row] = {}
    names = dict(Department.objects.filter(municipality=municipality).values_list("pk", "name"))
    for by_department in (
        tallies.values("department_id", "status").annotate(n=Sum("installations")).order_by()
    ):
        if by_department["status"] == Reconciliation.IGNORED:
            ignored += by_department["n"]
            continue
        key = by_department["department_id"]
        if key not in departments:
            departments[key] = Row(
                label=names.get(key) or _("No department"), key=key if key in names else None
            )
        departments[key].per_status[by_department["status"]] += by_department["n"]
        totals.per_status[by_department["status"]] += by_department["n"]

    # Devices with at least one deviation: one EXISTS per device, which stops at its first
    # deviating installation (through the (snapshot, device) index), rather than counting every
    # deviating installation.
    deviating_devices = Device.objects.filter(snapshot_id__in=snapshot_ids).filter(
        Exists(
            Installation.objects.filter(
                snapshot_id=OuterRef("snapshot_id"),
                device_id=OuterRef("pk"),
                title__in=titles_with_status(municipality, NOT_SUPPORTED, today),
            )
        )
    )
    deviating_devices = _narrowed(deviating_devices, department, "department")
    devices_with_deviations = 0
    for by_device in deviating_devices.values("department_id").annotate(d=Count("pk")).order_by():
        key = by_device["department_id"]
        devices_with_deviations += by_device["d"]
        if key in departments:
            departments[key].devices_with_deviations = by_device["d"]

    products: dict[int, Row] = {}
    for by_product in (
        tallies.exclude(title__product__isnull=True)
        .exclude(title__ignored=True)
        .values("title__product_id", "title__product__name", "title__product__phase", "status")
        .annotate(n=Sum("installations"))
        .order_by()
    ):
        key = by_product["title__product_id"]
        if key not in products:
            products[key] = Row(
                label=by_product["title__product__name"],
                key=key,
                phase=by_product["title__product__phase"],
            )
        products[key].per_status[by_product["status"]] += by_product["n"]
    ranked = sorted(products.values(), key=lambda r: (-r.not_supported, -r.total, r.label))
    other = Row(label=_("Other products"))
    for product_row in ranked[PRODUCTS_LISTED:]:
        for status, n in product_row.per_status.items():
            other.per_status[status] += n

    trend = [
        TrendPoint(snapshot=s, figures=s.figures)
        for s in reversed(
            Snapshot.objects.filter(
                municipality=municipality,
                status__in=(SnapshotStatus.COMPLETE, SnapshotStatus.SUPERSEDED),
                **({"source_id": _pk(source)} if source is not None else {}),
            )
            .select_related("source")
            .order_by("-started_at")[:TREND_SNAPSHOTS]
        )
    ]
    return Report(
        snapshots=snapshots,
        totals=totals,
        departments=sorted(
            departments.values(), key=lambda r: (r.key is None, -r.not_supported, r.label)
        ),
        products=ranked[:PRODUCTS_LISTED],
        other_products=other,
        trend=trend,
        devices=sum(s.device_count for s in snapshots),
        devices_with_deviations=devices_with_deviations,
        ignored=ignored,
    )


def titles_with_status(
    municipality: Municipality | int, statuses: Iterable[str], today: datetime.date
) -> QuerySet[Any]:
    """The ids of the municipality's titles in `statuses`, as a subquery."""
    return (
        SoftwareTitle.objects.filter(municipality=municipality)
        .filter(status_q(statuses, "", today))
        .values("pk")
    )


__all__ = [
    "NO_DEPARTMENT",
    "PRODUCTS_LISTED",
    "Report",
    "Row",
    "TrendPoint",
    "current_installations",
    "current_snapshot_ids",
    "current_tallies",
    "installation_total",
    "report",
    "snapshot_figures",
    "status_case",
    "status_of",
    "status_q",
    "tally_write",
    "titles_with_status",
]
