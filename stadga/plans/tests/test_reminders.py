"""The IT plans' reminders (P3.4): next year's plan not adopted as its date nears, and last
year's follow-up due — to whom, from when, once, and in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.notifications.models import Notification
from stadga.notifications.reminders import all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import BoardKind, Role
from stadga.organisation.models import Municipality, Person
from stadga.plans.choices import PlanStatus
from stadga.plans.models import PlansSettings
from stadga.plans.reminders import follow_up_due, plan_not_adopted
from stadga.testing.factories import BoardFactory, MunicipalityFactory, member

from .factories import ITPlanFactory, adopted_plan

pytestmark = pytest.mark.django_db


def person_of(user: object, municipality: Municipality) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


def test_sources_are_registered() -> None:
    sources = all_reminder_sources()
    assert sources["plans.plan_not_adopted"] is plan_not_adopted
    assert sources["plans.follow_up_due"] is follow_up_due


def test_plan_not_adopted_from_the_reminder_period_to_the_boards_and_the_coordinator() -> None:
    m = MunicipalityFactory()
    late = BoardFactory(municipality=m, name="Socialnämnden")
    done = BoardFactory(municipality=m, name="Kultur- och fritidsnämnden")
    BoardFactory(municipality=m, kind=BoardKind.COMPANY_BOARD)  # answers to its own governance
    adopted_plan(m, 2027, board=done)
    ITPlanFactory(municipality=m, board=late, year=2027)  # a draft is not enough
    coordinator = person_of(member(m, Role.IT_COORDINATOR), m)
    late_member = person_of(member(m, Role.BOARD_MEMBER, board=late), m)
    member(m, Role.BOARD_MEMBER, board=done)

    # Due 30 November 2026; reminded from 31 October.
    assert list(plan_not_adopted(m, datetime.date(2026, 10, 30))) == []
    with CaptureQueriesContext(connection) as queries:
        reminders = list(plan_not_adopted(m, datetime.date(2026, 10, 31)))
    assert len(queries) == 3
    assert {(r.recipient, r.key) for r in reminders} == {
        (coordinator, f"it-plan-not-adopted:{late.pk}:2027"),
        (late_member, f"it-plan-not-adopted:{late.pk}:2027"),
    }
    assert reminders[0].due_date == datetime.date(2026, 11, 30)

    # The municipality's own date.
    PlansSettings.objects.create(municipality=m, adopt_by_month=12, adopt_by_day=15)
    assert list(plan_not_adopted(m, datetime.date(2026, 11, 14))) == []
    assert len(list(plan_not_adopted(m, datetime.date(2026, 11, 15)))) == 2


def test_follow_up_due_once_per_plan() -> None:
    m = MunicipalityFactory()
    board = BoardFactory(municipality=m)
    other = BoardFactory(municipality=m)
    plan = adopted_plan(m, 2025, board=board)
    adopted_plan(m, 2025, board=other, status=PlanStatus.FOLLOWED_UP)
    ITPlanFactory(municipality=m, year=2025)  # never adopted: nothing to follow up
    board_member = person_of(member(m, Role.BOARD_MEMBER, board=board), m)

    assert list(follow_up_due(m, datetime.date(2026, 2, 28))) == []  # due 31 March
    reminders = list(follow_up_due(m, datetime.date(2026, 3, 1)))
    assert [(r.recipient, r.key) for r in reminders] == [
        (board_member, f"it-plan-follow-up:{plan.pk}")
    ]
    assert reminders[0].link == plan.get_absolute_url()

    assert notifications_send(municipality=m, today=datetime.date(2026, 3, 1)) >= 1
    sent = Notification.objects.filter(recipient=board_member).count()
    notifications_send(municipality=m, today=datetime.date(2026, 3, 2))
    assert Notification.objects.filter(recipient=board_member).count() == sent  # once
