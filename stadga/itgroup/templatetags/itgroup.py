"""`{% it_group_visible as show %}`: whether the layout offers the IT group to this user."""

from __future__ import annotations

from typing import Any

from django import template

from stadga.itgroup.access import reads_group

register = template.Library()


@register.simple_tag(takes_context=True)
def it_group_visible(context: Any) -> bool:
    """No query for readers and department heads; one (remembered) for anyone else."""
    municipality = context.get("municipality")
    access = context.get("access")
    if municipality is None or access is None:
        return False
    return reads_group(access, municipality.pk)
