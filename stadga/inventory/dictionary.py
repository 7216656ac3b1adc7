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


class Dictionary:
    """Compiled rules, in order: build it once with `compile_rules`, match any number of titles."""

    def __init__(self, entries: Sequence[tuple[int, Callable[[str], bool], Match]]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, name: str, publisher: str, version: str) -> Match | None:
        """The first rule that matches the title, or None."""
        values = (name, publisher, version)
        folded: list[str | None] = [None, None, None]
        for index, test, result in self._entries:
            value = folded[index]
            if value is None:
                value = folded[index] = values[index].strip().casefold()
            if test(value):
                return result
        return None


def _matcher(rule: NormalisationRule) -> Callable[[str], bool]:
    """A test on the trimmed, case-folded value."""
    if rule.match == RuleMatch.REGEX:
        search = rule.compiled().search  # type: ignore[union-attr]
        return lambda value: search(value) is not None
    expected = rule.pattern.strip().casefold()
    return expected.__eq__


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
    ordered = sorted(rules, key=lambda rule: rule.position)
    return Dictionary(
        [(_FIELD_INDEX[RuleField(rule.field)], _matcher(rule), _outcome(rule)) for rule in ordered]
    )


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


def _stored(title: SoftwareTitle) -> Result:
    return (
        title.rule_id,
        title.product_id,
        title.product_version_id,
        title.ignored,
        title.display_name,
    )


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
    SQLite does not isolate). Only titles whose result changed are written, grouped by result:
    one UPDATE per distinct new result in a batch, so the number of queries depends on the rules,
    not on the number of titles. Titles are derived data and not in the change log; `actor` is
    accepted for the services' symmetry.
    """
    dictionary = compile_rules(active_rules(municipality))
    base = SoftwareTitle.objects.filter(municipality=municipality).only(
        "pk", "name", "publisher", "version", *_RESULT_FIELDS
    )
    changed = 0
    with transaction.atomic():
        for batch in _batches(base, titles):
            changed += _apply_batch(dictionary, batch)
    return changed


def _batches(
    base: QuerySet[SoftwareTitle], titles: QuerySet[SoftwareTitle] | Iterable[int] | None
) -> Iterable[list[SoftwareTitle]]:
    if titles is None:
        last = 0
        while True:
            batch = list(base.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE])
            if not batch:
                return
            yield batch
            last = batch[-1].pk
    ids = sorted(
        set(titles.values_list("pk", flat=True) if isinstance(titles, QuerySet) else titles)
    )
    for start in range(0, len(ids), BATCH_SIZE):
        yield list(base.filter(pk__in=ids[start : start + BATCH_SIZE]).order_by("pk"))


def _apply_batch(dictionary: Dictionary, batch: list[SoftwareTitle]) -> int:
    by_result: dict[Result, list[int]] = defaultdict(list)
    for title in batch:
        match = dictionary.match(title.name, title.publisher, title.version)
        result = NO_RESULT if match is None else match.result()
        if result != _stored(title):
            by_result[result].append(title.pk)
    for result, pks in by_result.items():
        SoftwareTitle.objects.filter(pk__in=pks).update(
            **dict(zip(_RESULT_FIELDS, result, strict=True))
        )
    return sum(len(pks) for pks in by_result.values())


__all__ = [
    "BATCH_SIZE",
    "Dictionary",
    "Match",
    "active_rules",
    "compile_rules",
    "dictionary_apply",
    "try_rules",
]
