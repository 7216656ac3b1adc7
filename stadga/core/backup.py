"""Backup and restore of a whole installation: `stadga backup FILE`, `stadga restore FILE`.

Stadga holds public records, personal data and the municipality's security weaknesses; a backup
that does not restore protects nothing (P4.3 robust, P9.1 integrity and availability). So a
backup is one file that says what it holds and proves it on the way back.

Why not django-dbbackup: it is well kept, but it shells out to `pg_dump` or copies the SQLite
file, so its archives are tied to one database engine (and to the matching client tools on the
server), and it restores over a database rather than into an empty installation. Stadga runs on
SQLite (embedded) and PostgreSQL; a municipality that starts on SQLite must be able to move to
PostgreSQL, and a restore must be checkable row by row. This module therefore writes a
database-neutral archive with Django's own serializers, which every Stadga installation can read,
and needs no new dependency.

The archive is a gzip-compressed tar file:

    manifest.json            format, Stadga version, creation time, database engine, the latest
                             applied migration of every app, the content types, and per model
                             its row count and the SHA-256 of its data file; per uploaded file
                             its size and SHA-256
    data/<app>.<model>.json  the model's rows in Django's JSON serialization, ordered by pk
    media/<name>             every file of the default (media) storage

What it holds: every model's rows, except what migrations recreate (content types, permissions)
and what is only transient (sessions). Rows point at content types and permissions by natural
key (`["auditlog", …]`), never by number, so the change log (auditlog.LogEntry) and group
permissions survive into a database whose content types were numbered differently. Uploaded
spreadsheets waiting for confirmation (the `imports` storage) are not kept: they expire within
hours and can be uploaded again.

Consistency while the service runs: the database is read inside one transaction (PostgreSQL:
REPEATABLE READ, READ ONLY; SQLite: one deferred read transaction, which in WAL mode is a
snapshot and does not block writers). Uploaded files are copied after that read; a file uploaded
in between is kept as well, harmless.

Restore goes into an empty installation only (no municipality, no user, no other row): nothing
is ever overwritten. It first reads and checks the whole archive (checksums, counts, that it is
one of ours) before it writes anything; migrates the database to the archive's migration state
(refused when the archive knows migrations this code does not: it was made by a newer Stadga);
loads every row in one transaction with the models as they were at that state; puts the files
back; resets PostgreSQL's sequences; verifies counts and checksums; and finally migrates on to
this code's state, so an archive of an older release comes back upgraded.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps as global_apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

import stadga

FORMAT = "stadga-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
MANIFEST_KEYS = ("migrations", "applied_migrations", "content_types", "models", "files")

# Recreated by `migrate` (content types, permissions) or transient (sessions).
EXCLUDED = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})
# Referred to by natural key: their numbers differ from one database to the next.
BY_NATURAL_KEY = frozenset({"contenttypes.contenttype", "auth.permission"})

CHUNK = 1024 * 1024
INSERT_BATCH = 2000
GZIP_MAGIC = b"\x1f\x8b"

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be written or an archive cannot be restored; the message says why."""


@dataclass
class Summary:
    """What a backup wrote or a restore loaded."""

    path: Path
    manifest: dict[str, Any]
    rows: int = 0
    files: int = 0
    upgraded: list[str] = field(default_factory=list)


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds (ECMAScript's format), so
    `dumpdata` loses the microseconds the change log and every timestamp hold; keep them all."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(PythonSerializer):  # type: ignore[misc]
    """Django's serializer, with natural keys for content types and permissions only: every
    other foreign key keeps its number, which the archive keeps too (rows keep their pk)."""

    def _natural(self, field: Any) -> bool:
        return _label(field.remote_field.model) in BY_NATURAL_KEY

    def handle_fk_field(self, obj: Model, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Model, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


class _HistoricalDeserializer(PythonDeserializer):  # type: ignore[misc]
    """Django's deserializer, building rows with the models as they were at the archive's
    migration state. Historical models also carry no signal receivers, so restoring writes no
    change-log entries of its own: the change log comes back as it was."""

    def __init__(self, object_list: Any, *, models: Any, **options: Any) -> None:
        super().__init__(object_list, **options)
        self.models = models

    def _get_model_from_node(self, model_identifier: str) -> type[Model]:
        try:
            return self.models.get_model(model_identifier)  # type: ignore[no-any-return]
        except (LookupError, TypeError, ValueError):
            raise DeserializationError(
                _("The archive holds rows of an unknown model: %(model)s.")
                % {"model": model_identifier}
            ) from None


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows a backup holds, dependencies first."""
    app_list = []
    for app_config in global_apps.get_app_configs():
        models = [
            model
            for model in app_config.get_models()
            if model._meta.managed and not model._meta.proxy and _label(model) not in EXCLUDED
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)  # type: ignore[no-any-return]


def _applied_migrations(connection: Any) -> dict[str, list[str]]:
    """Per app, its applied migrations in the order they were applied."""
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return applied


@contextmanager
def _read_snapshot(connection: Any) -> Iterator[None]:
    """One consistent view of the database while the service keeps writing. Within a caller's
    transaction (a test), that transaction is the snapshot."""
    if connection.in_atomic_block:
        yield
        return
    with connection.cursor():  # connect (and run the health check) before the transaction
        pass
    if connection.vendor == "sqlite":
        # `atomic` would take SQLite's write lock (the project's IMMEDIATE mode) and hold every
        # writer off for the backup's duration; a deferred read transaction is a WAL snapshot.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_rows(model: type[Model], target: Path, *, using: str) -> int:
    """The model's rows, ordered by pk, as one JSON array; returns how many."""
    serializer = _Serializer()
    count = 0
    queryset = model._base_manager.using(using).order_by("pk")
    with target.open("w", encoding="utf-8") as out:
        out.write("[")
        for obj in queryset.iterator(chunk_size=2000):
            row = serializer.serialize([obj])[0]
            out.write(",\n" if count else "\n")
            out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False, sort_keys=True))
            count += 1
        out.write("\n]\n")
    return count


