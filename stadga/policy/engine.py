"""The evaluation engine: the adopted policy, clause by clause, from the data Stadga holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .choices import Status, worst
from .models import Attestation, Clause, Policy, PolicyAdoption
from .registry import RuleContext, RuleResult, find_rule


@dataclass
class ClauseResult:
    clause: Clause
    status: str
    rules: list[tuple[Any, RuleResult]] = field(default_factory=list)  # (Rule, result)
    attestations: list[Attestation] = field(default_factory=list)  # valid today
    expired_attestations: list[Attestation] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def figure(self) -> str:
        """The rules' figures in words, e.g. '37 of 40 systems in production have an owner'."""
        return "; ".join(str(result.summary) for _rule, result in self.rules if result.summary)

    @property
    def offender_count(self) -> int:
        return sum(result.offender_count for _rule, result in self.rules)

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON shape of one clause (documented in docs/compliance.md)."""
        numerators = [r.numerator for _, r in self.rules if r.numerator is not None]
        denominators = [r.denominator for _, r in self.rules if r.denominator is not None]
        return {
            "clause": self.clause.clause_id,
            "section": self.clause.section,
            "status": str(self.status),
            "figure": self.figure,
            "numerator": sum(numerators) if numerators else None,
            "denominator": sum(denominators) if denominators else None,
            "responsible_role": self.clause.responsible_role,
            "offender_count": self.offender_count,
            "attestation_required": self.clause.attestation_required,
            "rules": [
                {"id": rule.id, "title": str(rule.title), **result.as_dict()}
                for rule, result in self.rules
            ],
            "attestations": [
                {
                    "by": str(a.attested_by),
                    "valid_until": a.valid_until.isoformat(),
                    "statement": a.statement,
                }
                for a in self.attestations
            ],
            "expired_attestations": len(self.expired_attestations),
        }


@dataclass
class Evaluation:
    policy: Policy
    adoption: PolicyAdoption | None
    clauses: list[ClauseResult]
    evaluated_at: datetime.datetime

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.clauses:
            counts[str(result.status)] += 1
        return counts

    def by_section(self) -> list[tuple[str, str, list[ClauseResult]]]:
        """(section, title, clauses) in document order."""
        sections: dict[str, tuple[str, list[ClauseResult]]] = {}
        for result in self.clauses:
            c = result.clause
            sections.setdefault(c.section, (c.display_section_title, []))[1].append(result)
        return [(section, title, results) for section, (title, results) in sections.items()]


def current_adoption(municipality: Any) -> PolicyAdoption | None:
    """The municipality's latest adoption of a policy, or None."""
    return (
        PolicyAdoption.objects.filter(municipality=municipality, archived_at__isnull=True)
        .select_related("policy")
        .order_by("-adopted_on", "-pk")
        .first()
    )


def evaluate(
    municipality: Any,
    *,
    policy: Policy | None = None,
    board: Any = None,
    department: Any = None,
    today: datetime.date | None = None,
) -> Evaluation | None:
    """Evaluate every clause of the adopted policy (or `policy`) for one municipality.

    Each rule runs a fixed number of queries; attestations are fetched in one query. Returns None
    when the municipality has adopted no policy and none is given.
    """
    adoption = None
    if policy is None:
        adoption = current_adoption(municipality)
        if adoption is None:
            return None
        policy = adoption.policy
    today = today or timezone.localdate()
    context = RuleContext(municipality=municipality, board=board, department=department)
    clauses = list(policy.clauses.all())
    attestations: dict[int, list[Attestation]] = {}
    for attestation in Attestation.objects.filter(
        municipality=municipality, clause__policy=policy, archived_at__isnull=True
    ).select_related("attested_by__municipality", "municipality", "clause"):
        attestations.setdefault(attestation.clause_id, []).append(attestation)

    cache: dict[str, RuleResult] = {}  # a rule bound to several clauses runs once
    results = []
    for clause in clauses:
        rules = []
        for rule_id in clause.rule_ids:
            rule = find_rule(rule_id)
            if rule_id not in cache:
                cache[rule_id] = rule.evaluate(context)
            rules.append((rule, cache[rule_id]))
        given = attestations.get(clause.pk, [])
        valid = [a for a in given if a.valid_from <= today <= a.valid_until]
        expired = [a for a in given if a.valid_until < today]
        statuses = [result.status for _rule, result in rules]
        if clause.attestation_required:
            statuses.append(
                Status.MET if valid else Status.NOT_MET if expired else Status.NOT_MEASURABLE
            )
        results.append(
            ClauseResult(
                clause=clause,
                status=worst(statuses),
                rules=rules,
                attestations=valid,
                expired_attestations=expired,
            )
        )
    return Evaluation(
        policy=policy, adoption=adoption, clauses=results, evaluated_at=timezone.now()
    )
