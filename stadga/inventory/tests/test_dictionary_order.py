"""The dictionary's fast path (exact texts found by a lookup, only the regular expressions before
the exact hit tried) decides every title as trying each rule in order would: first match wins
(P5.5), whatever mix of exact texts, regular expressions, fields and duplicates the rules have."""

from __future__ import annotations

import re

import hypothesis
from hypothesis import strategies as st

from stadga.inventory.choices import RuleAction, RuleField, RuleMatch
from stadga.inventory.dictionary import compile_ordered, compile_rules
from stadga.inventory.models import NormalisationRule

# A small alphabet so that rules and titles collide often: the same exact text twice, an
# expression and an exact text that both match, case and spaces that fold away.
_WORDS = ["office", "Office", " office ", "OFFICE 365", "firefox", "Firefox ESR", "", "1.0", "2"]
_REGEXES = ["office", "^office$", "365", "^fire", "esr$", r"\d", "^$", "o"]
_FIELDS = [RuleField.NAME, RuleField.PUBLISHER, RuleField.VERSION]

_rule = st.tuples(
    st.sampled_from(_FIELDS),
    st.one_of(
        st.tuples(st.just(RuleMatch.EXACT), st.sampled_from(_WORDS)),
        st.tuples(st.just(RuleMatch.REGEX), st.sampled_from(_REGEXES)),
    ),
)
_title = st.tuples(*(st.sampled_from(_WORDS) for _ in range(3)))


def _rules(specs: list[tuple[str, tuple[str, str]]]) -> list[NormalisationRule]:
    return [
        NormalisationRule(
            position=position,
            field=field,
            match=match,
            pattern=pattern,
            action=RuleAction.IGNORE,
        )
        for position, (field, (match, pattern)) in enumerate(specs, start=1)
    ]


def _naive(rules: list[NormalisationRule], title: tuple[str, str, str]) -> NormalisationRule | None:
    """Every rule in turn, the first that matches: the dictionary's documented semantics."""
    values = dict(zip(_FIELDS, title, strict=True))
    for rule in rules:
        value = values[RuleField(rule.field)].strip().casefold()
        if rule.match == RuleMatch.REGEX:
            if re.compile(rule.pattern, re.IGNORECASE).search(value):
                return rule
        elif rule.pattern.strip().casefold() == value:
            return rule
    return None


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(specs=st.lists(_rule, max_size=12), titles=st.lists(_title, max_size=8))
def test_fast_match_is_first_match_in_order(specs, titles):
    rules = _rules(specs)
    dictionary = compile_rules(rules)
    assert len(dictionary) == len(rules)
    for title in titles:
        found = dictionary.match(*title)
        assert (found.rule if found else None) is _naive(rules, title)


def test_an_expression_before_an_exact_text_wins_and_one_after_it_does_not():
    exact, before, after = _rules(
        [
            (RuleField.NAME, (RuleMatch.EXACT, "Office")),
            (RuleField.NAME, (RuleMatch.REGEX, "off")),
            (RuleField.NAME, (RuleMatch.REGEX, "^o")),
        ]
    )
    # Listed as ordered (as `place_rule` gives them): the list's order decides, not position.
    assert compile_ordered([before, exact, after]).match(" OFFICE ", "", "").rule is before
    assert compile_ordered([exact, before, after]).match(" OFFICE ", "", "").rule is exact
    assert compile_ordered([exact, before, after]).match("word", "", "") is None
    assert compile_ordered([exact, before, after]).match("ooo", "", "").rule is after
