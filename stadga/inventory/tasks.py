"""Background entry points of the inventory: the web upload's import (issue 6 item 4), run by
`stadga worker`."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from .choices import SnapshotStatus
from .models import Snapshot
from .services import InventoryImportError, OnError, inventory_upload_load

logger = logging.getLogger(__name__)


@task()
def inventory_upload_import(snapshot_id: int, on_error: OnError = "refuse") -> dict[str, Any]:
    """Load an uploaded inventory file into its snapshot (`services.inventory_upload_load`).

    The uploaded file is deleted once the snapshot is complete: its devices and installations
    are the data from then on. A file that cannot be imported leaves the snapshot failed with
    its reasons and broken rows, the previous snapshot current and the file kept; that is the
    import's outcome, not the task's failure, so the task returns it. A snapshot that is no
    longer loading (marked failed as stalled before a worker got to it) is skipped.
    """
    snapshot = (
        Snapshot.objects.select_related("source", "municipality", "imported_by")
        .filter(pk=snapshot_id)
        .first()
    )
    if snapshot is None or snapshot.status != SnapshotStatus.LOADING:
        return {"snapshot": snapshot_id, "skipped": True}
    try:
        inventory_upload_load(snapshot=snapshot, on_error=on_error)
    except InventoryImportError as error:
        logger.info("The inventory upload %s failed: %s", snapshot_id, error)
        return {"snapshot": snapshot_id, "status": SnapshotStatus.FAILED.value}
    return {
        "snapshot": snapshot_id,
        "status": snapshot.status,
        "rows": snapshot.rows_imported,
        "skipped_rows": snapshot.rows_skipped,
    }
