"""Importing an inventory: a file is streamed into a new snapshot of its source, which replaces the
source's current snapshot in one transaction once every row is in.

The loader keeps only two dictionaries in memory, the municipality's software titles (key to id)
and the new snapshot's devices (name to id), plus one batch of rows: memory does not grow with the
file. Installations are written in batches of `BATCH_SIZE`, with `COPY` on PostgreSQL and
`bulk_create` elsewhere, outside any long transaction: nobody reads a snapshot that is still
loading, because readers go through the source's `current_snapshot`. A failed import deletes its
own rows and leaves the current snapshot as it was.

The command line runs `inventory_import` in one go. The web upload runs it in two halves:
`inventory_upload_start` stores the file with a new loading snapshot in the request, and the
background task `tasks.inventory_upload_import` loads it (`inventory_upload_load`), writing its
progress on the snapshot for the snapshot's page to show.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import IO, Any, BinaryIO, Literal, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core.services import governed_write, object_create
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .choices import InventoryFormat, SnapshotStatus
from .dictionary import dictionary_apply
from .models import (
    TITLE_NAME_LENGTH,
    TITLE_PUBLISHER_LENGTH,
    TITLE_VERSION_LENGTH,
    Device,
    Installation,
    InventorySource,
    Snapshot,
    SoftwareTitle,
    Tally,
    department_key,
)
from .parsers import FileFormatError, RawInstallation, RowError, parse
from .reconciliation import snapshot_figures, tally_write
from .services_departments import department_names

logger = logging.getLogger(__name__)

# Rows written per batch: one COPY (or a few INSERTs) and at most one query each for new titles
# and new devices. Progress is reported after each batch.
BATCH_SIZE = 5000
# Broken rows kept with their line numbers (in the snapshot's `error` text and on the exception);
# all of them are counted.
ERROR_CAP = 100

TitleKey = tuple[str, str, str]
OnError = Literal["refuse", "skip"]

_DEVICE_NAME_LENGTH = Device._meta.get_field("name").max_length or 255
_DEVICE_USER_LENGTH = Device._meta.get_field("user").max_length or 255
_DEPARTMENT_TEXT_LENGTH = Device._meta.get_field("department_text").max_length or 200
_ARCH_LENGTH = Installation._meta.get_field("arch").max_length or 20
_FILE_NAME_LENGTH = Snapshot._meta.get_field("file_name").max_length or 255


class InventoryImportError(Exception):
    """An import that loaded nothing: `str()` says why in words; `errors` are the broken rows
    (at most `ERROR_CAP`) and `snapshot` the failed snapshot, if one was started."""

    def __init__(
        self,
        message: str,
        *,
        snapshot: Snapshot | None = None,
        errors: Iterable[RowError] = (),
    ) -> None:
        super().__init__(message)
        self.snapshot = snapshot
        self.errors = list(errors)


class _BrokenRows(Exception):
    """Raised inside the loader when it refuses a file with broken rows."""


def format_row_errors(errors: Iterable[RowError]) -> str:
    """Broken rows as text, one per line; each message names its row."""
    return "\n".join(e.message for e in errors)


def inventory_source_get_or_create(
    *, municipality: Municipality, name: str, fmt: str, actor: Any
) -> InventorySource:
    """The municipality's source called `name`, created for format `fmt` if it is new. A source
    takes one format: a file of another format is refused rather than silently mixed in."""
    if fmt not in InventoryFormat.values:
        raise InventoryImportError(
            _("Unknown format %(format)s; use one of %(formats)s.")
            % {"format": fmt, "formats": ", ".join(InventoryFormat.values)}
        )
    source = InventorySource.objects.filter(municipality=municipality, name=name).first()
    if source is None:
        return object_create(
            model=InventorySource,
            data={"name": name, "format": fmt},
            actor=actor,
            municipality=municipality,
        )
    if source.format != fmt:
        raise InventoryImportError(
            _("The source %(source)s takes %(expected)s files, not %(format)s.")
            % {"source": name, "expected": source.format, "format": fmt}
        )
    return source


def inventory_import(
    *,
    municipality: Municipality,
    source_name: str,
    fmt: str,
    stream: BinaryIO,
    file_name: str,
    actor: Any,
    on_error: OnError = "refuse",
    progress: Callable[[int], None] | None = None,
) -> Snapshot:
    """Import the inventory in `stream` as the new current snapshot of the municipality's source
    `source_name` and return it: `inventory_snapshot_start`, then `inventory_snapshot_load`
    (the command line; the web upload runs the two apart, the second in a background task).
    """
    _check_on_error(on_error)
    snapshot = inventory_snapshot_start(
        municipality=municipality,
        source_name=source_name,
        fmt=fmt,
        file_name=file_name,
        actor=actor,
    )
    return inventory_snapshot_load(
        snapshot=snapshot, stream=stream, actor=actor, on_error=on_error, progress=progress
    )


def inventory_snapshot_start(
    *,
    municipality: Municipality,
    source_name: str,
    fmt: str,
    file_name: str,
    actor: Any,
    upload: File | None = None,
    bytes_total: int | None = None,
) -> Snapshot:
    """A new snapshot of the municipality's source `source_name` (created for format `fmt` if
    new), in status loading and with no rows yet; `inventory_snapshot_load` fills it. `upload`,
    if given, is stored with the snapshot (the web upload's file, read later by the task) and
    gives `bytes_total`. The source and the snapshot are written together or not at all."""
    with governed_write(actor):
        source = inventory_source_get_or_create(
            municipality=municipality, name=source_name, fmt=fmt, actor=actor
        )
        if upload is not None and bytes_total is None:
            bytes_total = upload.size
        return Snapshot.objects.create(
            municipality=municipality,
            source=source,
            status=SnapshotStatus.LOADING,
            started_at=timezone.now(),
            file_name=file_name[:_FILE_NAME_LENGTH],
            imported_by=_user_or_none(actor),
            bytes_total=bytes_total,
            upload=upload,
        )


def inventory_snapshot_load(
    *,
    snapshot: Snapshot,
    stream: BinaryIO,
    actor: Any,
    on_error: OnError = "refuse",
    progress: Callable[[int], None] | None = None,
) -> Snapshot:
    """Load the inventory in `stream` into `snapshot` (loading, from `inventory_snapshot_start`)
    and make it its source's current snapshot; returns it.

    Broken rows: with `on_error="refuse"` the loader stops writing at the first one, reads on to
    report up to `ERROR_CAP` of them, and fails; with `"skip"` they are counted and the first
    `ERROR_CAP` kept, with their line numbers, in the snapshot's `error`. Any failure (a broken
    file, refused rows, a database error, an exception from `progress`) marks the snapshot
    failed, deletes its rows, leaves the previous snapshot current and raises
    `InventoryImportError`. `progress` is called with the rows read so far after each batch.
    """
    _check_on_error(on_error)
    if snapshot.status != SnapshotStatus.LOADING:
        raise ValueError(f"snapshot {snapshot.pk} is {snapshot.status}, not loading")
    source = snapshot.source
    loader = _Loader(snapshot, on_error=on_error, progress=progress)
    try:
        loader.run(parse(stream, source.format))
        _switch(source, snapshot, loader, actor)
    except FileFormatError as error:
        message = _("The file cannot be imported: %(reason)s") % {"reason": error}
        _discard(snapshot, loader, message, actor)
        raise InventoryImportError(message, snapshot=snapshot) from error
    except _BrokenRows as error:
        message = ngettext(
            "%(count)s row cannot be read; nothing was imported. Fix it, or skip broken rows.",
            "%(count)s rows cannot be read; nothing was imported. Fix them, or skip broken rows.",
            loader.skipped,
        ) % {"count": loader.skipped}
        _discard(snapshot, loader, format_row_errors(loader.errors), actor)
        raise InventoryImportError(message, snapshot=snapshot, errors=loader.errors) from error
    except Exception as error:
        message = _("The import failed: %(reason)s") % {"reason": error}
        _discard(snapshot, loader, message, actor)
        raise InventoryImportError(message, snapshot=snapshot) from error
    except BaseException:
        # Interrupted (Ctrl-C): clean up, then let the interruption through as it is.
        _discard(snapshot, loader, _("The import was interrupted."), actor)
        raise
    return snapshot


def _check_on_error(on_error: str) -> None:
    if on_error not in ("refuse", "skip"):
        raise ValueError(f"on_error must be 'refuse' or 'skip', not {on_error!r}")


# --- the web upload: started in the request, loaded by a background task ----------------------


def _check_may_import(municipality: Municipality, actor: Any) -> None:
    """The system itself (actor None) may; a user must keep the register (P3.2: the IT
    department imports the inventory)."""
    if actor is None:
        return
    if not Access.for_user(actor).keeps_register(municipality.pk):
        raise PermissionDenied(_("Only the IT department imports inventories."))


def inventory_upload_start(
    *,
    municipality: Municipality,
    source_name: str,
    fmt: str,
    upload: File,
    actor: Any,
) -> Snapshot:
    """The web upload, first half: `upload` is stored with a new loading snapshot of the source
    (MEDIA storage; never served) for `tasks.inventory_upload_import` to load. Raises
    `InventoryImportError` for an unknown format or a source that takes another one."""
    _check_may_import(municipality, actor)
    return inventory_snapshot_start(
        municipality=municipality,
        source_name=source_name,
        fmt=fmt,
        file_name=upload.name or "",
        actor=actor,
        upload=upload,
    )


def inventory_upload_load(*, snapshot: Snapshot, on_error: OnError = "refuse") -> Snapshot:
    """The web upload, second half (run by the background task): load the snapshot's stored file
    into it, writing its progress on the snapshot after each batch, as the user who uploaded it.

    On success the stored file is deleted: the snapshot's devices and installations are the data
    now, and an inventory (who uses which computer) is not kept twice. On failure the snapshot
    is failed and says why (`inventory_snapshot_load`), and the file is kept for the IT
    department to look into; `InventoryImportError` is raised."""
    actor = snapshot.imported_by
    storage, name = snapshot.upload.storage, snapshot.upload.name
    try:
        if not name:
            raise FileNotFoundError(_("the snapshot has no uploaded file"))
        stream = storage.open(name, "rb")
    except OSError as error:
        message = _("The uploaded file cannot be read: %(reason)s") % {"reason": error}
        inventory_snapshot_fail(snapshot=snapshot, error=message, actor=actor)
        raise InventoryImportError(message, snapshot=snapshot) from error
    with stream:
        inventory_snapshot_load(
            snapshot=snapshot,
            stream=cast(BinaryIO, stream),
            actor=actor,
            on_error=on_error,
            progress=_UploadProgress(snapshot, stream),
        )
    with governed_write(actor):
        snapshot.upload = ""  # type: ignore[assignment]
        snapshot.save(update_fields=["upload", "updated_at"])
    try:
        storage.delete(name)
    except OSError:
        logger.exception("The uploaded inventory %s could not be deleted.", name)
    return snapshot


class _UploadProgress:
    """After each batch: the rows read and the position in the file, written on the snapshot in
    one UPDATE for its page to show. Not a governed write: progress is no change anyone needs in
    the log. It also keeps `updated_at` as the snapshot's last sign of life (`snapshot_stalled`)
    and stops the load if the snapshot was marked failed meanwhile."""

    def __init__(self, snapshot: Snapshot, stream: IO[bytes]) -> None:
        self.snapshot = snapshot
        self.stream = stream

    def __call__(self, rows: int) -> None:
        position = self.stream.tell()
        updated = Snapshot.objects.filter(
            pk=self.snapshot.pk, status=SnapshotStatus.LOADING
        ).update(rows_read=rows, bytes_read=position, updated_at=timezone.now())
        if not updated:
            raise InventoryImportError(_("the import was marked failed while it was loading."))
        # The loader saves the whole snapshot when it finishes: it must not undo this.
        self.snapshot.rows_read = rows
        self.snapshot.bytes_read = position


def stalled_after() -> datetime.timedelta:
    """How long a loading snapshot may go without progress before it counts as stalled (its
    worker died): `STADGA_INVENTORY_STALLED_HOURS`, 6 hours by default. A batch of rows takes
    seconds, so this is generous."""
    return datetime.timedelta(hours=getattr(settings, "STADGA_INVENTORY_STALLED_HOURS", 6))


def snapshot_stalled(snapshot: Snapshot, *, now: datetime.datetime | None = None) -> bool:
    """A snapshot still loading with no sign of life (progress) for `stalled_after()`."""
    if snapshot.status != SnapshotStatus.LOADING:
        return False
    return snapshot.updated_at < (now or timezone.now()) - stalled_after()


def inventory_snapshot_fail(*, snapshot: Snapshot, error: str, actor: Any) -> Snapshot:
    """Mark a loading snapshot failed with `error` and delete the rows it had written; the
    source's current snapshot stays as it was. A snapshot no longer loading is left alone."""
    with governed_write(actor):
        locked = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
        if locked.status != SnapshotStatus.LOADING:
            snapshot.refresh_from_db()
            return snapshot
        _delete_rows(snapshot.pk)
        locked.status = SnapshotStatus.FAILED
        locked.finished_at = timezone.now()
        locked.rows_imported = 0
        locked.error = error
        locked.save()
    snapshot.refresh_from_db()
    return snapshot


