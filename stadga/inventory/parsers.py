"""Streaming parsers for installed-software inventories (issue 6).

`parse(stream, fmt)` turns an uploaded inventory file into a stream of `RawInstallation` rows and
`RowError`s, one at a time, so that memory does not grow with the file: a million-row export is
read in fixed-size chunks and never held whole. A file that cannot be read at all (empty, another
format, an encoding we cannot read, required columns missing) raises `FileFormatError` before the
first row is yielded; a single bad row becomes a `RowError` and the rows after it are still read.

Formats (`FORMATS`):

``csv``
    The generic export: one row per installation, with a header row naming the columns in Swedish
    or English (Enhet/Device, Användare/User, Förvaltning/Department, Programvara/Software/Name,
    Version, Utgivare/Publisher, Installerad/Install date, and optionally Arkitektur/Arch and
    Kategori/Category). Header names are matched ignoring case, spaces, ``_`` and ``-``. Device and
    software name are required. The delimiter (``,``, ``;`` or tab) is taken from the header line.
    Text is UTF-8, with or without a byte order mark; if the first 64 KiB are not valid UTF-8 the
    file is read as Windows-1252 (what Excel on Swedish Windows saves). A later line that cannot be
    decoded is a `RowError` for that row.

``glpi-json``
    The GLPI agent's native inventory format: documents ``{"deviceid": …, "content": {"hardware":
    {"name", "lastloggeduser"}, "users": [{"login"}], "softwares": [{"name", "version",
    "publisher", "arch", "install_date", "system_category"}]}}``. Accepted as one document, a JSON
    array of documents, or JSON Lines / concatenated documents. ``ijson`` is not a dependency of
    Stadga, so the file is read in chunks and decoded one document at a time with
    `json.JSONDecoder.raw_decode`: memory is bounded by one device's inventory, never the file.
    ``line`` is the document's 1-based position in the file (for JSON Lines that is its line).

``intune-csv``
    Microsoft Intune's discovered-apps export with one row per device and app: the Graph report
    ``AppInvRawData`` (ApplicationName, ApplicationPublisher, ApplicationVersion, DeviceName,
    DeviceId, UserName, EmailAddress, Platform, …) or the admin centre's export with spaced names
    ("Application Name", "Device name", …). Application name and device name (or device ID) are
    required. The department is left empty; the category is the platform.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.translation import gettext

__all__ = ["FORMATS", "FileFormatError", "RawInstallation", "RowError", "parse"]

FORMATS = ("csv", "glpi-json", "intune-csv")

# Read size for every format. Large enough to be fast, small enough that memory stays flat.
CHUNK_SIZE = 64 * 1024


@dataclass(slots=True)
class RawInstallation:
    """One piece of software on one device, as the source reported it, before normalisation.

    ``line`` is the 1-based place in the file the installation came from: for CSV formats the
    spreadsheet row (the header is row 1, so the first installation is row 2); for GLPI JSON the
    1-based index of the inventory document (one per device) the installation is listed in.

    Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, which made
    building a million of them a noticeable part of an import. Nothing changes one once built.
    """

    line: int
    device: str
    user: str
    department: str
    name: str
    version: str
    publisher: str
    install_date: datetime.date | None
    arch: str
    category: str


@dataclass(frozen=True, slots=True)
class RowError:
    """A row (or JSON document) that could not be read; ``message`` is translated text."""

    line: int
    message: str


class FileFormatError(Exception):
    """The whole file is unusable: empty, not this format, unreadable encoding, missing columns."""


def parse(stream: BinaryIO, fmt: str) -> Iterator[RawInstallation | RowError]:
    """Read an inventory file of format `fmt` from a binary stream, one installation at a time.

    Raises `FileFormatError` (when the iterator is first advanced) if the file cannot be used at
    all, and `ValueError` at once for a format not in `FORMATS`.
    """
    if fmt == "csv":
        return _parse_table(stream, _GENERIC)
    if fmt == "intune-csv":
        return _parse_table(stream, _INTUNE)
    if fmt == "glpi-json":
        return _parse_glpi(stream)
    raise ValueError(f"Unknown inventory format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --- dates -----------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # Windows' registry InstallDate: 20231105
_YMD = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})(?: .*)?")
_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?: .*)?")


def parse_date(text: str) -> datetime.date | None:
    """Read an install date as sources write it; empty is None, nonsense raises ValueError.

    Accepts ISO dates (with or without a time), ``YYYYMMDD``, ``YYYY/MM/DD`` and ``DD/MM/YYYY``,
    ``DD.MM.YYYY`` (day first, as in Sweden, unless only month first makes sense: 12/31/2024).
    """
    text = text.strip()
    if not text:
        return None
    if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text) or _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if month > 12 >= day:
            day, month = month, day
        return datetime.date(year, month, day)
    raise ValueError(text)


def _date_or_error(text: str, line: int) -> datetime.date | RowError | None:
    try:
        return parse_date(text)
    except ValueError:
        return RowError(
            line,
            gettext("Row %(line)s: the install date “%(value)s” is not a date.")
            % {"line": line, "value": text.strip()},
        )


# An export has few distinct install dates (a few thousand days) among a million rows, so the
# generic CSV parser remembers the dates it has read; bounded, so a file of all-distinct dates
# (a timestamp on each row) does not make memory grow with the file.
_DATE_CACHE_SIZE = 20_000


# --- reading bytes as text, line by line -------------------------------------------------------


def _binary_lines(first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """Split the stream into lines ending in ``\\n`` (kept), reading CHUNK_SIZE at a time."""
    pending = first
    while True:
        start = 0
        while (end := pending.find(b"\n", start)) != -1:
            yield pending[start : end + 1]
            start = end + 1
        pending = pending[start:]
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            break
        pending += chunk
    if pending:
        yield pending


def _looks_like_utf8(sample: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


class _TextLines:
    """Decoded lines of a text file, with the encoding chosen from its first bytes.

    Iterating yields str lines for the csv module; a line that cannot be decoded is passed on with
    replacement characters and `undecodable` is set, so the caller can turn its row into an error.
    """

    def __init__(self, stream: BinaryIO) -> None:
        first = stream.read(CHUNK_SIZE)
        if not first.strip():
            raise FileFormatError(gettext("The file is empty."))
        if first.startswith(b"PK\x03\x04"):
            raise FileFormatError(
                gettext("The file is a spreadsheet workbook or archive, not CSV; save it as CSV.")
            )
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first:
            raise FileFormatError(
                gettext("The file is not UTF-8 or Windows-1252 text (UTF-16?); save it as UTF-8.")
            )
        if first.startswith(codecs.BOM_UTF8):
            first = first[len(codecs.BOM_UTF8) :]
            self.encoding = "utf-8"
        elif _looks_like_utf8(first):
            self.encoding = "utf-8"
        else:
            self.encoding = "cp1252"
        self.first_non_space = first.lstrip()[:1]
        self.undecodable = False
        self._lines = _binary_lines(first, stream)

    def __iter__(self) -> Iterator[str]:
        for raw in self._lines:
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError:
                self.undecodable = True
                yield raw.decode(self.encoding, errors="replace")


# --- tabular formats (generic CSV, Intune) -------------------------------------------------------


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.strip().casefold())


# Turns one row's cells (the list csv.reader returned; it may be changed) into an installation,
# an error, or None for a blank row.
_RowBuilder = Callable[[int, list[str]], RawInstallation | RowError | None]


@dataclass(frozen=True)
class _TableSpec:
    """How one CSV dialect names its columns and turns a row into an installation."""

    aliases: dict[str, tuple[str, ...]]  # field -> accepted header names
    required: tuple[tuple[str, ...], ...]  # each entry: one of these fields must have a column
    field_labels: dict[str, str]  # field -> the name to use when it is missing
    # Given the file's columns (field -> index), the function that builds each row.
    builder: Callable[[dict[str, int]], _RowBuilder]
    other_format_hint: Callable[[set[str]], str | None]


def _sniff_delimiter(header: str) -> str:
    counts = {delimiter: header.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _parse_table(stream: BinaryIO, spec: _TableSpec) -> Iterator[RawInstallation | RowError]:
    text = _TextLines(stream)
    if text.first_non_space in (b"{", b"["):
        raise FileFormatError(
            gettext("The file is JSON, not CSV; choose the GLPI JSON format for GLPI inventories.")
        )
    lines = iter(text)
    header_line = next(lines)
    delimiter = _sniff_delimiter(header_line)
    reader = csv.reader(itertools.chain((header_line,), lines), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise FileFormatError(
            gettext("The header row cannot be read: %(error)s") % {"error": error}
        ) from error
    if text.undecodable:
        raise FileFormatError(gettext("The header row is not readable text."))
    build = spec.builder(_map_columns(header, spec))

    line = 1
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Only a field over the size limit or a NUL byte get here; the reader resumes after it.
            text.undecodable = False
            yield RowError(
                line,
                gettext("Row %(line)s cannot be read: %(error)s") % {"line": line, "error": error},
            )
            continue
        if text.undecodable:
            text.undecodable = False
            yield RowError(
                line,
                gettext("Row %(line)s is not valid %(encoding)s text.")
                % {
                    "line": line,
                    "encoding": "UTF-8" if text.encoding == "utf-8" else "Windows-1252",
                },
            )
            continue
        row = build(line, cells)
        if row is not None:  # None: a blank line, common at the end of exports
            yield row


def _is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _width(columns: dict[str, int]) -> int:
    """How many cells a row needs for every field's index to be valid. Each row builder pads a
    short row's cells with empty ones to this width, then appends one more empty cell, at index
    -1, where the fields the file has no column for are read (see `_index`)."""
    return max(columns.values(), default=-1) + 1


def _index(columns: dict[str, int], field: str) -> int:
    """The field's column, or -1 (the empty cell appended to every row) if it has none."""
    return columns.get(field, -1)


