"""Writes and comparisons of policy libraries: load a version, adopt it, compare two (P3.1).

A loaded version's text is never changed: a different text under the same key and version is
refused, and a changed text must be given a new version. How Stadga measures the clauses (their
rules, whether a person attests, why nothing measures them) is Stadga's reading of the text, not
the text, and loading the same text again brings it up to date. A municipality adopts a version by
the council's decision; a newer version is loaded next to the old one and the two are compared
clause by clause.
"""

from __future__ import annotations

import datetime
import difflib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stadga.core.services import governed_write, object_create
from stadga.organisation.models import Municipality

from .library import CLAUSE_BINDING_FIELDS, Library, LibraryClause, LibraryError, text_checksum
from .models import Clause, Policy, PolicyAdoption

logger = logging.getLogger(__name__)

# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    policy: Policy
    created: bool  # False: this text was already loaded
    # Clauses of an already loaded version whose rule bindings, attestation or unmeasured note
    # the file changed (Stadga's reading of the text; the text itself never changes).
    updated_clauses: tuple[str, ...] = ()


def policy_load(*, library: Library, actor: Any) -> LoadResult:
    """Store a checked library (`stadga.policy.library.parse_library`) as a policy version.

    Loading a version that is already loaded writes nothing when nothing changed. The same key
    and version with another text raises LibraryError: a version adopted by a council means that
    text, so a changed text must be given a new version. The same text with other rule bindings,
    attestations or unmeasured notes (`CLAUSE_BINDING_FIELDS`) updates those clauses in place:
    they are how this Stadga measures the text, and every municipality that adopted the version
    is measured the new way from then on.
    """
    with governed_write(actor):
        existing = Policy.objects.filter(key=library.key, version=library.version).first()
        if existing is not None:
            return _reload(existing, library)
        return LoadResult(policy=_create(library, actor), created=True)


def _reload(policy: Policy, library: Library) -> LoadResult:
    stored = list(policy.clauses.order_by("order"))
    # The stored text itself is compared, not the stored checksum: a version loaded before the
    # checksum covered the text alone holds the file's checksum, brought up to date below.
    if text_checksum(policy, stored) != library.checksum:
        raise LibraryError(
            [
                _(
                    "%(key)s version %(version)s is already loaded with a different text: a "
                    "loaded version is never changed; give the new text a new version."
                )
                % {"key": library.key, "version": library.version}
            ],
            source=library.source,
        )
    updated = [
        clause
        for clause, item in zip(stored, library.clauses, strict=True)
        if _rebind(clause, item)
    ]
    if updated:
        _check(updated, library)
        Clause.objects.bulk_update(updated, list(CLAUSE_BINDING_FIELDS))
        logger.info(
            "%s version %s: updated the rule bindings of %s clauses (%s).",
            policy.key,
            policy.version,
            len(updated),
            ", ".join(c.clause_id for c in updated),
        )
    if policy.checksum != library.checksum:
        policy.checksum = library.checksum
        policy.save(update_fields=["checksum", "updated_at"])
    return LoadResult(
        policy=policy, created=False, updated_clauses=tuple(c.clause_id for c in updated)
    )


def _rebind(clause: Clause, item: LibraryClause) -> bool:
    """Give a stored clause the file's bindings; True if any of them changed."""
    changed = False
    for name in CLAUSE_BINDING_FIELDS:
        wanted = list(item.rule_ids) if name == "rule_ids" else getattr(item, name)
        if getattr(clause, name) != wanted:
            setattr(clause, name, wanted)
            changed = True
    return changed


def _check(clauses: list[Clause], library: Library) -> None:
    for clause in clauses:
        # The file's check already made clause IDs unique; asking the database again for
        # each clause would cost a query per clause.
        try:
            clause.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise LibraryError(
                [f"{clause.clause_id}: {message}" for message in error.messages],
                source=library.source,
            ) from None


def _create(library: Library, actor: Any) -> Policy:
    policy = object_create(model=Policy, data=library.policy_fields(), actor=actor)
    clauses = [
        Clause(
            policy=policy,
            order=order,
            clause_id=item.clause_id,
            section=item.section,
            section_title=item.section_title,
            section_title_en=item.section_title_en,
            text=item.text,
            text_en=item.text_en,
            responsible_role=item.responsible_role,
            rule_ids=list(item.rule_ids),
            attestation_required=item.attestation_required,
            unmeasured_note=item.unmeasured_note,
            unmeasured_note_en=item.unmeasured_note_en,
        )
        for order, item in enumerate(library.clauses, start=1)
    ]
    _check(clauses, library)
    Clause.objects.bulk_create(clauses)
    return policy


# --- Adoption --------------------------------------------------------------------------------