def _storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file's name in the storage, sorted."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield str(PurePosixPath(directory, name)) if directory else name
    for sub in sorted(directories):
        yield from _storage_files(storage, str(PurePosixPath(directory, sub)) if directory else sub)


def backup_write(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> Summary:
    """Write the archive to `path` (replaced only once it is complete)."""
    say = progress or (lambda line: None)
    connection = connections[using]
    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    if pending:
        raise BackupError(
            _(
                "The database has %(count)s unapplied migrations; run `stadga migrate` first, "
                "then back up."
            )
            % {"count": len(pending)}
        )
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    storage = storages["default"]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "stadga_version": stadga.__version__,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "models": [],
        "files": [],
    }
    try:
        with tempfile.TemporaryDirectory(prefix=".stadga-backup-", dir=path.parent) as tmp:
            staging = Path(tmp)
            (staging / DATA_DIR).mkdir()
            (staging / MEDIA_DIR).mkdir()
            with _read_snapshot(connection):
                applied = _applied_migrations(connection)
                manifest["migrations"] = {app: names[-1] for app, names in applied.items()}
                manifest["applied_migrations"] = applied
                ct_model = global_apps.get_model("contenttypes", "ContentType")
                manifest["content_types"] = sorted(
                    [
                        list(pair)
                        for pair in ct_model.objects.using(using).values_list("app_label", "model")
                    ]
                )
                for model in backed_up_models():
                    label = _label(model)
                    name = f"{DATA_DIR}/{label}.json"
                    count = _write_rows(model, staging / name, using=using)
                    manifest["models"].append(
                        {
                            "model": label,
                            "file": name,
                            "count": count,
                            "sha256": _sha256(staging / name),
                        }
                    )
                    say(_("%(model)s: %(count)s rows") % {"model": label, "count": count})
            for name in _storage_files(storage):
                target = staging / MEDIA_DIR / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(name, "rb") as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                manifest["files"].append(
                    {"name": name, "size": target.stat().st_size, "sha256": _sha256(target)}
                )
            if manifest["files"]:
                say(_("Uploaded files: %(count)s") % {"count": len(manifest["files"])})
            partial = staging / "archive.tar.gz"
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                for entry in manifest["models"]:
                    archive.add(staging / entry["file"], arcname=entry["file"])
                for entry in manifest["files"]:
                    archive.add(
                        staging / MEDIA_DIR / entry["name"], arcname=f"{MEDIA_DIR}/{entry['name']}"
                    )
            partial.chmod(0o600)  # personal data and password hashes: the operator's eyes only
            os.replace(partial, path)
    except OSError as exc:
        raise BackupError(
            _("The backup %(path)s cannot be written: %(reason)s")
            % {"path": path, "reason": exc.strerror or exc}
        ) from None
    return Summary(
        path=path,
        manifest=manifest,
        rows=sum(entry["count"] for entry in manifest["models"]),
        files=len(manifest["files"]),
    )


# Restore ---------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "" not in parts


