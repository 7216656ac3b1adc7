"""Columns and the parsers that turn a spreadsheet cell into a value and a value back into a cell.

A parser works both ways so that an export imports unchanged: `to_cell` writes what `parse`
reads back as the same value, and `same` says whether a parsed value differs from what an object
holds now (an import writes only what differs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .reading import Cell

if TYPE_CHECKING:
    from .spec import TabularSpec

# Spreadsheet values are written in Swedish whatever the user's language (choice labels); the
# headers are Swedish constants in each spec.
EXPORT_LANGUAGE = "sv"
IMPORT_LANGUAGES = ("sv", "en")

# Characters XLSX cannot hold (openpyxl refuses them); dropped on the way in and out alike.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "true", "sant"})
FALSE_WORDS = frozenset({"nej", "n", "no", "0", "false", "falskt"})
YES, NO = "ja", "nej"

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(value: Any) -> str:
    """How names are compared: case and runs of white space do not matter."""
    return " ".join(str(value).split()).casefold()


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: Any) -> str:
    """A cell as text: one kind of line break, no characters XLSX cannot hold, trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    elif isinstance(value, date | time):
        value = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS.sub("", text).strip()


def quoted_list(values: Iterable[str]) -> str:
    return ", ".join(f"“{v}”" for v in values)


class Parser:
    """Base class. Subclasses implement `parse_value` (a non-blank cell) and may override the
    rest. `deferred` parsers refer to rows of the same file and are resolved by the engine."""

    deferred = False
    many = False

    def __init__(self, *, required: bool = False) -> None:
        self.required = required

    # --- reading ---------------------------------------------------------------------------

    def parse(self, value: Cell, ctx: TabularSpec) -> Any:
        if is_blank(value):
            if self.required:
                raise CellError(_("A value is required."))
            return self.empty_value()
        return self.parse_value(value, ctx)

    def empty_value(self) -> Any:
        return None

    def parse_value(self, value: Cell, ctx: TabularSpec) -> Any:
        raise NotImplementedError

    # --- comparing -------------------------------------------------------------------------

    def current(self, instance: Model, field: str, ctx: TabularSpec) -> Any:
        """The value the object holds now, in the form `parse` returns."""
        return getattr(instance, field)

    def same(self, current: Any, new: Any) -> bool:
        return bool(current == new)

    def check(self, current: Any, new: Any, ctx: TabularSpec) -> None:
        """Refuse a value that may be kept but not newly set (raise CellError); `current` is
        None for a row that creates an object."""

    # --- writing ---------------------------------------------------------------------------

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        """The cell an export writes for `value`; `parse` reads it back as the same value."""
        return value

    def display(self, value: Any, ctx: TabularSpec) -> str:
        """The value as the preview shows it, in the user's language."""
        cell = self.to_cell(value, ctx)
        return "" if cell is None else clean_text(cell)

    def describe(self, ctx: TabularSpec) -> str:
        """What the cell may hold, for the template's instructions sheet."""
        return ""


class Text(Parser):
    def __init__(self, *, required: bool = False, max_length: int | None = None) -> None:
        super().__init__(required=required)
        self.max_length = max_length

    def empty_value(self) -> str:
        return ""

    def parse_value(self, value: Cell, ctx: TabularSpec) -> str:
        text = clean_text(value)
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(
                _("At most %(limit)s characters are allowed; this has %(count)s.")
                % {"limit": self.max_length, "count": len(text)}
            )
        return text

    def same(self, current: Any, new: Any) -> bool:
        # What a browser's textarea stored (\r\n) and what a spreadsheet gives back (\n) are
        # the same text; writing it again would only add a change-log entry.
        return clean_text(current) == new

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return clean_text(value) if value is not None else ""


class Integer(Parser):
    def __init__(
        self,
        *,
        required: bool = False,
        min_value: int | None = None,
        max_value: int | Callable[[TabularSpec], int] | None = None,
    ) -> None:
        super().__init__(required=required)
        self.min_value = min_value
        self.max_value = max_value

    def bounds(self, ctx: TabularSpec) -> tuple[int | None, int | None]:
        top = self.max_value(ctx) if callable(self.max_value) else self.max_value
        return self.min_value, top

    def parse_value(self, value: Cell, ctx: TabularSpec) -> int:
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = _NUMBER_SPACES.sub("", value)  # "1 200" as Swedish Excel may write it
            if _WHOLE_NUMBER.match(text):
                number = int(text)
        if number is None:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": clean_text(value)})
        low, high = self.bounds(ctx)
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = _("Write a whole number from %(min)s to %(max)s.")
            elif low is not None:
                message = _("Write a whole number of at least %(min)s.")
            else:
                message = _("Write a whole number of at most %(max)s.")
            raise CellError(message % {"min": low, "max": high})
        return number

    def describe(self, ctx: TabularSpec) -> str:
        low, high = self.bounds(ctx)
        if low is not None and high is not None:
            return _("A whole number from %(min)s to %(max)s.") % {"min": low, "max": high}
        if low is not None:
            return _("A whole number of at least %(min)s.") % {"min": low}
        return _("A whole number.")


