"""What a municipality reads of its cooperation groups and of its partners (P8.1, P8.2).

Every read of a partner's data starts from the memberships: only a partner that is an active
member of an active group this municipality is an active member of, and only the categories
that partner has opted in to in such a group. A choice withdrawn or a group left stops at once,
because nothing is copied or cached. Each function runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from stadga.catalogue.models import Product, SystemProduct, Vendor
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person, RoleAssignment
from stadga.portal.selectors_public import SYSTEM_PUBLIC_FIELDS
from stadga.systems.models import System

from .choices import SHARING_CATEGORIES
from .models import CooperationGroup, Membership


@dataclass
class Partner:
    """Another member of one or more of the municipality's groups, and what it shares with it:
    a category is shared when the partner opted in to it in any group the two have in common."""

    municipality: Municipality
    memberships: list[Membership] = field(default_factory=list)

    def shares(self, category: str) -> bool:
        return any(getattr(m, category) for m in self.memberships)

    @property
    def shares_catalogue(self) -> bool:
        return self.shares("shares_catalogue")

    @property
    def shares_systems(self) -> bool:
        return self.shares("shares_systems")

    @property
    def shares_contacts(self) -> bool:
        return self.shares("shares_contacts")

    @property
    def shares_assessments(self) -> bool:
        return self.shares("shares_assessments")

    @property
    def shared_labels(self) -> list[str]:
        return [str(label) for name, label in SHARING_CATEGORIES.items() if self.shares(name)]


@dataclass
class PartnerComparison:
    """One partner's answer to "do you run or approve this product?" (P8.1): its catalogue's
    products, its public systems running them, its IT coordinators and its assessments of the
    vendors concerned (P5.2), each only if shared."""

    partner: Partner
    products: list[Product] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    contacts: list[Person] = field(default_factory=list)
    vendors: list[Vendor] = field(default_factory=list)

    @property
    def has_findings(self) -> bool:
        return bool(self.products or self.systems)


def current_memberships(municipality: Municipality) -> QuerySet[Membership]:
    """The municipality's own memberships of groups that have not ended."""
    return Membership.objects.filter(
        municipality=municipality, archived_at__isnull=True, group__archived_at__isnull=True
    ).select_related("group")


def group_memberships(municipality: Municipality) -> list[Membership]:
    """Every current membership of the municipality's current groups, its own included, ordered
    by group and member. One query."""
    groups = current_memberships(municipality).values("group_id")
    return list(
        Membership.objects.filter(
            group_id__in=groups,
            archived_at__isnull=True,
            municipality__archived_at__isnull=True,
        )
        .select_related("group", "municipality")
        .order_by("group__name", "group_id", "municipality__name", "pk")
    )


def own_membership(municipality: Municipality, group_pk: int) -> Membership:
    """The municipality's current membership of the group; a 404 for any other group."""
    return get_object_or_404(current_memberships(municipality), group_id=group_pk)


def partners(municipality: Municipality) -> list[Partner]:
    """The other current members of the municipality's current groups, with their memberships
    of those groups, by name. One query."""
    by_id: dict[int, Partner] = {}
    for membership in group_memberships(municipality):
        if membership.municipality_id == municipality.pk:
            continue
        partner = by_id.setdefault(
            membership.municipality_id, Partner(municipality=membership.municipality)
        )
        partner.memberships.append(membership)
    return sorted(by_id.values(), key=lambda p: (p.municipality.name, p.municipality.pk))


def _sharing(partner_list: list[Partner], category: str) -> list[int]:
    return [p.municipality.pk for p in partner_list if p.shares(category)]


def matching_q(name: str, prefix: str = "") -> Q:
    """A product of that name or of that kind: its name, or its current category's name (the
    municipality's own words for a kind of system, e.g. "Ärendehantering"), contains `name`."""
    return Q(**{f"{prefix}name__icontains": name}) | Q(
        **{
            f"{prefix}category__name__icontains": name,
            f"{prefix}category__archived_at__isnull": True,
        }
    )


def _products_by_municipality(
    municipality_ids: list[int], *, name: str, vendor: str = ""
) -> dict[int, list[Product]]:
    if not municipality_ids:
        return {}
    products = Product.objects.filter(
        matching_q(name), municipality_id__in=municipality_ids, archived_at__isnull=True
    )
    if vendor:
        products = products.filter(vendor__name__icontains=vendor, vendor__archived_at__isnull=True)
    result: dict[int, list[Product]] = {}
    for product in products.select_related("vendor", "category").only(
        "municipality_id",
        "name",
        "category__name",
        "kind",
        "phase",
        "phase_since",
        "phase_ends_on",
        "constraints",
        "vendor__name",
    ):
        result.setdefault(product.municipality_id, []).append(product)
    return result


def _systems_by_municipality(
    municipality_ids: list[int], *, product_name: str
) -> dict[int, list[System]]:
    """Public, current systems running a current product of that name or kind (`matching_q`);
    each with those products (`matching_products`). Two queries."""
    if not municipality_ids:
        return {}
    matching = Product.objects.filter(matching_q(product_name), archived_at__isnull=True)
    runs_it = SystemProduct.objects.filter(system=OuterRef("pk"), product__in=matching)
    systems = (
        System.objects.filter(
            municipality_id__in=municipality_ids, is_public=True, archived_at__isnull=True
        )
        .filter(Exists(runs_it))
        .select_related("board", "department")
        .prefetch_related(
            Prefetch("products", queryset=matching.only("name"), to_attr="matching_products")
        )
        .only(*SYSTEM_PUBLIC_FIELDS, "municipality_id", "board__name", "department__name")
        .order_by("name", "pk")
    )
    result: dict[int, list[System]] = {}
    for system in systems:
        result.setdefault(system.municipality_id, []).append(system)
    return result