def inventory_snapshot_fail_stalled(*, snapshot: Snapshot, actor: Any) -> Snapshot:
    """The IT department gives up on a stalled import (`snapshot_stalled`): it is marked failed,
    its partial rows deleted, its uploaded file kept. A snapshot that is not stalled (still
    making progress, or finished meanwhile) is refused with `ValidationError`."""
    _check_may_import(snapshot.municipality, actor)
    if not snapshot_stalled(snapshot):
        raise ValidationError(_("The import is not stalled."))
    return inventory_snapshot_fail(
        snapshot=snapshot,
        error=_("The import stopped without finishing and was marked failed."),
        actor=actor,
    )


class _Loader:
    """Streams rows into one snapshot: resolves titles and devices, writes installations."""

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        on_error: OnError,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.snapshot = snapshot
        self.municipality_id = snapshot.municipality_id
        self.on_error = on_error
        self.progress = progress
        self.titles: dict[TitleKey, int] = {
            (name, publisher, version): pk
            for pk, name, publisher, version in SoftwareTitle.objects.filter(
                municipality_id=self.municipality_id
            ).values_list("pk", "name", "publisher", "version")
        }
        # Reported department → department: by name, or by the IT department's mappings.
        self.departments = department_names(self.municipality_id)
        self.devices: dict[str, int] = {}
        self.titles_used: set[int] = set()
        # Titles this import added to the register: the dictionary classifies them at the end.
        self.new_titles: set[int] = set()
        self.pending: list[RawInstallation] = []
        self.imported = 0
        self.skipped = 0
        self.errors: list[RowError] = []

    def run(self, rows: Iterable[RawInstallation | RowError]) -> None:
        for row in rows:
            if isinstance(row, RawInstallation) and not (row.device.strip() and row.name.strip()):
                row = RowError(
                    row.line,
                    _("Row %(line)s names no device or no software.") % {"line": row.line},
                )
            if isinstance(row, RowError):
                self.skipped += 1
                if len(self.errors) < ERROR_CAP:
                    self.errors.append(row)
                if self.on_error == "refuse":
                    # Nothing more is written; the rest of the file is only read for errors.
                    self.pending = []
                    if len(self.errors) >= ERROR_CAP:
                        break
                continue
            if self.on_error == "refuse" and self.skipped:
                continue
            self.pending.append(row)
            if len(self.pending) >= BATCH_SIZE:
                self.flush()
        if self.on_error == "refuse" and self.skipped:
            raise _BrokenRows
        self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        keys = [_title_key(row) for row in rows]
        self._create_titles({key for key in keys if key not in self.titles})
        new_devices: dict[str, Device] = {}
        for row in rows:
            name = row.device.strip()[:_DEVICE_NAME_LENGTH]
            if name not in self.devices and name not in new_devices:
                department = row.department.strip()[:_DEPARTMENT_TEXT_LENGTH]
                new_devices[name] = Device(
                    snapshot_id=self.snapshot.pk,
                    name=name,
                    user=row.user.strip()[:_DEVICE_USER_LENGTH],
                    department_text=department,
                    department_id=self.departments.get(department_key(department)),
                )
        with transaction.atomic():
            if new_devices:
                self._create_devices(list(new_devices.values()))
            values = [
                (
                    self.snapshot.pk,
                    self.devices[row.device.strip()[:_DEVICE_NAME_LENGTH]],
                    self.titles[key],
                    row.install_date,
                    row.arch.strip()[:_ARCH_LENGTH],
                )
                for row, key in zip(rows, keys, strict=True)
            ]
            _write_installations(values)
        self.titles_used.update(value[2] for value in values)
        self.imported += len(rows)
        if self.progress is not None:
            self.progress(self.imported + self.skipped)

    def _create_titles(self, keys: set[TitleKey]) -> None:
        """Create the new titles and learn their ids. Another import of the municipality may have
        created some of them meanwhile, so a key already there is skipped, not an error; those
        are read back by key and are not this import's `new_titles`.

        Where the database returns rows from an insert that skips conflicts (PostgreSQL, SQLite
        3.35 and later), ``INSERT … ON CONFLICT DO NOTHING RETURNING`` gives the ids of exactly
        the titles it created, and only the keys it skipped (usually none) are read back.
        `bulk_create(ignore_conflicts=True)` returns no ids, hence the SQL. On PostgreSQL the
        keys go in as three arrays (`unnest`), one statement whatever their number: psycopg
        parses a statement's placeholders in Python, which for a multi-row ``VALUES`` of
        thousands of titles cost more than the insert."""
        if not keys:
            return
        if not connection.features.can_return_rows_from_bulk_insert:
            self._create_titles_and_read_back(keys)
            return
        template = SoftwareTitle(municipality_id=self.municipality_id, name="", publisher="")
        fields = [field for field in SoftwareTitle._meta.concrete_fields if not field.primary_key]
        # Every column but the key's three takes its default, as `bulk_create` would give it.
        defaults = {
            field.attname: field.get_db_prep_save(field.pre_save(template, add=True), connection)
            for field in fields
        }
        key_names = ("name", "publisher", "version")
        quote = connection.ops.quote_name
        table = quote(str(SoftwareTitle._meta.db_table))
        columns = ", ".join(quote(str(field.column)) for field in fields)
        column_of = {field.attname: field.column for field in SoftwareTitle._meta.concrete_fields}
        returned = ", ".join(
            quote(str(column_of[name])) for name in (SoftwareTitle._meta.pk.attname, *key_names)
        )
        ordered = sorted(keys)  # a fixed order: concurrent imports take the same locks in turn
        statements: list[tuple[str, list[Any]]] = []
        if connection.vendor == "postgresql":
            selected = []
            parameters: list[Any] = []
            for field in fields:
                if field.attname in key_names:
                    selected.append(f"k.k{key_names.index(field.attname)}")
                else:
                    selected.append(f"CAST(%s AS {field.cast_db_type(connection)})")
                    parameters.append(defaults[field.attname])
            parameters += [[key[at] for key in ordered] for at in range(3)]
            statements.append(
                (
                    f"INSERT INTO {table} ({columns}) SELECT {', '.join(selected)} "  # noqa: S608
                    "FROM unnest(%s::text[], %s::text[], %s::text[]) AS k(k0, k1, k2)",
                    parameters,
                )
            )
        else:
            row = "(" + ", ".join(["%s"] * len(fields)) + ")"
            chunk = max(1, min(connection.ops.bulk_batch_size(fields, ordered), 1000))
            for start in range(0, len(ordered), chunk):
                part = ordered[start : start + chunk]
                statements.append(
                    (
                        f"INSERT INTO {table} ({columns}) "  # noqa: S608
                        f"VALUES {', '.join([row] * len(part))}",
                        [
                            key[key_names.index(field.attname)]
                            if field.attname in key_names
                            else defaults[field.attname]
                            for key in part
                            for field in fields
                        ],
                    )
                )
        created: set[TitleKey] = set()
        with transaction.atomic(), connection.cursor() as cursor:
            for insert, arguments in statements:
                # Only the model's own quoted names are formatted in; every value is a parameter.
                cursor.execute(f"{insert} ON CONFLICT DO NOTHING RETURNING {returned}", arguments)
                for pk, name, publisher, version in cursor.fetchall():
                    key = (name, publisher, version)
                    created.add(key)
                    self.new_titles.add(pk)
                    self.titles[key] = pk
        missing = keys - created
        if missing:
            self._read_titles(missing)

    def _create_titles_and_read_back(self, keys: set[TitleKey]) -> None:
        """`_create_titles` on a database that returns no ids from such an insert: every key is
        read back, and counted as new (a concurrent import's title cannot be told apart)."""
        with transaction.atomic():
            SoftwareTitle.objects.bulk_create(
                [
                    SoftwareTitle(
                        municipality_id=self.municipality_id,
                        name=name,
                        publisher=publisher,
                        version=version,
                    )
                    for name, publisher, version in keys
                ],
                ignore_conflicts=True,
            )
        self.new_titles.update(self._read_titles(keys))

    def _read_titles(self, keys: set[TitleKey]) -> list[int]:
        """Learn the ids of titles that exist with these keys; returns them."""
        found = []
        names = {name for name, _publisher, _version in keys}
        for pk, name, publisher, version in SoftwareTitle.objects.filter(
            municipality_id=self.municipality_id, name__in=names
        ).values_list("pk", "name", "publisher", "version"):
            key = (name, publisher, version)
            if key in keys:
                found.append(pk)
            self.titles[key] = pk
        return found

    def _create_devices(self, devices: list[Device]) -> None:
        created = Device.objects.bulk_create(devices)
        if all(device.pk is not None for device in created):
            self.devices.update((device.name, device.pk) for device in created)
        else:  # A database that cannot return ids from a bulk insert.
            names = [device.name for device in devices]
            self.devices.update(
                Device.objects.filter(snapshot_id=self.snapshot.pk, name__in=names).values_list(
                    "name", "pk"
                )
            )