def _map_columns(header: list[str], spec: _TableSpec) -> dict[str, int]:
    """Map each known field to its column index; missing required columns fail the whole file."""
    by_key: dict[str, str] = {}
    for field, names in spec.aliases.items():
        for name in names:
            by_key[_header_key(name)] = field
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        known = by_key.get(_header_key(name))
        if known is not None and known not in columns:
            columns[known] = index
    missing = [
        spec.field_labels[alternatives[0]]
        for alternatives in spec.required
        if not any(field in columns for field in alternatives)
    ]
    if missing:
        found = ", ".join(name.strip() for name in header if name.strip())
        message = gettext("The file has no column for %(missing)s. Columns found: %(found)s.") % {
            "missing": gettext(" and ").join(missing),
            "found": found or "–",
        }
        hint = spec.other_format_hint({_header_key(name) for name in header})
        raise FileFormatError(f"{message} {hint}" if hint else message)
    return columns


# The row builders run once per row of a file of up to millions: they read cells by index
# (looked up once per file) rather than through a dict per row, and only test a row for being
# blank when it lacks a required field (a row with a device and a name is not blank).


def _generic_rows(columns: dict[str, int]) -> _RowBuilder:
    width = _width(columns)
    device_at, user_at, department_at, name_at, version_at = (
        _index(columns, field) for field in ("device", "user", "department", "name", "version")
    )
    publisher_at, date_at, arch_at, category_at = (
        _index(columns, field) for field in ("publisher", "install_date", "arch", "category")
    )
    dates: dict[str, datetime.date | None] = {}

    def build(line: int, cells: list[str]) -> RawInstallation | RowError | None:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        cells.append("")  # cells[-1]: every field the file has no column for
        device, name = cells[device_at].strip(), cells[name_at].strip()
        if not device or not name:
            if _is_blank(cells):
                return None
            missing = gettext("device") if not device else gettext("software name")
            return RowError(
                line,
                gettext("Row %(line)s has no %(field)s.") % {"line": line, "field": missing},
            )
        date_text = cells[date_at].strip()
        if date_text in dates:
            install_date = dates[date_text]
        else:
            parsed = _date_or_error(date_text, line)
            if isinstance(parsed, RowError):
                return parsed
            install_date = parsed
            if len(dates) < _DATE_CACHE_SIZE:
                dates[date_text] = parsed
        return RawInstallation(
            line,
            device,
            cells[user_at].strip(),
            cells[department_at].strip(),
            name,
            cells[version_at].strip(),
            cells[publisher_at].strip(),
            install_date,
            cells[arch_at].strip(),
            cells[category_at].strip(),
        )

    return build


