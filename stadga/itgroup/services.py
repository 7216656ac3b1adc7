"""Every write to the IT group (P3.12): atomic, validated, logged with who and when.

The views and the API decide who may write (`access.manages_group`); these services decide what
may be written: approved minutes are a record, so a meeting whose minutes are approved, its
attendance and its decisions' wording are not changed any more (a decision may still be marked
done, and the meeting may be archived).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.notifications.models import Notification
from stadga.notifications.services import notify
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import person_of

from .choices import MeetingStatus, Presence
from .models import (
    ITGroupMeeting,
    ITGroupMember,
    ITGroupSettings,
    MeetingAttendance,
    MeetingDecision,
)
from .selectors import members_on


def _refuse_if_approved(meeting: ITGroupMeeting) -> None:
    if meeting.minutes_approved_at is not None:
        raise ValidationError(
            _("The minutes of this meeting are approved: it is a record and is not changed.")
        )


# --- members -----------------------------------------------------------------------------------


def member_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ITGroupMember:
    """Seat a person in the IT group for a department (one department at a time)."""
    return object_create(model=ITGroupMember, data=data, actor=actor, municipality=municipality)


def member_update(
    *, member: ITGroupMember, data: Mapping[str, Any], actor: Any
) -> tuple[ITGroupMember, bool]:
    """Change a seat, e.g. end it (`until`) when the person leaves the group."""
    return object_update(instance=member, data=data, actor=actor)


def member_archive(*, member: ITGroupMember, actor: Any) -> ITGroupMember:
    """Archive a seat registered by mistake; one that simply ended gets an `until` date."""
    return object_archive(instance=member, actor=actor)


def member_restore(*, member: ITGroupMember, actor: Any) -> ITGroupMember:
    if member.archived_at is not None:
        # A restored seat must not overlap a seat the person has taken since.
        probe = ITGroupMember.objects.get(pk=member.pk)
        probe.archived_at = None
        probe.full_clean()
    return object_restore(instance=member, actor=actor)


# --- meetings ----------------------------------------------------------------------------------


def meeting_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ITGroupMeeting:
    """Plan a meeting. Unless the data names who convenes it, the person of the login who
    plans it does (the IT coordinator, P3.12)."""
    values = dict(data)
    if not values.get("convened_by"):
        values["convened_by"] = person_of(municipality, actor)
    return object_create(model=ITGroupMeeting, data=values, actor=actor, municipality=municipality)


def meeting_update(
    *, meeting: ITGroupMeeting, data: Mapping[str, Any], actor: Any
) -> tuple[ITGroupMeeting, bool]:
    """Change the meeting (time, place, agenda, minutes, status) until its minutes are
    approved; after that the service refuses."""
    _refuse_if_approved(meeting)
    return object_update(instance=meeting, data=data, actor=actor)


def meeting_record_minutes(
    *, meeting: ITGroupMeeting, minutes: str, actor: Any
) -> tuple[ITGroupMeeting, bool]:
    """Write the minutes of a meeting; a meeting with minutes has been held."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    return meeting_update(
        meeting=meeting, data={"minutes": minutes, "status": MeetingStatus.HELD}, actor=actor
    )


