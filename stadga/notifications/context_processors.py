"""The header's count of unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from stadga.organisation.access import access_for

from .selectors import notification_unread_count


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """`unread_count`: the user's unread notifications in the page's municipality (all of
    theirs on pages outside one). Lazy: counted only if the page shows it, once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}

    def count() -> int:
        return notification_unread_count(
            access=access_for(request), municipality=getattr(request, "municipality", None)
        )

    return {"unread_count": SimpleLazyObject(count)}
