"""Background entry points: the daily job per municipality, and the scheduler that queues it.

`stadga worker` checks every minute whether today's run has been queued (`schedule_daily`); the
queued `daily` tasks then take each municipality's compliance snapshot and send its reminders.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from stadga.organisation.models import Municipality

from .models import ScheduledRun
from .services import notifications_send

logger = logging.getLogger(__name__)

DAILY = "daily"


@task()
def daily(municipality_id: int, day: str | None = None) -> dict[str, Any]:
    """One municipality's daily work: the compliance snapshot for the trend (P3.1), then the
    reminders its capabilities declare. `day` (ISO date) is the day it was queued for, so a
    worker that catches up after midnight still files the snapshot under the right day."""
    # Imported here: the policy app builds on notifications' reminders, not the other way round.
    from stadga.policy.services_snapshots import snapshot_take

    municipality = Municipality.objects.filter(pk=municipality_id, archived_at__isnull=True).first()
    if municipality is None:  # archived (or gone) since it was queued
        return {"municipality": municipality_id, "skipped": True}
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    # A failed snapshot must not hold back the reminders: both run, then the failure is raised
    # so that the task is recorded as failed, with its traceback.
    failure: Exception | None = None
    snapshot = None
    try:
        snapshot = snapshot_take(municipality=municipality, today=today)
    except Exception as exc:
        logger.exception("The compliance snapshot of %s for %s failed.", municipality, today)
        failure = exc
    sent = notifications_send(municipality=municipality, today=today)
    logger.info("Daily run of %s for %s: new notifications: %d.", municipality, today, sent)
    if failure is not None:
        raise failure
    return {
        "municipality": municipality_id,
        "day": today.isoformat(),
        "snapshot": snapshot.pk if snapshot is not None else None,
        "notifications": sent,
    }


def schedule_daily(today: datetime.date | None = None) -> int:
    """Queue `daily` for every current municipality, once per day however many workers ask.

    Returns how many tasks were queued (0 when today's run was queued already). The run's
    record and its tasks are written in one transaction: with the database backend either both
    exist or neither does.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        _run, created = ScheduledRun.objects.get_or_create(name=DAILY, date=today)
        if not created:
            return 0
        ids = list(
            Municipality.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)
        )
        for municipality_id in ids:
            daily.enqueue(municipality_id, today.isoformat())
    logger.info("Queued the daily run of %s: %d municipalities.", today, len(ids))
    return len(ids)
