"""What the resident's form on a public page is about (P7.1: a view or question about a system,
plan or decision reaches the person responsible). A public page puts `ask_about(...)` in its
context as `ask`; the layout then shows the form, pre-set to that subject."""

from __future__ import annotations

from typing import Any

# The form's hidden field for each kind of subject (ResidentMessage's fields).
ASK_FIELDS = ("system", "plan", "product", "status_report", "clause")


def ask_about(field: str = "", value: Any = None, label: str = "") -> dict[str, Any]:
    """The form's subject: `field` one of ASK_FIELDS (or "" for a general question), `value` the
    object's primary key (or a clause's ID) and `label` what the resident reads, e.g. the
    system's name."""
    if field and field not in ASK_FIELDS:
        raise ValueError(f"Unknown subject field {field!r}")
    return {"field": field, "value": "" if value is None else value, "label": label}