class Boolean(Parser):
    """ja/nej (yes/no, x, 1/0, SANT/FALSKT from Swedish Excel); a blank cell is `blank`."""

    def __init__(self, *, blank: bool = False) -> None:
        super().__init__(required=False)
        self.blank = blank

    def empty_value(self) -> bool:
        return self.blank

    def parse_value(self, value: Cell, ctx: TabularSpec) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = normalise(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(
            _("Write “ja” or “nej” (or yes or no); “%(value)s” is neither.")
            % {"value": clean_text(value)}
        )

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return YES if value else NO

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return _("yes") if value else _("no")

    def describe(self, ctx: TabularSpec) -> str:
        return _("“ja” or “nej”; blank means “nej”.") if not self.blank else _("“ja” or “nej”.")


class Date(Parser):
    """An ISO date (2026-01-15), as Swedish Excel shows dates, or a date cell."""

    def parse_value(self, value: Cell, ctx: TabularSpec) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and (match := _ISO_DATE.match(value.strip())):
            try:
                return date.fromisoformat(match.group(1))
            except ValueError:
                pass
        raise CellError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": clean_text(value)}
        )

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return value

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return value.isoformat() if value else ""

    def describe(self, ctx: TabularSpec) -> str:
        return _("A date written as YYYY-MM-DD.")


class Choice(Parser):
    """One of a model field's choices, by its value or its Swedish or English label."""

    def __init__(self, choices: Any, *, required: bool = True) -> None:
        super().__init__(required=required)
        self.choices: list[tuple[str, Any]] = list(getattr(choices, "choices", choices))

    def _index(self, ctx: TabularSpec) -> dict[str, str]:
        cache_key = ("choice", id(self))
        if cache_key not in ctx.cache:
            index: dict[str, str] = {}
            for language in IMPORT_LANGUAGES:
                with translation.override(language):
                    for value, label in self.choices:
                        index.setdefault(normalise(label), value)
            for value, label in self.choices:
                index.setdefault(normalise(label), value)  # the user's language
                index[normalise(value)] = value
            ctx.cache[cache_key] = index
        return ctx.cache[cache_key]

    def parse_value(self, value: Cell, ctx: TabularSpec) -> str:
        found = self._index(ctx).get(normalise(value))
        if found is None:
            raise CellError(
                _("“%(value)s” is not an allowed value. Allowed values: %(allowed)s.")
                % {"value": clean_text(value), "allowed": self._allowed()}
            )
        return found

    def _allowed(self) -> str:
        with translation.override(EXPORT_LANGUAGE):
            return quoted_list(str(label) for _value, label in self.choices)

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        if value in (None, ""):
            return None
        labels = dict(self.choices)
        return str(labels[value]) if value in labels else str(value)

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return str(dict(self.choices).get(value, value or ""))

    def describe(self, ctx: TabularSpec) -> str:
        return _("One of: %(allowed)s.") % {"allowed": self._allowed()}


class Lookup(Parser):
    """An object chosen by name (or another attribute, e.g. e-mail) from a queryset that the
    spec scopes to the municipality.

    `by` lists the attributes a cell may match; an export writes the first one that names the
    object unambiguously, so two people called Anna Berg are exported by e-mail. Archived
    objects are matched but may not be newly chosen: a row that keeps an archived board as it
    is imports unchanged, a row that picks one is refused.
    """

    def __init__(
        self,
        queryset: Callable[[TabularSpec], QuerySet],
        *,
        by: Sequence[str] = ("name",),
        required: bool = False,
        not_found: str | Promise | None = None,
        ambiguous: str | Promise | None = None,
    ) -> None:
        super().__init__(required=required)
        self.queryset = queryset
        self.by = tuple(by)
        self.not_found = not_found
        self.ambiguous = ambiguous

    @staticmethod
    def is_live(obj: Model) -> bool:
        return getattr(obj, "archived_at", None) is None

    def index(self, ctx: TabularSpec) -> dict[str, list[Model]]:
        """Every candidate by each of its names: loaded once per import or export."""
        cache_key = ("lookup", id(self))
        if cache_key not in ctx.cache:
            index: dict[str, list[Model]] = {}
            for obj in self.queryset(ctx):
                for attribute in self.by:
                    name = getattr(obj, attribute, "")
                    if name:
                        matches = index.setdefault(normalise(name), [])
                        if all(o.pk != obj.pk for o in matches):
                            matches.append(obj)
            ctx.cache[cache_key] = index
        return ctx.cache[cache_key]

    def find(self, text: str, ctx: TabularSpec) -> Model:
        matches = self.index(ctx).get(normalise(text), [])
        if len(matches) > 1:
            live = [o for o in matches if self.is_live(o)]
            matches = live if len(live) == 1 else matches
        if len(matches) == 1:
            return matches[0]
        if matches:
            message = self.ambiguous or _(
                "More than one match “%(value)s”; write it so that only one does."
            )
            raise CellError(str(message) % {"value": text})
        message = self.not_found or _("“%(value)s” was not found.")
        raise CellError(str(message) % {"value": text} + self._known(ctx))

    def _known(self, ctx: TabularSpec) -> str:
        """A short list of what would have matched, when it is short enough to help."""
        names = sorted(
            {
                str(getattr(o, self.by[0]))
                for matches in self.index(ctx).values()
                for o in matches
                if self.is_live(o)
            }
        )
        if not names or len(names) > 15:
            return ""
        return " " + _("Known values: %(known)s.") % {"known": quoted_list(names)}

    def archived_error(self, obj: Model) -> CellError:
        return CellError(_("“%(value)s” is archived and cannot be chosen.") % {"value": obj})

    def parse_value(self, value: Cell, ctx: TabularSpec) -> Any:
        return self.find(clean_text(value), ctx)

    def same(self, current: Any, new: Any) -> bool:
        return getattr(current, "pk", None) == getattr(new, "pk", None)

    def check(self, current: Any, new: Any, ctx: TabularSpec) -> None:
        if new is not None and not self.is_live(new) and not self.same(current, new):
            raise self.archived_error(new)

    def name_of(self, obj: Model, ctx: TabularSpec) -> str:
        index = self.index(ctx)
        for attribute in self.by:
            name = getattr(obj, attribute, "")
            if name and len(index.get(normalise(name), [])) == 1:
                return str(name)
        return str(getattr(obj, self.by[0]))

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return None if value is None else self.name_of(value, ctx)

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return "" if value is None else str(value)