def _intune_rows(columns: dict[str, int]) -> _RowBuilder:
    width = _width(columns)
    device_at, device_id_at, email_at, user_at, name_at = (
        _index(columns, field) for field in ("device", "device_id", "email", "user", "name")
    )
    version_at, short_version_at, publisher_at, platform_at = (
        _index(columns, field) for field in ("version", "short_version", "publisher", "platform")
    )

    def build(line: int, cells: list[str]) -> RawInstallation | RowError | None:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        cells.append("")  # cells[-1]: every field the file has no column for
        device = cells[device_at].strip() or cells[device_id_at].strip()
        name = cells[name_at].strip()
        if not device or not name:
            if _is_blank(cells):
                return None
            missing = gettext("device") if not device else gettext("application name")
            return RowError(
                line,
                gettext("Row %(line)s has no %(field)s.") % {"line": line, "field": missing},
            )
        return RawInstallation(
            line,
            device,
            # The e-mail address (UPN) identifies the person; the display name is the fallback.
            cells[email_at].strip() or cells[user_at].strip(),
            "",
            name,
            cells[version_at].strip() or cells[short_version_at].strip(),
            cells[publisher_at].strip(),
            None,
            "",
            cells[platform_at].strip(),
        )

    return build


_INTUNE_ALIASES: dict[str, tuple[str, ...]] = {
    "device": ("DeviceName", "Device name"),
    "device_id": ("DeviceId", "Device ID"),
    "email": ("EmailAddress", "Email", "Email address", "UserPrincipalName", "UPN"),
    "user": ("UserName", "User name", "User"),
    "name": ("ApplicationName", "Application name", "App name", "AppName"),
    "version": ("ApplicationVersion", "Application version", "Version"),
    "short_version": ("ApplicationShortVersion",),
    "publisher": ("ApplicationPublisher", "Application publisher", "Publisher"),
    "platform": ("Platform", "OS"),
}


