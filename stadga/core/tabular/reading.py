"""Reading the spreadsheets users upload: XLSX (openpyxl, read-only) and CSV, defensively.

Uploads are hostile until proven otherwise: a renamed PNG, a zip bomb, an old `.xls`, a CSV
saved by Swedish Excel in Windows-1252 with `;` between the values. Every such case ends in a
`TabularError` with a message a user can act on, never in an exception page.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)

Cell = str | int | float | bool | date | datetime | time | None

# An XLSX file is a zip archive; its parts may not unpack to more than this many times the
# upload limit (a 10 MB upload of repetitive XML is plausible, 2 GB is a zip bomb).
MAX_UNPACK_FACTOR = 20

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_OTHER_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"\x1f\x8b",  # gzip
    b"BM",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"\x7fELF",
    b"MZ",
)
# Characters that never occur in a text file a spreadsheet program writes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")
# CSV cells that a spreadsheet would run as a formula are written with a leading apostrophe
# (see exporting.py); reading removes it again so an export imports unchanged.
_APOSTROPHE = "'"
_SEP_HINT = re.compile(r"^sep=([;,\t|])\r?\n", re.IGNORECASE)


class TabularError(Exception):
    """A problem with the file as a whole, with a message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A sheet: the header row and an iterator over the data rows.

    `rows` yields `(row_number, cells)` where row_number is what the spreadsheet program shows
    (the header is row 1); completely empty rows are skipped but keep their numbers. It raises
    `TabularError` if the file turns out unreadable half-way or has too many rows.
    """

    format: str
    headers: list[str]
    rows: Iterator[tuple[int, tuple[Cell, ...]]]


def not_a_spreadsheet() -> TabularError:
    return TabularError(
        _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file (.csv).")
    )


def detect_format(data: bytes) -> str:
    """By content, not by name: an XLSX workbook is a zip archive, anything else may be CSV."""
    return XLSX if data.startswith(_ZIP_MAGIC) else CSV


def read_table(data: bytes, *, file_format: str | None = None) -> Table:
    """Open `data` as a table, checking size, kind and encoding; `file_format` (xlsx or csv)
    overrides detection by content."""
    if not data or not data.strip():
        raise TabularError(_("The file is empty."))
    max_bytes = settings.STADGA_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        raise TabularError(
            _("The file is larger than %(limit)s; split it into smaller files.")
            % {"limit": filesizeformat(max_bytes)}
        )
    if data.startswith(_OLE_MAGIC):
        raise TabularError(
            _(
                "The file is in the old Excel format (.xls) or protected by a password. "
                "Save it as an Excel workbook (.xlsx) without a password, or as CSV."
            )
        )
    if data.startswith(_OTHER_MAGIC):
        raise not_a_spreadsheet()
    fmt = file_format or detect_format(data)
    if fmt == XLSX:
        return _read_xlsx(data)
    if fmt == CSV:
        return _read_csv(data)
    raise ValueError(f"Unknown tabular format {fmt!r}")


def _row_limit() -> int:
    return int(settings.STADGA_IMPORT_MAX_ROWS)


def _too_many_rows(limit: int) -> TabularError:
    return TabularError(
        _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": limit}
    )


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: reading CSV should not pay for it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        names = {info.filename for info in infos}
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        raise not_a_spreadsheet() from None
    if b"opendocument" in mimetype:
        raise TabularError(
            _(
                "OpenDocument spreadsheets (.ods) cannot be read. Save the file as an Excel "
                "workbook (.xlsx) or as CSV."
            )
        )
    if not any(name.startswith("xl/") for name in names):
        raise not_a_spreadsheet()
    if sum(info.file_size for info in infos) > MAX_UNPACK_FACTOR * settings.STADGA_IMPORT_MAX_BYTES:
        raise TabularError(_("The workbook unpacks to too much data; split it into smaller files."))
    try:
        # read_only streams the sheet; data_only gives a formula's last computed value rather
        # than its text. defusedxml is installed, so openpyxl parses with it (no entity tricks).
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed file; each means "unreadable"
        logger.info("Unreadable XLSX upload", exc_info=True)
        raise TabularError(
            _("The workbook could not be read. Open it in Excel and save it again as .xlsx.")
        ) from None
    if not workbook.worksheets:
        workbook.close()
        raise TabularError(_("The workbook has no sheet to read."))
    sheet = workbook.worksheets[0]  # the first sheet holds the data; later ones are notes
    sheet.reset_dimensions()  # don't trust the stored size: some writers get it wrong
    cells = sheet.iter_rows(values_only=True)
    try:
        header = next(cells, None)
    except Exception:
        workbook.close()
        logger.info("Unreadable XLSX sheet", exc_info=True)
        raise TabularError(
            _("The workbook could not be read. Open it in Excel and save it again as .xlsx.")
        ) from None
    if header is None or all(_is_blank(c) for c in header):
        workbook.close()
        raise TabularError(_("The first row must hold the column headers, but it is empty."))
    return Table(format=XLSX, headers=_headers(header), rows=_xlsx_rows(workbook, cells))


def _xlsx_rows(workbook: Any, cells: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple]]:
    limit = _row_limit()
    seen = 0
    number = 1
    try:
        while True:
            try:
                values = next(cells)
            except StopIteration:
                return
            except Exception:
                logger.info("Unreadable XLSX row", exc_info=True)
                raise TabularError(
                    _("Row %(row)s of the workbook could not be read.") % {"row": number + 1}
                ) from None
            number += 1
            if all(_is_blank(c) for c in values):
                continue
            seen += 1
            if seen > limit:
                raise _too_many_rows(limit)
            yield number, tuple(values)
    finally:
        workbook.close()


# --- CSV ----------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as Stadga and "CSV UTF-8" write; Windows-1252 as older Excel
    writes "CSV"; UTF-16 as Excel's "Unicode text" writes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_spreadsheet() from None
    if b"\x00" in data:
        raise not_a_spreadsheet()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise TabularError(
                _(
                    "The file's character encoding could not be read. "
                    "Save it as “CSV UTF-8” and try again."
                )
            ) from None
    text = text.rstrip("\x1a")  # an old end-of-file marker
    if _CONTROL.search(text):
        raise not_a_spreadsheet()
    return text


def sniff_delimiter(first_line: str) -> str:
    """Swedish Excel writes `;` (the comma is the decimal sign); others `,`; "Unicode text" tabs."""
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: ; before tab before ,
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if not text.strip():
        raise TabularError(_("The file is empty."))
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" line names the delimiter and is not shown as a row
        delimiter = hint.group(1)
        text = text[hint.end() :]
    else:
        delimiter = sniff_delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _csv_records(reader)
    first = next(rows, None)
    if first is None or all(_is_blank(c) for c in first[1]):
        raise TabularError(_("The first row must hold the column headers, but it is empty."))
    return Table(format=CSV, headers=_headers(first[1]), rows=_csv_data_rows(rows))


def _csv_records(reader: Any) -> Iterator[tuple[int, tuple[str, ...]]]:
    # A record may span several lines (a quoted line break); the row number counts records,
    # as a spreadsheet program shows them.
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TabularError(
                _("Row %(row)s could not be read: %(reason)s") % {"row": number + 1, "reason": exc}
            ) from None
        number += 1
        yield number, tuple(_unescape(cell) for cell in record)


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith(_APOSTROPHE) else cell


def _csv_data_rows(
    records: Iterator[tuple[int, tuple[str, ...]]],
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    limit = _row_limit()
    seen = 0
    for number, values in records:
        if all(_is_blank(c) for c in values):
            continue
        seen += 1
        if seen > limit:
            raise _too_many_rows(limit)
        yield number, values


def _headers(cells: tuple[Any, ...]) -> list[str]:
    return ["" if c is None else " ".join(str(c).split()) for c in cells]
