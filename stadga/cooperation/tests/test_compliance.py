"""The group-level view of compliance per clause (P8.1): only the members that share their
compliance with this group, each with its latest snapshot; for information security (P9) the
statuses only; a 404 for a group the municipality is not a current member of; a fixed number of
queries whatever the number of members."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.cooperation import selectors_compliance
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.models import ComplianceSnapshot, Policy
from stadga.testing.factories import MunicipalityFactory, member
from stadga.testing.policy import policy_build

from .conftest import share

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)


def snapshot(
    municipality: Municipality,
    policy: Policy,
    *,
    day: datetime.date = DAY,
    clauses: dict[str, tuple[str, int, int]] | None = None,
) -> ComplianceSnapshot:
    """A snapshot whose clauses are {"P5.4": (status, numerator, denominator)}, in that order;
    the counters as the statuses add up."""
    clauses = clauses or {"P5.4": ("partly_met", 3, 10), "P9.3": ("not_met", 37, 41)}
    data = {
        clause_id: {
            "status": status,
            "numerator": numerator,
            "denominator": denominator,
            "summary": f"{numerator} of {denominator} (summary of {clause_id})",
            "offender_count": denominator - numerator,
            "order": order,
        }
        for order, (clause_id, (status, numerator, denominator)) in enumerate(
            clauses.items(), start=1
        )
    }
    statuses = [status for status, _n, _d in clauses.values()]
    return ComplianceSnapshot.objects.create(
        municipality=municipality,
        policy=policy,
        taken_on=day,
        clauses=data,
        **{name: statuses.count(name) for name in ("met", "partly_met", "not_met")},
    )


@pytest.fixture
def policy() -> Policy:
    return policy_build({"P5.4": [], "P9.3": []})


def compliance_url(municipality: Any, group: Any) -> str:
    return reverse(
        "cooperation:group_compliance",
        kwargs={"municipality": municipality.slug, "group_pk": group.pk},
    )


# --- the selector -----------------------------------------------------------------------------


def test_only_members_that_share_have_a_column(
    group: Any, home: Any, neighbour: Any, policy: Policy
) -> None:
    snapshot(home, policy)
    snapshot(neighbour, policy)
    table = selectors_compliance.group_compliance(home, group.pk)
    assert table.columns == [] and table.sections == []
    assert table.not_sharing == [neighbour, home]  # by name: Hjo, Karlsborg
    assert not table.own_shares

    share(neighbour, group, shares_compliance=True)
    table = selectors_compliance.group_compliance(home, group.pk)
    assert [c.municipality for c in table.columns] == [neighbour]
    # the viewer's own column too only when it shares: the same table for every member
    assert table.not_sharing == [home]

    share(home, group, shares_compliance=True)
    table = selectors_compliance.group_compliance(home, group.pk)
    assert [(c.municipality, c.own) for c in table.columns] == [(neighbour, False), (home, True)]
    assert table.not_sharing == [] and table.own_shares


def test_sharing_counts_on_this_groups_membership_only(
    group: Any, home: Any, neighbour: Any, policy: Policy
) -> None:
    snapshot(neighbour, policy)
    other = CooperationGroup.objects.create(name="IT-samverkan")
    Membership.objects.create(group=other, municipality=home)
    Membership.objects.create(group=other, municipality=neighbour, shares_compliance=True)
    assert selectors_compliance.group_compliance(home, group.pk).columns == []
    assert [
        c.municipality for c in selectors_compliance.group_compliance(home, other.pk).columns
    ] == [neighbour]


def test_each_member_shows_its_latest_snapshot(
    group: Any, home: Any, neighbour: Any, policy: Policy
) -> None:
    share(neighbour, group, shares_compliance=True)
    share(home, group, shares_compliance=True)
    newer_policy = policy_build({"P5.4": [], "P9.3": []})
    snapshot(neighbour, policy, day=DAY - datetime.timedelta(days=1))
    latest = snapshot(
        neighbour, newer_policy, clauses={"P5.4": ("met", 10, 10), "P9.3": ("met", 41, 41)}
    )
    snapshot(neighbour, policy, day=DAY - datetime.timedelta(days=30))
    own = snapshot(home, policy, day=DAY - datetime.timedelta(days=2))
    assert selectors_compliance.latest_snapshots([neighbour.pk, home.pk]) == {
        neighbour.pk: latest,
        home.pk: own,
    }
    table = selectors_compliance.group_compliance(home, group.pk)
    assert [c.snapshot for c in table.columns] == [latest, own]
    assert [c.snapshot.taken_on for c in table.columns] == [DAY, DAY - datetime.timedelta(days=2)]


def test_the_matrix_by_section_in_document_order_with_missing_clauses(
    group: Any, home: Any, neighbour: Any
) -> None:
    share(neighbour, group, shares_compliance=True)
    share(home, group, shares_compliance=True)
    long_policy = policy_build({"P5.4": [], "P5.2": [], "P9.3": [], "P9.10": []})
    snapshot(
        neighbour,
        long_policy,
        clauses={
            "P5.4": ("met", 4, 4),
            "P5.2": ("not_met", 0, 2),
            "P9.3": ("partly_met", 37, 41),
            "P9.10": ("met", 1, 1),
        },
    )
    snapshot(home, policy_build({"P5.4": [], "P9.3": []}))
    table = selectors_compliance.group_compliance(home, group.pk)
    assert [(s.number, s.shows_figures) for s in table.sections] == [("5", True), ("9", False)]
    # the snapshot's order, not the alphabet: P5.4 came first in the neighbour's policy
    assert [[r.clause_id for r in s.rows] for s in table.sections] == [
        ["P5.4", "P5.2"],
        ["P9.3", "P9.10"],
    ]
    by_id = {r.clause_id: r.cells for s in table.sections for r in s.rows}
    hjo, karlsborg = 0, 1
    assert (by_id["P5.4"][hjo].label, by_id["P5.4"][hjo].figure) == (Status.MET.label, "4 / 4")
    assert (by_id["P5.4"][karlsborg].status, by_id["P5.4"][karlsborg].figure) == (
        "partly_met",
        "3 / 10",
    )
    # Karlsborg's policy lacks P5.2: no status, shown as "—"
    assert by_id["P5.2"][karlsborg].status is None
    # P9: statuses only, never the figures
    assert (by_id["P9.3"][hjo].status, by_id["P9.3"][hjo].figure) == ("partly_met", "")
    assert by_id["P9.3"][hjo].numerator is None and by_id["P9.3"][hjo].denominator is None
    assert dict(table.totals)[Status.MET.label] == [2, 0]
    assert dict(table.totals)[Status.NOT_MET.label] == [1, 1]


@pytest.mark.parametrize("withdraw", ["choice", "leave", "group_ended", "archived"])
def test_withdrawal_stops_at_once(
    group: Any, home: Any, neighbour: Any, policy: Policy, withdraw: str
) -> None:
    snapshot(neighbour, policy)
    membership = share(neighbour, group, shares_compliance=True)
    assert selectors_compliance.group_compliance(home, group.pk).columns
    if withdraw == "choice":
        share(neighbour, group, shares_compliance=False)
    elif withdraw == "leave":
        membership.archived_at = membership.created_at
        membership.save()
    elif withdraw == "group_ended":
        group.archived_at = group.created_at
        group.save()
    else:
        neighbour.archived_at = neighbour.created_at
        neighbour.save()
    if withdraw == "group_ended":
        with pytest.raises(Http404):
            selectors_compliance.group_compliance(home, group.pk)
        return
    table = selectors_compliance.group_compliance(home, group.pk)
    assert table.columns == []
    assert (neighbour in table.not_sharing) is (withdraw == "choice")


def test_a_member_that_shares_without_a_snapshot_is_named(
    group: Any, home: Any, neighbour: Any
) -> None:
    share(neighbour, group, shares_compliance=True)
    table = selectors_compliance.group_compliance(home, group.pk)
    assert table.columns == [] and table.without_snapshot == [neighbour]


def test_a_group_the_municipality_is_not_in_is_a_404(group: Any, home: Any) -> None:
    other = CooperationGroup.objects.create(name="Annan")
    Membership.objects.create(group=other, municipality=MunicipalityFactory())
    with pytest.raises(Http404):
        selectors_compliance.group_compliance(home, other.pk)


def build(home: Any, policy: Policy, n: int) -> CooperationGroup:
    """A group of the home municipality and `n` partners, all sharing, each with two snapshots."""
    group = CooperationGroup.objects.create(name=f"Grupp {n}")
    Membership.objects.create(group=group, municipality=home, shares_compliance=True)
    if not ComplianceSnapshot.objects.filter(municipality=home).exists():
        snapshot(home, policy)
    for _ in range(n):
        partner = MunicipalityFactory()
        Membership.objects.create(group=group, municipality=partner, shares_compliance=True)
        snapshot(partner, policy, day=DAY - datetime.timedelta(days=1))
        snapshot(partner, policy)
    Membership.objects.create(group=group, municipality=MunicipalityFactory())  # shares nothing
    return group


@pytest.mark.parametrize("n", [2, 4])
def test_queries_do_not_grow_with_members(
    home: Any, policy: Policy, n: int, django_assert_num_queries: Any
) -> None:
    group = build(home, policy, n)
    with django_assert_num_queries(4):  # own membership, memberships, snapshots, section titles
        table = selectors_compliance.group_compliance(home, group.pk)
    assert len(table.columns) == n + 1 and len(table.not_sharing) == 1
    assert all(c.snapshot.taken_on == DAY for c in table.columns)


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
class TestPage:
    def test_shared_statuses_and_figures_but_none_of_section_9(
        self, client: Any, group: Any, home: Any, neighbour: Any, policy: Policy
    ) -> None:
        snapshot(neighbour, policy)
        client.force_login(member(home, Role.EMPLOYEE))
        response = client.get(compliance_url(home, group))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Hjo does not share its compliance" in html
        assert "Karlsborg does not share its compliance" in html
        assert "3 / 10" not in html and "Partly met" not in html
        assert "Karlsborg does not share its compliance with this group" in html

        share(neighbour, group, shares_compliance=True)
        html = client.get(compliance_url(home, group)).content.decode()
        assert (
            "<caption>Compliance per clause of the members of Östra Skaraborg that share it" in html
        )
        assert '<th scope="col">Hjo' in html and "snapshot of 2026-11-20" in html
        assert '<th scope="row">P5.4</th>' in html and '<th scope="row">P9.3</th>' in html
        assert "Partly met" in html and "3 / 10" in html  # status in words, with the figure
        assert "Not met" in html  # P9.3's status
        assert "37 / 41" not in html and "37" not in html.split("<main")[-1].split("</table>")[0]
        assert "summary of" not in html  # nor any snapshot's summary
        assert "Section 9" in html and "(statuses only)" in html
        assert "Hjo does not share its compliance" not in html
        assert 'aria-current="page">Compliance in Östra Skaraborg</li>' in html

    def test_a_clause_a_member_lacks_shows_a_dash(
        self, client: Any, group: Any, home: Any, neighbour: Any, policy: Policy
    ) -> None:
        share(neighbour, group, shares_compliance=True)
        share(home, group, shares_compliance=True)
        snapshot(neighbour, policy)
        snapshot(home, policy_build({"P5.4": []}), clauses={"P5.4": ("met", 1, 1)})
        client.force_login(member(home, Role.EMPLOYEE))
        html = client.get(compliance_url(home, group)).content.decode()
        assert html.count("not in its policy</span>") == 1  # Karlsborg's P9.3
        assert "1 / 1" in html and "3 / 10" in html
        assert '<span class="badge">your municipality</span>' in html

    def test_withdrawn_sharing_stops_at_once(
        self, client: Any, group: Any, home: Any, neighbour: Any, policy: Policy
    ) -> None:
        snapshot(neighbour, policy)
        share(neighbour, group, shares_compliance=True)
        client.force_login(member(home, Role.EMPLOYEE))
        assert "3 / 10" in client.get(compliance_url(home, group)).content.decode()
        share(neighbour, group, shares_compliance=False)
        html = client.get(compliance_url(home, group)).content.decode()
        assert "3 / 10" not in html and "Hjo does not share its compliance" in html

    def test_another_municipalitys_group_is_a_404(
        self, client: Any, group: Any, home: Any, neighbour: Any
    ) -> None:
        outsider = MunicipalityFactory()
        other = CooperationGroup.objects.create(name="Annan")
        Membership.objects.create(group=other, municipality=outsider, shares_compliance=True)
        Membership.objects.create(group=other, municipality=neighbour, shares_compliance=True)
        client.force_login(member(home, Role.IT_COORDINATOR))
        assert client.get(compliance_url(home, other)).status_code == 404
        assert client.get(compliance_url(home, group)).status_code == 200

    def test_a_user_of_a_non_member_is_a_404(
        self, client: Any, group: Any, home: Any, neighbour: Any, policy: Policy
    ) -> None:
        snapshot(neighbour, policy)
        share(neighbour, group, shares_compliance=True)
        outsider = MunicipalityFactory()
        client.force_login(member(outsider, Role.IT_COORDINATOR))
        # under the member's slug: not the outsider's municipality
        assert client.get(compliance_url(home, group)).status_code == 404
        # under its own slug: not its group
        assert client.get(compliance_url(outsider, group)).status_code == 404

    def test_a_group_left_is_a_404(self, client: Any, group: Any, home: Any) -> None:
        Membership.objects.filter(group=group, municipality=home).update(
            archived_at=group.created_at
        )
        client.force_login(member(home, Role.EMPLOYEE))
        assert client.get(compliance_url(home, group)).status_code == 404

    def test_the_anonymous_are_sent_to_log_in(self, client: Any, group: Any, home: Any) -> None:
        response = client.get(compliance_url(home, group))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_overview_links_to_it(self, client: Any, group: Any, home: Any) -> None:
        client.force_login(member(home, Role.EMPLOYEE))
        html = client.get(
            reverse("cooperation:overview", kwargs={"municipality": home.slug})
        ).content.decode()
        assert f'href="{compliance_url(home, group)}"' in html

    def test_queries_do_not_grow_with_members(
        self, client: Any, home: Any, policy: Policy, django_assert_max_num_queries: Any
    ) -> None:
        client.force_login(member(home, Role.EMPLOYEE))
        counts = []
        for n in (2, 4):
            group = build(home, policy, n)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(compliance_url(home, group))
            assert response.status_code == 200
            assert response.content.decode().count("snapshot of 2026-11-20") == n + 1
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], counts
        with django_assert_max_num_queries(counts[1]):
            client.get(compliance_url(home, group))
