"""The spreadsheet engine on its own: reading hostile files, parsing cells, mapping headers,
all-or-nothing writes and the writers. Exercised with a small spec for boards, so nothing here
depends on the system register (that has its own tests)."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import translation
from openpyxl import load_workbook

from stadga.core import tabular
from stadga.core.services import object_update
from stadga.core.tabular import (
    Boolean,
    CellError,
    Choice,
    Column,
    Date,
    Integer,
    Lookup,
    TabularError,
    TabularSpec,
    Text,
    read_table,
)
from stadga.core.tabular.exporting import iter_csv
from stadga.core.tabular.importing import column_letter
from stadga.organisation.choices import BoardKind
from stadga.organisation.models import Board, Person
from stadga.organisation.services import board_create
from stadga.testing.factories import BoardFactory, MunicipalityFactory, PersonFactory
from stadga.testing.spreadsheets import csv_bytes, read_csv, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the msgid language, whatever translations exist."""
    with translation.override("en"):
        yield


class BoardSheet(TabularSpec):
    """A minimal spec (not registered): boards keyed by name."""

    kind = "test-boards"
    model = Board
    key = "name"
    sheet_title = "Nämnder"
    filename = "namnder"
    columns = [
        Column("Namn", "name", Text(required=True), aliases=("Name",), required=True),
        Column("Förkortning", "short_name", Text(), aliases=("Abbreviation",)),
        Column("Typ", "kind", Choice(BoardKind), aliases=("Kind",)),
    ]

    def create(self, data: dict[str, Any]) -> Board:
        return board_create(municipality=self.municipality, data=data, actor=self.actor)

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[Board, bool]:
        return object_update(instance=instance, data=data, actor=self.actor)


HEADER = ["Namn", "Förkortning", "Typ"]


@pytest.fixture
def municipality():
    return MunicipalityFactory()


def run(municipality, data: bytes, **kwargs: Any) -> tabular.ImportResult:
    return BoardSheet(municipality=municipality).import_file(data, **kwargs)


def messages(result: tabular.ImportResult) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


# --- reading ------------------------------------------------------------------------------------


