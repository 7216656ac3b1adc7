"""Compliance rules: code, registered under a stable ID in the `rules.py` of the app whose data
it reads, citing the clauses it checks.

    from stadga.policy.registry import RuleResult, rule

    @rule("systems.owner_named", clauses=["P9.3"], title=_("Every system in production has a
          named system owner"))
    def owner_named(ctx: RuleContext) -> RuleResult:
        ...

A rule runs a fixed number of queries, whatever the number of rows, and returns a status, a figure
(e.g. 37 of 40 systems) and the offending objects with links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from .choices import Status

# How many offenders a result lists; the figure still counts them all.
OFFENDER_LIMIT = 50


@dataclass(frozen=True)
class Offender:
    """An object that breaks a rule, with where to see it."""

    label: str
    url: str
    reason: str = ""

    @classmethod
    def of(cls, obj: Model, reason: str = "") -> Offender:
        return cls(label=str(obj), url=obj.get_absolute_url(), reason=reason)  # type: ignore[attr-defined]


@dataclass
class RuleResult:
    status: str
    numerator: int | None = None  # e.g. systems that keep the rule
    denominator: int | None = None  # e.g. systems the rule applies to
    summary: str = ""  # the figure in words
    offenders: list[Offender] = field(default_factory=list)
    offender_count: int = 0

    @classmethod
    def from_counts(
        cls,
        *,
        kept: int,
        total: int,
        summary: str,
        offenders: Iterable[Offender] = (),
        offender_count: int | None = None,
    ) -> RuleResult:
        """Met when all keep it, not met when none does, partly met in between; not applicable
        when the rule applies to nothing."""
        if total == 0:
            status = Status.NOT_APPLICABLE
        elif kept == total:
            status = Status.MET
        elif kept == 0:
            status = Status.NOT_MET
        else:
            status = Status.PARTLY_MET
        listed = list(offenders)[:OFFENDER_LIMIT]
        return cls(
            status=status,
            numerator=kept,
            denominator=total,
            summary=summary,
            offenders=listed,
            offender_count=total - kept if offender_count is None else offender_count,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "summary": str(self.summary),
            "offender_count": self.offender_count,
            "offenders": [
                {"label": o.label, "url": o.url, "reason": str(o.reason)} for o in self.offenders
            ],
        }


@dataclass(frozen=True)
class RuleContext:
    """What a rule evaluates: one municipality, optionally narrowed to a board or department."""

    municipality: Any
    board: Any = None
    department: Any = None

    def narrow(
        self, queryset: QuerySet, *, board: str = "board", department: str = "department"
    ) -> QuerySet:
        """Apply the board/department filter to a queryset whose rows have those relations."""
        if self.board is not None:
            queryset = queryset.filter(**{board: self.board})
        if self.department is not None:
            queryset = queryset.filter(**{department: self.department})
        return queryset


@dataclass(frozen=True)
class Rule:
    id: str
    clauses: tuple[str, ...]
    title: str | Promise
    evaluate: Callable[[RuleContext], RuleResult]


_registry: dict[str, Rule] = {}


def rule(
    rule_id: str, *, clauses: Iterable[str], title: str | Promise
) -> Callable[[Callable[[RuleContext], RuleResult]], Callable[[RuleContext], RuleResult]]:
    """Register a compliance rule under a stable ID."""

    def register(func: Callable[[RuleContext], RuleResult]) -> Callable[[RuleContext], RuleResult]:
        if rule_id in _registry and _registry[rule_id].evaluate is not func:
            raise ValueError(f"Two compliance rules share the ID {rule_id!r}.")
        _registry[rule_id] = Rule(id=rule_id, clauses=tuple(clauses), title=title, evaluate=func)
        return func

    return register


def get_rule(rule_id: str) -> Rule:
    return _registry[rule_id]


def find_rule(rule_id: str) -> Rule:
    """The rule, or a stand-in that says plainly that this installation lacks it (a library
    loaded when the rule existed, and the rule since removed) rather than failing the page."""
    if rule_id in _registry:
        return _registry[rule_id]
    from django.utils.translation import gettext_lazy as _

    def missing(ctx: RuleContext) -> RuleResult:
        return RuleResult(
            status=Status.NOT_MEASURABLE,
            summary=_("The rule %(id)s is not installed.") % {"id": rule_id},
        )

    return Rule(id=rule_id, clauses=(), title=rule_id, evaluate=missing)


def all_rules() -> dict[str, Rule]:
    return dict(_registry)


def rules_for_clause(clause_id: str) -> list[Rule]:
    return [r for r in _registry.values() if clause_id in r.clauses]
