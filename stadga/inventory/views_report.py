"""The reconciliation pages (P5.4, P5.5) at k/<municipality>/inventory/: the report, the list of
deviating installations with its export, and the devices with their software.

Read by those who read everything in the municipality (the IT department, the executive board's
read role, auditors); other members get a 403, another municipality's users a 404. Every page
runs a fixed number of queries, however many installations the snapshots hold: the figures come
from the tallies (`reconciliation.report`), and the lists read one page of installations or
devices through their indexes. The deviations list takes its total from the tallies rather than
counting a million rows; with a search, which the tallies cannot answer, it shows no total and
pages on by looking one row ahead.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.tabular.columns import Column, Date, Parser, Text
from stadga.core.tabular.reading import FORMATS
from stadga.core.tabular.spec import TabularSpec
from stadga.core.tabular.views import download_response

from .choices import NOT_SUPPORTED, SUPPORTED, Reconciliation
from .filters_report import DeviationFilterForm, DeviceFilterForm, ReportFilterForm
from .models import Device, Installation, InventorySource
from .reconciliation import (
    NO_DEPARTMENT,
    current_installations,
    installation_total,
    report,
    status_case,
    titles_with_status,
)
from .views_base import InventoryView

PAGE_SIZE = 50
EXPORT_CHUNK = 2000

# How a status is marked on the pages (the layout's status classes).
STATUS_CLASS = {
    Reconciliation.APPROVED: "met",
    Reconciliation.APPROVED_WITH_CONSTRAINTS: "met",
    Reconciliation.PHASE_OUT: "partly_met",
    Reconciliation.RETIRED: "not_met",
    Reconciliation.UNAPPROVED: "not_met",
    Reconciliation.UNKNOWN: "not_measurable",
    Reconciliation.IGNORED: "not_applicable",
}


class InventoryReportView(InventoryView):
    """A page of the report: read only."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.require_reader()
        return self.page(request, **kwargs)

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        raise NotImplementedError


def _mark(installation: Installation) -> Installation:
    """Give an installation its status's label and class for the page."""
    status = installation.status  # type: ignore[attr-defined]
    installation.status_label = Reconciliation(status).label  # type: ignore[attr-defined]
    installation.status_class = STATUS_CLASS[status]  # type: ignore[attr-defined]
    return installation


@dataclass
class Page:
    """One page of a list read one row ahead: whether there is a next page is known without
    counting; `total` only when it was had cheaply."""

    rows: list[Any]
    number: int
    has_next: bool
    total: int | None
    query: dict[str, Any]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.rows)

    def _url(self, number: int) -> str:
        return "?" + urlencode({**self.query, "page": number}, doseq=True)

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)