def _generic_hint(keys: set[str]) -> str | None:
    if {"applicationname", "devicename"} <= keys or {"applicationname", "deviceid"} <= keys:
        return gettext("It looks like an Intune export; choose the Intune format.")
    return None


def _intune_hint(keys: set[str]) -> str | None:
    generic = {_header_key(name) for name in _GENERIC_ALIASES["name"]}
    if keys & generic:
        return gettext("It looks like a generic inventory CSV; choose the CSV format.")
    return None


_GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    "device": ("Enhet", "Device", "Dator", "Datornamn", "Computer", "Computer name", "Hostname"),
    "user": ("Användare", "User", "Username", "Användarnamn"),
    "department": ("Förvaltning", "Department", "Avdelning", "Verksamhet"),
    "name": ("Programvara", "Software", "Name", "Software name", "Namn", "Programvarunamn"),
    "version": ("Version",),
    "publisher": ("Utgivare", "Publisher", "Tillverkare", "Vendor", "Manufacturer"),
    "install_date": (
        "Installerad",
        "Install date",
        "Installation date",
        "Installed",
        "Installationsdatum",
        "Installerades",
    ),
    "arch": ("Arkitektur", "Arch", "Architecture"),
    "category": ("Kategori", "Category"),
}

_GENERIC = _TableSpec(
    aliases=_GENERIC_ALIASES,
    required=(("device",), ("name",)),
    field_labels={"device": "Enhet/Device", "name": "Programvara/Software"},
    builder=_generic_rows,
    other_format_hint=_generic_hint,
)