class TestReading:
    def rows(self, table: tabular.reading.Table) -> list[tuple[int, tuple]]:
        return list(table.rows)

    def test_xlsx_keeps_spreadsheet_row_numbers_across_empty_rows(self):
        data = xlsx_bytes([HEADER, ["A", "a", None], [None, None, None], ["B", None, None]])
        table = read_table(data)
        assert table.format == "xlsx"
        assert table.headers == HEADER
        assert [(n, cells[0]) for n, cells in self.rows(table)] == [(2, "A"), (4, "B")]

    def test_xlsx_is_told_by_content_not_name(self):
        # A workbook uploaded as "register.csv" is still read as a workbook.
        assert read_table(xlsx_bytes([HEADER, ["A"]])).format == "xlsx"

    def test_csv_utf8_with_bom_and_semicolons(self):
        data = csv_bytes([HEADER, ["Socialnämnden", "SN", "Board"]])
        table = read_table(data)
        assert table.format == "csv"
        assert table.headers == HEADER
        assert self.rows(table) == [(2, ("Socialnämnden", "SN", "Board"))]

    def test_csv_windows_1252_with_commas(self):
        data = csv_bytes(
            [HEADER, ["Barn- och utbildningsnämnden", "BUN", ""]], delimiter=",", encoding="cp1252"
        )
        table = read_table(data)
        assert self.rows(table)[0][1][0] == "Barn- och utbildningsnämnden"

    def test_csv_utf16_with_tabs_as_excel_unicode_text(self):
        data = csv_bytes([HEADER, ["Ö", "", ""]], delimiter="\t", encoding="utf-16")
        assert self.rows(read_table(data))[0][1][0] == "Ö"

    def test_csv_with_excel_sep_line(self):
        data = b"sep=,\r\n" + csv_bytes([HEADER, ["A;B", "", ""]], delimiter=",", encoding="utf-8")
        table = read_table(data)
        assert table.headers == HEADER
        assert self.rows(table) == [(2, ("A;B", "", ""))]

    def test_csv_row_numbers_count_records_not_lines(self):
        data = csv_bytes([HEADER, ["A", "rad ett\nrad två", ""], ["B", "", ""]])
        assert [n for n, _cells in self.rows(read_table(data))] == [2, 3]

    @pytest.mark.parametrize(
        "data",
        [
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # a PNG renamed .xlsx
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            random.Random(7).randbytes(4096),
            b"GIF89a\x01\x00\x01\x00",
        ],
        ids=["png", "pdf", "random", "gif"],
    )
    def test_not_a_spreadsheet(self, data):
        with pytest.raises(TabularError, match="not a spreadsheet"):
            list(read_table(data).rows)

    def test_zip_that_is_not_a_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
        with pytest.raises(TabularError, match="not a spreadsheet"):
            read_table(out.getvalue())

    def test_broken_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("xl/workbook.xml", "<not really")
        with pytest.raises(TabularError, match="could not be read"):
            read_table(out.getvalue())

    def test_zip_bomb(self, settings):
        settings.STADGA_IMPORT_MAX_BYTES = 10_000
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b"<si>" + b"A" * 1_000_000)
        assert len(out.getvalue()) < 10_000
        with pytest.raises(TabularError, match="unpacks to too much data"):
            read_table(out.getvalue())

    def test_old_xls_is_explained(self):
        with pytest.raises(TabularError, match=r"old Excel format \(.xls\)"):
            read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    def test_opendocument_is_explained(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with pytest.raises(TabularError, match="OpenDocument"):
            read_table(out.getvalue())

    @pytest.mark.parametrize("data", [b"", b"   \r\n", "\ufeff".encode()])
    def test_empty_file(self, data):
        with pytest.raises(TabularError, match="empty"):
            read_table(data)

    def test_empty_header_row(self):
        with pytest.raises(TabularError, match="first row must hold the column headers"):
            read_table(xlsx_bytes([[None, None], ["A", "B"]]))

    def test_size_limit(self, settings):
        settings.STADGA_IMPORT_MAX_BYTES = 100
        with pytest.raises(TabularError, match="larger than"):
            read_table(csv_bytes([HEADER, ["x" * 200]]))

    @pytest.mark.parametrize("make", [xlsx_bytes, csv_bytes])
    def test_row_limit(self, settings, make):
        settings.STADGA_IMPORT_MAX_ROWS = 2
        table = read_table(make([HEADER, ["A"], ["B"], ["C"]]))
        with pytest.raises(TabularError, match="more than 2 rows"):
            list(table.rows)

    def test_delimiter_sniffing(self):
        from stadga.core.tabular.reading import sniff_delimiter

        assert sniff_delimiter("Namn;Förkortning;Typ") == ";"
        assert sniff_delimiter("Namn,Förkortning,Typ") == ","
        assert sniff_delimiter("Namn\tTyp") == "\t"
        assert sniff_delimiter("Namn") == ","


# --- parsers ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestParsers:
    @pytest.fixture
    def ctx(self, municipality):
        return BoardSheet(municipality=municipality)

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("ja", True),
            ("JA", True),
            ("x", True),
            ("1", True),
            (1, True),
            (True, True),
            ("Yes", True),
            ("SANT", True),
            ("nej", False),
            ("no", False),
            ("0", False),
            (False, False),
            ("FALSKT", False),
            ("", False),
            (None, False),
        ],
    )
    def test_boolean(self, ctx, cell, expected):
        assert Boolean().parse(cell, ctx) is expected

    def test_boolean_rejects_other_words(self, ctx):
        with pytest.raises(CellError, match="“kanske” is neither"):
            Boolean().parse("kanske", ctx)

    @pytest.mark.parametrize(
        ("cell", "expected"), [(3, 3), (3.0, 3), ("12", 12), ("1 200", 1200), ("1\u00a0200", 1200)]
    )
    def test_integer(self, ctx, cell, expected):
        assert Integer().parse(cell, ctx) == expected

    @pytest.mark.parametrize("cell", ["3,5", 3.5, "tre", True])
    def test_integer_rejects(self, ctx, cell):
        with pytest.raises(CellError, match="not a whole number"):
            Integer().parse(cell, ctx)

    def test_integer_range_from_context(self, ctx):
        parser = Integer(min_value=1, max_value=lambda c: 4)
        with pytest.raises(CellError, match="from 1 to 4"):
            parser.parse(5, ctx)
        assert parser.parse(None, ctx) is None

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("2026-01-15", date(2026, 1, 15)),
            (datetime(2026, 1, 15), date(2026, 1, 15)),
            (date(2026, 1, 15), date(2026, 1, 15)),
            ("2026-01-15 00:00:00", date(2026, 1, 15)),
        ],
    )
    def test_date(self, ctx, cell, expected):
        assert Date().parse(cell, ctx) == expected

    @pytest.mark.parametrize("cell", ["15/1/2026", "2026-02-30", 46037])
    def test_date_rejects(self, ctx, cell):
        with pytest.raises(CellError, match="YYYY-MM-DD"):
            Date().parse(cell, ctx)

    def test_choice_by_value_or_label_in_either_language(self, ctx):
        parser = Choice(BoardKind)
        assert parser.parse("company_board", ctx) == "company_board"
        assert parser.parse("Company board", ctx) == "company_board"
        assert parser.parse("  COMPANY   board ", ctx) == "company_board"
        with translation.override("sv"):
            label_sv = str(BoardKind.COMPANY_BOARD.label)
        assert parser.parse(label_sv, ctx) == "company_board"

    def test_choice_lists_allowed_values(self, ctx):
        with pytest.raises(CellError) as info:
            Choice(BoardKind).parse("Utskott", ctx)
        assert "“Utskott”" in info.value.message
        with translation.override("sv"):
            for label in BoardKind.labels:
                assert f"“{label}”" in info.value.message

    def test_choice_blank_is_required_by_default(self, ctx):
        with pytest.raises(CellError, match="A value is required"):
            Choice(BoardKind).parse("  ", ctx)

    def test_text_normalises_line_breaks_and_trims(self, ctx):
        assert Text().parse("  rad ett\r\nrad två\x0b ", ctx) == "rad ett\nrad två"
        assert Text().parse(12.0, ctx) == "12"
        assert Text().same("a\r\nb", "a\nb")

    def test_text_max_length(self, ctx):
        with pytest.raises(CellError, match="At most 3 characters"):
            Text(max_length=3).parse("abcd", ctx)

    def test_lookup_is_scoped_and_says_what_was_not_found(self, ctx, municipality):
        PersonFactory(municipality=municipality, name="Anna Berg", email="anna@x.se")
        PersonFactory(name="Bo Ek")  # another municipality
        parser = Lookup(
            lambda c: Person.objects.filter(municipality=c.municipality), by=("name", "email")
        )
        assert parser.parse("anna berg", ctx).name == "Anna Berg"
        assert parser.parse("ANNA@x.se", ctx).name == "Anna Berg"
        with pytest.raises(CellError, match=r"“Bo Ek” was not found\. Known values: “Anna Berg”"):
            parser.parse("Bo Ek", ctx)

    def test_lookup_ambiguous_name_and_export_by_email(self, ctx, municipality):
        first = PersonFactory(municipality=municipality, name="Anna Berg", email="a1@x.se")
        PersonFactory(municipality=municipality, name="Anna Berg", email="a2@x.se")
        parser = Lookup(
            lambda c: Person.objects.filter(municipality=c.municipality), by=("name", "email")
        )
        with pytest.raises(CellError, match="More than one match"):
            parser.parse("Anna Berg", ctx)
        assert parser.to_cell(first, ctx) == "a1@x.se"
        assert parser.parse("a1@x.se", ctx) == first

    def test_lookup_keeps_but_does_not_newly_choose_archived(self, ctx, municipality):
        from django.utils import timezone

        old = BoardFactory(municipality=municipality, name="Gamla nämnden")
        old.archived_at = timezone.now()
        Board.objects.filter(pk=old.pk).update(archived_at=old.archived_at)
        parser = Lookup(lambda c: Board.objects.filter(municipality=c.municipality))
        found = parser.parse("Gamla nämnden", ctx)
        parser.check(found, found, ctx)  # kept as it was: fine
        with pytest.raises(CellError, match="archived"):
            parser.check(None, found, ctx)


