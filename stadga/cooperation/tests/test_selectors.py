"""What a municipality reads of its partners (P8.1): only what each has opted in to, withdrawal
at once, and a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import Vendor
from stadga.cooperation import selectors
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ProductCategoryFactory,
    ProductFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
    VendorFactory,
)

from .conftest import share

pytestmark = pytest.mark.django_db


def partner_data(neighbour: Any, n: int = 1) -> None:
    """`n` products named Platina ärende, each run by a public system; one IT coordinator.
    (The queries fold ASCII case only: SQLite folds nothing else.)"""
    vendor = VendorFactory(
        municipality=neighbour,
        name="Formpipe",
        market_standing="Stor leverantör till kommuner",
        long_term_prospects="Stabil ägare",
        assessed_on=datetime.date(2026, 3, 1),
        notes="Interna anteckningar",
    )
    for i in range(n):
        product = ProductFactory(
            municipality=neighbour,
            name=f"Platina ärende {i}",
            vendor=vendor,
            phase=Phase.APPROVED_WITH_CONSTRAINTS,
            constraints="Endast e-tjänster",
        )
        system = SystemFactory(municipality=neighbour, name=f"Diarium {i}", is_public=True)
        SystemProductFactory(system=system, product=product)
    hidden = SystemFactory(municipality=neighbour, name="Hemligt", is_public=False)
    SystemProductFactory(
        system=hidden, product=ProductFactory(municipality=neighbour, name="Platina ärende X")
    )
    RoleAssignmentFactory(
        person=PersonFactory(municipality=neighbour, name="Anna IT", email="anna@hjo.se"),
        role=Role.IT_COORDINATOR,
    )
    PersonFactory(municipality=neighbour, name="Inte samordnare", email="x@hjo.se")


def test_partners_are_the_other_current_members(group: Any, home: Any, neighbour: Any) -> None:
    outsider = MunicipalityFactory()
    other_group = CooperationGroup.objects.create(name="Annan grupp")
    Membership.objects.create(group=other_group, municipality=outsider)
    Membership.objects.create(group=other_group, municipality=neighbour)
    found = selectors.partners(home)
    assert [p.municipality for p in found] == [neighbour]
    assert [m.group for m in found[0].memberships] == [group]
    assert selectors.partners(outsider) == [
        p for p in selectors.partners(outsider) if p.municipality == neighbour
    ]
    assert home not in [p.municipality for p in selectors.partners(outsider)]


def test_a_partner_that_has_not_opted_in_contributes_nothing(
    group: Any, home: Any, neighbour: Any
) -> None:
    partner_data(neighbour)
    assert selectors.shared_products(home, name="platina") == []
    assert selectors.shared_systems(home, "platina") == []
    [row] = selectors.comparison(home, "platina")
    assert row.partner.municipality == neighbour
    assert (row.products, row.systems, row.contacts, row.vendors) == ([], [], [], [])
    assert selectors.comparison(home, "formpipe")[0].vendors == []


def test_shared_products_match_name_and_vendor_case_insensitively(
    group: Any, home: Any, neighbour: Any
) -> None:
    partner_data(neighbour)
    share(neighbour, group, shares_catalogue=True)
    [(partner, products)] = selectors.shared_products(home, name="PLATINA ärende 0")
    assert partner.municipality == neighbour
    assert [(p.name, p.phase, p.constraints) for p in products] == [
        ("Platina ärende 0", Phase.APPROVED_WITH_CONSTRAINTS, "Endast e-tjänster")
    ]
    assert selectors.shared_products(home, name="platina", vendor="formpipe")[0][1][0].name == (
        "Platina ärende 0"
    )
    assert selectors.shared_products(home, name="platina", vendor="Tieto") == []
    # the catalogue, not the systems: the hidden system's product is in the catalogue too
    assert len(selectors.shared_products(home, name="platina")[0][1]) == 2


def test_a_kind_of_system_finds_the_products_of_the_partners_category(
    group: Any, home: Any, neighbour: Any
) -> None:
    """P8.1: "which partners use a kind of system": a product matches by its own name or by
    its category's name (the partner's words for the kind), the category archived no more."""
    category = ProductCategoryFactory(municipality=neighbour, name="Ärendehanteringssystem")
    product = ProductFactory(municipality=neighbour, name="Platina", category=category)
    system = SystemFactory(municipality=neighbour, name="Diariet", is_public=True)
    SystemProductFactory(system=system, product=product)
    ProductFactory(municipality=neighbour, name="Office")
    share(neighbour, group, shares_catalogue=True, shares_systems=True)
    [row] = selectors.comparison(home, "HANTERINGSSYSTEM")
    assert [(p.name, p.category.name) for p in row.products] == [
        ("Platina", "Ärendehanteringssystem")
    ]
    assert [s.name for s in row.systems] == ["Diariet"]
    category.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    category.save()
    [row] = selectors.comparison(home, "HANTERINGSSYSTEM")
    assert not row.has_findings


def test_shared_systems_are_the_public_ones_and_contacts_only_if_shared(
    group: Any, home: Any, neighbour: Any
) -> None:
    partner_data(neighbour)
    share(neighbour, group, shares_systems=True)
    [(partner, systems, contacts)] = selectors.shared_systems(home, "platina")
    assert partner.municipality == neighbour
    assert [s.name for s in systems] == ["Diarium 0"]  # not the system that is not public
    assert [p.name for p in systems[0].matching_products] == ["Platina ärende 0"]
    assert contacts == []
    share(neighbour, group, shares_systems=True, shares_contacts=True)
    [(_partner, _systems, contacts)] = selectors.shared_systems(home, "platina")
    assert [(p.name, p.email) for p in contacts] == [("Anna IT", "anna@hjo.se")]


def test_sharing_is_one_way_and_the_municipality_never_reads_itself(
    group: Any, home: Any, neighbour: Any
) -> None:
    ProductFactory(municipality=home, name="Platina hemma")
    share(home, group, shares_catalogue=True)
    assert selectors.shared_products(home, name="platina") == []
    partner_data(neighbour)
    assert selectors.shared_products(neighbour, name="platina")[0][0].municipality == home
    assert selectors.shared_products(home, name="platina") == []  # Hjo has not opted in


@pytest.mark.parametrize("withdraw", ["choice", "leave", "removed", "group_ended", "archived"])
def test_withdrawal_stops_at_once(group: Any, home: Any, neighbour: Any, withdraw: str) -> None:
    partner_data(neighbour)
    membership = share(
        neighbour, group, shares_catalogue=True, shares_systems=True, shares_contacts=True
    )
    assert selectors.shared_products(home, name="platina")
    assert selectors.shared_systems(home, "platina")[0][2]
    if withdraw == "choice":
        share(neighbour, group, shares_catalogue=False, shares_systems=False)
    elif withdraw in ("leave", "removed"):
        membership.archived_at = membership.created_at
        membership.save()
    elif withdraw == "group_ended":
        group.archived_at = group.created_at
        group.save()
    else:
        neighbour.archived_at = neighbour.created_at
        neighbour.save()
    assert selectors.shared_products(home, name="platina") == []
    assert selectors.shared_systems(home, "platina") == []
    rows = selectors.comparison(home, "platina")
    assert all(not row.products and not row.systems for row in rows)
    if withdraw == "choice":  # still a partner, still sharing its contacts only
        assert [c.name for c in rows[0].contacts] == ["Anna IT"]
    else:
        assert rows == []


def test_a_category_shared_in_any_common_group_is_shared(
    group: Any, home: Any, neighbour: Any
) -> None:
    partner_data(neighbour)
    second = CooperationGroup.objects.create(name="IT-samverkan")
    Membership.objects.create(group=second, municipality=home)
    Membership.objects.create(group=second, municipality=neighbour, shares_catalogue=True)
    [partner] = selectors.partners(home)
    assert partner.shares_catalogue and not partner.shares_systems
    assert len(partner.memberships) == 2
    assert selectors.shared_products(home, name="platina")


def build(home: Any, n: int) -> None:
    """`n` partners in the home municipality's group, each sharing everything with `n` rows."""
    group = CooperationGroup.objects.create(name=f"Grupp {n}")
    Membership.objects.create(group=group, municipality=home)
    for _ in range(n):
        partner = MunicipalityFactory()
        Membership.objects.create(
            group=group,
            municipality=partner,
            shares_catalogue=True,
            shares_systems=True,
            shares_contacts=True,
            shares_assessments=True,
        )
        partner_data(partner, n)


