"""`stadga backup` and `stadga restore` (issue 11 item 6; P4.3 robust, P9.1 integrity and
availability): a backup restores into an empty installation with the same data, proven by
comparing full exports; a damaged archive or a database that holds data changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from stadga.core.backup import EXCLUDED
from stadga.organisation.models import Municipality
from stadga.security.models import Measure
from stadga.security.services_measures import measure_create
from stadga.testing.factories import (
    MunicipalityFactory,
    ResidentMessageFactory,
    SystemFactory,
    UserFactory,
)

EVIDENCE = b"%PDF-1.4 restore test evidence"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def add_evidence(municipality: Municipality) -> Measure:
    """A protective measure with an uploaded evidence file (P9.5), written by its service."""
    system = SystemFactory(municipality=municipality)
    return measure_create(
        municipality=municipality,
        data={
            "system": system,
            "title": "Återläsningstest",
            "status": "implemented",
            "evidence_file": SimpleUploadedFile("rapport.pdf", EVIDENCE, "application/pdf"),
        },
        actor=None,
    )


def read_archive(path: Path) -> dict[str, Any]:
    """Every entry of an archive: JSON parsed, files as bytes."""
    entries: dict[str, Any] = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            data = archive.extractfile(member).read()  # type: ignore[union-attr]
            entries[member.name] = json.loads(data) if member.name.endswith(".json") else data
    return entries


def write_archive(path: Path, entries: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def raw_entries(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive}  # type: ignore[union-attr]


# The round trip, into a new database in another process ----------------------------------------


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the kind the suite runs on: an SQLite file, or a throwaway
    PostgreSQL database dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"stadga_restore_{uuid.uuid4().hex[:12]}"
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    try:
        yield f"postgres://{params['USER']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stadga(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    """The `stadga` console script, in a process of its own against another installation."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STADGA_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "stadga.settings",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )


NEW_MEASURE = """
import django
django.setup()
from stadga.organisation.models import Municipality
from stadga.security.models import Measure
from stadga.security.services_measures import measure_create
from stadga.systems.models import System
m = Municipality.objects.get(slug="karlsborg")
highest = max(Measure.objects.values_list("pk", flat=True))
measure = measure_create(
    municipality=m,
    data={"system": System.objects.filter(municipality=m).first(), "title": "Efter återläsning",
          "status": "implemented"},
    actor=None,
)
print(highest, measure.pk)
"""

WRITE_DURING_BACKUP = """
import threading
import django
django.setup()
from django.db import connection, connections
from stadga.core.backup import _read_snapshot
from stadga.organisation.models import Municipality
from stadga.organisation.services import municipality_create

written = []

def service_writes():
    written.append(municipality_create(slug="nyby", name="Nyby kommun", code="9901", actor=None))
    connections.close_all()

with _read_snapshot(connection):
    before = Municipality.objects.count()
    writer = threading.Thread(target=service_writes)
    writer.start()
    writer.join(timeout=15)
    unblocked = bool(written) and not writer.is_alive()
    during = Municipality.objects.count()
print(unblocked, before, during, Municipality.objects.count())
"""


@pytest.mark.django_db
def test_backup_restores_into_an_empty_installation_with_the_same_data(
    media: Path, tmp_path: Path, empty_database_url: str
) -> None:
    from stadga.demo.load import load_demo

    karlsborg = load_demo()
    measure = add_evidence(karlsborg)
    first = tmp_path / "first.tar.gz"
    call_command("backup", str(first), stdout=io.StringIO())

    assert first.stat().st_mode & 0o777 == 0o600  # personal data: the operator's eyes only
    # The archive holds every model's rows (but what migrations recreate) and the upload.
    before = read_archive(first)
    manifest = before["manifest.json"]
    expected = {
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    } - EXCLUDED
    assert {entry["model"] for entry in manifest["models"]} == expected
    for entry in manifest["models"]:
        model = apps.get_model(entry["model"])
        assert entry["count"] == model._base_manager.count(), entry["model"]
        assert len(before[entry["file"]]) == entry["count"]
    assert before[f"media/{measure.evidence_file.name}"] == EVIDENCE
    assert manifest["migrations"]["security"] == max(
        name for name in manifest["applied_migrations"]["security"]
    )
    log = before["data/auditlog.logentry.json"]
    assert log and all(isinstance(row["fields"]["content_type"], list) for row in log)

    var_dir = tmp_path / "restored-var"
    restored = stadga(
        "-m", "stadga.cli", "restore", str(first), database_url=empty_database_url, var_dir=var_dir
    )
    assert restored.returncode == 0, restored.stderr
    # The command speaks the installation's language (Swedish by default).
    assert "antal och kontrollsummor har kontrollerats" in restored.stdout
    assert (var_dir / "media" / measure.evidence_file.name).read_bytes() == EVIDENCE

    second = tmp_path / "second.tar.gz"
    again = stadga(
        "-m", "stadga.cli", "backup", str(second), database_url=empty_database_url, var_dir=var_dir
    )
    assert again.returncode == 0, again.stderr
    after = read_archive(second)
    # Full exports, every model's rows sorted by pk (and every file): equal.
    assert sorted(after) == sorted(before)
    for name in before:
        if name != "manifest.json":
            assert after[name] == before[name], name
    for key in ("migrations", "applied_migrations", "content_types", "models", "files"):
        assert after["manifest.json"][key] == manifest[key], key

    # PostgreSQL's sequences were reset: a new measure (and its change-log entry) gets a new pk.
    created = stadga("-c", NEW_MEASURE, database_url=empty_database_url, var_dir=var_dir)
    assert created.returncode == 0, created.stderr
    highest, new = map(int, created.stdout.split())
    assert new > highest

    # While a backup reads, the service writes on, unblocked, and the backup does not see it.
    during = stadga("-c", WRITE_DURING_BACKUP, database_url=empty_database_url, var_dir=var_dir)
    assert during.returncode == 0, during.stderr
    assert during.stdout.split() == ["True", "3", "3", "4"]


