"""Real spreadsheet files for tests: XLSX workbooks and CSV bytes built in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "Blad1") -> bytes:
    """A workbook whose first sheet holds `rows` (the first is the header row)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Iterable[Sequence[Any]], *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> bytes:
    """CSV as Swedish Excel saves it by default: `;` between values, UTF-8 with a BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def read_xlsx(data: bytes) -> list[list[Any]]:
    """Every row of the first sheet, as values."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")]


def rows_from(headers: Sequence[str], records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """A header row and one row per record, each record a mapping header → value."""
    return [list(headers), *[[record.get(h) for h in headers] for record in records]]
