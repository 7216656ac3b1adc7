"""Every write of notifications: sending reminders (each once), marking them read, and the secret
address of a user's calendar feed."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadga.organisation.models import Municipality, Person

from .models import CalendarFeed, Notification, new_feed_token
from .reminders import Reminder, all_reminder_sources

logger = logging.getLogger(__name__)

# How many (recipient, key) pairs one query looks up, within SQLite's limit on parameters.
_LOOKUP_BATCH = 2_000
# How long an e-mail that failed is tried again; after that the inbox alone has it.
EMAIL_RETRY = datetime.timedelta(days=3)


def reminders_collect(*, municipality: Municipality, today: datetime.date) -> list[Reminder]:
    """Every registered source's reminders for one municipality, in its language."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            reminder
            for source in all_reminder_sources().values()
            for reminder in source(municipality, today)
        ]


def _existing_keys(reminders: list[Reminder]) -> set[tuple[int, str]]:
    """The (recipient, key) pairs among `reminders` that have been sent before.

    One query for any realistic number of reminders; batches only past SQLite's parameter limit.
    """
    limit = connection.features.max_query_params or _LOOKUP_BATCH
    batch = max(1, min(_LOOKUP_BATCH, limit // 2 - 10))
    existing: set[tuple[int, str]] = set()
    for start in range(0, len(reminders), batch):
        chunk = reminders[start : start + batch]
        existing.update(
            Notification.objects.filter(
                recipient_id__in={r.recipient.pk for r in chunk},
                key__in={r.key for r in chunk},
            ).values_list("recipient_id", "key")
        )
    return existing


def notifications_send(*, municipality: Municipality, today: datetime.date | None = None) -> int:
    """Create a notification for each reminder that is new for its recipient, and e-mail it.

    Returns how many were created. A reminder whose (recipient, key) was sent before is skipped:
    that is what keeps a daily job from repeating itself. The e-mails go after the commit, so a
    rolled-back run sends nothing; two runs racing for the same reminder meet the unique
    constraint, and the loser rolls back whole (and sends nothing). An e-mail that failed (the
    mail server was down) is tried again by the runs of the next few days.
    """
    today = today or timezone.localdate()
    reminders: dict[tuple[int, str], Reminder] = {}
    for reminder in reminders_collect(municipality=municipality, today=today):
        person = reminder.recipient
        if person.municipality_id != municipality.pk:
            # Nothing crosses the municipality line, not even a reminder (a source's bug).
            logger.error("Reminder %s names a person of another municipality.", reminder.key)
            continue
        if person.archived_at is None:
            reminders.setdefault((person.pk, reminder.key), reminder)

    with transaction.atomic():
        retry = list(
            Notification.objects.filter(
                municipality=municipality,
                emailed_at__isnull=True,
                created_at__gte=timezone.now() - EMAIL_RETRY,
                recipient__archived_at__isnull=True,
            )
            .exclude(recipient__email="")
            .select_related("recipient", "municipality")
        )
        created = _create_and_email(
            municipality=municipality, reminders=list(reminders.values()), retry=retry
        )
    return len(created)


def _create_and_email(
    *,
    municipality: Municipality,
    reminders: list[Reminder],
    retry: Sequence[Notification] = (),
) -> list[Notification]:
    """Create the notifications of `reminders` that are new for their recipient and e-mail them
    (with `retry`, earlier ones whose e-mail failed) after the commit.

    Call inside a transaction: a rolled-back write sends nothing.
    """
    sent_before = _existing_keys(reminders) if reminders else set()
    new = [
        Notification(
            municipality=municipality,
            recipient=reminder.recipient,
            key=reminder.key,
            subject=str(reminder.subject)[:300],
            body=str(reminder.body),
            link=reminder.link,
            due_date=reminder.due_date,
        )
        for reminder in reminders
        if (reminder.recipient.pk, reminder.key) not in sent_before
    ]
    created = Notification.objects.bulk_create(new, batch_size=500) if new else []
    to_email = [*retry, *(n for n in created if n.recipient.email)]
    if to_email:
        # robust: the notifications are committed whatever the mail server says.
        transaction.on_commit(lambda: _email(to_email), robust=True)
    return created


def notify(
    *,
    municipality: Municipality,
    recipients: Iterable[Person],
    key: str,
    subject: str,
    body: str,
    link: str,
    due_date: datetime.date | None = None,
) -> list[Notification]:
    """Tell `recipients` something at once (e.g. that a shortfall notice was addressed to them,
    P9.6): an in-app notification each, e-mailed after the commit, through the same path as the
    daily reminders.

    `key` names the event, as a reminder's does: a recipient who already has a notification
    with that key is not told again, and the daily reminders that reuse the key do not repeat
    it. People of another municipality and people who have left are skipped. Returns the
    notifications created.
    """
    people: dict[int, Person] = {}
    for person in recipients:
        if person.municipality_id != municipality.pk:
            # Nothing crosses the municipality line (a caller's bug).
            logger.error("Notification %s names a person of another municipality.", key)
        elif person.archived_at is None:
            people.setdefault(person.pk, person)
    if not people:
        return []
    reminders = [
        Reminder(
            recipient=person,
            key=key,
            subject=subject,
            body=body,
            link=link,
            due_date=due_date,
        )
        for person in people.values()
    ]
    with transaction.atomic():
        return _create_and_email(municipality=municipality, reminders=reminders)


def _email_text(notification: Notification) -> str:
    """The e-mail body: the message, the due date, and where to act (P9.3, P9.5)."""
    parts = [notification.body] if notification.body else []
    if notification.due_date:
        parts.append(_("Due: %(date)s") % {"date": notification.due_date.isoformat()})
    if notification.link:
        base = getattr(settings, "STADGA_BASE_URL", "").rstrip("/")
        parts.append(_("See %(url)s") % {"url": f"{base}{notification.link}"})
    parts.append(f"-- \nStadga, {notification.municipality.name}")
    return "\n\n".join(parts)


def _email(notifications: Iterable[Notification]) -> None:
    """Send each notification to its recipient and record which went out.

    Runs after the commit. One refused address does not stop the others; an e-mail that failed
    stays unmarked (emailed_at empty), is tried again by the next runs, and is in the inbox.
    """
    sent: list[int] = []
    try:
        with translation.override(settings.LANGUAGE_CODE), get_connection() as mail:
            for notification in notifications:
                message = EmailMessage(
                    subject=notification.subject,
                    body=_email_text(notification),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[notification.recipient.email],
                    connection=mail,
                )
                try:
                    message.send()
                except Exception:  # a refused address: logged, the others still go
                    logger.exception("E-mail of notification %s failed.", notification.pk)
                else:
                    sent.append(notification.pk)
    except Exception:  # the mail server is unreachable: the next run tries again
        logger.exception("Could not reach the mail server.")
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def notification_mark_read(*, notification: Notification, read: bool = True) -> Notification:
    """Mark one notification read (or unread again); the reader's own state, not logged."""
    if notification.is_read != read:
        notification.read_at = timezone.now() if read else None
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, municipality: Municipality, person_ids: Collection[int]) -> int:
    """Mark every unread notification of the people in `municipality` read; returns how many."""
    now = timezone.now()
    return Notification.objects.filter(
        municipality=municipality, recipient_id__in=person_ids, read_at__isnull=True
    ).update(read_at=now, updated_at=now)


def calendar_feed_get(*, user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_create(*, user: Any) -> CalendarFeed:
    """The user's calendar feed, created on first demand."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_regenerate(*, user: Any) -> CalendarFeed:
    """A new secret address; the old one stops working at once (e.g. after it was shared)."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "updated_at"])
    return feed


def calendar_feed_revoke(*, user: Any) -> None:
    """Remove the feed: its address stops working and no new one exists until asked for."""
    CalendarFeed.objects.filter(user=user).delete()