# --- headers and the engine ---------------------------------------------------------------------


@pytest.mark.django_db
class TestEngine:
    def test_creates_updates_and_reports_unchanged(self, municipality):
        BoardFactory(municipality=municipality, name="Socialnämnden", short_name="SN")
        BoardFactory(municipality=municipality, name="Kommunstyrelsen", short_name="KS")
        data = csv_bytes(
            [
                HEADER,
                ["Socialnämnden", "SOC", "Board"],
                ["Kommunstyrelsen", "KS", "board"],
                ["Byggnadsnämnden", "BN", "Board"],
            ]
        )
        result = run(municipality, data)
        assert result.ok, messages(result)
        assert result.committed
        assert [(p.row, p.action) for p in result.plans] == [
            (2, "update"),
            (3, "unchanged"),
            (4, "create"),
        ]
        change = result.plans[0].changes[0]
        assert (change.column, change.old, change.new) == ("Förkortning", "SN", "SOC")
        assert (
            Board.objects.get(municipality=municipality, name="Socialnämnden").short_name == "SOC"
        )
        assert Board.objects.filter(municipality=municipality, name="Byggnadsnämnden").exists()

    def test_english_headers_in_any_case_are_accepted(self, municipality):
        data = csv_bytes([["name", " ABBREVIATION ", "Kind"], ["Kulturnämnden", "KN", "Board"]])
        result = run(municipality, data)
        assert result.ok, messages(result)
        assert Board.objects.filter(name="Kulturnämnden").exists()

    def test_unknown_and_missing_columns_are_named(self, municipality):
        result = run(municipality, csv_bytes([["Förkortning", "Färg"], ["SN", "blå"]]))
        assert not result.committed
        text = " ".join(e.message for e in result.errors)
        assert "Unknown columns: “Färg”" in text
        assert "Required columns are missing: “Namn”" in text
        assert all(e.row == 1 for e in result.errors)

    def test_a_column_twice(self, municipality):
        result = run(municipality, csv_bytes([["Namn", "Name"], ["A", "B"]]))
        assert messages(result) == [(1, "Name", "The column appears twice (columns A and B).")]

    def test_values_under_a_blank_header(self, municipality):
        result = run(municipality, xlsx_bytes([["Namn", None], ["A", "hemligt"]]))
        assert messages(result) == [(2, None, "Column B has values but no header.")]

    def test_header_only_file(self, municipality):
        result = run(municipality, xlsx_bytes([HEADER]))
        assert messages(result) == [
            (None, None, "The file has no rows to import below the headers.")
        ]

    def test_one_bad_row_changes_nothing(self, municipality):
        board = BoardFactory(municipality=municipality, name="Socialnämnden", short_name="SN")
        boards_before = Board.objects.count()
        log_before = LogEntry.objects.count()
        data = xlsx_bytes(
            [
                HEADER,
                ["Socialnämnden", "SOC", "Board"],  # a good update
                ["Byggnadsnämnden", "BN", "Board"],  # a good create
                ["Valnämnden", "VN", "Utskott"],  # a bad choice
            ]
        )
        result = run(municipality, data)
        assert not result.committed
        assert messages(result) == [
            (4, "Typ", result.errors[0].message),
        ]
        assert "“Utskott” is not an allowed value" in result.errors[0].message
        assert Board.objects.count() == boards_before
        board.refresh_from_db()
        assert board.short_name == "SN"
        assert LogEntry.objects.count() == log_before

    def test_model_validation_is_reported_per_column_and_changes_nothing(self, municipality):
        # Board.short_name holds 20 characters: full_clean says so, mapped to the column.
        data = csv_bytes([HEADER, ["Nämnd A", "A", "Board"], ["Nämnd B", "B" * 30, "Board"]])
        result = run(municipality, data)
        assert [(e.row, e.column) for e in result.errors] == [(3, "Förkortning")]
        assert "20" in result.errors[0].message
        assert not Board.objects.filter(municipality=municipality).exists()

    def test_duplicate_keys_name_both_rows(self, municipality):
        data = csv_bytes(
            [HEADER, ["Nämnd A", "", "Board"], ["X", "", "Board"], ["Nämnd A", "", "Board"]]
        )
        result = run(municipality, data)
        assert [(e.row, e.column) for e in result.errors] == [(4, "Namn")]
        assert "also on row 2" in result.errors[0].message
        assert not Board.objects.filter(municipality=municipality).exists()

    def test_every_error_is_reported_at_once(self, municipality):
        data = csv_bytes([HEADER, ["", "", "Board"], ["B", "", "fel"], ["C", "C" * 30, "Board"]])
        result = run(municipality, data)
        assert [(e.row, e.column) for e in result.errors] == [
            (2, "Namn"),
            (3, "Typ"),
            (4, "Förkortning"),
        ]

    def test_dry_run_writes_nothing_but_plans(self, municipality):
        log_before = LogEntry.objects.count()
        result = run(municipality, csv_bytes([HEADER, ["Nämnd A", "A", "Board"]]), dry_run=True)
        assert result.ok and not result.committed
        assert [p.action for p in result.plans] == ["create"]
        assert not Board.objects.filter(municipality=municipality).exists()
        assert LogEntry.objects.count() == log_before

    def test_file_error_is_one_error_without_row(self, municipality):
        result = run(municipality, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        assert [(e.row, e.column) for e in result.errors] == [(None, None)]
        assert str(result.errors[0]) == result.errors[0].message

    def test_row_error_text(self):
        error = tabular.RowError(5, "Nämnd", "There is no board named “X”.")
        assert str(error) == "row 5, column “Nämnd”: There is no board named “X”."
        assert str(tabular.RowError(5, None, "Bad.")) == "row 5: Bad."

    def test_column_letters(self):
        assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
            "A",
            "B",
            "Z",
            "AA",
            "AB",
            "ZZ",
            "AAA",
        ]


