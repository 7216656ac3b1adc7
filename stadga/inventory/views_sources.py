"""The inventory's sources and their imports (issue 6 items 1 and 4): the list of sources with
their current snapshot, each source's history of snapshots, a snapshot's page with its progress
while it loads, and the web upload that runs the import as a background task.

Read by those who read everything in the municipality (the IT department, the executive board's
read role, auditors; others get a 403, another municipality's users a 404). The IT department
(those who keep the register, P3.2) uploads and marks a stalled import failed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.views import PAGE_SIZE

from . import services, tasks
from .choices import SnapshotStatus
from .forms_sources import InventoryUploadForm
from .models import InventorySource, Snapshot
from .views_base import InventoryView

logger = logging.getLogger(__name__)


class _InventoryView(InventoryView):
    """A page of the sources and their imports."""

    def source_get(self, pk: int) -> InventorySource:
        return get_object_or_404(InventorySource, pk=pk, municipality=self.municipality)

    def snapshot_get(self, pk: int) -> Snapshot:
        return get_object_or_404(
            Snapshot.objects.select_related("source", "imported_by"),
            pk=pk,
            municipality=self.municipality,
        )

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"inventory:{name}", args=[self.municipality.slug, *args])


class SourceListView(_InventoryView):
    """Each source with its format, its current snapshot and how its last import went. Two
    queries for any number of sources and snapshots."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        latest = Snapshot.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk")
        sources = list(
            InventorySource.objects.filter(municipality=self.municipality, archived_at__isnull=True)
            .select_related("current_snapshot")
            .annotate(last_snapshot_id=Subquery(latest.values("pk")[:1]))
        )
        last = Snapshot.objects.defer("error", "figures").in_bulk(
            [s.last_snapshot_id for s in sources if s.last_snapshot_id]  # type: ignore[attr-defined]
        )
        now = timezone.now()
        rows = []
        for source in sources:
            snapshot = last.get(source.last_snapshot_id)  # type: ignore[attr-defined]
            stalled = snapshot is not None and services.snapshot_stalled(snapshot, now=now)
            rows.append((source, snapshot, stalled))
        return TemplateResponse(
            request,
            "inventory/source_list.html",
            self.context(rows=rows, can_upload=self.may_keep()),
        )


class SourceDetailView(_InventoryView):
    """A source's snapshots, newest first: the history of its imports."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        source = self.source_get(pk)
        snapshots = (
            source.snapshots.select_related("imported_by")
            .defer("error", "figures")
            .order_by("-started_at", "-pk")
        )
        page = Paginator(snapshots, PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        return TemplateResponse(
            request,
            "inventory/source_detail.html",
            self.context(
                source=source,
                page=page,
                rows=[(s, services.snapshot_stalled(s, now=now)) for s in page],
                can_upload=self.may_keep(),
            ),
        )


class SnapshotDetailView(_InventoryView):
    """One import: its figures and broken rows, and while it loads its progress, refreshed every
    two seconds without JavaScript (a meta refresh that the user can stop, WCAG 2.2.2)."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        snapshot = self.snapshot_get(pk)
        loading = snapshot.status == SnapshotStatus.LOADING
        stalled = services.snapshot_stalled(snapshot)
        follow = request.GET.get("follow") != "0"
        return TemplateResponse(
            request,
            "inventory/snapshot_detail.html",
            self.context(
                snapshot=snapshot,
                source=snapshot.source,
                loading=loading,
                stalled=stalled,
                refresh=loading and not stalled and follow,
                follow=follow,
                is_current=snapshot.source.current_snapshot_id == snapshot.pk,
                error_lines=snapshot.error.splitlines(),
                percent=_percent(snapshot),
                stalled_hours=int(services.stalled_after().total_seconds() // 3600),
                can_fail=stalled and self.may_keep(),
            ),
        )


def _percent(snapshot: Snapshot) -> int | None:
    if not snapshot.bytes_total:
        return None
    return min(100, snapshot.bytes_read * 100 // snapshot.bytes_total)


class SnapshotFailView(_InventoryView):
    """The IT department marks a stalled import failed (its worker died): its partial rows go,
    the previous snapshot stays current."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        snapshot = self.snapshot_get(pk)
        self.require_keeper()
        try:
            services.inventory_snapshot_fail_stalled(snapshot=snapshot, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The import was marked failed."))
        return HttpResponseRedirect(self.url("snapshot_detail", snapshot.pk))


class UploadView(_InventoryView):
    """Upload an inventory file: it is stored with a new loading snapshot and imported by a
    background task; the user is sent to the snapshot's page to follow it."""

    def render(self, form: InventoryUploadForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "inventory/upload.html",
            self.context(form=form),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        self.require_keeper()
        initial: dict[str, Any] = {}
        chosen = request.GET.get("source", "")
        if chosen.isdigit():
            source = InventorySource.objects.filter(
                pk=int(chosen), municipality=self.municipality, archived_at__isnull=True
            ).first()
            if source is not None:
                initial = {"source": source.pk, "format": source.format}
        return self.render(InventoryUploadForm(initial=initial, municipality=self.municipality))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        self.require_keeper()
        form = InventoryUploadForm(request.POST, request.FILES, municipality=self.municipality)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            snapshot = services.inventory_upload_start(
                municipality=self.municipality,
                source_name=data["source_name"],
                fmt=data["format"],
                upload=data["file"],
                actor=request.user,
            )
        except services.InventoryImportError as error:
            form.add_error("format" if data.get("source") is None else None, str(error))
            return self.render(form)
        try:
            tasks.inventory_upload_import.enqueue(snapshot.pk, form.on_error)
        except Exception as error:
            logger.exception("The inventory upload %s could not be queued.", snapshot.pk)
            services.inventory_snapshot_fail(
                snapshot=snapshot,
                error=_("The import could not be started: %(reason)s") % {"reason": error},
                actor=request.user,
            )
            messages.error(request, _("The import could not be started."))
        else:
            messages.success(
                request,
                _("%(file)s was uploaded.") % {"file": snapshot.file_name},
            )
        return HttpResponseRedirect(self.url("snapshot_detail", snapshot.pk))
