"""Requirement catalogues as data: read a YAML catalogue file, check it, and hand it to the
service that loads it (`services_classification.requirement_catalogue_load`).

A catalogue is one version of a set of baseline security requirements, each applying from a
consequence level of one aspect (P9.1) and citing the ISO/IEC 27002:2022 control it implements by
number only. The shipped catalogue lives in `stadga/security/library/`; its format is the schema
below and the shipped file itself.

Reading works like the policy libraries' (`stadga.policy.library`), whose YAML reader and error
messages are reused: every problem is reported with the line it is on, in three steps — YAML
syntax, the JSON schema, and what a schema cannot say (unique codes, real control numbers).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

# The policy libraries' reader: YAML with the line of every value, and messages that name it.
from stadga.core.datafile import (
    DataFileError,
    Lines,
    compose,
    decode,
    dicts,
    located,
    schema_error_messages,
)
from stadga.systems.choices import Aspect

from .choices import RequirementCategory

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

FORMAT = 1
# The consequence scale's default steps (KLASSA); a requirement applies from one of them.
TOP_LEVEL = 4
# How many controls each clause of ISO/IEC 27002:2022 has: 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34.
ISO_27002_2022_CONTROLS = {5: 37, 6: 8, 7: 14, 8: 34}

_text = {"type": "string", "minLength": 1}

CATALOGUE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Stadga requirement catalogue",
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "key", "version", "title", "requirements"],
    "properties": {
        "format": {"const": FORMAT},
        "key": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100},
        # `2026.1` unquoted is a number to YAML (and `2026.10` would become 2026.1): quote it.
        "version": {
            "type": ["string", "integer"],
            "pattern": r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
            "maxLength": 50,
        },
        "title": {**_text, "maxLength": 300},
        "title_en": {"type": "string", "maxLength": 300},
        "requirements": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "category", "aspect", "level", "text"],
                "properties": {
                    "code": {
                        "type": "string",
                        "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                        "maxLength": 20,
                    },
                    "category": {"enum": list(RequirementCategory.values)},
                    "aspect": {"enum": list(Aspect.values)},
                    "level": {"type": "integer", "minimum": 1, "maximum": TOP_LEVEL},
                    # A number is reported by the semantic check, with the advice to quote it.
                    "iso_control": {"type": ["string", "number"], "pattern": r"^[5-8]\.[0-9]+$"},
                    "text": _text,
                    "text_en": {"type": "string"},
                    "personal_data": {"type": "boolean"},
                },
            },
        },
    },
}

_validator = Draft202012Validator(CATALOGUE_SCHEMA)

NodePath = tuple[str | int, ...]


class CatalogueError(DataFileError):
    """A catalogue file that cannot be loaded, with every problem found (each with its line)."""


@dataclass(frozen=True)
class CatalogueRequirement:
    """One requirement as the file states it, ready to be stored as a `Requirement`."""

    code: str
    category: str
    aspect: str
    level: int
    iso_control: str
    text: str
    text_en: str
    personal_data: bool


@dataclass(frozen=True)
class Catalogue:
    """A checked catalogue file: one version's metadata and its requirements in order."""

    key: str
    version: str
    title: str
    title_en: str
    requirements: tuple[CatalogueRequirement, ...]
    source: str = ""  # the file name, for messages

    @property
    def checksum(self) -> str:
        """SHA-256 of the content (not of the file): comments and layout may change, a
        requirement may not without a new version."""
        document = {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "requirements": [asdict(r) for r in self.requirements],
        }
        encoded = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

    def catalogue_fields(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "checksum": self.checksum,
        }


# --- Checking --------------------------------------------------------------------------------


