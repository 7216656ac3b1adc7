from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model, QuerySet
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

NOTHING = mark_safe('<span class="muted">–</span>')


def _one(item: Any) -> SafeString:
    url = getattr(item, "get_absolute_url", None)
    if isinstance(item, Model) and url:
        return format_html('<a href="{}">{}</a>', url(), item)
    return format_html("{}", item)


@register.filter
def show(value: Any) -> SafeString:
    """A value as a detail page shows it: a dash for nothing, yes/no, links to objects."""
    if value is None or value == "":
        return NOTHING
    if value is True or value is False:
        return format_html("{}", _("Yes") if value else _("No"))
    if isinstance(value, QuerySet | list | tuple):
        items = list(value)
        if not items:
            return NOTHING
        return format_html_join(", ", "{}", ((_one(i),) for i in items))
    if isinstance(value, str):
        return SafeString(linebreaks(value, autoescape=True))
    return _one(value)


@register.filter
def role_label(municipality: Any, role: str) -> str:
    """The municipality's own name for a role: `{{ municipality|role_label:"system_owner" }}`."""
    from stadga.organisation.models import Municipality

    if isinstance(municipality, Municipality):
        return municipality.role_label(role)
    from stadga.organisation.choices import Role

    return str(Role(role).label)


@register.filter
def pairs(mapping: Any) -> list[tuple[Any, Any]]:
    """A dict's (key, value) pairs. `{% for k, v in d.items %}` looks `items` up as a key first,
    so it breaks on a dict that has one, such as the change log of a field named "items"."""
    return list(mapping.items()) if isinstance(mapping, dict) else []