def _check_gzip(path: Path, damaged: str) -> None:
    """Read the compressed stream to its end: its checksum (CRC) and length are checked only
    there, and tarfile takes a damaged header halfway for the end of the archive."""
    try:
        with path.open("rb") as raw:
            if raw.read(2) != GZIP_MAGIC:
                raise BackupError(
                    _("%(path)s is not a Stadga backup (not a gzip-compressed tar archive).")
                    % {"path": path}
                )
        with gzip.open(path, "rb") as stream:
            while stream.read(CHUNK):
                pass
    except FileNotFoundError:
        raise BackupError(_("%(path)s does not exist.") % {"path": path}) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise BackupError(damaged % {"path": path, "reason": exc or _("cut short")}) from None
    except OSError as exc:
        raise BackupError(
            _("%(path)s cannot be read: %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from None


def _unpack(path: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into `into` and check it against its manifest; return the manifest.
    Any flaw is a BackupError, found before anything is written to the installation."""
    damaged = _("%(path)s is damaged or incomplete (%(reason)s); nothing was restored.")
    _check_gzip(path, damaged)
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by `with archive` below
    except FileNotFoundError:
        raise BackupError(_("%(path)s does not exist.") % {"path": path}) from None
    except (tarfile.ReadError, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, tarfile.ReadError) and exc.errno:
            raise BackupError(
                _("%(path)s cannot be read: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        raise BackupError(
            _("%(path)s is not a Stadga backup (not a gzip-compressed tar archive).")
            % {"path": path}
        ) from None
    names: set[str] = set()
    try:
        with archive:
            for member in archive:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(
                        _("%(path)s holds an entry a Stadga backup never holds: %(name)s.")
                        % {"path": path, "name": member.name}
                    )
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None  # a regular file
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                names.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(damaged % {"path": path, "reason": exc}) from None
    if MANIFEST not in names:
        raise BackupError(
            _("%(path)s has no manifest: it is not a Stadga backup, or it is incomplete.")
            % {"path": path}
        )
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or not all(key in manifest for key in MANIFEST_KEYS):
            raise ValueError
        entries = manifest["models"] + manifest["files"]
        expected = {MANIFEST}
        expected |= {entry["file"] for entry in manifest["models"]}
        expected |= {f"{MEDIA_DIR}/{entry['name']}" for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(
            _("The manifest of %(path)s is not a Stadga backup manifest.") % {"path": path}
        ) from None
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            _("%(path)s was written by a newer Stadga (%(version)s); restore it with that version.")
            % {"path": path, "version": manifest.get("stadga_version", "?")}
        )
    if names != expected:
        raise BackupError(
            _("%(path)s does not match its manifest (missing or extra entries): %(names)s.")
            % {"path": path, "names": ", ".join(sorted(names ^ expected)[:5])}
        )
    for entry in entries:
        name = entry.get("file") or f"{MEDIA_DIR}/{entry['name']}"
        if _sha256(into / name) != entry["sha256"]:
            raise BackupError(
                _("%(name)s in %(path)s does not match its checksum; nothing was restored.")
                % {"name": name, "path": path}
            )
    return manifest


def _installation_rows(connection: Any) -> list[str]:
    """The models that already hold rows (migrations' content types and permissions aside)."""
    tables = set(connection.introspection.table_names())
    filled = []
    for model in backed_up_models():
        if model._meta.db_table in tables and model._base_manager.using(connection.alias).exists():
            filled.append(_label(model))
    return filled


def _migration_targets(executor: MigrationExecutor, manifest: dict[str, Any]) -> list[Any]:
    known = set(executor.loader.disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["applied_migrations"].items()
        for name in names
        if (app, name) not in known and (app, name) not in executor.loader.replacements
    ]
    if unknown:
        raise BackupError(
            _(
                "The archive was made by a newer Stadga (%(version)s): this installation does "
                "not know its migrations %(migrations)s. Install that version (or newer) and "
                "restore again; nothing was restored."
            )
            % {
                "version": manifest.get("stadga_version", "?"),
                "migrations": ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else ""),
            }
        )
    return list(manifest["migrations"].items())


def _insert(model: type[Model], batch: list[Any], *, using: str) -> None:
    """Insert deserialized rows as they are, many to a statement: what `save(raw=True)` does
    one row at a time (no `auto_now`, no signals), some ten times faster on a large inventory."""
    if not batch:
        return
    connection = connections[using]
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    objects = [obj.object for obj in batch]
    size = max(connection.ops.bulk_batch_size(fields, objects), 1)
    queryset: Any = model._base_manager.using(using)  # `_insert`: what save_base uses
    for start in range(0, len(objects), size):
        queryset._insert(objects[start : start + size], fields=fields, raw=True, using=using)
    for obj in batch:
        for accessor_name, related in (obj.m2m_data or {}).items():
            getattr(obj.object, accessor_name).set(related)
        if obj.deferred_fields:
            obj.save_deferred_fields(using=using)


def _load_rows(
    manifest: dict[str, Any], unpacked: Path, models: Any, *, using: str, say: Progress
) -> int:
    connection = connections[using]
    total = 0
    loaded: list[type[Model]] = []
    for entry in manifest["models"]:
        rows = json.loads((unpacked / entry["file"]).read_text(encoding="utf-8"))
        if len(rows) != entry["count"]:
            raise BackupError(
                _("%(file)s holds %(found)s rows, its manifest says %(count)s.")
                % {"file": entry["file"], "found": len(rows), "count": entry["count"]}
            )
        model = models.get_model(entry["model"])
        batch: list[Any] = []
        for obj in _HistoricalDeserializer(
            rows, models=models, using=using, handle_forward_references=True
        ):
            if type(obj.object) is not model:
                raise BackupError(
                    _("%(file)s holds rows of another model.") % {"file": entry["file"]}
                )
            batch.append(obj)
            if len(batch) >= INSERT_BATCH:
                _insert(model, batch, using=using)
                batch = []
        _insert(model, batch, using=using)
        loaded.append(model)
        found = model._base_manager.using(using).count()
        if found != entry["count"]:
            raise BackupError(
                _("%(model)s: %(found)s rows after loading, the manifest says %(count)s.")
                % {"model": entry["model"], "found": found, "count": entry["count"]}
            )
        total += entry["count"]
        say(_("%(model)s: %(count)s rows") % {"model": entry["model"], "count": entry["count"]})
    connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return total


def _put_files(
    manifest: dict[str, Any], unpacked: Path, storage: Storage, written: list[str]
) -> None:
    for entry in manifest["files"]:
        with (unpacked / MEDIA_DIR / entry["name"]).open("rb") as source:
            saved = storage.save(entry["name"], File(source, name=entry["name"]))
        written.append(saved)
        if saved != entry["name"]:
            raise BackupError(
                _("The file %(name)s could not be put back under its own name.")
                % {"name": entry["name"]}
            )
        digest = hashlib.sha256()
        with storage.open(saved, "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(
                _("The file %(name)s does not match its checksum after restoring.")
                % {"name": entry["name"]}
            )


def backup_restore(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> Summary:
    """Restore the archive at `path` into this empty installation (see the module docstring)."""
    say = progress or (lambda line: None)
    connection = connections[using]
    storage = storages["default"]
    with tempfile.TemporaryDirectory(prefix="stadga-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(path, unpacked)
        executor = MigrationExecutor(connection)
        targets = _migration_targets(executor, manifest)
        filled = _installation_rows(connection)
        if filled:
            raise BackupError(
                _(
                    "This installation is not empty (it holds %(models)s); a backup is restored "
                    "only into an empty database, so that nothing is overwritten. Point "
                    "DATABASE_URL at a new, empty database and restore again."
                )
                % {"models": ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")}
            )
        present = [entry["name"] for entry in manifest["files"] if storage.exists(entry["name"])]
        if present:
            raise BackupError(
                _(
                    "The media folder already holds files the archive would put back (%(names)s); "
                    "restore into an empty media folder."
                )
                % {"names": ", ".join(present[:5])}
            )

        # Migrate to the archive's state; content types and permissions come back through
        # post_migrate as `migrate` makes them.
        plan = executor.migration_plan(targets)
        state = executor.migrate(targets, plan=plan)
        state.clear_delayed_apps_cache()
        models = state.apps
        emit_post_migrate_signal(0, False, using, apps=models, plan=plan)
        content_type = models.get_model("contenttypes", "ContentType")
        for app_label, model_name in manifest["content_types"]:
            # Models removed since kept their content type, which old change-log rows name.
            content_type.objects.using(using).get_or_create(app_label=app_label, model=model_name)

        written: list[str] = []
        try:
            try:
                with transaction.atomic(using=using):
                    rows = _load_rows(manifest, unpacked, models, using=using, say=say)
                    _put_files(manifest, unpacked, storage, written)
            except BaseException:  # the rows are rolled back: take the files back too
                _remove(storage, written)
                raise
        except (DatabaseError, DeserializationError, OSError) as exc:
            raise BackupError(
                _("The archive could not be loaded (%(reason)s); nothing was restored.")
                % {"reason": exc}
            ) from None
        if manifest["files"]:
            say(_("Uploaded files: %(count)s") % {"count": len(manifest["files"])})

    executor = MigrationExecutor(connection)
    forward = executor.migration_plan(executor.loader.graph.leaf_nodes())
    upgraded = [str(migration) for migration, _backwards in forward]
    if forward:
        from django.core.management import call_command

        call_command("migrate", database=using, verbosity=0, interactive=False)
    return Summary(
        path=path, manifest=manifest, rows=rows, files=len(manifest["files"]), upgraded=upgraded
    )


def _remove(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
