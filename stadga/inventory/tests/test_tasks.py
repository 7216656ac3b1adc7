"""The web upload's background import (issue 6 item 4): the file stored with a loading snapshot,
loaded by a task that writes its progress, deleted once the snapshot is complete and kept when
the import fails; stalled imports marked failed by the IT department (P3.2)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stadga.inventory import services, tasks
from stadga.inventory.choices import SnapshotStatus
from stadga.inventory.models import Device, Installation, InventorySource, Snapshot
from stadga.organisation.choices import Role
from stadga.testing.factories import MunicipalityFactory, member

from .test_import import FIRST, SECOND, csv_file, generated_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def municipality() -> Any:
    return MunicipalityFactory()


@pytest.fixture
def keeper(municipality: Any) -> Any:
    return member(municipality, Role.IT_TECHNICIAN)


def start(municipality: Any, data: bytes, actor: Any, *, source: str = "GLPI") -> Snapshot:
    return services.inventory_upload_start(
        municipality=municipality,
        source_name=source,
        fmt="csv",
        upload=ContentFile(data, name="inventering.csv"),
        actor=actor,
    )


def test_upload_start_stores_the_file_with_a_loading_snapshot(municipality, keeper):
    data = csv_file(FIRST).getvalue()
    snapshot = start(municipality, data, keeper)

    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.LOADING
    assert snapshot.bytes_total == len(data)
    assert snapshot.file_name == "inventering.csv"
    assert snapshot.imported_by == keeper
    assert snapshot.upload.name.startswith("inventory/")
    assert default_storage.open(snapshot.upload.name).read() == data
    assert snapshot.source.current_snapshot is None
    assert LogEntry.objects.get_for_object(snapshot).filter(actor=keeper).exists()


def test_only_the_it_department_uploads(municipality):
    reader = member(municipality, Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        start(municipality, csv_file(FIRST).getvalue(), reader)
    assert not Snapshot.objects.exists()
    assert not InventorySource.objects.exists()


def test_task_imports_the_upload_and_deletes_the_file(municipality, keeper):
    data = csv_file(FIRST).getvalue()
    snapshot = start(municipality, data, keeper)
    name = snapshot.upload.name

    result = tasks.inventory_upload_import.call(snapshot.pk, "refuse")

    snapshot.refresh_from_db()
    assert result == {"snapshot": snapshot.pk, "status": "complete", "rows": 3, "skipped_rows": 0}
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert snapshot.source.current_snapshot == snapshot
    assert (snapshot.rows_imported, snapshot.device_count, snapshot.title_count) == (3, 2, 2)
    # The last progress stays: every row and every byte read.
    assert (snapshot.rows_read, snapshot.bytes_read) == (3, len(data))
    # The rows are the data now: the file is gone, and the change log says so, naming the user.
    assert not snapshot.upload
    assert not default_storage.exists(name)
    entries = LogEntry.objects.get_for_object(snapshot).filter(actor=keeper)
    assert any(entry.changes_dict.get("upload", [None, None])[1] == "" for entry in entries)


def test_progress_is_written_after_each_batch(municipality, keeper, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 100)
    data = csv_file(generated_rows(450)).getvalue()
    snapshot = start(municipality, data, keeper)
    seen: list[tuple[int, int]] = []
    original = services._UploadProgress.__call__

    def recording(self: Any, rows: int) -> None:
        original(self, rows)
        # What another request (the snapshot's page) reads meanwhile.
        seen.append(
            Snapshot.objects.filter(pk=snapshot.pk).values_list("rows_read", "bytes_read").get()
        )

    monkeypatch.setattr(services._UploadProgress, "__call__", recording)
    tasks.inventory_upload_import.call(snapshot.pk, "refuse")

    assert [rows for rows, _bytes in seen] == [100, 200, 300, 400, 450]
    positions = [position for _rows, position in seen]
    assert positions == sorted(positions)
    assert 0 < positions[0] <= len(data)
    assert positions[-1] == len(data)


def test_progress_is_one_update_and_not_logged(municipality, keeper):
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    before = snapshot.updated_at
    stream = io.BytesIO(b"x" * 1000)
    stream.seek(640)
    progress = services._UploadProgress(snapshot, stream)
    logged = LogEntry.objects.count()

    with CaptureQueriesContext(connection) as queries:
        progress(5000)

    assert len(queries) == 1
    assert queries[0]["sql"].startswith("UPDATE")
    assert LogEntry.objects.count() == logged
    snapshot.refresh_from_db()
    assert (snapshot.rows_read, snapshot.bytes_read) == (5000, 640)
    assert snapshot.updated_at > before  # the snapshot's last sign of life


def test_failed_import_keeps_the_file_and_the_previous_snapshot(municipality, keeper):
    first = start(municipality, csv_file(FIRST).getvalue(), keeper)
    tasks.inventory_upload_import.call(first.pk, "refuse")
    broken = start(municipality, csv_file([*SECOND, ";anna;;;;;"]).getvalue(), keeper)

    result = tasks.inventory_upload_import.call(broken.pk, "refuse")

    broken.refresh_from_db()
    first.refresh_from_db()
    assert result == {"snapshot": broken.pk, "status": "failed"}
    assert broken.status == SnapshotStatus.FAILED
    assert broken.rows_skipped == 1
    assert "4" in broken.error  # the broken row's line
    assert broken.upload and default_storage.exists(broken.upload.name)
    assert first.status == SnapshotStatus.COMPLETE
    assert first.source.current_snapshot == first
    assert not Installation.objects.filter(snapshot=broken).exists()


def test_skipping_broken_rows(municipality, keeper):
    snapshot = start(municipality, csv_file([*FIRST, ";anna;;;;;"]).getvalue(), keeper)
    tasks.inventory_upload_import.call(snapshot.pk, "skip")
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert (snapshot.rows_imported, snapshot.rows_skipped) == (3, 1)
    assert "5" in snapshot.error


def test_a_missing_file_fails_the_snapshot(municipality, keeper):
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    default_storage.delete(snapshot.upload.name)

    assert tasks.inventory_upload_import.call(snapshot.pk, "refuse")["status"] == "failed"
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED
    assert snapshot.error


def test_a_snapshot_no_longer_loading_is_skipped(municipality, keeper):
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    services.inventory_snapshot_fail(snapshot=snapshot, error="given up", actor=keeper)

    assert tasks.inventory_upload_import.call(snapshot.pk, "refuse")["skipped"] is True
    assert tasks.inventory_upload_import.call(999_999, "refuse")["skipped"] is True
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == (SnapshotStatus.FAILED, "given up")


# --- stalled imports -------------------------------------------------------------------------


def age(snapshot: Snapshot, hours: float) -> None:
    """As if the snapshot had shown no sign of life for `hours`."""
    Snapshot.objects.filter(pk=snapshot.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=hours)
    )
    snapshot.refresh_from_db()


def test_stalled_after_a_configurable_time(municipality, keeper, settings):
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    assert not services.snapshot_stalled(snapshot)
    age(snapshot, 5)
    assert not services.snapshot_stalled(snapshot)
    age(snapshot, 7)
    assert services.snapshot_stalled(snapshot)
    settings.STADGA_INVENTORY_STALLED_HOURS = 12
    assert not services.snapshot_stalled(snapshot)


def test_marking_a_stalled_import_failed(municipality, keeper):
    first = start(municipality, csv_file(FIRST).getvalue(), keeper)
    tasks.inventory_upload_import.call(first.pk, "refuse")
    stalled = start(municipality, csv_file(SECOND).getvalue(), keeper)
    # The dead worker had written a device before it stopped.
    Device.objects.create(snapshot=stalled, name="PC-half")
    age(stalled, 7)

    with pytest.raises(PermissionDenied):
        services.inventory_snapshot_fail_stalled(
            snapshot=stalled, actor=member(municipality, Role.AUDITOR)
        )
    services.inventory_snapshot_fail_stalled(snapshot=stalled, actor=keeper)

    stalled.refresh_from_db()
    assert stalled.status == SnapshotStatus.FAILED
    assert stalled.error
    assert stalled.finished_at is not None
    assert not Device.objects.filter(snapshot=stalled).exists()
    assert stalled.upload and default_storage.exists(stalled.upload.name)
    assert InventorySource.objects.get(pk=first.source_id).current_snapshot_id == first.pk
    assert LogEntry.objects.get_for_object(stalled).filter(actor=keeper).count() >= 2


def test_an_import_that_is_not_stalled_is_not_failed(municipality, keeper):
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    with pytest.raises(ValidationError):
        services.inventory_snapshot_fail_stalled(snapshot=snapshot, actor=keeper)
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.LOADING


def test_a_worker_that_wakes_up_after_the_import_was_failed_stops(
    municipality, keeper, monkeypatch
):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    snapshot = start(municipality, csv_file(generated_rows(100)).getvalue(), keeper)
    original = services._UploadProgress.__call__

    def failed_meanwhile(self: Any, rows: int) -> None:
        if rows >= 30:
            Snapshot.objects.filter(pk=snapshot.pk).update(status=SnapshotStatus.FAILED)
        original(self, rows)

    monkeypatch.setattr(services._UploadProgress, "__call__", failed_meanwhile)
    assert tasks.inventory_upload_import.call(snapshot.pk, "refuse")["status"] == "failed"

    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED
    assert snapshot.source.current_snapshot is None
    assert not Installation.objects.filter(snapshot=snapshot).exists()


# --- the real chain: the database backend and `stadga worker` --------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_queued_upload(media):
    municipality = MunicipalityFactory()
    keeper = member(municipality, Role.IT_COORDINATOR)
    snapshot = start(municipality, csv_file(FIRST).getvalue(), keeper)
    queued = tasks.inventory_upload_import.enqueue(snapshot.pk, "refuse")

    call_command("worker", "--once")

    task = DBTaskResult.objects.get(pk=queued.id)
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert snapshot.source.current_snapshot == snapshot
    assert not snapshot.upload