def policy_adopt(
    *,
    municipality: Municipality,
    policy: Policy,
    adopted_on: datetime.date,
    decision_reference: str = "",
    actor: Any,
) -> PolicyAdoption:
    """Record the council's decision to adopt a policy version; the latest adoption is the one
    the municipality's compliance is measured against (P3.1)."""
    errors: dict[str, Any] = {}
    if adopted_on < policy.adopted_on:
        errors["adopted_on"] = _(
            "A policy cannot be adopted before its text was adopted (%(date)s)."
        ) % {"date": date_format(policy.adopted_on, "Y-m-d")}
    with governed_write(actor):
        if PolicyAdoption.objects.filter(
            municipality=municipality, policy=policy, archived_at__isnull=True
        ).exists():
            errors["policy"] = _("%(municipality)s has already adopted %(policy)s.") % {
                "municipality": municipality,
                "policy": policy,
            }
        if errors:
            raise ValidationError(errors)
        return object_create(
            model=PolicyAdoption,
            data={
                "policy": policy,
                "adopted_on": adopted_on,
                "decision_reference": decision_reference.strip(),
            },
            actor=actor,
            municipality=municipality,
        )


# --- Comparison ------------------------------------------------------------------------------


class DiffStatus(models.TextChoices):
    ADDED = "added", gettext_lazy("Added")
    REMOVED = "removed", gettext_lazy("Removed")
    CHANGED = "changed", pgettext_lazy("a clause compared between versions", "Changed")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")


# What makes a clause changed, in the order a reader cares about.
COMPARED_FIELDS = (
    "text",
    "responsible_role",
    "rule_ids",
    "attestation_required",
    "section",
    "section_title",
    "text_en",
    "section_title_en",
    "unmeasured_note",
    "unmeasured_note_en",
)

_WORDS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class ClauseDiff:
    """One clause of two versions side by side."""

    clause_id: str
    status: str
    old: Clause | None
    new: Clause | None
    changed: tuple[str, ...] = ()  # names of COMPARED_FIELDS that differ

    @property
    def status_label(self) -> str:
        return str(DiffStatus(self.status).label)

    @property
    def changed_labels(self) -> list[str]:
        fields = {f.name: f for f in Clause._meta.fields}
        return [str(fields[name].verbose_name) for name in self.changed]

    @property
    def text_changed(self) -> bool:
        return "text" in self.changed

    def text_diff(self) -> list[tuple[str, str]]:
        """The Swedish text word by word: ("equal" | "delete" | "insert", words)."""
        old = _WORDS.split(self.old.text) if self.old else []
        new = _WORDS.split(self.new.text) if self.new else []
        parts: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("equal", "delete", "replace"):
                parts.append(("equal" if op == "equal" else "delete", "".join(old[i1:i2])))
            if op in ("insert", "replace"):
                parts.append(("insert", "".join(new[j1:j2])))
        return [part for part in parts if part[1]]


def policy_compare(old: Policy, new: Policy) -> list[ClauseDiff]:
    """Every clause of both versions, matched by clause ID, in the new version's order with
    removed clauses where they stood in the old one. Two queries."""
    old_clauses = list(old.clauses.all())
    new_clauses = list(new.clauses.all())
    return list(_merge(old_clauses, new_clauses))


def _merge(old_clauses: list[Clause], new_clauses: list[Clause]) -> Iterator[ClauseDiff]:
    old_position = {c.clause_id: index for index, c in enumerate(old_clauses)}
    new_ids = {c.clause_id for c in new_clauses}
    next_old = 0  # old clauses before this one have been placed

    def removed_until(stop: int) -> Iterator[ClauseDiff]:
        for clause in old_clauses[next_old:stop]:
            if clause.clause_id not in new_ids:
                yield ClauseDiff(clause.clause_id, DiffStatus.REMOVED, old=clause, new=None)

    for clause in new_clauses:
        position = old_position.get(clause.clause_id)
        if position is None:
            yield ClauseDiff(clause.clause_id, DiffStatus.ADDED, old=None, new=clause)
            continue
        if position >= next_old:
            yield from removed_until(position)
            next_old = position + 1
        before = old_clauses[position]
        changed = tuple(
            name for name in COMPARED_FIELDS if getattr(before, name) != getattr(clause, name)
        )
        status = DiffStatus.CHANGED if changed else DiffStatus.UNCHANGED
        yield ClauseDiff(clause.clause_id, status, old=before, new=clause, changed=changed)
    yield from removed_until(len(old_clauses))


def diff_counts(diffs: list[ClauseDiff]) -> dict[str, int]:
    """How many clauses were added, removed, changed and left unchanged."""
    counts = {status.value: 0 for status in DiffStatus}
    for diff in diffs:
        counts[diff.status] += 1
    return counts
