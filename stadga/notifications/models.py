"""Reminders and notices to the people who answer for something, and what keeps them from being
sent twice: each notification names the due item it is about (`key`), once per recipient."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import MunicipalityScopedModel, TimestampedModel


def new_feed_token() -> str:
    """A secret for a calendar address: 256 bits, URL-safe (it is the only credential)."""
    return secrets.token_urlsafe(32)


class Notification(MunicipalityScopedModel, TimestampedModel):
    """A reminder or notice to one person in the municipality, e.g. that a system in their
    department has no system owner (P9.3) or that an attestation has expired (P3.1).

    Not a governed record: it is a message about one, never edited, never deleted through the UI,
    and whether its reader has seen it is theirs alone. So it is not archived and its read state
    is not written to the change log (the row itself says when it was sent, e-mailed and read).
    """

    recipient = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # The due item's identity, e.g. "attestation-expired:42": a reminder whose (recipient, key)
    # exists already is not sent again.
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Where in Stadga the item is.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_item"),
        ]
        indexes = [
            # The inbox and the header's unread count: one person's, newest first.
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return self.link or reverse(
            "notifications:inbox", kwargs={"municipality": self.municipality.slug}
        )

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CalendarFeed(TimestampedModel):
    """A user's secret calendar address: the deadlines of their notifications in every
    municipality, for Outlook or any calendar that subscribes to iCalendar feeds.

    The token is the only credential a calendar client can send, so it can be regenerated (the
    old address stops working) or the feed removed altogether.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)

    class Meta:
        ordering = ["user"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("notifications:calendar_feed", kwargs={"token": self.token})


class ScheduledRun(models.Model):
    """That a scheduled job (e.g. the daily snapshot and reminders) was queued on a date: the
    unique (name, date) lets several workers check the clock and only one of them queue it."""

    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "date"], name="scheduled_run_once_a_day"),
        ]

    # No get_absolute_url: a bookkeeping row of the worker, shown on no page.

    def __str__(self) -> str:
        return f"{self.name} {self.date:%Y-%m-%d}"
