"""Policy libraries as data: read a YAML library file, check it, and load it (P3.1).

A library is one version of a policy: its metadata and its clauses, each with the Swedish text,
an English reading, the role that answers for it and the compliance rules that measure it. The
shipped libraries live in `stadga/policy/library/`; the format is described in
`stadga/policy/library_schema.py` and in the shipped Karlsborg file itself.

Checking happens in three steps, each reported with the line the problem is on:

1. YAML syntax (`yaml.compose`, which keeps where every node starts);
2. the JSON schema (shape, types, lengths, known roles);
3. what a schema cannot say: unique clause IDs and section numbers, sections that exist, rules that
   are registered, real dates, and a reason for every clause nothing measures.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from stadga.core.datafile import DataFileError, Lines, NodePath, compose, located
from stadga.core.datafile import decode as _decode
from stadga.core.datafile import dicts as _dicts
from stadga.core.datafile import schema_error_messages as _schema_error_messages

from .library_schema import LIBRARY_SCHEMA
from .models import Policy
from .registry import all_rules

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

_validator = Draft202012Validator(LIBRARY_SCHEMA)


class LibraryError(DataFileError):
    """A library file that cannot be loaded, with every problem found (each with its line)."""


@dataclass(frozen=True)
class LibraryClause:
    """One clause as the file states it, ready to be stored as a `Clause`."""

    clause_id: str
    section: str
    section_title: str
    section_title_en: str
    text: str
    text_en: str
    responsible_role: str
    rule_ids: tuple[str, ...]
    attestation_required: bool
    unmeasured_note: str
    unmeasured_note_en: str


@dataclass(frozen=True)
class Library:
    """A checked library file: the metadata of one policy version and its clauses in order."""

    key: str
    version: str
    title: str
    title_en: str
    issuing_body: str
    adopted_on: datetime.date
    decision_reference: str
    language: str
    clauses: tuple[LibraryClause, ...]
    checksum: str  # sha256 of the adopted text (`text_checksum`): a version is always one text
    source: str = ""  # the file name, shown with the loaded policy

    def policy_fields(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "issuing_body": self.issuing_body,
            "adopted_on": self.adopted_on,
            "decision_reference": self.decision_reference,
            "language": self.language,
            "source": self.source[:300],
            "checksum": self.checksum,
        }


# --- The adopted text and Stadga's reading of it --------------------------------------------------

# What the council adopted, clause by clause: a loaded version never changes these. The English
# text and the responsible role are Stadga's reading of the text, but a reader relies on them as
# much as on the Swedish words, so they are held to the same rule.
CLAUSE_TEXT_FIELDS = (
    "clause_id",
    "section",
    "section_title",
    "section_title_en",
    "text",
    "text_en",
    "responsible_role",
)
POLICY_TEXT_FIELDS = (
    "key",
    "version",
    "title",
    "title_en",
    "issuing_body",
    "adopted_on",
    "decision_reference",
    "language",
)
# How Stadga measures each clause: which rules, whether a person attests, and why nothing does.
# This is Stadga's interpretation, not the adopted text, and is updated in place for a loaded
# version when a newer Stadga measures more (e.g. the security rules of P9.1–P9.6).
CLAUSE_BINDING_FIELDS = (
    "rule_ids",
    "attestation_required",
    "unmeasured_note",
    "unmeasured_note_en",
)


def text_checksum(policy: Any, clauses: Iterable[Any]) -> str:
    """The SHA-256 of a version's adopted text: the policy's metadata and each clause's
    `CLAUSE_TEXT_FIELDS`, in order. Works on a `Library` and its `LibraryClause`s as on a stored
    `Policy` and its `Clause`s, so that a stored version can be compared with a file. Comments,
    layout and the rule bindings of the file do not count."""

    def value(obj: Any, name: str) -> Any:
        found = getattr(obj, name)
        return found.isoformat() if isinstance(found, datetime.date) else found

    document = {
        "policy": {name: value(policy, name) for name in POLICY_TEXT_FIELDS},
        "clauses": [{name: value(c, name) for name in CLAUSE_TEXT_FIELDS} for c in clauses],
    }
    encoded = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# --- Reading ---------------------------------------------------------------------------------


# --- Checking --------------------------------------------------------------------------------


def _schema_messages(data: Any, lines: Lines) -> list[tuple[int, str]]:
    messages = []
    for error in _validator.iter_errors(data):
        messages.extend(_schema_error_messages(error, lines))
    return messages


def _semantic_messages(data: dict[str, Any], lines: Lines) -> list[tuple[int, str]]:
    """What the schema cannot check. Runs on whatever parts of the file are well formed, so one
    run reports schema and semantic errors together."""
    messages: list[tuple[int, str]] = []

    def report(path: NodePath, text: str) -> None:
        messages.append(located(lines.line(path), path, text))

    for line, duplicate in lines.duplicates:
        messages.append(located(line, duplicate, _("this field is given twice")))

    adopted_on = data.get("adopted_on")
    if isinstance(adopted_on, str):
        try:
            datetime.date.fromisoformat(adopted_on)
        except ValueError:
            report(("adopted_on",), _("%(value)r is not a date") % {"value": adopted_on})

    sections: dict[str, int] = {}
    for index, item in enumerate(_dicts(data.get("sections"))):
        number = item.get("number")
        if not isinstance(number, str | int):
            continue
        number_path: NodePath = ("sections", index, "number")
        if str(number) in sections:
            report(
                number_path,
                _("section %(number)s appears twice (first on line %(line)s)")
                % {"number": number, "line": sections[str(number)]},
            )
        else:
            sections[str(number)] = lines.line(number_path)

    known_rules = set(all_rules())
    clause_ids: dict[str, int] = {}
    for index, clause in enumerate(_dicts(data.get("clauses"))):
        clause_id = clause.get("id")
        if isinstance(clause_id, str | int):
            id_path: NodePath = ("clauses", index, "id")
            if str(clause_id) in clause_ids:
                report(
                    id_path,
                    _("clause %(clause)s appears twice (first on line %(line)s)")
                    % {"clause": clause_id, "line": clause_ids[str(clause_id)]},
                )
            else:
                clause_ids[str(clause_id)] = lines.line(id_path)
        clause_section = clause.get("section")
        if (
            isinstance(clause_section, str | int)
            and sections
            and str(clause_section) not in sections
        ):
            report(
                ("clauses", index, "section"),
                _("there is no section %(number)s under sections") % {"number": clause_section},
            )
        rules = clause.get("rules") or []
        if isinstance(rules, list):
            for rule_index, rule_id in enumerate(rules):
                if isinstance(rule_id, str) and rule_id not in known_rules:
                    report(
                        ("clauses", index, "rules", rule_index),
                        _("there is no compliance rule %(rule)r") % {"rule": rule_id},
                    )
        # The live policy page must say plainly why a clause shows no status of its own.
        if (
            not rules
            and clause.get("attestation_required") is not True
            and not str(clause.get("unmeasured_note") or "").strip()
        ):
            report(
                ("clauses", index),
                _(
                    "no rule measures the clause and no attestation is required: say why in "
                    "unmeasured_note"
                ),
            )
    return messages


def _build(data: dict[str, Any], *, source: str) -> Library:
    sections = {
        str(s["number"]): (s["title"].strip(), (s.get("title_en") or "").strip())
        for s in data["sections"]
    }
    clauses = []
    for item in data["clauses"]:
        section = str(item["section"])
        title, title_en = sections[section]
        clauses.append(
            LibraryClause(
                clause_id=str(item["id"]),
                section=section,
                section_title=title,
                section_title_en=title_en,
                text=item["text"].strip(),
                text_en=(item.get("text_en") or "").strip(),
                responsible_role=item["responsible_role"],
                rule_ids=tuple(item.get("rules") or ()),
                attestation_required=bool(item.get("attestation_required", False)),
                unmeasured_note=(item.get("unmeasured_note") or "").strip(),
                unmeasured_note_en=(item.get("unmeasured_note_en") or "").strip(),
            )
        )
    library = Library(
        key=data["key"],
        version=str(data["version"]),
        title=data["title"].strip(),
        title_en=(data.get("title_en") or "").strip(),
        issuing_body=data["issuing_body"].strip(),
        adopted_on=datetime.date.fromisoformat(data["adopted_on"]),
        decision_reference=(data.get("decision_reference") or "").strip(),
        language=data["language"],
        clauses=tuple(clauses),
        checksum="",
        source=source,
    )
    return dataclasses.replace(library, checksum=text_checksum(library, library.clauses))


def parse_library(content: bytes | str, *, source: str = "") -> Library:
    """Check a library file's content and return it as a `Library`; nothing is written.

    Raises LibraryError with every problem found, each naming its line, in the file's order.
    Rule IDs are checked against the rules registered when the apps were loaded.
    """
    try:
        text = _decode(content)
        data, lines = compose(text)
    except DataFileError as error:
        raise LibraryError(error.messages, source=source) from None
    messages = _schema_messages(data, lines)
    if isinstance(data, dict):
        messages += _semantic_messages(data, lines)
    if messages:
        messages.sort(key=lambda item: item[0])  # stable: same line keeps the order found
        raise LibraryError([text for _line, text in messages], source=source)
    return _build(data, source=source)


def read_library(path_or_text: str | bytes | os.PathLike[str]) -> Library:
    """Parse a library from a path (a `Path`, or a one-line string) or from the file's content
    (bytes, or a string of several lines)."""
    if isinstance(path_or_text, bytes):
        return parse_library(path_or_text)
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return parse_library(path_or_text)
    path = Path(path_or_text)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise LibraryError(
            [_("the file cannot be read: %(reason)s") % {"reason": error.strerror or error}],
            source=str(path),
        ) from None
    return parse_library(content, source=path.name)


def load_library(path_or_text: str | bytes | os.PathLike[str], *, actor: Any = None) -> Policy:
    """Check and load a library file; loading the same version again changes at most how its
    clauses are measured (see `policy_load`).

    Raises LibraryError when the file is wrong, or when the same key and version is already
    loaded with a different text.
    """
    from .services_library import policy_load  # the service module imports this one

    return policy_load(library=read_library(path_or_text), actor=actor).policy


def shipped_libraries() -> list[Path]:
    """The library files shipped with Stadga, in name order."""
    return sorted(LIBRARY_DIR.glob("*.yaml"))
