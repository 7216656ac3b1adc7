"""The rule of P3.12: every department represented in the IT group, and the group convened
regularly (a held meeting within the municipality's interval)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.itgroup.choices import MeetingStatus
from stadga.itgroup.models import ITGroupSettings
from stadga.itgroup.rules import every_department_represented
from stadga.organisation.models import Department
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, RuleResult, get_rule
from stadga.testing.factories import MunicipalityFactory

from .helpers import department, meeting, seat

pytestmark = pytest.mark.django_db


def evaluate(m: object, **narrow: object) -> RuleResult:
    return every_department_represented(RuleContext(municipality=m, **narrow))


def test_the_rule_is_registered_for_p3_12() -> None:
    assert get_rule("itgroup.every_department_represented").clauses == ("P3.12",)


def test_no_departments_is_not_applicable() -> None:
    assert evaluate(MunicipalityFactory()).status == Status.NOT_APPLICABLE


def test_met_when_every_department_is_represented_and_the_group_met() -> None:
    m = MunicipalityFactory()
    seat(m)
    seat(m)
    meeting(m, days=-40)
    result = evaluate(m)
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (2, 2)
    assert result.offenders == []


def test_a_department_without_a_current_member_is_an_offender() -> None:
    m = MunicipalityFactory()
    seat(m)
    missing = department(m, name="Tekniska förvaltningen")
    ended = seat(m, since=datetime.date(2020, 1, 1), until=datetime.date(2021, 1, 1))
    future = seat(m, since=timezone.localdate() + datetime.timedelta(days=30))
    archived = seat(m)
    type(archived).objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    Department.objects.filter(pk=department(m).pk).update(archived_at=timezone.now())  # ignored
    meeting(m, days=-10)
    result = evaluate(m)
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator) == (1, 5)
    assert {o.url for o in result.offenders} == {
        d.get_absolute_url() for d in (missing, ended.department, future.department,
                                       archived.department)
    }  # fmt: skip
    assert result.offender_count == 4


def test_nobody_in_the_group_is_not_met() -> None:
    m = MunicipalityFactory()
    department(m)
    department(m)
    meeting(m, days=-10)
    result = evaluate(m)
    assert result.status == Status.NOT_MET
    assert result.offender_count == 2


def test_not_convened_within_the_interval_lowers_met_to_partly_met() -> None:
    m = MunicipalityFactory()
    seat(m)
    meeting(m, days=-200)  # more than six months ago
    meeting(m, days=-20, status=MeetingStatus.CANCELLED)  # not held
    archived = meeting(m, days=-10)
    type(archived).objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    meeting(m, days=5, status=MeetingStatus.PLANNED)  # planned is not held
    result = evaluate(m)
    assert result.status == Status.PARTLY_MET
    assert result.offenders[0].url == f"/k/{m.slug}/it-group/"
    assert result.offender_count == 1
    # the municipality's own interval decides
    ITGroupSettings.objects.create(municipality=m, meeting_interval_months=12)
    assert evaluate(m).status == Status.MET


def test_never_met_and_nobody_represented_is_not_met_with_both_offenders() -> None:
    m = MunicipalityFactory()
    department(m)
    result = evaluate(m)
    assert result.status == Status.NOT_MET
    assert result.offender_count == 2
    assert result.offenders[0].url.endswith("/it-group/")


def test_narrowed_to_a_board_or_department() -> None:
    m = MunicipalityFactory()
    kept = seat(m)
    missing = department(m)
    meeting(m)
    assert evaluate(m, board=kept.department.board).status == Status.MET
    assert evaluate(m, department=missing).status == Status.NOT_MET


@pytest.mark.parametrize("represented", [True, False])
def test_query_count_is_fixed_with_few_and_many_departments(represented: bool) -> None:
    m = MunicipalityFactory()
    meeting(m, days=-400)
    counts = []
    for size in (2, 30):
        while Department.objects.filter(municipality=m).count() < size:
            if represented:
                seat(m)
            else:
                department(m)
        with CaptureQueriesContext(connection) as queries:
            evaluate(m)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4, counts
