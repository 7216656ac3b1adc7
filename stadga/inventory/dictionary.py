"""The software dictionary's engine: a municipality's normalisation rules applied to its software
titles.

- Rules are tried in order of `position`, and the **first rule that matches decides** the title,
  whatever its action: a rename does not go on to a later map rule, an ignore rule placed first
  hides a title from every later rule. Order is the one thing a reader has to know.
- **Exact** compares the whole value, trimmed, ignoring case (`casefold`). A **regular
  expression** is Python's `re`, ignoring case, with `search` semantics: it matches anywhere in
  the value unless it is anchored (`^…$`). "Office" then catches "Microsoft Office 365" without
  the `.*` people forget, and anchoring stays available.
- Results are stored on `SoftwareTitle` (rule, product, product version, ignored, display name)
  and matched once per distinct title, not once per installation. They are derived data:
  `dictionary_apply` recomputes them whenever the rules change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from stadga.organisation.models import Municipality

from .choices import RuleAction, RuleField, RuleMatch
from .models import NormalisationRule, SoftwareTitle

# Titles read and written per batch: one SELECT, and one UPDATE per distinct changed result.
BATCH_SIZE = 2000

# What the dictionary stores on a title: rule id, product id, product version id, ignored,
# display name.
Result = tuple[int | None, int | None, int | None, bool, str]
NO_RESULT: Result = (None, None, None, False, "")
_RESULT_FIELDS = ("rule_id", "product_id", "product_version_id", "ignored", "display_name")


@dataclass(frozen=True)
class Match:
    """What a rule made of a title."""

    rule: NormalisationRule
    action: str
    product_id: int | None
    product_version_id: int | None
    display_name: str

    @property
    def ignored(self) -> bool:
        return self.action == RuleAction.IGNORE

    def result(self) -> Result:
        return (
            self.rule.pk,
            self.product_id,
            self.product_version_id,
            self.ignored,
            self.display_name,
        )


_FIELD_INDEX = {RuleField.NAME: 0, RuleField.PUBLISHER: 1, RuleField.VERSION: 2}

# One compiled rule: the index of the field it reads (0 name, 1 publisher, 2 version), its exact
# text trimmed and case-folded or, for a regular expression, None and its test; what it makes of
# a title.
Entry = tuple[int, str | None, Callable[[str], bool] | None, Match]


class Dictionary:
    """Compiled rules, in order: build it once with `compile_rules`, match any number of titles.

    Most rules are exact texts, so they are not tried one by one: for each field a dict maps an
    exact text to the first exact rule (in order) with it, found by one lookup. The regular
    expressions are still tried in order, but only those placed before that exact rule; the first
    of them to match wins, else the exact rule does. That is the same rule as trying every rule
    in turn (first match wins, P5.5), at a cost that depends on the number of regular expressions
    only.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._count = len(entries)
        self._exact: tuple[dict[str, tuple[int, Match]], ...] = ({}, {}, {})
        # (order, field index, test, result), in order.
        self._regexes: list[tuple[int, int, Callable[[str], bool], Match]] = []
        for order, (index, exact, test, result) in enumerate(entries):
            if exact is not None:
                self._exact[index].setdefault(exact, (order, result))
            else:
                assert test is not None
                self._regexes.append((order, index, test, result))
        self._exact_fields = tuple(index for index in range(3) if self._exact[index])
        used = set(self._exact_fields) | {index for _, index, _, _ in self._regexes}
        self._used_fields = tuple(sorted(used))

    def __len__(self) -> int:
        return self._count

    def match(self, name: str, publisher: str, version: str) -> Match | None:
        """The first rule that matches the title, or None."""
        values = (name, publisher, version)
        folded = ["", "", ""]
        for index in self._used_fields:
            folded[index] = values[index].strip().casefold()
        first, found = self._count, None
        for index in self._exact_fields:
            hit = self._exact[index].get(folded[index])
            if hit is not None and hit[0] < first:
                first, found = hit
        for order, index, test, result in self._regexes:
            if order > first:
                break  # the exact rule found comes before every remaining expression
            if test(folded[index]):
                return result
        return found


def _entry(rule: NormalisationRule) -> Entry:
    """The rule compiled: its test reads the trimmed, case-folded value."""
    index = _FIELD_INDEX[RuleField(rule.field)]
    if rule.match == RuleMatch.REGEX:
        search = rule.compiled().search  # type: ignore[union-attr]
        return (index, None, lambda value: search(value) is not None, _outcome(rule))
    return (index, rule.pattern.strip().casefold(), None, _outcome(rule))


