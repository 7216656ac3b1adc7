"""The JSON schema of a policy library file (format 1), checked before anything is loaded.

The schema says what the shape is; `stadga.policy.library` adds what a schema cannot (unique clause
IDs, known sections and rules, real dates) and turns every error into a message with its line.

Lengths follow the model fields (`Policy`, `Clause`) so that a file the schema accepts also fits
the database: a too long title is reported with its line, not as a database error.
"""

from __future__ import annotations

from typing import Any

from stadga.organisation.choices import Role

FORMAT = 1

# Unquoted YAML dates stay text (the loader does not resolve timestamps); the loader checks that
# they are real dates.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

_text = {"type": "string", "minLength": 1}
# `section: 9` and `section: "9"` are the same section; numbers are read as text.
_number = {"type": ["string", "integer"], "pattern": r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$"}

LIBRARY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Stadga policy library",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format",
        "key",
        "version",
        "title",
        "issuing_body",
        "adopted_on",
        "language",
        "sections",
        "clauses",
    ],
    "properties": {
        "format": {"const": FORMAT},
        "key": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100},
        "version": {
            "type": ["string", "integer"],
            "pattern": r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
            "maxLength": 50,
        },
        "title": {**_text, "maxLength": 300},
        "title_en": {"type": "string", "maxLength": 300},
        "issuing_body": {**_text, "maxLength": 200},
        "adopted_on": {"type": "string", "pattern": DATE_PATTERN},
        "decision_reference": {"type": ["string", "null"], "maxLength": 200},
        "language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$", "maxLength": 10},
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "title"],
                "properties": {
                    "number": {**_number, "maxLength": 20},
                    "title": {**_text, "maxLength": 200},
                    "title_en": {"type": "string", "maxLength": 200},
                },
            },
        },
        "clauses": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "section", "text", "responsible_role"],
                "properties": {
                    "id": {**_number, "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$", "maxLength": 20},
                    "section": {**_number, "maxLength": 20},
                    "text": _text,
                    "text_en": {"type": "string"},
                    "responsible_role": {"enum": list(Role.values)},
                    "rules": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"type": "string", "minLength": 1},
                    },
                    "attestation_required": {"type": "boolean"},
                    "unmeasured_note": {"type": "string"},
                    "unmeasured_note_en": {"type": "string"},
                },
            },
        },
    },
}
