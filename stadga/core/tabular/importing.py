"""The import engine: read, check every row, plan, and write all of it or nothing.

1. Read the file and map its headers to the spec's columns (unknown or missing ones are errors).
2. Parse every cell; a bad cell is an error naming its row, column and reason.
3. Match rows to existing objects by key; duplicate keys in the file and archived objects are
   errors; rows without a key get one when the spec allows it.
4. Check references to other rows (e.g. dependencies), which may point further down the file.
5. Plan each row: create, update (with the fields that differ) or unchanged.
6. Write through the spec's services in one transaction, so the model's own validation speaks
   too; references to rows created later in the file are written in a second pass. If anything
   failed, or this is a dry run, the transaction is rolled back: a file with an error changes
   nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from .columns import CellError, Column, normalise, quoted_list
from .reading import Table, TabularError, read_table
from .spec import TabularSpec

logger = logging.getLogger(__name__)

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass
class RowError:
    """What is wrong, where: `row` as the spreadsheet numbers it (header is 1; None for the
    file as a whole) and `column` as the file's header says it (None for the whole row)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What the import does with one row, for the preview."""

    row: int
    action: str  # CREATE, UPDATE or UNCHANGED
    key: str
    label: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    file_format: str | None = None
    errors: list[RowError] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def changes(self) -> list[RowPlan]:
        """The rows that create or update something."""
        return [p for p in self.plans if p.action != UNCHANGED]

    @property
    def has_changes(self) -> bool:
        return any(p.action != UNCHANGED for p in self.plans)

    def add_error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    key: Any = None
    instance: Model | None = None
    failed: bool = False
    action: str = UNCHANGED
    changed: list[str] = field(default_factory=list)
    written: Model | None = None