def iso_control_problem(value: Any) -> str | None:
    """Why `value` is not an ISO/IEC 27002:2022 control number, or None if it is one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _(
            'write the control number in quotes, e.g. "%(value)s": unquoted, YAML reads it as '
            "a number (and 5.10 as 5.1)"
        ) % {"value": value}
    if not isinstance(value, str):
        return None  # the schema reports it
    clause, _dot, number = value.partition(".")
    if not (clause.isdigit() and number.isdigit()):
        return None  # the schema's pattern reports it
    top = ISO_27002_2022_CONTROLS.get(int(clause))
    if top is None or not 1 <= int(number) <= top:
        return _(
            "%(value)s is not a control of ISO/IEC 27002:2022 (5.1–5.37, 6.1–6.8, 7.1–7.14, "
            "8.1–8.34)"
        ) % {"value": value}
    return None


def _semantic_messages(data: dict[str, Any], lines: Lines) -> list[tuple[int, str]]:
    """What the schema cannot check; runs on whatever parts of the file are well formed."""
    messages: list[tuple[int, str]] = []

    def report(path: NodePath, text: str) -> None:
        messages.append(located(lines.line(path), path, text))

    for line, duplicate in lines.duplicates:
        messages.append(located(line, duplicate, _("this field is given twice")))
    if isinstance(data.get("version"), float):
        report(("version",), _('write the version in quotes, e.g. "2026.1"'))

    codes: dict[str, int] = {}
    for index, item in enumerate(dicts(data.get("requirements"))):
        code = item.get("code")
        if isinstance(code, str):
            path: NodePath = ("requirements", index, "code")
            if code in codes:
                report(
                    path,
                    _("requirement %(code)s appears twice (first on line %(line)s)")
                    % {"code": code, "line": codes[code]},
                )
            else:
                codes[code] = lines.line(path)
        if "iso_control" in item and (problem := iso_control_problem(item["iso_control"])):
            report(("requirements", index, "iso_control"), problem)
    return messages


def _build(data: dict[str, Any], *, source: str) -> Catalogue:
    requirements = tuple(
        CatalogueRequirement(
            code=item["code"],
            category=item["category"],
            aspect=item["aspect"],
            level=item["level"],
            iso_control=str(item.get("iso_control") or ""),
            text=" ".join(item["text"].split()),
            text_en=" ".join((item.get("text_en") or "").split()),
            personal_data=bool(item.get("personal_data", False)),
        )
        for item in data["requirements"]
    )
    return Catalogue(
        key=data["key"],
        version=str(data["version"]),
        title=data["title"].strip(),
        title_en=(data.get("title_en") or "").strip(),
        requirements=requirements,
        source=source,
    )


def parse_catalogue(content: bytes | str, *, source: str = "") -> Catalogue:
    """Check a catalogue file's content and return it as a `Catalogue`; nothing is written.

    Raises CatalogueError with every problem found, each naming its line, in the file's order.
    """
    try:
        data, lines = compose(decode(content))
    except DataFileError as error:
        raise CatalogueError(error.messages, source=source) from None
    messages: list[tuple[int, str]] = []
    for schema_error in _validator.iter_errors(data):
        messages.extend(schema_error_messages(schema_error, lines))
    if isinstance(data, dict):
        messages += _semantic_messages(data, lines)
    if messages:
        messages.sort(key=lambda item: item[0])  # stable: the same line keeps the order found
        raise CatalogueError([text for _line, text in messages], source=source)
    return _build(data, source=source)


def read_catalogue(path_or_text: str | bytes | os.PathLike[str]) -> Catalogue:
    """Parse a catalogue from a path (a `Path`, or a one-line string) or from the file's content
    (bytes, or a string of several lines)."""
    if isinstance(path_or_text, bytes) or (isinstance(path_or_text, str) and "\n" in path_or_text):
        return parse_catalogue(path_or_text)
    path = Path(path_or_text)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CatalogueError(
            [_("the file cannot be read: %(reason)s") % {"reason": error.strerror or error}],
            source=str(path),
        ) from None
    return parse_catalogue(content, source=path.name)


def shipped_catalogues() -> list[Path]:
    """The catalogue files shipped with Stadga, in name order."""
    return sorted(LIBRARY_DIR.glob("*.yaml"))
