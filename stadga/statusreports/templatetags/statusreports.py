"""Labels for the codes a status report's frozen figures hold (they are stored as codes, so an
issued report reads in the reader's language)."""

from __future__ import annotations

from django import template
from django.db.models import TextChoices

from stadga.plans.choices import ItemStatus, PlanStatus
from stadga.policy.choices import Status
from stadga.security.choices import NoticeStatus
from stadga.statusreports.choices import Change

register = template.Library()

KINDS: dict[str, type[TextChoices]] = {
    "compliance": Status,
    "change": Change,
    "plan": PlanStatus,
    "item": ItemStatus,
    "notice": NoticeStatus,
}


@register.filter
def code_label(value: str | None, kind: str) -> str:
    """The label of `value` among the `kind` choices; the value itself if unknown."""
    if not value:
        return ""
    try:
        return str(KINDS[kind](value).label)
    except ValueError:
        return value


@register.simple_tag
def item_statuses() -> list[tuple[str, str]]:
    """The plan items' follow-up statuses with their labels, in column order."""
    return [(s.value, str(s.label)) for s in ItemStatus]


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key, 0) if mapping else 0