def split_list(text: str, whole_matches: Callable[[str], bool] | None = None) -> list[str]:
    """`a; b; c` or `a, b, c`. A value with a comma but no semicolon that names one thing as a
    whole (“Berg, Anna”) is kept whole."""
    if ";" in text:
        parts = text.split(";")
    elif "," in text and not (whole_matches and whole_matches(text)):
        parts = text.split(",")
    else:
        parts = [text]
    seen: dict[str, None] = {}
    for part in parts:
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


class ManyLookup(Lookup):
    """Several objects by name, separated by `;` (or `,`), for a many-to-many field."""

    many = True

    def empty_value(self) -> list[Model]:
        return []

    def parse_value(self, value: Cell, ctx: TabularSpec) -> list[Model]:
        index = self.index(ctx)
        found: list[Model] = []
        problems: list[str] = []
        for name in split_list(clean_text(value), lambda t: normalise(t) in index):
            try:
                obj = self.find(name, ctx)
            except CellError as exc:
                problems.append(exc.message)
            else:
                if all(o.pk != obj.pk for o in found):
                    found.append(obj)
        if problems:
            raise CellError(" ".join(problems))
        return found

    def current(self, instance: Model, field: str, ctx: TabularSpec) -> list[Model]:
        return list(getattr(instance, field).all())

    def same(self, current: Any, new: Any) -> bool:
        return {o.pk for o in current} == {o.pk for o in new}

    def check(self, current: Any, new: Any, ctx: TabularSpec) -> None:
        kept = {o.pk for o in current or ()}
        for obj in new:
            if not self.is_live(obj) and obj.pk not in kept:
                raise self.archived_error(obj)

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return "; ".join(self.name_of(o, ctx) for o in value)

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return ", ".join(str(o) for o in value)


class SelfReferences(Parser):
    """Other rows of the same kind by their key, for a many-to-many field to the same model
    (a system's dependencies). The keys may name rows further down the same file: the engine
    checks and resolves them after every row is read, and writes them in a second pass."""

    deferred = True
    many = True

    def empty_value(self) -> tuple[str, ...]:
        return ()

    def parse_value(self, value: Cell, ctx: TabularSpec) -> tuple[str, ...]:
        return tuple(split_list(clean_text(value)))

    def current(self, instance: Model, field: str, ctx: TabularSpec) -> tuple[str, ...]:
        return tuple(getattr(o, ctx.key) for o in getattr(instance, field).all())

    def same(self, current: Any, new: Any) -> bool:
        return set(current) == set(new)

    def to_cell(self, value: Any, ctx: TabularSpec) -> Cell:
        return "; ".join(value)

    def display(self, value: Any, ctx: TabularSpec) -> str:
        return ", ".join(value)


class Column:
    """One column of a sheet: its Swedish header, the model field it fills and how.

    `header` is a data constant in Swedish (it is what the file says, in every language);
    `aliases` are other headers accepted on import, e.g. the English one. `required` means the
    header must be in the file; whether the cell may be blank is the parser's `required`.
    """

    def __init__(
        self,
        header: str,
        field: str,
        parser: Parser | None = None,
        *,
        aliases: Sequence[str] = (),
        required: bool = False,
        help_text: str | Promise = "",
        width: int = 18,
    ) -> None:
        self.header = header
        self.field = field
        self.parser = parser or Text()
        self.aliases = tuple(aliases)
        self.required = required
        self.help_text = help_text
        self.width = width

    def __repr__(self) -> str:
        return f"Column({self.header!r}, {self.field!r})"

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)
