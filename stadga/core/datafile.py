"""Data files in YAML (policy libraries, requirement catalogues): read them keeping the line of
every value, and report each problem with its line, so the person who edits the file can find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema.exceptions import ValidationError as SchemaError

NodePath = tuple[str | int, ...]


class DataFileError(Exception):
    """A data file that cannot be loaded, with every problem found (each with its line)."""

    def __init__(self, messages: Sequence[str], *, source: str = "") -> None:
        self.messages = list(messages)
        self.source = source
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + message for message in self.messages)


class DateTextLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: the schema checks them as strings, and an unquoted
    `version: 2006-09-25` stays the version it reads as."""


DateTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Lines:
    """Where each value (and each mapping key) of the document starts, by its path."""

    values: dict[NodePath, int] = field(default_factory=dict)
    keys: dict[NodePath, int] = field(default_factory=dict)
    duplicates: list[tuple[int, NodePath]] = field(default_factory=list)

    def walk(self, node: yaml.Node, path: NodePath = ()) -> None:
        self.values[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                child = (*path, key)
                if key in seen:
                    self.duplicates.append((key_node.start_mark.line + 1, child))
                    continue  # the first occurrence keeps its line
                seen.add(key)
                self.keys[child] = key_node.start_mark.line + 1
                self.walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))

    def line(self, path: Iterable[str | int]) -> int:
        """The line of the value at `path`, or of its nearest ancestor the file has."""
        steps = tuple(path)
        while steps not in self.values and steps:
            steps = steps[:-1]
        return self.values.get(steps, 1)


def format_path(path: Iterable[str | int]) -> str:
    """`("clauses", 3, "responsible_role")` → `clauses[3].responsible_role`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def located(line: int, path: Iterable[str | int], text: str) -> tuple[int, str]:
    where = format_path(path)
    if where:
        return line, _("line %(line)s, %(path)s: %(message)s") % {
            "line": line,
            "path": where,
            "message": text,
        }
    return line, _("line %(line)s: %(message)s") % {"line": line, "message": text}


def decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(
            [_("the file is not UTF-8 text (byte %(at)s)") % {"at": error.start}]
        ) from None


def compose(text: str) -> tuple[Any, Lines]:
    """The document as Python data and the line of every value; syntax errors with their line."""
    loader = DateTextLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataFileError([_("line 1: the file is empty")])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DataFileError(
            [
                _("line %(line)s: YAML syntax error: %(problem)s")
                % {"line": line, "problem": problem}
            ]
        ) from None
    except yaml.YAMLError as error:
        raise DataFileError([_("YAML syntax error: %(problem)s") % {"problem": error}]) from None
    finally:
        loader.dispose()
    lines = Lines()
    lines.walk(node)
    return data, lines


def schema_error_messages(error: SchemaError, lines: Lines) -> list[tuple[int, str]]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        # Point at the unknown key itself, not at the start of the mapping that holds it.
        known = set(error.schema.get("properties", {}))
        return [
            located(
                lines.keys.get((*path, key), lines.line(path)),
                (*path, key),
                _("unknown field (a typing error?)"),
            )
            for key in error.instance
            if key not in known
        ]
    return [located(lines.line(path), path, error.message)]


def dicts(value: Any) -> Iterable[dict[str, Any]]:
    """The mappings of a list that may be malformed (the schema reports the rest)."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]