def _outcome(rule: NormalisationRule) -> Match:
    if rule.action == RuleAction.MAP:
        display = rule.product.name if rule.product is not None else ""
        return Match(rule, rule.action, rule.product_id, rule.product_version_id, display)
    if rule.action == RuleAction.RENAME:
        return Match(rule, rule.action, None, None, rule.new_name.strip())
    return Match(rule, rule.action, None, None, "")


def compile_rules(rules: Iterable[NormalisationRule]) -> Dictionary:
    """Compile `rules` (saved or not) once, in order of position. Map rules should come with
    their product loaded (`select_related("product")`) so matching never queries. A rule with an
    invalid regular expression raises `re.error`; `full_clean()` reports it before a save."""
    return compile_ordered(sorted(rules, key=lambda rule: rule.position))


def compile_ordered(rules: Iterable[NormalisationRule]) -> Dictionary:
    """As `compile_rules`, for rules already in the order they are to be tried (a draft placed
    among them by `place_rule`, whose position may equal another's)."""
    return Dictionary([_entry(rule) for rule in rules])


def place_rule(
    rules: Iterable[NormalisationRule], draft: NormalisationRule
) -> list[NormalisationRule]:
    """The order `rules` (those in force) would take with `draft` saved at `draft.position`:
    the rule it edits (same primary key) taken out and the draft put before the rule holding
    that position, or after it when the draft is an existing rule moving down. A position no
    rule holds puts the draft between its neighbours by number. The dictionary's pages and
    `services_rules.normalisation_rule_save` place a rule the same way."""
    ordered = sorted(rules, key=lambda rule: rule.position)
    old = next(
        (rule.position for rule in ordered if draft.pk is not None and rule.pk == draft.pk), None
    )
    moving_down = old is not None and draft.position > old
    others = [rule for rule in ordered if draft.pk is None or rule.pk != draft.pk]
    index = next(
        (
            i
            for i, rule in enumerate(others)
            if rule.position > draft.position
            or (rule.position == draft.position and not moving_down)
        ),
        len(others),
    )
    return [*others[:index], draft, *others[index:]]


def active_rules(municipality: Municipality | int) -> QuerySet[NormalisationRule]:
    """The municipality's rules in force (not archived), in order, with what matching reads."""
    return (
        NormalisationRule.objects.filter(municipality=municipality, archived_at__isnull=True)
        .select_related("product")
        .order_by("position")
    )


def try_rules(
    rules: Iterable[NormalisationRule], titles: Iterable[SoftwareTitle]
) -> list[tuple[SoftwareTitle, Match | None]]:
    """What `rules` (typically unsaved, e.g. the current ones plus a draft) would make of a
    sample of titles. Writes nothing."""
    dictionary = compile_rules(rules)
    return [
        (title, dictionary.match(title.name, title.publisher, title.version)) for title in titles
    ]


# --- trying a draft rule -------------------------------------------------------------------------

# A draft that is not saved yet has no id; its results are told apart from "no rule" by this one.
DRAFT_ID = -1


@dataclass(frozen=True)
class TitleChange:
    """A title whose stored result a draft would change: what is stored, what would be."""

    title_id: int
    name: str
    publisher: str
    version: str
    before: Result
    after: Match | None


@dataclass(frozen=True)
class TitleMatch:
    """A title the draft's pattern matches, and the rule that would decide it (an earlier rule
    may come first)."""

    title_id: int
    name: str
    publisher: str
    version: str
    decided_by: Match | None
    decided_by_draft: bool


@dataclass(frozen=True)
class Trial:
    """What a draft rule would do to the municipality's titles if it were saved."""

    changes: list[TitleChange]
    changed: int
    matches: list[TitleMatch]
    matched: int
    titles: int


def _result(match: Match | None, draft: NormalisationRule) -> Result:
    if match is None:
        return NO_RESULT
    result = match.result()
    if match.rule is draft and draft.pk is None:
        return (DRAFT_ID, *result[1:])  # type: ignore[return-value]
    return result


