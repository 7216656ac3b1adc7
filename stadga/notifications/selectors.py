"""Reads of notifications shared by the inbox, the header and the calendar feed: a user sees only
the notifications of the people linked to their own login, whatever other rights they hold."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .models import CalendarFeed, Notification

# How far back the calendar feed reaches: older deadlines are history, not planning.
FEED_HISTORY = datetime.timedelta(days=365)


def notification_list(*, access: Access, municipality: Municipality) -> QuerySet[Notification]:
    """The user's own notifications in `municipality`, newest first."""
    return Notification.objects.filter(
        municipality=municipality, recipient_id__in=access.persons.get(municipality.pk, set())
    ).order_by("-created_at", "-pk")


def notification_unread_count(*, access: Access, municipality: Municipality | None) -> int:
    """Unread notifications in `municipality`, or in all the user's municipalities."""
    if municipality is not None:
        person_ids = access.persons.get(municipality.pk, set())
    else:
        person_ids = access.person_ids
    if not person_ids:
        return 0
    return Notification.objects.filter(recipient_id__in=person_ids, read_at__isnull=True).count()


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The feed with this secret, if its user may still log in."""
    return (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )


def calendar_notifications(*, user: Any, today: datetime.date) -> QuerySet[Notification]:
    """The deadlines of the user's notifications in every municipality where they still are
    someone: the people linked to the login, not archived, in a current municipality."""
    return (
        Notification.objects.filter(
            recipient__user=user,
            recipient__archived_at__isnull=True,
            municipality__archived_at__isnull=True,
            due_date__isnull=False,
            due_date__gte=today - FEED_HISTORY,
        )
        .select_related("municipality")
        .order_by("due_date", "pk")
    )