# Refusals: nothing is written --------------------------------------------------------------------


@pytest.fixture
def archive(media: Path, tmp_path: Path) -> Path:
    """A small valid archive (a municipality, a user, an uploaded file), made in a transaction
    that is then rolled back, and its upload removed: the database and media are empty again."""
    path = tmp_path / "small.tar.gz"
    with transaction.atomic():
        municipality = MunicipalityFactory(slug="karlsborg")
        UserFactory()
        measure = add_evidence(municipality)
        call_command("backup", str(path), stdout=io.StringIO())
        measure.evidence_file.delete(save=False)
        transaction.set_rollback(True)
    return path


def assert_nothing_written(media: Path) -> None:
    assert not Municipality.objects.exists()
    assert not get_user_model().objects.exists()
    assert not change_log().objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def change_log() -> Any:
    return apps.get_model("auditlog", "LogEntry")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def not_an_archive(path: Path) -> None:
    path.write_bytes(b"Name;Owner\nEkonomisystem;Anna\n")


def broken_gzip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))


def no_manifest(path: Path) -> None:
    entries = raw_entries(path)
    del entries["manifest.json"]
    write_archive(path, entries)


def tampered_rows(path: Path) -> None:
    entries = raw_entries(path)
    name = "data/organisation.municipality.json"
    rows = json.loads(entries[name])
    rows[0]["fields"]["name"] = "Falsk kommun"
    entries[name] = json.dumps(rows).encode()
    write_archive(path, entries)


def tampered_file(path: Path) -> None:
    entries = raw_entries(path)
    name = next(n for n in entries if n.startswith("media/"))
    entries[name] = b"%PDF-1.4 forged"
    write_archive(path, entries)


def escaping_entry(path: Path) -> None:
    entries = raw_entries(path)
    entries["media/../../evil.txt"] = b"x"
    write_archive(path, entries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "damaged or incomplete"),
        (not_an_archive, "not a Stadga backup"),
        (broken_gzip, "damaged or incomplete"),
        (no_manifest, "has no manifest"),
        (tampered_rows, "does not match its checksum"),
        (tampered_file, "does not match its checksum"),
        (escaping_entry, "never holds"),
    ],
)
def test_a_bad_archive_is_refused_and_nothing_is_written(
    archive: Path, media: Path, english: None, damage: Any, message: str
) -> None:
    assert_nothing_written(media)  # the installation is empty: only the archive stops it
    damage(archive)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert_nothing_written(media)