def page_of(
    queryset: QuerySet[Any], request: HttpRequest, total: int | None, query: dict[str, Any]
) -> Page:
    """The requested page (`?page=`, from 1) of `queryset`, fetching one row more than shown."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * PAGE_SIZE
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    return Page(
        rows=rows[:PAGE_SIZE],
        number=number,
        has_next=len(rows) > PAGE_SIZE,
        total=total,
        query=query,
    )


def _query(request: HttpRequest, *names: str) -> dict[str, Any]:
    """The filters of the request, for the links of other pages and the exports."""
    return {name: request.GET.getlist(name) for name in names if request.GET.get(name)}


# --- The report ---------------------------------------------------------------------------------


class OverviewView(InventoryReportView):
    """The reconciliation report: what the current snapshots cover, the installations per status,
    per department and per product, and the trend per snapshot (P5.4, P5.5)."""

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = ReportFilterForm(request.GET, municipality=self.municipality)
        values = form.values()
        result = report(self.municipality, source=values["source"], department=values["department"])
        share = result.totals.share_supported
        return TemplateResponse(
            request,
            "inventory/overview.html",
            self.context(
                form=form,
                report=result,
                share_percent=None if share is None else round(share * 100),
                filtered=any(v is not None for v in values.values()),
                narrow_query=urlencode({k: v for k, v in values.items() if v is not None}),
                source_query=urlencode({"source": values["source"]})
                if values["source"] is not None
                else "",
                no_department=NO_DEPARTMENT,
            ),
        )


# --- The deviations (P5.5) ----------------------------------------------------------------------


# What the export reads of each installation: plain values, not model instances (building
# seven objects per row would cost more than the database does).
EXPORTED = (
    "device__name",
    "device__user",
    "device__department__name",
    "device__department_text",
    "title__name",
    "title__version",
    "title__publisher",
    "title__product__name",
    "status",
    "install_date",
    "snapshot__source__name",
)


class _Read(Parser):
    """An export-only column: reads its value off a row of `EXPORTED` values with `read`."""

    def __init__(self, read: Callable[[dict[str, Any]], Any], inner: Parser | None = None) -> None:
        super().__init__()
        self.read = read
        self.inner = inner or Text()

    def current(self, instance: Any, field: str, ctx: TabularSpec) -> Any:
        return self.read(instance)

    def to_cell(self, value: Any, ctx: TabularSpec) -> Any:
        return self.inner.to_cell(value, ctx)


def _value(name: str) -> _Read:
    return _Read(lambda row: row[name])


class DeviationSheet(TabularSpec):
    """The deviations list as a spreadsheet: export only (not registered, never imported);
    headers are Swedish constants like every sheet's. A device whose reported department is
    none of the municipality's shows the department as reported."""

    kind = "inventory-deviations"
    model = Installation
    key = "device"
    sheet_title = "Avvikelser"
    filename = "avvikelser"
    columns = [
        Column("Enhet", "device", _value("device__name"), width=20),
        Column("Användare", "user", _value("device__user"), width=18),
        Column(
            "Förvaltning",
            "department",
            _Read(lambda row: row["device__department__name"] or row["device__department_text"]),
            width=28,
        ),
        Column("Programvara", "name", _value("title__name"), width=36),
        Column("Version", "version", _value("title__version"), width=14),
        Column("Utgivare", "publisher", _value("title__publisher"), width=22),
        Column("Produkt", "product", _value("title__product__name"), width=28),
        Column(
            "Status", "status", _Read(lambda row: Reconciliation(row["status"]).label), width=20
        ),
        Column(
            "Installerad", "install_date", _Read(lambda row: row["install_date"], Date()), width=12
        ),
        Column("Källa", "source", _value("snapshot__source__name"), width=14),
    ]


class DeviationListView(InventoryReportView):
    """The installations the IT department does not support (P5.5): unapproved and retired
    unless the user chooses other statuses; `?format=csv|xlsx` exports the same filtered list,
    every row of it."""

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        form = DeviationFilterForm(request.GET, municipality=self.municipality)
        values = form.values()
        today = timezone.localdate()
        narrowing = {
            "statuses": values["statuses"],
            "source": values["source"],
            "department": values["department"],
            "product": values["product"],
            "today": today,
        }
        installations = current_installations(self.municipality, **narrowing)
        if values["q"]:
            q = values["q"]
            installations = installations.filter(
                Q(device__name__icontains=q)
                | Q(device__user__icontains=q)
                | Q(title__name__icontains=q)
            )
        # Device by device, in the order the source reported them: the (snapshot, device)
        # index gives that order, so a page is read without sorting every deviation.
        installations = installations.order_by(
            "snapshot_id", "device_id", "title__name", "title__version", "pk"
        )
        file_format = request.GET.get("format")
        if file_format:
            return self.export(installations, file_format, today)
        total = None if values["q"] else installation_total(self.municipality, **narrowing)
        query = _query(request, "status", "source", "department", "product", "q")
        page = page_of(installations, request, total, query)
        for installation in page.rows:
            _mark(installation)
        return TemplateResponse(
            request,
            "inventory/unapproved.html",
            self.context(
                form=form,
                page=page,
                statuses=[Reconciliation(s).label for s in values["statuses"]],
                export_query=urlencode(query, doseq=True),
            ),
        )

    def export(
        self, installations: QuerySet[Installation], file_format: str, today: datetime.date
    ) -> HttpResponseBase:
        if file_format not in FORMATS:
            return HttpResponseBadRequest(_("Unknown format; choose xlsx or csv."))
        # The engine's writers read each row through the columns' parsers, which take these
        # dicts as they take model instances.
        rows = cast(
            Iterator[Model], installations.values(*EXPORTED).iterator(chunk_size=EXPORT_CHUNK)
        )
        filename = f"avvikelser-{self.municipality.slug}-{today:%Y-%m-%d}.{file_format}"
        return download_response(
            DeviationSheet(municipality=self.municipality), rows, file_format, filename
        )


