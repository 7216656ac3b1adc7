"""The rules of cooperation (P8.1, P8.2, P8.3): met, partly met, not met, not applicable, and
their fixed query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.catalogue.choices import Answer, InquiryStatus
from stadga.catalogue.models import CoordinationInquiry, InquiryRecipient
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.cooperation.rules import (
    inquiries_answered_in_time,
    it_department_is_link,
    member_of_group,
)
from stadga.organisation.choices import Role
from stadga.organisation.models import RoleAssignment
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext, get_rule
from stadga.testing.factories import MunicipalityFactory, ProductRequestFactory, member

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


# --- P8.2 cooperation.inquiries_answered_in_time ------------------------------------------------


def asked(
    asker: Any,
    partner: Any,
    *,
    days_ago: int,
    answered_after: int | None = None,
    settled_after: int | None = None,
) -> InquiryRecipient:
    """A row of `asker`'s inquiry addressed to `partner`, asked `days_ago` days ago; answered
    `answered_after` days after it was asked, or the inquiry settled `settled_after` days after."""
    today = timezone.localdate()
    asked_on = today - datetime.timedelta(days=days_ago)
    request = ProductRequestFactory(municipality=asker)
    inquiry = CoordinationInquiry.objects.create(
        municipality=asker, request=request, question="Samordna?", sent_on=asked_on
    )
    if settled_after is not None:
        inquiry.status = InquiryStatus.CLOSED
        inquiry.closed_at = timezone.make_aware(
            datetime.datetime.combine(
                asked_on + datetime.timedelta(days=settled_after), datetime.time(12)
            )
        )
        inquiry.save()
    return InquiryRecipient.objects.create(
        municipality=asker,
        inquiry=inquiry,
        partner=partner,
        asked_on=asked_on,
        answer=Answer.NO_ANSWER if answered_after is None else Answer.INTERESTED,
        answered_on=None
        if answered_after is None
        else asked_on + datetime.timedelta(days=answered_after),
    )


def answered_in_time(municipality: Any) -> Any:
    return inquiries_answered_in_time(RuleContext(municipality=municipality))


def test_inquiries_rule_is_registered_for_p8_2() -> None:
    assert get_rule("cooperation.inquiries_answered_in_time").clauses == ("P8.2",)


def test_inquiries_rule_not_applicable_when_no_partner_asked(home: Any, neighbour: Any) -> None:
    asked(neighbour, home, days_ago=40, answered_after=1)  # Hjo asked Karlsborg, not the reverse
    result = answered_in_time(neighbour)
    assert result.status == Status.NOT_APPLICABLE
    assert "No partner has asked" in result.summary


def test_inquiries_rule_met_when_answered_in_time_or_not_yet_due(home: Any, neighbour: Any) -> None:
    asked(neighbour, home, days_ago=40, answered_after=14)  # on the last day
    asked(neighbour, home, days_ago=3)  # open, not yet due
    asked(neighbour, home, days_ago=40, settled_after=5)  # settled before it was due: not counted
    result = answered_in_time(home)
    assert result.status == Status.MET
    assert (result.numerator, result.denominator) == (2, 2)
    assert result.summary == (
        "2 of 2 coordination inquiries from partners of the last twelve months answered "
        "within 14 days or not yet due"
    )


def test_inquiries_rule_broken_by_late_and_overdue_answers(home: Any, neighbour: Any) -> None:
    asked(neighbour, home, days_ago=40, answered_after=1)
    late = asked(neighbour, home, days_ago=40, answered_after=15)
    overdue = asked(neighbour, home, days_ago=15)
    asked(neighbour, home, days_ago=40, settled_after=20)  # nobody answered until it was settled
    result = answered_in_time(home)
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator, result.offender_count) == (1, 4, 3)
    due = (late.asked_on + datetime.timedelta(days=14)).isoformat()
    assert [(o.label, o.reason) for o in result.offenders] == [
        (
            f"Hjo, asked on {late.asked_on.isoformat()}",
            f"Answered on {late.answered_on.isoformat()}, after it was due {due}",
        ),
        (
            f"Hjo, asked on {late.asked_on.isoformat()}",
            f"Not answered before the inquiry was settled; it was due {due}",
        ),
        (
            f"Hjo, asked on {overdue.asked_on.isoformat()}",
            "Not answered; it was due "
            + (overdue.asked_on + datetime.timedelta(days=14)).isoformat(),
        ),
    ]
    # The offenders lead to the page where the IT department answers; nothing of Hjo's request.
    assert {o.url for o in result.offenders} == {"/k/karlsborg/catalogue/inquiries/"}


def test_inquiries_rule_reads_the_setting(home: Any, neighbour: Any, settings: Any) -> None:
    asked(neighbour, home, days_ago=40, answered_after=20)
    assert answered_in_time(home).status == Status.NOT_MET
    settings.COOPERATION_INQUIRY_ANSWER_DAYS = 30
    result = answered_in_time(home)
    assert result.status == Status.MET and "within 30 days" in result.summary


def test_inquiries_rule_counts_only_this_year_and_current_inquiries(
    home: Any, neighbour: Any
) -> None:
    asked(neighbour, home, days_ago=400)  # older than twelve months
    withdrawn = asked(neighbour, home, days_ago=40)
    withdrawn.inquiry.archived_at = timezone.now()
    withdrawn.inquiry.save()
    asked(neighbour, MunicipalityFactory(), days_ago=40)  # addressed to someone else
    assert answered_in_time(home).status == Status.NOT_APPLICABLE


@pytest.mark.parametrize("n", [2, 12])
def test_inquiries_rule_runs_one_query(
    home: Any, neighbour: Any, n: int, django_assert_num_queries: Any
) -> None:
    for i in range(n):
        asked(neighbour, home, days_ago=40, answered_after=i * 3)
    with django_assert_num_queries(1):
        result = answered_in_time(home)
    assert result.denominator == n


# --- P8.3 cooperation.it_department_is_link ------------------------------------------------------


def is_link(municipality: Any) -> Any:
    return it_department_is_link(RuleContext(municipality=municipality))


def test_link_rule_is_registered_for_p8_3() -> None:
    assert get_rule("cooperation.it_department_is_link").clauses == ("P8.3",)


def test_link_rule_not_applicable_in_no_group(home: Any, coordinator: Any) -> None:
    result = is_link(home)
    assert result.status == Status.NOT_APPLICABLE
    assert "not a member of any cooperation group" in result.summary


def test_link_rule_met_with_a_coordinator_sharing_contacts(
    group: Any, home: Any, coordinator: Any
) -> None:
    share(home, group, shares_contacts=True)
    result = is_link(home)
    assert result.status == Status.MET
    assert result.summary == "The IT department is the link in 1 of 1 cooperation group"


def test_link_rule_partly_met_when_some_group_lacks_the_contacts(
    group: Any, home: Any, coordinator: Any
) -> None:
    share(home, group, shares_contacts=True)
    other = CooperationGroup.objects.create(name="Skaraborgs IT")
    Membership.objects.create(group=other, municipality=home, shares_catalogue=True)
    result = is_link(home)
    assert result.status == Status.PARTLY_MET
    assert (result.numerator, result.denominator) == (1, 2)
    assert [(o.label, o.reason, o.url) for o in result.offenders] == [
        (
            "Skaraborgs IT",
            "Does not share its contacts with the group.",
            "/k/karlsborg/cooperation/",
        )
    ]


def test_link_rule_not_met_without_a_coordinator(group: Any, home: Any) -> None:
    share(home, group, shares_contacts=True)
    member(home, Role.IT_TECHNICIAN)  # not the coordinator
    result = is_link(home)
    assert result.status == Status.NOT_MET
    assert [(o.label, o.reason) for o in result.offenders] == [
        ("Östra Skaraborg", "No current person holds the role of IT coordinator.")
    ]
    assert result.offenders[0].url == home.get_absolute_url()


def test_link_rule_not_met_when_no_group_has_the_contacts(
    group: Any, home: Any, neighbour: Any, coordinator: Any
) -> None:
    share(neighbour, group, shares_contacts=True)  # the partner's sharing does not count
    assert is_link(home).status == Status.NOT_MET


def test_link_rule_an_archived_coordinator_is_none(group: Any, home: Any, coordinator: Any) -> None:
    share(home, group, shares_contacts=True)
    assert is_link(home).status == Status.MET
    RoleAssignment.objects.filter(person__municipality=home).update(archived_at=timezone.now())
    assert is_link(home).status == Status.NOT_MET


@pytest.mark.parametrize("n", [2, 12])
def test_link_rule_runs_two_queries(
    home: Any, coordinator: Any, n: int, django_assert_num_queries: Any
) -> None:
    for i in range(n):
        group = CooperationGroup.objects.create(name=f"Grupp {i}")
        Membership.objects.create(group=group, municipality=home, shares_contacts=i % 2 == 0)
    with django_assert_num_queries(2):
        result = is_link(home)
    assert (result.numerator, result.denominator) == (n // 2, n)
