"""The rule of cooperation (P8.1): met, partly met, not met, and one query."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.cooperation.models import CooperationGroup, Membership
from stadga.cooperation.rules import member_of_group
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule

from .conftest import share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_rule_is_registered_for_p8_1() -> None:
    assert get_rule("cooperation.member_of_group").clauses == ("P8.1",)


def test_not_met_in_no_group(home: Any) -> None:
    result = member_of_group(RuleContext(municipality=home))
    assert result.status == Status.NOT_MET
    assert "not a member of any cooperation group" in result.summary


def test_partly_met_when_a_member_shares_nothing(group: Any, home: Any, neighbour: Any) -> None:
    share(neighbour, group, shares_catalogue=True)  # the partner's sharing does not count
    result = member_of_group(RuleContext(municipality=home))
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator) == (0, 1)
    assert [o.label for o in result.offenders] == ["Östra Skaraborg"]
    assert result.offenders[0].url == "/k/karlsborg/cooperation/"


def test_met_when_sharing_something(group: Any, home: Any) -> None:
    share(home, group, shares_contacts=True)
    result = member_of_group(RuleContext(municipality=home))
    assert result.status == Status.MET
    assert result.summary == "Shares something with 1 of 1 cooperation group"


@pytest.mark.parametrize("ended", ["left", "group_ended"])
def test_broken_when_the_group_is_left_or_ended(group: Any, home: Any, ended: str) -> None:
    membership = share(home, group, shares_catalogue=True)
    assert member_of_group(RuleContext(municipality=home)).status == Status.MET
    target = membership if ended == "left" else group
    target.archived_at = target.created_at
    target.save()
    assert member_of_group(RuleContext(municipality=home)).status == Status.NOT_MET


@pytest.mark.parametrize("n", [2, 20])
def test_one_query_whatever_the_groups(home: Any, n: int, django_assert_num_queries: Any) -> None:
    for i in range(n):
        group = CooperationGroup.objects.create(name=f"Grupp {i}")
        Membership.objects.create(group=group, municipality=home, shares_systems=i % 2 == 0)
    with django_assert_num_queries(1):
        result = member_of_group(RuleContext(municipality=home))
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (n // 2, n)
    assert result.offender_count == n // 2