def _contacts_by_municipality(municipality_ids: list[int]) -> dict[int, list[Person]]:
    """The current IT coordinators: name, title, work e-mail and phone. One query."""
    if not municipality_ids:
        return {}
    coordinator = RoleAssignment.objects.filter(
        person=OuterRef("pk"), role=Role.IT_COORDINATOR, archived_at__isnull=True
    )
    people = (
        Person.objects.filter(municipality_id__in=municipality_ids, archived_at__isnull=True)
        .filter(Exists(coordinator))
        .only("municipality_id", "name", "title", "email", "phone")
        .order_by("name", "pk")
    )
    result: dict[int, list[Person]] = {}
    for person in people:
        result.setdefault(person.municipality_id, []).append(person)
    return result


# What a partner shares of a vendor (P5.2): never its `notes`, the IT department's own jottings.
VENDOR_ASSESSMENT_FIELDS = ("name", "market_standing", "long_term_prospects", "assessed_on")


def _vendors_by_municipality(
    municipality_ids: list[int], *, name: str, catalogue_ids: list[int]
) -> dict[int, list[Vendor]]:
    """The assessments (P5.2) of the current vendors whose name contains `name`, and, of the
    municipalities in `catalogue_ids` (those that share their catalogue too), of the vendors of
    their current products whose name contains it. A partner that shares its assessments but not
    its catalogue is not asked which vendor makes a product of that name: the answer would tell
    what its catalogue holds. Market standing, long-term prospects and the date assessed, never
    the notes. One query."""
    if not municipality_ids:
        return {}
    makes_it = Product.objects.filter(
        matching_q(name), municipality_id__in=catalogue_ids, archived_at__isnull=True
    ).values("vendor_id")
    vendors = (
        Vendor.objects.filter(municipality_id__in=municipality_ids, archived_at__isnull=True)
        .filter(Q(name__icontains=name) | Q(pk__in=makes_it))
        .only("municipality_id", *VENDOR_ASSESSMENT_FIELDS)
        .order_by("name", "pk")
    )
    result: dict[int, list[Vendor]] = {}
    for vendor in vendors:
        result.setdefault(vendor.municipality_id, []).append(vendor)
    return result


def shared_products(
    municipality: Municipality, *, name: str, vendor: str = ""
) -> list[tuple[Partner, list[Product]]]:
    """For each partner that shares its catalogue: its products whose name contains `name`
    (and whose vendor's name contains `vendor`, if given; case-insensitive), with phase, since
    when and constraints. Partners without a match are left out. Two queries."""
    partner_list = partners(municipality)
    found = _products_by_municipality(
        _sharing(partner_list, "shares_catalogue"), name=name.strip(), vendor=vendor.strip()
    )
    return [(p, found[p.municipality.pk]) for p in partner_list if p.municipality.pk in found]


def shared_systems(
    municipality: Municipality, product_name: str
) -> list[tuple[Partner, list[System], list[Person]]]:
    """For each partner that shares its systems register: its public systems running a product
    whose name contains `product_name`, with their lifecycle phase, and its IT coordinators if
    it shares its contacts. Partners without such a system are left out. Four queries."""
    partner_list = partners(municipality)
    systems = _systems_by_municipality(
        _sharing(partner_list, "shares_systems"), product_name=product_name.strip()
    )
    contacts = _contacts_by_municipality(
        [pk for pk in _sharing(partner_list, "shares_contacts") if pk in systems]
    )
    return [
        (p, systems[p.municipality.pk], contacts.get(p.municipality.pk, []))
        for p in partner_list
        if p.municipality.pk in systems
    ]


def comparison(municipality: Municipality, product_name: str) -> list[PartnerComparison]:
    """Which partners approve or run a product of that name or kind (`matching_q`), at which
    phase, with whom to contact and what they think of its vendor: the basis for joint
    procurement and shared operation (P8.1, P8.2, P5.2). Every partner is listed, with what it
    shares; the findings only from what it shares. Six queries: the partners, then one each for
    products, systems (two), contacts and vendor assessments, whatever the number of partners
    (fewer when no partner shares a category)."""
    product_name = product_name.strip()
    partner_list = partners(municipality)
    catalogues = _sharing(partner_list, "shares_catalogue")
    products = _products_by_municipality(catalogues, name=product_name)
    systems = _systems_by_municipality(
        _sharing(partner_list, "shares_systems"), product_name=product_name
    )
    contacts = _contacts_by_municipality(_sharing(partner_list, "shares_contacts"))
    vendors = _vendors_by_municipality(
        _sharing(partner_list, "shares_assessments"), name=product_name, catalogue_ids=catalogues
    )
    return [
        PartnerComparison(
            partner=p,
            products=products.get(p.municipality.pk, []),
            systems=systems.get(p.municipality.pk, []),
            contacts=contacts.get(p.municipality.pk, []),
            vendors=vendors.get(p.municipality.pk, []),
        )
        for p in partner_list
    ]


def group_list() -> QuerySet[CooperationGroup]:
    """Every group that has not ended, for the operator's command."""
    return CooperationGroup.objects.filter(archived_at__isnull=True)