@pytest.mark.parametrize("n", [2, 20])
def test_queries_do_not_grow_with_rows(home: Any, n: int, django_assert_num_queries: Any) -> None:
    build(home, n)
    with django_assert_num_queries(1):
        assert len(selectors.partners(home)) == n
    with django_assert_num_queries(2):
        found = selectors.shared_products(home, name="platina")
    assert sum(len(products) for _p, products in found) == n * (n + 1)
    with django_assert_num_queries(4):
        rows = selectors.shared_systems(home, "platina")
    assert sum(len(systems) for _p, systems, _c in rows) == n * n
    with django_assert_num_queries(6):
        compared = selectors.comparison(home, "platina")
    assert len(compared) == n
    assert all(len(row.contacts) == 1 and len(row.systems) == n for row in compared)
    # Formpipe and the factory's vendor of the product that no public system runs
    assert all(len(row.vendors) == 2 and row.vendors[0].name == "Formpipe" for row in compared)


def test_own_membership_is_a_404_for_another_group(group: Any, home: Any) -> None:
    from django.http import Http404

    other = CooperationGroup.objects.create(name="Annan")
    Membership.objects.create(group=other, municipality=MunicipalityFactory())
    assert selectors.own_membership(home, group.pk).group == group
    with pytest.raises(Http404):
        selectors.own_membership(home, other.pk)