# --- Devices ------------------------------------------------------------------------------------


def current_devices(municipality: Any) -> QuerySet[Device]:
    """The devices of the current snapshot of each source."""
    snapshots = InventorySource.objects.filter(
        municipality=municipality, archived_at__isnull=True, current_snapshot__isnull=False
    ).values("current_snapshot_id")
    return Device.objects.filter(snapshot_id__in=snapshots)


class DeviceListView(InventoryReportView):
    """The devices of the current snapshots, each with how many titles it has installed and how
    many of them deviate (counted for the devices on the page only)."""

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = DeviceFilterForm(request.GET, municipality=self.municipality)
        values = form.values()
        today = timezone.localdate()
        deviating_titles = titles_with_status(self.municipality, NOT_SUPPORTED, today)
        devices = current_devices(self.municipality).select_related(
            "department", "snapshot__source"
        )
        if values["source"] is not None:
            devices = devices.filter(snapshot__source_id=values["source"])
        if values["department"] is not None:
            if values["department"] == NO_DEPARTMENT:
                devices = devices.filter(department__isnull=True)
            else:
                devices = devices.filter(department_id=values["department"])
        if values["q"]:
            devices = devices.filter(
                Q(name__icontains=values["q"]) | Q(user__icontains=values["q"])
            )
        if values["deviations"]:
            deviates = Exists(
                Installation.objects.filter(
                    snapshot_id=OuterRef("snapshot_id"),
                    device_id=OuterRef("pk"),
                    title__in=deviating_titles,
                )
            )
            devices = devices.filter(deviates if values["deviations"] == "yes" else ~deviates)
        devices = devices.order_by("name", "pk")
        # Devices are thousands, not millions: counting them is cheap.
        page = page_of(
            devices,
            request,
            devices.count(),
            _query(request, "source", "department", "deviations", "q"),
        )
        # One grouped query for the devices of the page, not over all devices.
        counts: dict[int, tuple[int, int]] = {
            row["device_id"]: (row["installed"], row["deviations"])
            for row in Installation.objects.filter(
                snapshot_id__in={d.snapshot_id for d in page.rows},
                device_id__in=[d.pk for d in page.rows],
            )
            .values("device_id")
            .annotate(
                installed=Count("pk"),
                deviations=Count("pk", filter=Q(title__in=deviating_titles)),
            )
            .order_by()
        }
        for device in page.rows:
            device.installed, device.deviations = counts.get(device.pk, (0, 0))
        return TemplateResponse(
            request, "inventory/device_list.html", self.context(form=form, page=page)
        )


class DeviceDetailView(InventoryReportView):
    """One device of a current snapshot and its software, deviations first; a device of an
    earlier snapshot or of another municipality is a 404."""

    def page(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        device = (
            current_devices(self.municipality)
            .select_related("department", "snapshot__source")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if device is None:
            raise Http404
        today = timezone.localdate()
        installations = [
            _mark(i)
            for i in Installation.objects.filter(snapshot_id=device.snapshot_id, device=device)
            .annotate(status=status_case("title__", today))
            .annotate(
                rank=Case(
                    When(status__in=NOT_SUPPORTED, then=Value(0)),
                    When(status=Reconciliation.UNKNOWN, then=Value(1)),
                    When(status=Reconciliation.IGNORED, then=Value(3)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .select_related("title", "title__product")
            .order_by("rank", "title__name", "title__version", "pk")
        ]
        statuses = [getattr(i, "status", "") for i in installations]
        deviations = sum(1 for status in statuses if status in NOT_SUPPORTED)
        supported = sum(1 for status in statuses if status in SUPPORTED)
        return TemplateResponse(
            request,
            "inventory/device_detail.html",
            self.context(
                device=device,
                installations=installations,
                deviations=deviations,
                supported=supported,
            ),
        )
