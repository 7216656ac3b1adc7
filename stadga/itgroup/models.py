"""The IT group (P3.12): a representative of every department, meetings the IT coordinator
convenes and leads, their attendance, minutes and decisions.

A membership is current from `since` to `until` (inclusive; open-ended without `until`) while it
is not archived. Minutes, once approved, are a record: the services refuse to change the meeting,
its attendance or its decisions' wording after that (a decision may still be marked done).
"""

from __future__ import annotations

import datetime

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stadga.core.models import (
    GovernedModel,
    MunicipalitySettings,
    other_municipality_errors,
)

from .choices import GroupRole, MeetingStatus, Presence

# P3.12 says "regularly, as needed"; Stadga reads that as at least one held meeting within this
# many months unless the municipality says otherwise.
DEFAULT_MEETING_INTERVAL_MONTHS = 6


def current_member_q(today: datetime.date, prefix: str = "") -> Q:
    """Memberships in force on `today`: not archived, begun, and not ended before it."""
    p = prefix
    return Q(**{f"{p}archived_at__isnull": True, f"{p}since__lte": today}) & (
        Q(**{f"{p}until__isnull": True}) | Q(**{f"{p}until__gte": today})
    )


class ITGroupSettings(MunicipalitySettings):
    """How often the municipality's IT group must at least meet (P3.12: "regularly")."""

    meeting_interval_months = models.PositiveSmallIntegerField(
        _("a meeting held at least every (months)"),
        default=DEFAULT_MEETING_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "The compliance view and the reminders count the IT group as convened regularly "
            "when it has held a meeting within this many months."
        ),
    )

    settings_url_name = "itgroup:settings"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("IT group settings")
        verbose_name_plural = _("IT group settings")


class ITGroupMember(GovernedModel):
    """A person's seat in the IT group, representing one department for a period (P3.12)."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="it_group_memberships",
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("represents department"),
        on_delete=models.PROTECT,
        related_name="it_group_members",
    )
    role = models.CharField(
        _("role in the group"),
        max_length=20,
        choices=GroupRole.choices,
        default=GroupRole.MEMBER,
    )
    since = models.DateField(_("member since"), default=datetime.date.today)
    until = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        # "-role": members before their deputies.
        ordering = ["department__name", "-role", "person__name", "pk"]
        verbose_name = _("IT group member")
        verbose_name_plural = _("IT group members")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="itgroup_member_until_after_since",
            ),
            # One open-ended seat per person; overlapping closed periods are refused by clean().
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(until__isnull=True, archived_at__isnull=True),
                name="itgroup_member_one_open_seat",
                violation_error_message=_(
                    "This person already represents a department in the IT group."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.department})"

    def get_absolute_url(self) -> str:
        return reverse(
            "itgroup:itgroupmember_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.archived_at is None
            and self.since <= today
            and (self.until is None or self.until >= today)
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "person", "department")
        if self.until is not None and self.since is not None and self.until < self.since:
            errors["until"] = _("The membership cannot end before it begins.")
        if not errors and self.person_id and self.since is not None:
            # A person represents one department at a time: no other seat of theirs overlaps.
            overlapping = ITGroupMember.objects.filter(
                person_id=self.person_id, archived_at__isnull=True
            ).filter(Q(until__isnull=True) | Q(until__gte=self.since))
            if self.until is not None:
                overlapping = overlapping.filter(since__lte=self.until)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            other = overlapping.select_related("department").first()
            if other is not None:
                errors["person"] = _(
                    "%(person)s already represents %(department)s in the IT group in this period."
                ) % {"person": self.person, "department": other.department}
        if errors:
            raise ValidationError(errors)


class ITGroupMeeting(GovernedModel):
    """A meeting of the IT group, convened and led by the IT coordinator (P3.12): its agenda
    before, its minutes after; approved minutes are a record that is not changed."""

    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    convened_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("convened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The IT coordinator, who convenes and leads the group (P3.12)."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(
        _("minutes approved"), null=True, blank=True, editable=False
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("IT group meeting")
        verbose_name_plural = _("IT group meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | Q(status=MeetingStatus.HELD),
                name="itgroup_meeting_approved_only_when_held",
            ),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.starts_at), "Y-m-d H:i")
        return str(_("IT group meeting %(when)s") % {"when": when})

    def get_absolute_url(self) -> str:
        return reverse(
            "itgroup:itgroupmeeting_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None

    def clean(self) -> None:
        errors = other_municipality_errors(self, "convened_by")
        if self.minutes_approved_at is not None and self.status != MeetingStatus.HELD:
            errors["status"] = _("Only a held meeting has approved minutes.")
        if errors:
            raise ValidationError(errors)


class MeetingAttendance(GovernedModel):
    """Whether one person was present at, excused from or absent from one meeting."""

    meeting = models.ForeignKey(
        ITGroupMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    person = models.ForeignKey(
        "organisation.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        ITGroupMember,
        verbose_name=_("as member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    presence = models.CharField(_("attendance"), max_length=20, choices=Presence.choices)

    class Meta:
        ordering = ["meeting", "person__name", "pk"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="itgroup_attendance_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_presence_display()}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + "#attendance"

    def clean(self) -> None:
        errors = other_municipality_errors(self, "meeting", "person", "member")
        member = self.member if self.member_id else None
        if not errors and member is not None and member.person_id != self.person_id:
            errors["member"] = _("The membership is another person's.")
        if errors:
            raise ValidationError(errors)


class MeetingDecision(GovernedModel):
    """A decision of a meeting: what is to be done, by whom and when (P3.12)."""

    meeting = models.ForeignKey(
        ITGroupMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first if len(first) <= 80 else first[:79] + "…"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#decision-{self.pk}"

    def clean(self) -> None:
        errors = other_municipality_errors(self, "meeting", "responsible")
        if errors:
            raise ValidationError(errors)


auditlog.register(ITGroupSettings)
auditlog.register(ITGroupMember)
auditlog.register(ITGroupMeeting)
auditlog.register(MeetingAttendance)
auditlog.register(MeetingDecision)
