"""Reminders over the IT plans, sent by the daily job (stadga.notifications): next year's plan not
yet adopted as its date nears or has passed, and last year's follow-up due (P3.4).

Both go to the IT coordinators and to the members and the secretary of the board concerned (the
secretary prepares the board's business, the adoption too). Each source runs a fixed number of
queries, whatever the number of boards: the settings, the boards with their plans (one query),
and the people to remind (one).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Board, Municipality, Person
from stadga.organisation.selectors import current_assignments

from .choices import ADOPTED_STATUSES, FOLLOWED_UP_STATUSES
from .models import ITPlan
from .rules import PLANNING_BOARDS
from .selectors import plans_settings_for


def _recipients(municipality: Municipality, boards: list[Board]) -> dict[int | None, list[Person]]:
    """The IT coordinators (under None) and each board's members and secretaries (under its
    id). One query."""
    assignments = current_assignments(
        municipality,
        Q(role=Role.IT_COORDINATOR)
        | Q(role__in=(Role.BOARD_MEMBER, Role.BOARD_SECRETARY), board__in=boards),
    )
    people: dict[int | None, dict[int, Person]] = defaultdict(dict)
    for assignment in assignments:
        key = None if assignment.role == Role.IT_COORDINATOR else assignment.board_id
        people[key].setdefault(assignment.person_id, assignment.person)
    return {key: list(found.values()) for key, found in people.items()}


def _for_board(people: dict[int | None, list[Person]], board: Board) -> list[Person]:
    found = {p.pk: p for p in people.get(None, [])}
    for person in people.get(board.pk, []):
        found.setdefault(person.pk, person)
    return list(found.values())


@reminder_source("plans.plan_not_adopted")
def plan_not_adopted(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.4: each board's IT plan for next year is adopted by the date the plan settings name
    (30 November by default). From `reminder_days` (30) before that date, a board without an
    adopted plan for next year is reminded, through its members, its secretary and the IT
    coordinators. The key names the board and year: each is reminded of once."""
    settings = plans_settings_for(municipality)
    year = today.year + 1
    due = settings.adopt_by(year)
    if today < due - datetime.timedelta(days=settings.reminder_days):
        return
    adopted = ITPlan.objects.filter(
        board=OuterRef("pk"), year=year, status__in=ADOPTED_STATUSES, archived_at__isnull=True
    )
    boards = list(
        Board.objects.filter(
            municipality=municipality, archived_at__isnull=True, kind__in=PLANNING_BOARDS
        )
        .exclude(Exists(adopted))
        .select_related("municipality")
        .order_by("name")
    )
    if not boards:
        return
    people = _recipients(municipality, boards)
    link = reverse("plans:itplan_list", kwargs={"municipality": municipality.slug})
    for board in boards:
        values = {"board": board.name, "year": year, "date": due.isoformat()}
        for person in _for_board(people, board):
            yield Reminder(
                recipient=person,
                key=f"it-plan-not-adopted:{board.pk}:{year}",
                subject=_("%(board)s: the IT plan for %(year)s is not adopted") % values,
                body=_(
                    "The IT plan of %(board)s for %(year)s should be adopted by the board by "
                    "%(date)s, so that its costs are weighed in the budget (P3.4, P3.5)."
                )
                % values,
                link=f"{link}?board={board.pk}&year={year}",
                due_date=due,
            )


@reminder_source("plans.follow_up_due")
def follow_up_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.4: each board's plan is followed up and evaluated every year. From `reminder_days`
    before the follow-up date of the plan settings (31 March by default), last year's adopted
    plans not yet followed up are reminded of, to the board's members and secretary and the IT
    coordinators. The key names the plan: each is reminded of once."""
    settings = plans_settings_for(municipality)
    year = today.year - 1
    due = settings.follow_up_by(year)
    if today < due - datetime.timedelta(days=settings.reminder_days):
        return
    plans = list(
        ITPlan.objects.filter(
            municipality=municipality,
            year=year,
            archived_at__isnull=True,
            status__in=ADOPTED_STATUSES,
        )
        .exclude(status__in=FOLLOWED_UP_STATUSES)
        .select_related("municipality", "board")
        .order_by("board__name")
    )
    if not plans:
        return
    people = _recipients(municipality, [plan.board for plan in plans])
    for plan in plans:
        values = {"plan": str(plan), "date": due.isoformat()}
        for person in _for_board(people, plan.board):
            yield Reminder(
                recipient=person,
                key=f"it-plan-follow-up:{plan.pk}",
                subject=_("Follow up %(plan)s") % values,
                body=_(
                    "Record how each initiative of %(plan)s stood and what it cost, and mark the "
                    "year as followed up by %(date)s; then write the evaluation (P3.4)."
                )
                % values,
                link=plan.get_absolute_url(),
                due_date=due,
            )