def dictionary_try(
    *,
    municipality: Municipality,
    draft: NormalisationRule,
    changes_limit: int = 100,
    matches_limit: int = 25,
) -> Trial:
    """What saving `draft` (a new rule, or an edited copy of a saved one with its primary key)
    would do, writing nothing: the titles whose stored result would change, with before and
    after (the first `changes_limit` by name, and how many in all), and the titles the draft's
    own pattern matches (the first `matches_limit`, and how many). The draft is placed among
    the rules in force as `place_rule` says, as saving it would place it.

    The titles are read once, as plain values in chunks (a municipality has some tens of
    thousands), never as model instances."""
    rules = active_rules(municipality).select_related("product_version")
    placed = compile_ordered(place_rule(rules, draft))
    alone = compile_ordered([draft])
    rows = (
        SoftwareTitle.objects.filter(municipality=municipality)
        .order_by("name", "publisher", "version", "pk")
        .values_list("pk", "name", "publisher", "version", *_RESULT_FIELDS)
    )
    changes: list[TitleChange] = []
    matches: list[TitleMatch] = []
    changed = matched = count = 0
    for pk, name, publisher, version, *stored in rows.iterator(chunk_size=BATCH_SIZE):
        count += 1
        after = placed.match(name, publisher, version)
        if _result(after, draft) != tuple(stored):
            changed += 1
            if len(changes) < changes_limit:
                changes.append(
                    TitleChange(pk, name, publisher, version, tuple(stored), after)  # type: ignore[arg-type]
                )
        if alone.match(name, publisher, version) is not None:
            matched += 1
            if len(matches) < matches_limit:
                matches.append(
                    TitleMatch(
                        pk,
                        name,
                        publisher,
                        version,
                        after,
                        after is not None and after.rule is draft,
                    )
                )
    return Trial(changes, changed, matches, matched, count)


# A title as `dictionary_apply` reads it: plain values (a model instance per title cost more than
# matching it): pk, name, publisher, version, then the stored result (`_RESULT_FIELDS`).
_TitleRow = tuple[Any, ...]


def dictionary_apply(
    *,
    municipality: Municipality,
    actor: Any = None,
    titles: QuerySet[SoftwareTitle] | Iterable[int] | None = None,
) -> int:
    """Recompute what the rules make of the municipality's titles (all, or only `titles`: a
    queryset or ids) and return how many changed.

    Titles are read in batches of `BATCH_SIZE` by primary key (keyset paging, so memory does not
    grow with the register and nothing is read from a table while it is being written, which
    SQLite does not isolate), as plain values. Only titles whose result changed are written,
    grouped by result: one UPDATE per distinct new result in a batch, so the number of queries
    depends on the rules, not on the number of titles. Titles are derived data and not in the
    change log; `actor` is accepted for the services' symmetry.
    """
    dictionary = compile_rules(active_rules(municipality))
    base = SoftwareTitle.objects.filter(municipality=municipality)
    changed = 0
    with transaction.atomic():
        for batch in _batches(base, titles):
            changed += _apply_batch(dictionary, batch)
    return changed


def _batches(
    base: QuerySet[SoftwareTitle], titles: QuerySet[SoftwareTitle] | Iterable[int] | None
) -> Iterable[list[_TitleRow]]:
    rows = base.values_list("pk", "name", "publisher", "version", *_RESULT_FIELDS).order_by("pk")
    if titles is None:
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last)[:BATCH_SIZE])
            if not batch:
                return
            yield batch
            last = batch[-1][0]
    ids = sorted(
        set(titles.values_list("pk", flat=True) if isinstance(titles, QuerySet) else titles)
    )
    for start in range(0, len(ids), BATCH_SIZE):
        yield list(rows.filter(pk__in=ids[start : start + BATCH_SIZE]))


def _apply_batch(dictionary: Dictionary, batch: list[_TitleRow]) -> int:
    by_result: dict[Result, list[int]] = defaultdict(list)
    for pk, name, publisher, version, *stored in batch:
        match = dictionary.match(name, publisher, version)
        result = NO_RESULT if match is None else match.result()
        if result != tuple(stored):
            by_result[result].append(pk)
    for result, pks in by_result.items():
        SoftwareTitle.objects.filter(pk__in=pks).update(
            **dict(zip(_RESULT_FIELDS, result, strict=True))
        )
    return sum(len(pks) for pks in by_result.values())


__all__ = [
    "BATCH_SIZE",
    "DRAFT_ID",
    "Dictionary",
    "Match",
    "TitleChange",
    "TitleMatch",
    "Trial",
    "active_rules",
    "compile_ordered",
    "compile_rules",
    "dictionary_apply",
    "dictionary_try",
    "place_rule",
    "try_rules",
]
