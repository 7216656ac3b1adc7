"""Reads of residents' messages inside Stadga (P7.1): only those the user may read
(`access.message_q`), with when each is due. The pages and the API share them."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from .access import message_q
from .choices import MessageStatus
from .models import ResidentMessage


def visible_messages(access: Access, municipality: Municipality) -> QuerySet[ResidentMessage]:
    """The municipality's messages the user reads, newest first, with what each is about and
    who has it."""
    return (
        ResidentMessage.objects.filter(message_q(access), municipality=municipality)
        .select_related(
            "municipality",
            "system",
            "plan",
            "plan__board",
            "product",
            "status_report",
            "recipient",
        )
        .order_by("-created_at", "-pk")
    )


def message_get(access: Access, municipality: Municipality, pk: int) -> ResidentMessage:
    """One message the user may read; another's (or another municipality's) is a 404."""
    return get_object_or_404(visible_messages(access, municipality), pk=pk)


def overdue_before(target_days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """Messages received before this moment and still unanswered are overdue: their due day
    (`services.message_due_on`: received, local, plus the target) has passed."""
    today = timezone.localdate(now or timezone.now())
    first_day_not_due = today - datetime.timedelta(days=target_days)
    return timezone.make_aware(datetime.datetime.combine(first_day_not_due, datetime.time.min))


def overdue_q(target_days: int, now: datetime.datetime | None = None) -> Q:
    """Not answered, not closed, not archived, and past its due day."""
    return Q(
        status=MessageStatus.RECEIVED,
        archived_at__isnull=True,
        created_at__lt=overdue_before(target_days, now),
    )
