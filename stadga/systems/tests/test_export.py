"""Exporting the register to XLSX and CSV: the list as filtered, in the columns the import reads,
so that importing an export changes nothing and writes no change-log entry."""

from __future__ import annotations

import io
from io import StringIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from stadga.organisation.choices import Role
from stadga.organisation.models import Board
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.systems.models import System
from stadga.systems.tabular import SystemTabular
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)
from stadga.testing.spreadsheets import csv_bytes, read_csv, read_xlsx

HEADERS = [c.header for c in SystemTabular.columns]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def register(db) -> dict[str, Any]:
    """A register with the awkward cases: namesakes, a comma in a name, line breaks from a
    browser, text that looks like a formula, an archived board kept by a system, dependencies."""
    municipality = MunicipalityFactory(slug="karlsborg")
    board = BoardFactory(municipality=municipality, name="Kommunstyrelsen", short_name="KS")
    social = BoardFactory(municipality=municipality, name="Socialnämnden")
    old_board = BoardFactory(municipality=municipality, name="Gamla nämnden")
    department = DepartmentFactory(board=board, name="Kommunledningsförvaltningen")
    anna = PersonFactory(municipality=municipality, name="Anna Berg", email="anna@karlsborg.se")
    PersonFactory(municipality=municipality, name="Anna Berg", email="anna.b@karlsborg.se")
    comma = PersonFactory(municipality=municipality, name="Ek, Bo", email="bo@karlsborg.se")
    base = SystemFactory(
        municipality=municipality,
        identifier="SYS-0001",
        name="Katalogtjänst",
        board=board,
        department=department,
        system_owner=anna,
        purpose="Inloggning\r\nför alla",
        notes="=SUMMA(A1:A2)",
        user_count=400,
        in_production_from=timezone.localdate().replace(year=2015),
        system_type=SystemType.IN_HOUSE,
        personal_data=True,
        is_public=True,
    )
    payroll = SystemFactory(
        municipality=municipality,
        identifier="SYS-0002",
        name="Lönesystem",
        board=board,
        department=None,
        system_owner=comma,
        lifecycle_phase=LifecyclePhase.PHASE_OUT,
        confidentiality=None,
    )
    payroll.contacts.set([anna, comma])
    retired = SystemFactory(
        municipality=municipality, identifier="SYS-0005", board=board, department=None
    )
    payroll.depends_on.set([base, retired])
    System.objects.filter(pk=retired.pk).update(archived_at=timezone.now())
    planned = SystemFactory(
        municipality=municipality,
        identifier="SYS-0003",
        name="Planerat",
        board=old_board,
        department=None,
        system_owner=None,
        lifecycle_phase=LifecyclePhase.PLANNED,
    )
    Board.objects.filter(pk=old_board.pk).update(archived_at=timezone.now())
    archived = SystemFactory(
        municipality=municipality, identifier="SYS-0004", board=social, department=None
    )
    System.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    return {
        "municipality": municipality,
        "board": board,
        "social": social,
        "department": department,
        "systems": [base, payroll, planned],
    }


def spec(register) -> SystemTabular:
    return SystemTabular(municipality=register["municipality"])


def export_xlsx(register) -> bytes:
    out = io.BytesIO()
    s = spec(register)
    s.write_xlsx(s.optimise(s.export_queryset()), out)
    return out.getvalue()


def export_csv(register) -> bytes:
    s = spec(register)
    return b"".join(s.iter_csv(s.optimise(s.export_queryset())))


def url(name: str, municipality: Any) -> str:
    return reverse(f"systems:{name}", kwargs={"municipality": municipality.slug})