@pytest.mark.django_db
def test_an_archive_of_a_newer_stadga_is_refused(archive: Path, media: Path, english: None) -> None:
    entries = raw_entries(archive)
    manifest = json.loads(entries["manifest.json"])
    manifest["applied_migrations"]["security"].append("9999_from_the_future")
    manifest["migrations"]["security"] = "9999_from_the_future"
    entries["manifest.json"] = json.dumps(manifest).encode()
    write_archive(archive, entries)
    with pytest.raises(CommandError, match=r"newer Stadga.*security\.9999_from_the_future"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert_nothing_written(media)


@pytest.mark.django_db
def test_restore_into_a_database_that_holds_data_is_refused(
    archive: Path, media: Path, english: None
) -> None:
    municipality = MunicipalityFactory(slug="skovde", name="Skövde")
    with pytest.raises(CommandError, match=r"not empty.*organisation\.municipality"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert list(Municipality.objects.all()) == [municipality]
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_refused_restore_exits_with_status_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(gzip.compress(b"not a tar archive")[:10])
    result = stadga(
        "-m",
        "stadga.cli",
        "restore",
        str(bad),
        database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        var_dir=tmp_path / "var",
    )
    assert result.returncode == 1
    assert "CommandError" in result.stderr and "ingenting har återställts" in result.stderr


@pytest.mark.django_db
def test_restore_into_the_empty_test_database_gives_back_the_rows(
    archive: Path, media: Path
) -> None:
    """The same in this process: counts and the upload come back; progress is per model."""
    err = io.StringIO()
    call_command("restore", str(archive), stdout=io.StringIO(), stderr=err, verbosity=2)
    assert Municipality.objects.get().slug == "karlsborg"
    measure = Measure.objects.get()
    assert measure.evidence_file.read() == EVIDENCE
    assert "organisation.municipality: 1" in err.getvalue()
    assert (
        not change_log()
        .objects.exclude(
            pk__in=[row["pk"] for row in read_archive(archive)["data/auditlog.logentry.json"]]
        )
        .exists()
    )  # restoring writes no change-log entries of its own


@pytest.mark.django_db
def test_backup_prints_a_line_per_model_and_is_silent_for_cron(
    media: Path, tmp_path: Path, english: None
) -> None:
    MunicipalityFactory()
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(tmp_path / "a.tar.gz"), stdout=out, stderr=err, verbosity=2)
    assert "organisation.municipality: 1 rows" in err.getvalue()
    assert "auditlog.logentry:" in err.getvalue()
    assert "Backup written to" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=out, stderr=err, verbosity=0)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    assert (tmp_path / "b.tar.gz").is_file()
    assert not list(tmp_path.glob(".stadga-backup-*"))  # no staging left behind


@pytest.mark.django_db
def test_backup_into_a_missing_folder_is_a_clear_error(tmp_path: Path, english: None) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "a.tar.gz"), stdout=io.StringIO())


CHECK_UPGRADED = """
import django
django.setup()
from django.db.migrations.recorder import MigrationRecorder
from stadga.portal.models import ResidentMessage
message = ResidentMessage.objects.get()
applied = MigrationRecorder.Migration.objects.filter(app="portal").values_list("name", flat=True)
print(message.subject, message.closed_at, sorted(applied)[-1])
"""


@pytest.mark.django_db
def test_an_archive_of_an_older_release_comes_back_upgraded(
    media: Path, tmp_path: Path, empty_database_url: str
) -> None:
    """Restored at the archive's migration state with the models of that state, then migrated
    on: here an archive written before portal's 0002 (residents' messages had no `closed_at`)."""
    path = tmp_path / "old.tar.gz"
    with transaction.atomic():
        message = ResidentMessageFactory(subject="Ekonomisystemet")
        call_command("backup", str(path), stdout=io.StringIO())
        transaction.set_rollback(True)
    entries = raw_entries(path)
    manifest = json.loads(entries["manifest.json"])
    name = "data/portal.residentmessage.json"
    rows = json.loads(entries[name])
    assert [row["pk"] for row in rows] == [message.pk]
    for row in rows:
        del row["fields"]["closed_at"]
    entries[name] = json.dumps(rows).encode()
    for entry in manifest["models"]:
        if entry["file"] == name:
            entry["sha256"] = hashlib.sha256(entries[name]).hexdigest()
    manifest["applied_migrations"]["portal"].remove("0002_residentmessage_closed_at")
    manifest["migrations"]["portal"] = "0001_initial"
    entries["manifest.json"] = json.dumps(manifest).encode()
    write_archive(path, entries)

    var_dir = tmp_path / "restored-var"
    restored = stadga(
        "-m", "stadga.cli", "restore", str(path), database_url=empty_database_url, var_dir=var_dir
    )
    assert restored.returncode == 0, restored.stderr
    assert "Därefter uppgraderad med 1 migrering från den här versionen" in restored.stdout
    checked = stadga("-c", CHECK_UPGRADED, database_url=empty_database_url, var_dir=var_dir)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.split() == ["Ekonomisystemet", "None", "0002_residentmessage_closed_at"]


@pytest.mark.django_db
def test_rows_that_do_not_fit_together_load_nothing(
    archive: Path, media: Path, english: None
) -> None:
    """All or nothing: a consistent-looking archive (checksums recomputed) whose measure points
    at a system that is not there is refused when the rows are checked, and nothing stays."""
    entries = raw_entries(archive)
    manifest = json.loads(entries["manifest.json"])
    name = "data/security.measure.json"
    rows = json.loads(entries[name])
    rows[0]["fields"]["system"] = 999_999
    entries[name] = json.dumps(rows).encode()
    for entry in manifest["models"]:
        if entry["file"] == name:
            entry["sha256"] = hashlib.sha256(entries[name]).hexdigest()
    entries["manifest.json"] = json.dumps(manifest).encode()
    write_archive(archive, entries)
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert_nothing_written(media)
    assert not Measure.objects.exists()
