"""Test data of the IT group: saved directly, as the factories do (they are not a write path)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stadga.itgroup.choices import MeetingStatus
from stadga.itgroup.models import ITGroupMeeting, ITGroupMember
from stadga.organisation.models import Department, Municipality
from stadga.testing.factories import BoardFactory, DepartmentFactory, PersonFactory

TZ = timezone.get_default_timezone()


def at(day: datetime.date, hour: int = 13) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), TZ)


def department(municipality: Municipality, **kwargs: Any) -> Department:
    return DepartmentFactory(board=BoardFactory(municipality=municipality), **kwargs)


def seat(
    municipality: Municipality,
    *,
    dept: Department | None = None,
    person: Any = None,
    since: datetime.date | None = None,
    **kwargs: Any,
) -> ITGroupMember:
    """A current seat (from a year ago) for a new person, in a new department unless given."""
    dept = dept or department(municipality)
    person = person or PersonFactory(municipality=municipality, department=dept)
    since = since or timezone.localdate() - datetime.timedelta(days=365)
    return ITGroupMember.objects.create(
        municipality=municipality, person=person, department=dept, since=since, **kwargs
    )


def meeting(
    municipality: Municipality, *, days: int = -30, status: str = MeetingStatus.HELD, **kwargs: Any
) -> ITGroupMeeting:
    """A meeting `days` from today (past by default, held)."""
    starts = at(timezone.localdate() + datetime.timedelta(days=days))
    return ITGroupMeeting.objects.create(
        municipality=municipality, starts_at=starts, status=status, place="Kommunhuset", **kwargs
    )
