"""Policies for tests and benchmarks, built in code rather than read from a shipped library file:
a test says exactly which rules its clauses bind and stays independent of the library's text."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from stadga.core.services import object_create
from stadga.organisation.models import Municipality
from stadga.policy.models import Clause, Policy, PolicyAdoption
from stadga.policy.registry import all_rules

_versions = itertools.count(1)


def registry_clauses() -> dict[str, list[str]]:
    """{clause id: [rule ids]} for every clause some registered rule cites, in clause order."""
    bound: dict[str, list[str]] = {}
    for rule in all_rules().values():
        for clause_id in rule.clauses:
            bound.setdefault(clause_id, []).append(rule.id)
    return dict(sorted(bound.items(), key=lambda item: clause_sort_key(item[0])))


def clause_sort_key(clause_id: str) -> tuple[int, ...]:
    """P9.10 after P9.9: the numbers, compared as numbers."""
    return tuple(int(part) for part in clause_id.lstrip("P").split(".") if part.isdigit())


def policy_build(
    clauses: Mapping[str, Iterable[str]] | None = None,
    *,
    attested: Iterable[str] = (),
    roles: Mapping[str, str] | None = None,
    key: str = "test-policy",
    version: str | None = None,
) -> Policy:
    """A policy whose clauses bind the given rules: `{"P9.3": ["systems.owner_named"]}`.

    Clauses named in `attested` are judged by a person (`attestation_required`); `roles` gives
    a clause's responsible role. Without `clauses`, every registered rule is bound to the clauses
    it cites."""
    clauses = registry_clauses() if clauses is None else clauses
    roles = roles or {}
    attested = set(attested)
    policy = Policy.objects.create(
        key=key,
        version=version or f"test-{next(_versions)}",
        title="IT-policy för testkommunen",
        title_en="IT policy of the test municipality",
        issuing_body="Kommunfullmäktige",
        adopted_on=datetime.date(2006, 9, 25),
    )
    Clause.objects.bulk_create(
        Clause(
            policy=policy,
            clause_id=clause_id,
            order=order,
            section=clause_id.lstrip("P").split(".")[0],
            section_title=f"Avsnitt {clause_id.lstrip('P').split('.')[0]}",
            section_title_en=f"Section {clause_id.lstrip('P').split('.')[0]}",
            text=f"Klausul {clause_id}.",
            text_en=f"Clause {clause_id}.",
            responsible_role=roles.get(clause_id, ""),
            rule_ids=list(rule_ids),
            attestation_required=clause_id in attested,
        )
        for order, (clause_id, rule_ids) in enumerate(clauses.items(), start=1)
    )
    return policy


def policy_adopt_for_test(
    municipality: Municipality,
    policy: Policy,
    *,
    adopted_on: datetime.date = datetime.date(2006, 9, 25),
    actor: Any = None,
) -> PolicyAdoption:
    """The municipality adopts `policy` (through the shared write path, with a change-log entry)."""
    return object_create(
        model=PolicyAdoption,
        data={"policy": policy, "adopted_on": adopted_on, "decision_reference": "KF § 1"},
        actor=actor,
        municipality=municipality,
    )


def adopted_policy(
    municipality: Municipality,
    clauses: Mapping[str, Iterable[str]] | None = None,
    **kwargs: Any,
) -> Policy:
    """Build a policy (see `policy_build`) and have `municipality` adopt it."""
    policy = policy_build(clauses, **kwargs)
    policy_adopt_for_test(municipality, policy)
    return policy
