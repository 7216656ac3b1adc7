"""The inventory import: streamed into a snapshot that replaces the previous one atomically."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadga.inventory import services
from stadga.inventory.choices import SnapshotStatus
from stadga.inventory.models import (
    Device,
    Installation,
    InventorySource,
    Snapshot,
    SoftwareTitle,
)
from stadga.inventory.parsers import RawInstallation, RowError
from stadga.inventory.services import InventoryImportError, inventory_import
from stadga.testing.factories import DepartmentFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "Enhet;Användare;Förvaltning;Programvara;Version;Utgivare;Installerad\n"


def csv_file(rows: list[str]) -> io.BytesIO:
    return io.BytesIO((HEADER + "".join(row + "\n" for row in rows)).encode())


def generated_rows(count: int, *, devices: int = 20, titles: int = 30) -> list[str]:
    return [
        f"PC-{i % devices:04d};anna{i % devices};Utbildningsförvaltningen;"
        f"Program {i % titles};{i % 3}.0;Leverantör AB;2025-01-{1 + i % 28:02d}"
        for i in range(count)
    ]


FIRST = [
    "PC-001;anna;Utbildningsförvaltningen;LibreOffice;24.2;The Document Foundation;2025-01-10",
    "PC-001;anna;Utbildningsförvaltningen;Firefox;128.0;Mozilla;",
    "PC-002;bertil;Okänd förvaltning;Firefox;128.0;Mozilla;2025-02-01",
]
SECOND = [
    "PC-003;cecilia;socialförvaltningen;Firefox;128.0;Mozilla;2025-03-01",
    "PC-003;cecilia;socialförvaltningen;Notepad++;8.6;Don Ho;2025-03-02",
]


@pytest.fixture
def municipality():
    municipality = MunicipalityFactory()
    DepartmentFactory(
        municipality=municipality, board__municipality=municipality, name="Utbildningsförvaltningen"
    )
    DepartmentFactory(
        municipality=municipality, board__municipality=municipality, name="Socialförvaltningen"
    )
    return municipality


def run(
    municipality, stream, *, source="GLPI", fmt="csv", on_error="refuse", actor=None, progress=None
) -> Snapshot:
    return inventory_import(
        municipality=municipality,
        source_name=source,
        fmt=fmt,
        stream=stream,
        file_name="inventering.csv",
        actor=actor,
        on_error=on_error,
        progress=progress,
    )


def rows_of(snapshot: Snapshot) -> set[tuple[str, str, str]]:
    return set(
        Installation.objects.filter(snapshot=snapshot).values_list(
            "device__name", "title__name", "title__version"
        )
    )


def test_first_import(municipality):
    user = UserFactory()
    done: list[int] = []
    snapshot = run(municipality, csv_file(FIRST), actor=user, progress=done.append)

    source = InventorySource.objects.get(municipality=municipality, name="GLPI")
    assert source.current_snapshot == snapshot
    assert source.format == "csv"
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert (snapshot.rows_imported, snapshot.rows_skipped) == (3, 0)
    assert (snapshot.device_count, snapshot.title_count) == (2, 2)
    assert snapshot.imported_by == user
    assert snapshot.finished_at is not None
    assert snapshot.file_name == "inventering.csv"
    assert rows_of(snapshot) == {
        ("PC-001", "LibreOffice", "24.2"),
        ("PC-001", "Firefox", "128.0"),
        ("PC-002", "Firefox", "128.0"),
    }
    libre = Installation.objects.get(snapshot=snapshot, title__name="LibreOffice")
    assert libre.install_date == datetime.date(2025, 1, 10)
    assert (
        Installation.objects.get(
            snapshot=snapshot, title__name="Firefox", device__name="PC-001"
        ).install_date
        is None
    )
    assert done == [3]
    # The change log shows the import (the snapshot) and the new source, naming the user.
    assert LogEntry.objects.get_for_object(snapshot).filter(actor=user).exists()
    assert LogEntry.objects.get_for_object(source).filter(actor=user).exists()


def test_departments_mapped_case_insensitively(municipality):
    run(municipality, csv_file(FIRST + SECOND))
    devices = {d.name: d for d in Device.objects.select_related("department")}
    assert devices["PC-001"].department.name == "Utbildningsförvaltningen"
    assert devices["PC-003"].department.name == "Socialförvaltningen"
    assert devices["PC-003"].department_text == "socialförvaltningen"
    assert devices["PC-002"].department is None
    assert devices["PC-002"].department_text == "Okänd förvaltning"


def test_second_import_replaces_the_first(municipality):
    first = run(municipality, csv_file(FIRST))
    second = run(municipality, csv_file(SECOND))

    first.refresh_from_db()
    second.refresh_from_db()
    source = InventorySource.objects.get(pk=first.source_id)
    assert source.current_snapshot == second
    assert second.source_id == first.source_id
    assert first.status == SnapshotStatus.SUPERSEDED
    # The old snapshot's rows are gone; its counts stay for the trend.
    assert (first.rows_imported, first.device_count, first.title_count) == (3, 2, 2)
    assert not Installation.objects.filter(snapshot=first).exists()
    assert not Device.objects.filter(snapshot=first).exists()
    assert rows_of(second) == {("PC-003", "Firefox", "128.0"), ("PC-003", "Notepad++", "8.6")}
    assert Installation.objects.count() == 2
    assert Device.objects.count() == 1


def test_titles_are_reused_across_snapshots(municipality):
    run(municipality, csv_file(FIRST))
    firefox = SoftwareTitle.objects.get(municipality=municipality, name="Firefox")
    run(municipality, csv_file(SECOND))
    assert SoftwareTitle.objects.filter(municipality=municipality).count() == 3
    assert SoftwareTitle.objects.filter(name="Firefox").count() == 1
    assert set(
        Installation.objects.filter(title__name="Firefox").values_list("title", flat=True)
    ) == {firefox.pk}


def test_long_values_are_truncated(municipality):
    long_name = "X" * 400
    snapshot = run(municipality, csv_file([f"PC-1;;;{long_name};{'1' * 150};{'P' * 250};"]))
    title = SoftwareTitle.objects.get()
    assert (len(title.name), len(title.version), len(title.publisher)) == (300, 100, 200)
    assert snapshot.rows_imported == 1


def assert_first_intact(first: Snapshot) -> None:
    first.refresh_from_db()
    assert first.status == SnapshotStatus.COMPLETE
    assert InventorySource.objects.get(pk=first.source_id).current_snapshot_id == first.pk
    assert rows_of(first) == {
        ("PC-001", "LibreOffice", "24.2"),
        ("PC-001", "Firefox", "128.0"),
        ("PC-002", "Firefox", "128.0"),
    }
    # No partial rows of the failed import anywhere.
    assert set(Installation.objects.values_list("snapshot", flat=True)) == {first.pk}
    assert set(Device.objects.values_list("snapshot", flat=True)) == {first.pk}


def test_broken_row_refuses_the_import(municipality):
    first = run(municipality, csv_file(FIRST))
    broken = csv_file([*generated_rows(5500), ";anna;;;;;", "PC-9;;;Vim;9;;inte ett datum"])
    with pytest.raises(InventoryImportError) as raised:
        run(municipality, broken)

    assert [e.line for e in raised.value.errors] == [5502, 5503]
    failed = raised.value.snapshot
    failed.refresh_from_db()
    assert failed.status == SnapshotStatus.FAILED
    assert failed.rows_imported == 0
    assert failed.rows_skipped == 2
    assert "5502" in failed.error and "5503" in failed.error
    assert_first_intact(first)


def test_refusing_stops_after_the_error_cap(municipality):
    with pytest.raises(InventoryImportError) as raised:
        run(municipality, csv_file([";anna;;;;;"] * 150))
    assert len(raised.value.errors) == services.ERROR_CAP
    assert not Installation.objects.exists()


def test_file_format_error_leaves_the_previous_snapshot(municipality):
    first = run(municipality, csv_file(FIRST))
    with pytest.raises(InventoryImportError, match="kan inte läsas in") as raised:
        run(municipality, io.BytesIO(b"Foo;Bar\n1;2\n"))
    assert raised.value.snapshot.status == SnapshotStatus.FAILED
    with pytest.raises(InventoryImportError):
        run(municipality, io.BytesIO(b""))
    assert_first_intact(first)


def test_exception_mid_stream_deletes_partial_rows(municipality, monkeypatch):
    first = run(municipality, csv_file(FIRST))

    def exploding(stream, fmt) -> Iterator[RawInstallation | RowError]:
        for i in range(12_000):  # two full batches are written before it fails
            yield RawInstallation(
                line=i + 2,
                device=f"PC-{i % 50}",
                user="",
                department="",
                name=f"App {i % 7}",
                version="1",
                publisher="",
                install_date=None,
                arch="x64",
                category="",
            )
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(services, "parse", exploding)
    with pytest.raises(InventoryImportError, match="the disk went away") as raised:
        run(municipality, io.BytesIO())
    failed = raised.value.snapshot
    failed.refresh_from_db()
    assert failed.status == SnapshotStatus.FAILED
    assert "the disk went away" in failed.error
    assert_first_intact(first)


def test_skip_mode_counts_and_keeps_errors(municipality):
    rows = [*FIRST, ";anna;;;;;", "PC-9;;;Vim;9;;inte ett datum", *([";x;;;;;"] * 120)]
    snapshot = run(municipality, csv_file(rows), on_error="skip")
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.COMPLETE
    assert (snapshot.rows_imported, snapshot.rows_skipped) == (3, 122)
    lines = snapshot.error.splitlines()
    assert len(lines) == services.ERROR_CAP
    assert "5" in lines[0] and "6" in lines[1]  # spreadsheet rows 5 and 6 (header is row 1)
    assert Installation.objects.count() == 3


def test_another_municipalitys_source_is_never_touched(municipality):
    other = MunicipalityFactory()
    theirs = run(other, csv_file(SECOND), source="GLPI")
    ours = run(municipality, csv_file(FIRST), source="GLPI")
    run(municipality, csv_file(FIRST), source="GLPI")

    theirs.refresh_from_db()
    assert theirs.status == SnapshotStatus.COMPLETE
    assert theirs.source.municipality == other
    assert theirs.source.current_snapshot == theirs
    assert ours.source_id != theirs.source_id
    assert rows_of(theirs) == {("PC-003", "Firefox", "128.0"), ("PC-003", "Notepad++", "8.6")}
    # Titles are the municipality's own: Firefox exists once in each.
    assert SoftwareTitle.objects.filter(name="Firefox").count() == 2


def test_source_format_is_fixed(municipality):
    run(municipality, csv_file(FIRST), source="Intune")
    with pytest.raises(InventoryImportError, match="tar emot csv-filer"):
        run(
            municipality,
            io.BytesIO(b"DeviceName,ApplicationName\nPC,App\n"),
            source="Intune",
            fmt="intune-csv",
        )


def test_queries_grow_with_batches_not_rows(municipality):
    run(municipality, csv_file(FIRST), source="warm-up")  # caches (content types) filled
    with CaptureQueriesContext(connection) as small:
        run(municipality, csv_file(generated_rows(10)), source="A")
    with CaptureQueriesContext(connection) as large:
        run(municipality, csv_file(generated_rows(1000, devices=100, titles=60)), source="B")
    assert len(large) < 3 * len(small), (len(small), len(large))
    assert Installation.objects.filter(snapshot__source__name="B").count() == 1000


# --- the command line ------------------------------------------------------------------------


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("inventory", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_summary(municipality, tmp_path):
    path = tmp_path / "glpi.csv"
    path.write_bytes(csv_file(FIRST).getvalue())
    out, _err = command(
        str(path), "--municipality", municipality.slug, "--format", "csv", "--source", "GLPI"
    )
    assert "3 installations on 2 devices, 2 distinct titles" in out
    assert InventorySource.objects.get(name="GLPI").current_snapshot.rows_imported == 3


def test_cli_default_source_is_the_format(municipality, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_file(FIRST).getvalue())
    command(str(path), "--municipality", municipality.slug, "--format", "csv")
    assert InventorySource.objects.get(municipality=municipality).name == "csv"


def test_cli_skip_broken_rows(municipality, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_file([*FIRST, ";anna;;;;;"] + [";x;;;;;"] * 15).getvalue())
    out, _err = command(
        str(path), "--municipality", municipality.slug, "--format", "csv", "--skip-broken-rows"
    )
    assert "Skipped 16 broken rows" in out
    assert "Row 5 " in out
    assert "and 6 more" in out


def test_cli_refuses_broken_rows(municipality, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_file([*FIRST, ";anna;;;;;"]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 row cannot be read"), translation.override("en"):
        call_command(
            "inventory",
            "import",
            str(path),
            "--municipality",
            municipality.slug,
            "--format",
            "csv",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "Row 5 " in err.getvalue()
    assert not Installation.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "finns-inte"], "There is no municipality"),
        (["--file", "/nonexistent/inventory.csv"], "cannot be read"),
        (["--content", b"Foo;Bar\n1;2\n"], "cannot be imported"),
        (["--content", b""], "cannot be imported"),
    ],
)
def test_cli_errors(municipality, tmp_path, args, message):
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_file(FIRST).getvalue())
    slug = municipality.slug
    if args[0] == "--municipality":
        slug = args[1]
    elif args[0] == "--file":
        path = args[1]
    else:
        path.write_bytes(args[1])
    with pytest.raises(CommandError, match=message):
        command(str(path), "--municipality", slug, "--format", "csv")


def test_glpi_and_intune_formats(municipality):
    glpi = io.BytesIO(
        b'{"deviceid": "PC-7-2025", "content": {"hardware": {"name": "PC-7"},'
        b' "users": [{"login": "dora"}], "softwares": ['
        b'{"name": "Firefox", "version": "128.0", "publisher": "Mozilla", "arch": "x86_64",'
        b' "install_date": "2025-04-01", "system_category": "application"},'
        b'{"name": "7-Zip", "version": "24.08", "publisher": "Igor Pavlov"}]}}\n'
    )
    snapshot = run(municipality, glpi, source="GLPI", fmt="glpi-json")
    assert rows_of(snapshot) == {("PC-7", "Firefox", "128.0"), ("PC-7", "7-Zip", "24.08")}
    assert Installation.objects.get(title__name="Firefox").arch == "x86_64"
    intune = io.BytesIO(
        b"ApplicationName,ApplicationPublisher,ApplicationVersion,DeviceName,UserName\n"
        b"Firefox,Mozilla,128.0,PC-8,erik\n"
    )
    snapshot = run(municipality, intune, source="Intune", fmt="intune-csv")
    assert rows_of(snapshot) == {("PC-8", "Firefox", "128.0")}
    # The same raw title from two sources is one title.
    assert SoftwareTitle.objects.filter(name="Firefox").count() == 1


def test_failure_while_switching_leaves_the_previous_snapshot(municipality, monkeypatch):
    first = run(municipality, csv_file(FIRST))

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("no space left")

    monkeypatch.setattr(InventorySource, "save", broken_save)
    with pytest.raises(InventoryImportError, match="no space left") as raised:
        run(municipality, csv_file(SECOND))
    monkeypatch.undo()
    failed = raised.value.snapshot
    failed.refresh_from_db()
    assert failed.status == SnapshotStatus.FAILED
    assert_first_intact(first)