# --- writing ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestWriting:
    def test_xlsx_header_bold_frozen_and_sized(self, municipality):
        BoardFactory(municipality=municipality, name='=HYPERLINK("http://x")', short_name="-1")
        spec = BoardSheet(municipality=municipality)
        out = io.BytesIO()
        spec.write_xlsx(spec.export_queryset(), out)
        sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
        assert sheet.title == "Nämnder"
        assert [c.value for c in sheet[1]] == HEADER
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width == 18
        # Text that looks like a formula stays text, never a formula.
        assert sheet["A2"].data_type == "s"
        assert sheet["A2"].value == '=HYPERLINK("http://x")'

    def test_csv_bom_semicolons_and_formula_guard_round_trip(self, municipality):
        BoardFactory(municipality=municipality, name="=1+1", short_name="@x")
        spec = BoardSheet(municipality=municipality)
        data = b"".join(iter_csv(spec, spec.export_queryset()))
        assert data.startswith(b"\xef\xbb\xbfNamn;F")
        assert read_csv(data)[1][:2] == ["'=1+1", "'@x"]
        result = BoardSheet(municipality=municipality).import_file(data)
        assert result.ok, messages(result)
        assert [p.action for p in result.plans] == ["unchanged"]

    def test_template_has_instructions(self, municipality):
        spec = BoardSheet(municipality=municipality)
        out = io.BytesIO()
        spec.write_xlsx([], out, template=True)
        workbook = load_workbook(io.BytesIO(out.getvalue()))
        assert [c.value for c in workbook.worksheets[0][1]] == HEADER
        assert workbook.worksheets[0].max_row == 1
        notes = workbook.worksheets[1]
        assert notes["A2"].value.startswith("Namn")


def test_registry_finds_the_register():
    from stadga.systems.tabular import SystemTabular

    assert "systems" in tabular.kinds()
    assert tabular.get_spec("systems") is SystemTabular
    with pytest.raises(KeyError):
        tabular.get_spec("nothing")