def content(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
class TestExport:
    def test_csv_for_swedish_excel(self, register):
        data = export_csv(register)
        assert data.startswith(b"\xef\xbb\xbf")
        rows = read_csv(data)
        assert rows[0] == HEADERS
        by_key = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
        assert set(by_key) == {"SYS-0001", "SYS-0002", "SYS-0003"}  # not the archived one
        payroll = by_key["SYS-0002"]
        assert payroll["Beroenden"] == "SYS-0001; SYS-0005"  # an archived one is kept
        # Namesakes are written by e-mail; a name with a comma as itself, `;` between people.
        assert payroll["Övriga kontakter"] == "anna@karlsborg.se; Ek, Bo"
        assert payroll["Systemansvarig"] == "Ek, Bo"
        base = by_key["SYS-0001"]
        assert base["Anteckningar"] == "'=SUMMA(A1:A2)"
        assert base["Personuppgifter"] == "ja" and base["Publik"] == "ja"
        with translation.override("sv"):
            assert base["Typ"] == str(SystemType.IN_HOUSE.label)

    def test_xlsx_layout_and_values(self, register):
        data = export_xlsx(register)
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.worksheets[0]
        assert sheet.title == "IT-system"
        assert [c.value for c in sheet[1]] == HEADERS
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["B"].width == 30
        rows = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in read_xlsx(data)[1:]}
        base = rows["SYS-0001"]
        assert base["Antal användare"] == 400
        assert base["I drift från"].date() == register["systems"][0].in_production_from
        assert base["Anteckningar"] == "=SUMMA(A1:A2)"  # text, not a formula
        notes_cell = next(c for c in sheet[2] if c.value == "=SUMMA(A1:A2)")
        assert notes_cell.data_type == "s"

    @pytest.mark.parametrize("export", [export_xlsx, export_csv], ids=["xlsx", "csv"])
    def test_importing_an_export_changes_nothing(self, register, export):
        data = export(register)
        log_before = LogEntry.objects.count()
        updated_before = list(System.objects.order_by("pk").values_list("updated_at", flat=True))
        result = spec(register).import_file(data)
        assert result.ok, [str(e) for e in result.errors]
        assert [p.action for p in result.plans] == ["unchanged"] * 3
        assert result.created == result.updated == 0
        assert LogEntry.objects.count() == log_before
        assert list(System.objects.order_by("pk").values_list("updated_at", flat=True)) == (
            updated_before
        )

    def test_edited_export_updates_what_was_edited(self, register):
        rows = read_csv(export_csv(register))
        rows[1][HEADERS.index("Namn")] = "Katalogtjänst 2"
        result = spec(register).import_file(csv_bytes(rows))
        assert result.ok, result.errors
        assert [p.action for p in result.plans] == ["update", "unchanged", "unchanged"]
        assert [c.column for c in result.plans[0].changes] == ["Namn"]

    def test_an_archived_board_cannot_be_newly_chosen(self, register):
        rows = read_csv(export_csv(register))
        rows[1][HEADERS.index("Nämnd")] = "Gamla nämnden"
        rows[2][HEADERS.index("Beroenden")] = "SYS-0005"  # kept: fine
        rows[3][HEADERS.index("Beroenden")] = "SYS-0005"  # newly chosen: refused
        result = spec(register).import_file(csv_bytes(rows))
        assert [(e.row, e.column) for e in result.errors] == [(2, "Nämnd"), (4, "Beroenden")]
        assert all("archived" in e.message for e in result.errors)

    def test_command_line_export(self, register, tmp_path):
        target = tmp_path / "register.xlsx"
        call_command("export", "systems", municipality="karlsborg", output=str(target))
        assert read_xlsx(target.read_bytes())[0] == HEADERS
        stdout = StringIO()
        call_command(
            "export", "systems", "--format", "csv", municipality="karlsborg", stdout=stdout
        )
        assert stdout.getvalue().lstrip("\ufeff").startswith("System-id;Namn;")
        assert "SYS-0002" in stdout.getvalue()
        with pytest.raises(CommandError, match="-o FILE"):
            call_command("export", "systems", municipality="karlsborg")
        template = tmp_path / "mall.csv"
        call_command(
            "export",
            "systems",
            "--template",
            "--format",
            "csv",
            municipality="karlsborg",
            output=str(template),
        )
        assert read_csv(template.read_bytes()) == [HEADERS]

    def test_command_line_round_trip(self, register, tmp_path):
        target = tmp_path / "register.csv"
        call_command(
            "export", "systems", "--format", "csv", "-o", str(target), municipality="karlsborg"
        )
        stdout = StringIO()
        call_command("import", "systems", str(target), municipality="karlsborg", stdout=stdout)
        assert "Created: 0, updated: 0, unchanged: 3." in stdout.getvalue()


@pytest.mark.django_db
class TestExportView:
    def test_filtered_list_as_csv_and_xlsx(self, client, register):
        municipality = register["municipality"]
        client.force_login(member(municipality, Role.AUDITOR))  # reads all, keeps nothing
        response = client.get(url("system_export", municipality), {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert [r[0] for r in read_csv(content(response))[1:]] == [
            "SYS-0001",
            "SYS-0002",
            "SYS-0003",
        ]

        filtered = client.get(
            url("system_export", municipality),
            {"format": "xlsx", "lifecycle_phase": LifecyclePhase.PHASE_OUT},
        )
        assert filtered.status_code == 200
        assert filtered["Content-Type"].startswith("application/vnd.openxmlformats")
        assert [r[0] for r in read_xlsx(content(filtered))[1:]] == ["SYS-0002"]

        archive = client.get(url("system_export", municipality), {"format": "csv", "archived": "1"})
        assert sorted(r[0] for r in read_csv(content(archive))[1:]) == ["SYS-0004", "SYS-0005"]

    def test_only_what_the_user_may_see(self, client, register):
        municipality = register["municipality"]
        head = member(municipality, Role.DEPARTMENT_HEAD, department=register["department"])
        client.force_login(head)
        response = client.get(url("system_export", municipality), {"format": "csv"})
        assert [r[0] for r in read_csv(content(response))[1:]] == ["SYS-0001"]
        client.force_login(member(municipality, Role.EMPLOYEE))
        response = client.get(url("system_export", municipality), {"format": "csv"})
        assert read_csv(content(response)) == [HEADERS]

    def test_permissions(self, client, register):
        municipality = register["municipality"]
        target = url("system_export", municipality)
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(target).status_code == 404
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        assert client.get(target, {"format": "pdf"}).status_code == 400

    def test_query_count_does_not_grow_with_rows(self, client, register):
        municipality = register["municipality"]
        client.force_login(member(municipality, Role.IT_COORDINATOR))

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                for fmt in ("csv", "xlsx"):
                    response = client.get(url("system_export", municipality), {"format": fmt})
                    content(response)
            return len(captured)

        few = queries()
        for _ in range(25):
            system = SystemFactory(
                municipality=municipality,
                board=register["board"],
                department=register["department"],
            )
            system.contacts.add(system.system_owner)
        assert queries() == few

    def test_template_download(self, client, register):
        municipality = register["municipality"]
        client.force_login(member(municipality, Role.EMPLOYEE))
        response = client.get(url("system_import_template", municipality), {"format": "xlsx"})
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(content(response)))
        assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
        assert len(workbook.worksheets) == 2  # the instructions
        response = client.get(url("system_import_template", municipality), {"format": "csv"})
        assert read_csv(content(response)) == [HEADERS]
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(url("system_import_template", municipality)).status_code == 404