_INTUNE = _TableSpec(
    aliases=_INTUNE_ALIASES,
    required=(("device", "device_id"), ("name",)),
    field_labels={"device": "DeviceName", "name": "ApplicationName"},
    builder=_intune_rows,
    other_format_hint=_intune_hint,
)


# --- GLPI agent inventory JSON ---------------------------------------------------------------


class _Truncated(Exception):
    """The file ended in the middle of a document."""


class _JsonDocuments:
    """Yield (index, document) from a byte stream of JSON documents, one document in memory.

    Handles a JSON array of documents, a single document, and whitespace-separated documents
    (JSON Lines). A document with a syntax error is reported through `errors` as a message; in a
    sequence of documents reading resumes at the next line that starts with ``{``.
    """

    _decoder = json.JSONDecoder()

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._read_size = CHUNK_SIZE

    def _fill(self) -> bool:
        """Read more text into the buffer; False at the end of the file."""
        if self._eof:
            return False
        if self._pos:
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        chunk = self._stream.read(self._read_size)
        # A document longer than the buffer is re-decoded from its start on every read; reading
        # ever larger pieces keeps that linear in the document's size.
        self._read_size = max(CHUNK_SIZE, min(len(self._buffer), 64 * 1024 * 1024))
        if not chunk:
            self._eof = True
            self._buffer += self._utf8.decode(b"", final=True)
            return False
        self._buffer += self._utf8.decode(chunk)
        return True

    def _skip_space(self) -> str:
        """Skip whitespace; return the next character or '' at the end of the file."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill():
                return ""

    def _decode_one(self) -> Any:
        """Decode the document at the current position; raise _Truncated or ValueError."""
        while True:
            try:
                document, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                near_end = error.pos >= len(self._buffer) - 8
                if near_end or error.msg.startswith("Unterminated string"):
                    if self._fill():
                        continue
                    raise _Truncated from error
                raise ValueError(error.msg) from error
            self._pos = end
            return document

    def first_character(self) -> str:
        return self._skip_space()

    def documents(self) -> Iterator[tuple[int, Any] | RowError]:
        if self._skip_space() == "[":
            self._pos += 1
            yield from self._array()
        else:
            yield from self._sequence()

    def _array(self) -> Iterator[tuple[int, Any] | RowError]:
        index = 0
        if self._skip_space() == "]":
            return
        while True:
            index += 1
            if not self._skip_space():
                yield _truncated_error(index)
                return
            try:
                yield index, self._decode_one()
            except _Truncated:
                yield _truncated_error(index)
                return
            except ValueError as error:
                yield _syntax_error(index, str(error))
                return  # inside an array there is no safe place to resume
            following = self._skip_space()
            if following == ",":
                self._pos += 1
                continue
            if following == "]":
                return
            if following == "":
                yield _truncated_error(index + 1)
            else:
                yield _syntax_error(index + 1, gettext("expected “,” or “]”"))
            return

    def _sequence(self) -> Iterator[tuple[int, Any] | RowError]:
        index = 0
        while self._skip_space():
            index += 1
            try:
                yield index, self._decode_one()
            except _Truncated:
                yield _truncated_error(index)
                return
            except ValueError as error:
                yield _syntax_error(index, str(error))
                if not self._resume_at_next_document():
                    return

    def _resume_at_next_document(self) -> bool:
        while True:
            found = self._buffer.find("\n{", self._pos)
            if found != -1:
                self._pos = found + 1
                return True
            self._pos = max(self._pos, len(self._buffer) - 1)
            if not self._fill():
                return False


def _truncated_error(index: int) -> RowError:
    return RowError(
        index,
        gettext("Entry %(index)s: the file ends in the middle of an entry (it is truncated).")
        % {"index": index},
    )


def _syntax_error(index: int, detail: str) -> RowError:
    return RowError(
        index,
        gettext("Entry %(index)s is not valid JSON: %(detail)s")
        % {"index": index, "detail": detail},
    )


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _is_inventory(document: Any) -> bool:
    return isinstance(document, dict) and (
        isinstance(document.get("content"), dict) or "softwares" in document
    )


def _parse_glpi(stream: BinaryIO) -> Iterator[RawInstallation | RowError]:
    reader = _JsonDocuments(stream)
    try:
        first = reader.first_character()
    except UnicodeDecodeError as error:
        raise FileFormatError(gettext("The file is not UTF-8 text, so it is not JSON.")) from error
    if not first:
        raise FileFormatError(gettext("The file is empty."))
    if first not in "[{":
        raise FileFormatError(
            gettext("The file is not JSON; a GLPI inventory starts with “{” or “[”.")
        )
    seen_document = False
    last_index = 0
    documents = reader.documents()
    while True:
        try:
            item = next(documents)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            if not seen_document:
                raise FileFormatError(
                    gettext("The file is not UTF-8 text, so it is not JSON.")
                ) from error
            yield RowError(
                last_index + 1,
                gettext("Entry %(index)s: the rest of the file is not UTF-8 text; it was not read.")
                % {"index": last_index + 1},
            )
            return
        if isinstance(item, RowError):
            if not seen_document:
                raise FileFormatError(item.message)
            yield item
            continue
        index, document = item
        last_index = index
        if not _is_inventory(document):
            if not seen_document:
                raise FileFormatError(
                    gettext(
                        "The file is not a GLPI agent inventory: its first entry has no “content”."
                    )
                )
            yield RowError(
                index,
                gettext("Entry %(index)s is not a GLPI inventory (no “content”).")
                % {"index": index},
            )
            continue
        seen_document = True
        yield from _glpi_installations(index, document)


def _glpi_installations(
    index: int, document: dict[str, Any]
) -> Iterable[RawInstallation | RowError]:
    content = document.get("content") if isinstance(document.get("content"), dict) else document
    assert isinstance(content, dict)
    hardware = content.get("hardware") if isinstance(content.get("hardware"), dict) else {}
    assert isinstance(hardware, dict)
    device = _text(hardware.get("name")) or _text(document.get("deviceid"))
    user = _text(hardware.get("lastloggeduser"))
    users = content.get("users")
    if not user and isinstance(users, list) and users and isinstance(users[0], dict):
        user = _text(users[0].get("login"))
    softwares = content.get("softwares") or []
    if not isinstance(softwares, list):
        return [_entry_error(index, gettext("“softwares” is not a list"))]
    if softwares and not device:
        return [_entry_error(index, gettext("no device name (hardware.name or deviceid)"))]
    results: list[RawInstallation | RowError] = []
    for software in softwares:
        if not isinstance(software, dict) or not _text(software.get("name")):
            results.append(_entry_error(index, gettext("a software entry has no name")))
            continue
        try:
            install_date = parse_date(_text(software.get("install_date")))
        except ValueError:
            results.append(
                _entry_error(
                    index,
                    gettext("the install date “%(value)s” of %(name)s is not a date")
                    % {"value": _text(software.get("install_date")), "name": software["name"]},
                )
            )
            continue
        results.append(
            RawInstallation(
                line=index,
                device=device,
                user=user,
                department="",
                name=_text(software.get("name")),
                version=_text(software.get("version")),
                publisher=_text(software.get("publisher")),
                install_date=install_date,
                arch=_text(software.get("arch")),
                category=_text(software.get("system_category")),
            )
        )
    return results


def _entry_error(index: int, detail: str) -> RowError:
    return RowError(
        index, gettext("Entry %(index)s: %(detail)s.") % {"index": index, "detail": detail}
    )
