"""Amounts in whole kronor as the plans show them: `{{ amount|kr }}` → "1 234 500"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

NARROW_SPACE = "\u00a0"


@register.filter
def kr(value: Any) -> str:
    """Whole kronor with a (non-breaking) space between thousands, as Swedish writes them; a
    dash for nothing."""
    if value is None or value == "":
        return "–"
    number = int(Decimal(value).quantize(Decimal("1")))
    return f"{number:,}".replace(",", NARROW_SPACE)


@register.filter
def cost_in(item: Any, year: int) -> Any:
    """The item's cost row for `year`, from its prefetched costs (None when there is none)."""
    return item.cost_in(year)


@register.filter
def percent(value: Any) -> str:
    """A share held as a fraction, as a percentage the Swedish way: 0.3333 → "33,33 %"."""
    if value is None or value == "":
        return "–"
    number = (Decimal(value) * 100).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",") + NARROW_SPACE + "%"