class _Run:
    def __init__(self, spec: TabularSpec, result: ImportResult) -> None:
        self.spec = spec
        self.result = result
        self.columns: list[tuple[int, Column, str]] = []  # (position, column, header in file)
        self.rows: list[_Row] = []

    # --- errors ----------------------------------------------------------------------------

    def header_of(self, column: Column) -> str:
        """The header as the user's file spells it, else the spec's."""
        return next((h for _i, c, h in self.columns if c is column), column.header)

    def fail(self, row: _Row, column: Column | None, message: str) -> None:
        row.failed = True
        self.result.add_error(row.number, self.header_of(column) if column else None, message)

    # --- 1. headers -------------------------------------------------------------------------

    def map_headers(self, table: Table) -> bool:
        by_header = {normalise(h): c for c in self.spec.columns for h in c.headers}
        unknown: list[str] = []
        positions: dict[Column, int] = {}
        for position, header in enumerate(table.headers):
            if not header:
                continue
            column = by_header.get(normalise(header))
            if column is None:
                unknown.append(header)
            elif column in positions:
                self.result.add_error(
                    1,
                    header,
                    _("The column appears twice (columns %(first)s and %(second)s).")
                    % {
                        "first": column_letter(positions[column]),
                        "second": column_letter(position),
                    },
                )
            else:
                positions[column] = position
                self.columns.append((position, column, header))
        if unknown:
            self.result.add_error(
                1,
                None,
                _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
                % {
                    "unknown": quoted_list(unknown),
                    "known": quoted_list(c.header for c in self.spec.columns),
                },
            )
        missing = [c.header for c in self.spec.columns if c.required and c not in positions]
        if missing:
            self.result.add_error(
                1,
                None,
                _("Required columns are missing: %(missing)s.") % {"missing": quoted_list(missing)},
            )
        return self.result.ok

    # --- 2. cells ---------------------------------------------------------------------------

    def parse_rows(self, table: Table) -> None:
        headed = {position for position, header in enumerate(table.headers) if header}
        reported: set[int] = set()
        for number, cells in table.rows:
            row = _Row(number)
            for position, cell in enumerate(cells):
                # Data under no header would be silently dropped: say so (once per column).
                if position not in headed and position not in reported and not _blank(cell):
                    reported.add(position)
                    self.result.add_error(
                        number,
                        None,
                        _("Column %(column)s has values but no header.")
                        % {"column": column_letter(position)},
                    )
            for position, column, _header in self.columns:
                cell = cells[position] if position < len(cells) else None
                try:
                    row.values[column.field] = column.parser.parse(cell, self.spec)
                except CellError as exc:
                    self.fail(row, column, exc.message)
            self.spec.complete_row(row.values)
            self.rows.append(row)

    # --- 3. keys ----------------------------------------------------------------------------

    def match_keys(self) -> dict[Any, Model]:
        spec = self.spec
        key_column = spec.key_column()
        existing = {getattr(obj, spec.key): obj for obj in spec.optimise(spec.get_queryset())}
        for obj in existing.values():
            # One municipality object for every row: validation reads it (e.g. the top of its
            # consequence scale), and each row would otherwise load its own copy.
            obj.municipality = spec.municipality
        first_row: dict[Any, int] = {}
        for row in self.rows:
            if key_column.field not in row.values:
                continue  # the key's cell itself was bad; already reported
            key = row.values[key_column.field]
            if key in ("", None):
                continue
            row.key = key
            if key in first_row:
                self.fail(
                    row,
                    key_column,
                    _("“%(key)s” is also on row %(other)s; each row needs its own key.")
                    % {"key": key, "other": first_row[key]},
                )
                continue
            first_row[key] = row.number
            instance = existing.get(key)
            if instance is not None and spec.is_archived(instance):
                self.fail(row, key_column, spec.archived_message(key))
            row.instance = instance
        taken = set(existing) | set(first_row)
        for row in self.rows:
            if row.key is None and key_column.field in row.values:
                if not spec.auto_key:
                    self.fail(row, key_column, _("A value is required."))
                    continue
                row.key = spec.new_key(taken)
                taken.add(row.key)
                row.values[key_column.field] = row.key
        return existing

    # --- 4. references to other rows --------------------------------------------------------

    def check_references(self, existing: dict[Any, Model]) -> None:
        spec = self.spec
        in_file = {row.key for row in self.rows if row.key is not None}
        for row in self.rows:
            for _p, column, _h in self.columns:
                if not column.parser.deferred or column.field not in row.values:
                    continue
                # An archived object the row already refers to may stay (an export imports
                # back unchanged); it may not be newly referred to.
                kept = (
                    set(column.parser.current(row.instance, column.field, spec))
                    if row.instance is not None
                    else set()
                )
                for key in row.values[column.field]:
                    if key == row.key:
                        self.fail(row, column, _("A row cannot refer to itself."))
                    elif key in existing and spec.is_archived(existing[key]) and key not in kept:
                        self.fail(row, column, spec.archived_message(key))
                    elif key not in existing and key not in in_file:
                        self.fail(
                            row,
                            column,
                            _("“%(key)s” is neither in the register nor in the file.")
                            % {"key": key},
                        )

    # --- 5. plan ----------------------------------------------------------------------------

    def plan(self) -> None:
        spec = self.spec
        for row in self.rows:
            if row.failed:
                continue
            changes: list[Change] = []
            for _p, column, header in self.columns:
                if column.field == spec.key:
                    continue
                parser = column.parser
                new = row.values[column.field]
                old = (
                    None
                    if row.instance is None
                    else parser.current(row.instance, column.field, spec)
                )
                try:
                    parser.check(old, new, spec)
                except CellError as exc:
                    self.fail(row, column, exc.message)
                    continue
                if row.instance is not None and not parser.same(old, new):
                    row.changed.append(column.field)
                    changes.append(
                        Change(header, parser.display(old, spec), parser.display(new, spec))
                    )
            if row.failed:
                continue
            label = str(row.values.get(spec.label_field) or "")
            if row.instance is None:
                row.action = CREATE
                row.changed = list(row.values)
            else:
                row.action = UPDATE if row.changed else UNCHANGED
                label = label or str(getattr(row.instance, spec.label_field, ""))
            self.result.plans.append(RowPlan(row.number, row.action, str(row.key), label, changes))

    # --- 6. write ---------------------------------------------------------------------------

    def write(self, existing: dict[Any, Model]) -> None:
        deferred = {c.field for _p, c, _h in self.columns if c.parser.deferred}
        by_key: dict[Any, Model] = {k: v for k, v in existing.items()}
        failed_keys = {row.key for row in self.rows if row.failed}
        later: list[tuple[_Row, str, tuple]] = []
        for row in self.rows:
            if row.failed or row.action == UNCHANGED:
                continue
            data = {name: row.values[name] for name in row.changed}
            for name in deferred & set(data):
                keys = data[name]
                if all(k in by_key for k in keys):
                    data[name] = [by_key[k] for k in keys]
                else:  # a row further down creates what this one refers to
                    del data[name]
                    later.append((row, name, keys))
            written = self.save(row, data)
            if written is not None:
                by_key[row.key] = written
        for row, name, keys in later:
            if row.failed or row.written is None:
                continue
            # A referenced row that failed has its own error; the whole file is refused anyway.
            targets = [by_key[k] for k in keys if k in by_key and k not in failed_keys]
            self.save(row, {name: targets}, instance=row.written)

    def save(self, row: _Row, data: dict[str, Any], instance: Model | None = None) -> Model | None:
        spec = self.spec
        target = instance or row.instance
        try:
            # A savepoint per row: one row's failure leaves the transaction usable for the
            # next, so every error in the file is reported at once.
            with transaction.atomic():
                if target is None:
                    row.written = spec.create(data)
                else:
                    row.written, _changed = spec.update(target, data)
        except ValidationError as exc:
            self.report_validation(row, exc)
            return None
        except DatabaseError:
            logger.warning("Import row %s refused by the database", row.number, exc_info=True)
            self.fail(row, None, _("The database refused the row (it conflicts with other data)."))
            return None
        return row.written

    def report_validation(self, row: _Row, exc: ValidationError) -> None:
        """Model validation (full_clean) speaks per field; say it per column."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.fail(row, None, message)
            return
        for name, errors in exc.error_dict.items():
            column = self.spec.column_for(name)
            prefix = ""
            if column is None and name != NON_FIELD_ERRORS:
                try:
                    verbose = self.spec.model._meta.get_field(name).verbose_name  # type: ignore[union-attr]
                except FieldDoesNotExist:
                    verbose = name
                prefix = f"{str(verbose).capitalize()}: "
            for message in ValidationError(errors).messages:
                self.fail(row, column, prefix + message)


def column_letter(position: int) -> str:
    """0 → A, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def run_import(
    spec: TabularSpec, data: bytes, *, file_format: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Import `data` (the file's bytes) for `spec`; see the module docstring for the steps."""
    result = ImportResult(kind=spec.kind, dry_run=dry_run)
    _import(_Run(spec, result), data, file_format)
    result.errors.sort(key=lambda e: e.row or 0)  # stable: a row's errors keep column order
    return result


def _import(run: _Run, data: bytes, file_format: str | None) -> None:
    result = run.result
    try:
        table = read_table(data, file_format=file_format)
        result.file_format = table.format
        if not run.map_headers(table):
            return
        run.parse_rows(table)
    except TabularError as exc:
        result.add_error(None, None, exc.message)
        return
    if not run.rows:
        result.add_error(None, None, _("The file has no rows to import below the headers."))
        return
    existing = run.match_keys()
    run.check_references(existing)
    run.plan()
    if not any(row.action != UNCHANGED for row in run.rows if not row.failed):
        return  # nothing to write; errors, if any, are already known
    # The write also runs on a dry run and is rolled back: the model's own validation and the
    # services' checks then speak in the preview exactly as they will on commit.
    with transaction.atomic():
        run.write(existing)
        if result.errors or result.dry_run:
            transaction.set_rollback(True)
        else:
            result.committed = True
