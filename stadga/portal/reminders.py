"""Reminders over residents' views and questions (P7.1), sent by the daily job
(stadga.notifications).

- The message's recipient, when it is unanswered and due within three days (key
  `resident-message:<pk>:due`), and again once it is overdue (`resident-message:<pk>:overdue`).
- The IT coordinators, once it is overdue (the same overdue key: an escalation, told once each).
  A message whose recipient has left reaches them that way.

Three queries at most, whatever the number of messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.models import Municipality

from .choices import MessageStatus
from .models import PortalSettings, ResidentMessage
from .services import it_coordinators

# How many days before its due day a message's recipient is reminded.
DUE_SOON_DAYS = 3


@reminder_source("portal.messages_due")
def messages_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """Unanswered messages due within three days or overdue: their recipient is reminded, and
    for overdue ones the IT coordinators."""
    target = PortalSettings.for_municipality(municipality).answer_target_days
    # due day = the day of receipt + target <= today + DUE_SOON_DAYS
    last_day = today + datetime.timedelta(days=DUE_SOON_DAYS - target)
    before = timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
    )
    messages = list(
        ResidentMessage.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            status=MessageStatus.RECEIVED,
            created_at__lt=before,
        )
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    if not messages:
        return
    coordinators = None
    slug = municipality.slug
    for message in messages:
        due_on = timezone.localdate(message.created_at) + datetime.timedelta(days=target)
        if due_on > today + datetime.timedelta(days=DUE_SOON_DAYS):
            continue  # received late in the day: not due within three days yet
        overdue = due_on < today
        values = {
            "kind": message.get_kind_display(),
            "reference": message.reference,
            "date": due_on.isoformat(),
        }
        link = reverse("portal:message_detail", kwargs={"municipality": slug, "pk": message.pk})
        key = f"resident-message:{message.pk}:{'overdue' if overdue else 'due'}"
        recipient = message.recipient
        if recipient is not None and recipient.archived_at is None:
            yield Reminder(
                recipient=recipient,
                key=key,
                subject=(
                    _("%(kind)s from a resident, %(reference)s, was due %(date)s")
                    if overdue
                    else _("%(kind)s from a resident, %(reference)s, is due %(date)s")
                )
                % values,
                body=_(
                    "A resident waits for an answer to %(reference)s. Answer it, send it on to "
                    "the person who should answer, or close it if it needs no answer."
                )
                % values,
                link=link,
                due_date=due_on,
            )
        if overdue:
            if coordinators is None:
                coordinators = it_coordinators(municipality)
            for coordinator in coordinators:
                yield Reminder(
                    recipient=coordinator,
                    key=key,
                    subject=_("Overdue: %(kind)s from a resident, %(reference)s, was due %(date)s")
                    % values,
                    body=_(
                        "%(reference)s has not been answered by its due day. See that it is "
                        "answered, or sent on to the person who should answer."
                    )
                    % values,
                    link=link,
                    due_date=due_on,
                )
