"""The evaluation as JSON: one stable shape for `stadga compliance --format json` and for
`GET /api/v1/compliance/` (documented in docs/compliance.md; P3.1)."""

from __future__ import annotations

from typing import Any

from .engine import Evaluation

# Raised only when a key is removed or changes meaning; new keys may appear without it.
FORMAT_VERSION = 1


def evaluation_as_dict(
    evaluation: Evaluation, *, municipality: Any, board: Any = None, department: Any = None
) -> dict[str, Any]:
    """The whole evaluation of one municipality's adopted policy, clause by clause."""
    policy = evaluation.policy
    adoption = evaluation.adoption
    return {
        "format": FORMAT_VERSION,
        "municipality": municipality.slug,
        "policy": {
            "key": policy.key,
            "version": policy.version,
            "title": policy.title,
            "title_en": policy.title_en,
        },
        "adoption": (
            {
                "adopted_on": adoption.adopted_on.isoformat(),
                "decision_reference": adoption.decision_reference,
            }
            if adoption is not None
            else None
        ),
        "scope": {
            "board": board.pk if board is not None else None,
            "department": department.pk if department is not None else None,
        },
        "evaluated_at": evaluation.evaluated_at.isoformat(),
        "summary": evaluation.counts(),
        "clauses": [result.as_dict() for result in evaluation.clauses],
    }