def _user_or_none(actor: Any) -> Any:
    """The user who imports, for `imported_by`; None for the system itself."""
    return actor if isinstance(actor, AbstractBaseUser) and actor.pk else None


def _title_key(row: RawInstallation) -> TitleKey:
    return (
        row.name.strip()[:TITLE_NAME_LENGTH],
        row.publisher.strip()[:TITLE_PUBLISHER_LENGTH],
        row.version.strip()[:TITLE_VERSION_LENGTH],
    )


_INSTALLATION_COLUMNS: list[str] = [
    str({field.name: field.column for field in Installation._meta.concrete_fields}[name])
    for name in ("snapshot", "device", "title", "install_date", "arch")
]


def _write_installations(values: list[tuple[Any, ...]]) -> None:
    """One batch of installations: `COPY` on PostgreSQL, one prepared INSERT run over the batch
    (`executemany`) elsewhere, which is several times faster than `bulk_create` building a model
    instance and an SQL string per row."""
    quote = connection.ops.quote_name
    table = quote(str(Installation._meta.db_table))
    columns = ", ".join(quote(column) for column in _INSTALLATION_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * len(_INSTALLATION_COLUMNS))
            # Only the model's own quoted names are formatted in; every value is a parameter.
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                [
                    (snapshot_id, device_id, title_id, _date_value(install_date), arch)
                    for snapshot_id, device_id, title_id, install_date, arch in values
                ],
            )


