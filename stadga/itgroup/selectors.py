"""Reads of the IT group shared by its pages, the API, the rule and the reminders (P3.12)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stadga.core.dates import months_before
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Municipality, Person
from stadga.organisation.selectors import role_holders

from .access import reads_group
from .choices import MeetingStatus
from .models import (
    ITGroupMeeting,
    ITGroupMember,
    ITGroupSettings,
    MeetingAttendance,
    MeetingDecision,
    current_member_q,
)


def settings_for(municipality: Municipality) -> ITGroupSettings:
    """The municipality's IT group settings: the stored row, or the defaults (unsaved). One
    query."""
    return ITGroupSettings.for_municipality(municipality)


def member_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[ITGroupMember]:
    """Every membership, past and present, of the group; nothing to one who may not read it."""
    qs = ITGroupMember.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_group(access, municipality.pk):
        return qs.none()
    return qs.select_related("municipality", "person", "department")


def member_get(*, access: Access, municipality: Municipality, pk: int) -> ITGroupMember:
    if not reads_group(access, municipality.pk):
        raise Http404
    qs = ITGroupMember.objects.filter(municipality=municipality)
    return get_object_or_404(qs.select_related("municipality", "person", "department"), pk=pk)


def meeting_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[ITGroupMeeting]:
    qs = ITGroupMeeting.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_group(access, municipality.pk):
        return qs.none()
    return qs.select_related("municipality", "convened_by")


def meeting_get(*, access: Access, municipality: Municipality, pk: int) -> ITGroupMeeting:
    if not reads_group(access, municipality.pk):
        raise Http404
    qs = ITGroupMeeting.objects.filter(municipality=municipality).select_related(
        "municipality", "convened_by", "minutes_approved_by"
    )
    return get_object_or_404(qs, pk=pk)


def meeting_attendance(meeting: ITGroupMeeting) -> list[MeetingAttendance]:
    return list(
        meeting.attendance.filter(archived_at__isnull=True)
        .select_related("person", "member__department")
        .order_by("member__department__name", "person__name", "pk")
    )


def meeting_decisions(meeting: ITGroupMeeting) -> list[MeetingDecision]:
    return list(
        meeting.decisions.filter(archived_at__isnull=True)
        .select_related("responsible", "meeting__municipality")
        .order_by("pk")
    )


def members_on(municipality: Municipality, day: datetime.date) -> list[ITGroupMember]:
    """The memberships in force on `day`, by department and name. One query."""
    return list(
        ITGroupMember.objects.filter(current_member_q(day), municipality=municipality)
        .select_related("municipality", "person", "department")
        .order_by("department__name", "-role", "person__name", "pk")
    )


@dataclass
class AttendanceLine:
    """One row of the attendance form: a person, the seat they hold, and what is recorded."""

    person: Person
    member: ITGroupMember | None
    presence: str = ""


def attendance_lines(meeting: ITGroupMeeting) -> list[AttendanceLine]:
    """Everyone who was a member on the meeting's day, and anyone else already recorded (e.g.
    a member who has since left, or a guest), with what is recorded for them. Two queries."""
    day = timezone.localtime(meeting.starts_at).date()
    lines: dict[int, AttendanceLine] = {}
    for seat in members_on(meeting.municipality, day):
        lines.setdefault(seat.person_id, AttendanceLine(person=seat.person, member=seat))
    for row in meeting_attendance(meeting):
        line = lines.setdefault(row.person_id, AttendanceLine(person=row.person, member=row.member))
        line.presence = row.presence
    return list(lines.values())


@dataclass
class DepartmentSeats:
    department: Department
    members: list[ITGroupMember] = field(default_factory=list)


@dataclass
class GroupOverview:
    """The group page: members per current department (those without a representative
    flagged), the coordinator(s), and the meetings ahead and behind."""

    departments: list[DepartmentSeats]
    missing: list[Department]
    coordinators: list[Person]
    upcoming: list[ITGroupMeeting]
    past: list[ITGroupMeeting]
    last_held: ITGroupMeeting | None
    interval_months: int
    convened_regularly: bool


def group_overview(
    municipality: Municipality, *, now: datetime.datetime | None = None, past_limit: int = 10
) -> GroupOverview:
    """Six queries, whatever the number of departments, members and meetings."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    departments = list(
        Department.objects.filter(municipality=municipality, archived_at__isnull=True)
        .select_related("municipality")
        .order_by("name", "pk")
    )
    seats = {d.pk: DepartmentSeats(department=d) for d in departments}
    for member in members_on(municipality, today):
        if member.department_id in seats:
            seats[member.department_id].members.append(member)
    meetings = ITGroupMeeting.objects.filter(
        municipality=municipality, archived_at__isnull=True
    ).select_related("municipality", "convened_by")
    upcoming = list(
        meetings.filter(starts_at__gte=now, status=MeetingStatus.PLANNED).order_by("starts_at")
    )
    past = list(
        meetings.exclude(pk__in=[m.pk for m in upcoming]).order_by("-starts_at")[:past_limit]
    )
    interval = settings_for(municipality).meeting_interval_months
    last_held = last_held_meeting(municipality)
    since = months_before(today, interval)
    return GroupOverview(
        departments=list(seats.values()),
        missing=[s.department for s in seats.values() if not s.members],
        coordinators=role_holders(municipality, (Role.IT_COORDINATOR,)),
        upcoming=upcoming,
        past=past,
        last_held=last_held,
        interval_months=interval,
        convened_regularly=last_held is not None
        and timezone.localtime(last_held.starts_at).date() >= since,
    )


def last_held_meeting(municipality: Municipality, *, before: Any = None) -> ITGroupMeeting | None:
    """The latest held (not archived) meeting; one query."""
    qs = ITGroupMeeting.objects.filter(
        municipality=municipality, archived_at__isnull=True, status=MeetingStatus.HELD
    )
    if before is not None:
        qs = qs.filter(starts_at__lte=before)
    return qs.order_by("-starts_at", "-pk").first()


__all__ = [
    "AttendanceLine",
    "GroupOverview",
    "attendance_lines",
    "group_overview",
    "last_held_meeting",
    "meeting_attendance",
    "meeting_decisions",
    "meeting_get",
    "meeting_list",
    "member_get",
    "member_list",
    "members_on",
    "months_before",
    "settings_for",
]
