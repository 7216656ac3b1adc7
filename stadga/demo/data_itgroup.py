"""The demo municipality's IT group (P3.12): its members, two held meetings and one ahead.

The story the compliance view tells: every department but one has a representative. The
Samhällsbyggnadsförvaltningen's, the GIS engineer Fredrik Månsson, left the municipality this
spring (he is archived in `data.PEOPLE`) and his seat ended with him; at the last meeting the
group asked the department's head to name a new one by a date that has passed. So P3.12 is
partly met (five of six departments), the department is the offender, its head and the IT
coordinator are reminded, and so is the overdue decision. The group has met within six months,
so it counts as convened regularly; the next meeting is planned and its notice sent.

Dates are counted from the day the demo is loaded, so that "recent" stays recent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from stadga.itgroup import services as itgroup
from stadga.itgroup.choices import GroupRole, MeetingStatus, Presence
from stadga.itgroup.models import ITGroupMeeting, ITGroupMember
from stadga.organisation.models import Department, Municipality, Person

from . import data
from .data import BUF, KFF, KLK, SBF, SOC, TF


@dataclass(frozen=True)
class SeatData:
    person: str
    department: str
    since_days_ago: int
    role: str = GroupRole.MEMBER
    until_days_ago: int | None = None


@dataclass(frozen=True)
class DecisionData:
    text: str
    responsible: str
    due_in_days: int  # negative: in the past
    done: bool = False


@dataclass(frozen=True)
class MeetingData:
    in_days: int  # negative: in the past
    place: str
    agenda: str
    minutes: str = ""
    attendance: dict[str, str] = field(default_factory=dict)
    decisions: list[DecisionData] = field(default_factory=list)


SEATS: list[SeatData] = [
    SeatData(data.FINANCE_MANAGER, KLK, 900),
    SeatData(data.COMMUNICATIONS, KLK, 400, GroupRole.DEPUTY),
    SeatData(data.PROPERTY_MANAGER, TF, 900),
    SeatData(data.ICT_COORDINATOR, BUF, 700),
    SeatData(data.SOCIAL_SYSTEMS, SOC, 900),
    # Left this spring with his employment: the department has no representative since.
    SeatData(data.GIS_ENGINEER, SBF, 900, until_days_ago=200),
    SeatData(data.LIBRARIAN, KFF, 500),
]

ROOM = "Kommunhuset, sammanträdesrummet Vättern"

MEETINGS: list[MeetingData] = [
    MeetingData(
        in_days=-260,
        place=ROOM,
        agenda=(
            "1. Mötets öppnande\n"
            "2. Skrivarmiljön: inventering inför ny upphandling\n"
            "3. Digitala möten: gemensam lösning för förvaltningarna\n"
            "4. Övriga frågor"
        ),
        minutes=(
            "§ 1 IT-samordnaren öppnade mötet.\n"
            "§ 2 Skrivarmiljön: förvaltningarna har idag skrivare av sju märken. Gruppen beslutade "
            "att inventera dem inför upphandlingen.\n"
            "§ 3 Digitala möten: skolan och socialtjänsten använder olika lösningar. Gruppen bad "
            "skolans IKT-samordnare ta fram ett förslag på en gemensam.\n"
            "§ 4 Inga övriga frågor."
        ),
        attendance={
            data.FINANCE_MANAGER: Presence.PRESENT,
            data.PROPERTY_MANAGER: Presence.PRESENT,
            data.ICT_COORDINATOR: Presence.PRESENT,
            data.SOCIAL_SYSTEMS: Presence.EXCUSED,
            data.GIS_ENGINEER: Presence.PRESENT,
            data.LIBRARIAN: Presence.ABSENT,
        },
        decisions=[
            DecisionData(
                "Inventera förvaltningarnas skrivare inför upphandlingen.",
                data.PROPERTY_MANAGER,
                -200,
                done=True,
            ),
            DecisionData(
                "Ta fram förslag på en gemensam lösning för digitala möten.",
                data.ICT_COORDINATOR,
                -150,
                done=True,
            ),
        ],
    ),
    MeetingData(
        in_days=-75,
        place=ROOM,
        agenda=(
            "1. Mötets öppnande\n"
            "2. Samhällsbyggnadsförvaltningens representant\n"
            "3. Nytt verksamhetssystem inom socialtjänsten: test av ny version\n"
            "4. Förslaget om digitala möten\n"
            "5. Övriga frågor"
        ),
        minutes=(
            "§ 1 IT-samordnaren öppnade mötet.\n"
            "§ 2 Samhällsbyggnadsförvaltningens representant har slutat. Gruppen bad "
            "samhällsbyggnadschefen utse en ny.\n"
            "§ 3 Socialtjänstens systemförvaltare testar den nya versionen i testmiljön innan "
            "den tas i drift.\n"
            "§ 4 Gruppen ställde sig bakom förslaget om en gemensam lösning för digitala möten.\n"
            "§ 5 Inga övriga frågor."
        ),
        attendance={
            data.FINANCE_MANAGER: Presence.PRESENT,
            data.COMMUNICATIONS: Presence.PRESENT,
            data.PROPERTY_MANAGER: Presence.PRESENT,
            data.ICT_COORDINATOR: Presence.PRESENT,
            data.SOCIAL_SYSTEMS: Presence.PRESENT,
            data.LIBRARIAN: Presence.EXCUSED,
        },
        decisions=[
            DecisionData(
                "Samhällsbyggnadsförvaltningen utser en ny representant i IT-gruppen.",
                "Jonas Hedlund",
                -30,
            ),
            DecisionData(
                "Testa den nya versionen av socialtjänstens verksamhetssystem i testmiljön.",
                data.SOCIAL_SYSTEMS,
                30,
            ),
        ],
    ),
    MeetingData(
        in_days=21,
        place=ROOM,
        agenda=(
            "1. Mötets öppnande\n"
            "2. IT-planerna för nästa år: förvaltningarnas behov\n"
            "3. Upphandlingen av skrivare: läget\n"
            "4. Socialtjänstens verksamhetssystem: resultatet av testet\n"
            "5. Övriga frågor"
        ),
    ),
]


def at(day: datetime.date, hour: int = 13) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone()
    )


def load_itgroup(
    *,
    municipality: Municipality,
    people: dict[str, Person],
    departments: dict[str, Department],
    coordinator: Any,
) -> dict[str, int]:
    """Create the demo's IT group unless it has one; return what was created, by kind.

    The meetings are filed by the IT coordinator's login (`coordinator`), who convenes them and
    approves the minutes."""
    created: dict[str, int] = {}
    today = timezone.localdate()
    m = municipality
    if not ITGroupMember.objects.filter(municipality=m).exists():
        for seat in SEATS:
            until = seat.until_days_ago
            itgroup.member_create(
                municipality=m,
                data={
                    "person": people[seat.person],
                    "department": departments[seat.department],
                    "role": seat.role,
                    "since": today - datetime.timedelta(days=seat.since_days_ago),
                    "until": today - datetime.timedelta(days=until) if until is not None else None,
                },
                actor=coordinator,
            )
            created["IT group members"] = created.get("IT group members", 0) + 1
    if ITGroupMeeting.objects.filter(municipality=m).exists():
        return created
    convener = people[data.IT_COORDINATOR]
    for item in MEETINGS:
        day = today + datetime.timedelta(days=item.in_days)
        meeting = itgroup.meeting_create(
            municipality=m,
            data={
                "starts_at": at(day),
                "place": item.place,
                "agenda": item.agenda,
                "convened_by": convener,
                "status": MeetingStatus.PLANNED,
            },
            actor=coordinator,
        )
        created["IT group meetings"] = created.get("IT group meetings", 0) + 1
        if item.in_days > 0:
            itgroup.meeting_convene(meeting=meeting, actor=coordinator)
            continue
        itgroup.meeting_record_minutes(meeting=meeting, minutes=item.minutes, actor=coordinator)
        itgroup.attendance_record(
            meeting=meeting,
            presences={people[name].pk: value for name, value in item.attendance.items()},
            actor=coordinator,
        )
        for decision in item.decisions:
            itgroup.decision_create(
                meeting=meeting,
                data={
                    "text": decision.text,
                    "responsible": people[decision.responsible],
                    "due_date": today + datetime.timedelta(days=decision.due_in_days),
                    "done": decision.done,
                },
                actor=coordinator,
            )
        itgroup.meeting_approve_minutes(meeting=meeting, actor=coordinator)
    return created