def meeting_approve_minutes(*, meeting: ITGroupMeeting, actor: Any) -> ITGroupMeeting:
    """Approve the minutes of a held meeting (who and when are recorded): from now on the
    meeting, its attendance and its decisions are a record."""
    _refuse_if_approved(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be approved."))
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before approving them."))
    with governed_write(actor):
        meeting.minutes_approved_at = timezone.now()
        meeting.minutes_approved_by = actor if getattr(actor, "pk", None) else None
        meeting.full_clean()
        meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    return meeting


def meeting_archive(*, meeting: ITGroupMeeting, actor: Any) -> ITGroupMeeting:
    return object_archive(instance=meeting, actor=actor)


def meeting_restore(*, meeting: ITGroupMeeting, actor: Any) -> ITGroupMeeting:
    return object_restore(instance=meeting, actor=actor)


def meeting_convene(*, meeting: ITGroupMeeting, actor: Any) -> list[Notification]:
    """P3.12: the IT coordinator convenes the group. Every current member is told of the
    meeting, with its agenda, in the inbox and by e-mail; the time the notice went is recorded.

    The notice's key names the meeting and its time, so a meeting moved to another time is
    announced again, while sending twice for the same time tells nobody twice."""
    _refuse_if_approved(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting is convened."))
    if meeting.starts_at < timezone.now():
        raise ValidationError(_("The meeting's time has passed."))
    municipality = meeting.municipality
    local = timezone.localtime(meeting.starts_at)
    when = date_format(local, "Y-m-d H:i")
    values = {"when": when, "place": meeting.place or "–"}
    body = _("The IT group meets %(when)s, %(place)s.") % values
    if meeting.agenda.strip():
        body += "\n\n" + _("Agenda:") + "\n" + meeting.agenda.strip()
    recipients: list[Person] = [seat.person for seat in members_on(municipality, local.date())]
    with governed_write(actor):
        sent = notify(
            municipality=municipality,
            recipients=recipients,
            key=f"itgroup-meeting:{meeting.pk}:{local.isoformat()}",
            subject=_("Notice: IT group meeting %(when)s") % values,
            body=body,
            link=meeting.get_absolute_url(),
            due_date=local.date(),
        )
        meeting.notice_sent_at = timezone.now()
        meeting.save(update_fields=["notice_sent_at", "updated_at"])
    return sent


# --- attendance --------------------------------------------------------------------------------


def attendance_record(*, meeting: ITGroupMeeting, presences: Mapping[int, str], actor: Any) -> int:
    """Record who was present, excused or absent: {person id: presence}. A person left out (or
    given "") keeps what was recorded. Each person who was a member on the meeting's day is
    linked to that seat. Returns how many rows were created or changed."""
    _refuse_if_approved(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Nobody attends a cancelled meeting."))
    wanted = {int(pk): value for pk, value in presences.items() if value}
    bad = [value for value in wanted.values() if value not in Presence.values]
    if bad:
        raise ValidationError(_("Unknown attendance: %(value)s.") % {"value": ", ".join(bad)})
    municipality = meeting.municipality
    day = timezone.localtime(meeting.starts_at).date()
    seats = {seat.person_id: seat for seat in members_on(municipality, day)}
    existing = {row.person_id: row for row in meeting.attendance.filter(archived_at__isnull=True)}
    people = {
        p.pk: p
        for p in Person.objects.filter(
            municipality=municipality, pk__in=set(wanted) - set(existing)
        )
    }
    unknown = set(wanted) - set(existing) - set(people)
    if unknown:
        raise ValidationError(_("Attendance can only be recorded for the municipality's people."))
    changed = 0
    with governed_write(actor):
        for person_id, presence in wanted.items():
            row = existing.get(person_id)
            if row is None:
                object_create(
                    model=MeetingAttendance,
                    data={
                        "meeting": meeting,
                        "person": people[person_id],
                        "member": seats.get(person_id),
                        "presence": presence,
                    },
                    actor=actor,
                    municipality=municipality,
                )
                changed += 1
            elif object_update(instance=row, data={"presence": presence}, actor=actor)[1]:
                changed += 1
    return changed


# --- decisions ---------------------------------------------------------------------------------


def decision_create(
    *, meeting: ITGroupMeeting, data: Mapping[str, Any], actor: Any
) -> MeetingDecision:
    _refuse_if_approved(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting decides nothing."))
    return object_create(
        model=MeetingDecision,
        data={**data, "meeting": meeting},
        actor=actor,
        municipality=meeting.municipality,
    )


def decision_update(
    *, decision: MeetingDecision, data: Mapping[str, Any], actor: Any
) -> tuple[MeetingDecision, bool]:
    """Change a decision; once the minutes are approved only whether it is done may change."""
    if decision.meeting.minutes_approved_at is not None:
        wording = {k: v for k, v in data.items() if k != "done"}
        if any(getattr(decision, k) != v for k, v in wording.items()):
            _refuse_if_approved(decision.meeting)
        data = {k: v for k, v in data.items() if k == "done"}
    return object_update(instance=decision, data=data, actor=actor)


def decision_archive(*, decision: MeetingDecision, actor: Any) -> MeetingDecision:
    _refuse_if_approved(decision.meeting)
    return object_archive(instance=decision, actor=actor)


# --- settings ----------------------------------------------------------------------------------


def settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ITGroupSettings:
    """Store the municipality's IT group settings, creating the row on the first save."""
    row = ITGroupSettings.objects.filter(municipality=municipality).first()
    if row is None:
        return object_create(
            model=ITGroupSettings, data=data, actor=actor, municipality=municipality
        )
    return object_update(instance=row, data=data, actor=actor)[0]
