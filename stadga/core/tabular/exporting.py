"""Writing a spec's objects as XLSX or CSV: the same columns an import reads, so that importing
an export changes nothing. Both writers stream: rows are produced one at a time."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from .columns import EXPORT_LANGUAGE, ILLEGAL_CHARACTERS, Cell
from .spec import TabularSpec

CSV_DELIMITER = ";"  # Swedish Excel opens `;`-separated files into columns (`,` is decimal)
# A CSV cell starting with one of these runs as a formula when a spreadsheet opens the file
# (CSV injection); such cells get a leading apostrophe, which reading.py removes again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def headers(spec: TabularSpec) -> list[str]:
    return [c.header for c in spec.columns]


def export_rows(spec: TabularSpec, objects: Iterable[Model]) -> Iterator[list[Cell]]:
    """Each object as a row of cells, choice labels in Swedish whatever the user's language."""
    for obj in objects:
        # Activated per row, not around the loop: this is a generator and must not leave
        # the language switched while its consumer runs.
        with translation.override(EXPORT_LANGUAGE):
            yield [
                c.parser.to_cell(c.parser.current(obj, c.field, spec), spec) for c in spec.columns
            ]


# --- XLSX ---------------------------------------------------------------------------------------


def write_xlsx(
    spec: TabularSpec, objects: Iterable[Model], out: IO[bytes], *, template: bool = False
) -> None:
    """A workbook with a bold, frozen header row and sized columns; `template` adds a sheet
    explaining each column."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.sheet_title)
    for position, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")

    def header_cell(value: str) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        cell.fill = fill
        return cell

    sheet.append([header_cell(h) for h in headers(spec)])
    for row in export_rows(spec, objects):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    if template:
        _write_instructions(workbook, spec, bold)
    workbook.save(out)


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS.sub("", value))
    # openpyxl would store "=…" as a formula; text stays text.
    cell.data_type = "s"
    return cell


def _write_instructions(workbook: Any, spec: TabularSpec, bold: Any) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(_("Instructions")[:31])
    for letter, width in zip("ABCDE", (22, 14, 14, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    titles = [_("Column"), _("Column required"), _("Value required"), _("Description"), _("Values")]
    row = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        row.append(cell)
    sheet.append(row)
    for column in spec.columns:
        accepted = column.header
        if column.aliases:
            accepted += " (" + _("also: %(aliases)s") % {"aliases": ", ".join(column.aliases)} + ")"
        sheet.append(
            [
                accepted,
                _("yes") if column.required else _("no"),
                _("yes") if column.parser.required else _("no"),
                str(column.help_text),
                column.parser.describe(spec),
            ]
        )
    sheet.append([])
    sheet.append(
        [
            _(
                "The first sheet is imported. Row 1 holds the headers. Rows whose key matches "
                "an existing object update it; other rows create new objects. A file with an "
                "error changes nothing."
            )
        ]
    )


# --- CSV ----------------------------------------------------------------------------------------


class _Line:
    """csv.writer wants a file; this one hands each written line straight back."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = ILLEGAL_CHARACTERS.sub("", str(value))
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def iter_csv(spec: TabularSpec, objects: Iterable[Model]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark and `;` between values: what Swedish Excel opens as is."""
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield codecs.BOM_UTF8 + writer.writerow(headers(spec)).encode("utf-8")
    for row in export_rows(spec, objects):
        yield writer.writerow([_csv_cell(v) for v in row]).encode("utf-8")