def test_vendor_assessments_of_the_products_vendors_when_the_catalogue_is_shared_too(
    group: Any, home: Any, neighbour: Any
) -> None:
    """P5.2: a partner's view of the vendor of a product of that name."""
    partner_data(neighbour)
    VendorFactory(municipality=neighbour, name="Tieto", market_standing="Okänt")
    share(neighbour, group, shares_assessments=True, shares_catalogue=True)
    [row] = selectors.comparison(home, "platina")
    formpipe, other = row.vendors  # and the vendor of the product no public system runs
    assert (
        formpipe.name,
        formpipe.market_standing,
        formpipe.long_term_prospects,
        formpipe.assessed_on,
    ) == ("Formpipe", "Stor leverantör till kommuner", "Stabil ägare", datetime.date(2026, 3, 1))
    assert other.name != "Tieto"  # a vendor of no product of that name
    # never the notes: not even read from the database
    assert "notes" in formpipe.get_deferred_fields()


def test_vendor_assessments_without_the_catalogue_match_the_vendors_name_only(
    group: Any, home: Any, neighbour: Any
) -> None:
    """Which vendor makes a product of that name would tell what the unshared catalogue holds."""
    partner_data(neighbour)
    share(neighbour, group, shares_assessments=True)
    [row] = selectors.comparison(home, "platina")
    assert row.products == [] and row.vendors == []
    [row] = selectors.comparison(home, "FORMPIPE")
    assert [v.name for v in row.vendors] == ["Formpipe"]


def test_vendor_assessments_only_if_shared_and_withdrawn_at_once(
    group: Any, home: Any, neighbour: Any
) -> None:
    partner_data(neighbour)
    VendorFactory(municipality=home, name="Formpipe hemma")
    share(neighbour, group, shares_catalogue=True)
    assert selectors.comparison(home, "formpipe")[0].vendors == []
    share(neighbour, group, shares_catalogue=True, shares_assessments=True)
    assert [v.name for v in selectors.comparison(home, "formpipe")[0].vendors] == ["Formpipe"]
    share(neighbour, group, shares_catalogue=True, shares_assessments=False)
    assert selectors.comparison(home, "formpipe")[0].vendors == []
    # a vendor archived is not shown; nor is the municipality's own vendor ever
    share(neighbour, group, shares_catalogue=False, shares_assessments=True)
    assert [v.name for v in selectors.comparison(home, "formpipe")[0].vendors] == ["Formpipe"]
    Vendor.objects.filter(municipality=neighbour).update(archived_at=group.created_at)
    assert selectors.comparison(home, "formpipe")[0].vendors == []