def _date_value(value: datetime.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _delete_rows(snapshot_id: int) -> None:
    """A snapshot's installations and devices, in that order, each in one DELETE."""
    Installation.objects.filter(snapshot_id=snapshot_id).delete()
    Device.objects.filter(snapshot_id=snapshot_id).delete()


def _discard(snapshot: Snapshot, loader: _Loader, error: str, actor: Any) -> None:
    """A failed import: its rows go, its snapshot is marked failed and says why."""
    with governed_write(actor):
        _delete_rows(snapshot.pk)
        snapshot.status = SnapshotStatus.FAILED
        snapshot.finished_at = timezone.now()
        snapshot.rows_imported = 0
        snapshot.rows_skipped = loader.skipped
        snapshot.error = error
        snapshot.save()


def _switch(source: InventorySource, snapshot: Snapshot, loader: _Loader, actor: Any) -> None:
    """In one transaction: the new snapshot becomes current, the previous one is superseded and
    its rows deleted (its counts stay for the trend)."""
    with governed_write(actor):
        source = InventorySource.objects.select_for_update().get(pk=source.pk)
        previous_id = source.current_snapshot_id
        snapshot.status = SnapshotStatus.COMPLETE
        snapshot.finished_at = timezone.now()
        snapshot.rows_imported = loader.imported
        snapshot.rows_skipped = loader.skipped
        snapshot.device_count = len(loader.devices)
        snapshot.title_count = len(loader.titles_used)
        snapshot.error = format_row_errors(loader.errors)
        snapshot.save()
        source.current_snapshot = snapshot
        source.save(update_fields=["current_snapshot", "updated_at"])
        if previous_id is not None:
            _delete_rows(previous_id)
            previous = Snapshot.objects.get(pk=previous_id)
            previous.status = SnapshotStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
        # New titles are classified by the dictionary in the same transaction; titles already
        # in the register keep their results (rule changes replay over them).
        if loader.new_titles:
            dictionary_apply(
                municipality=snapshot.municipality, actor=actor, titles=loader.new_titles
            )
        # The reports read the snapshot's tallies, and the trend its figures as they stand now.
        if previous_id is not None:
            Tally.objects.filter(snapshot_id=previous_id).delete()
        tally_write(snapshot)
        snapshot.figures = snapshot_figures(snapshot)
        snapshot.save(update_fields=["figures", "updated_at"])
