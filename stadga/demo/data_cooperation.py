"""Karlsborg's neighbours in the demo, and the cooperation group they form with it (P8.1–P8.3).

The story the pages tell:

- Hjo and Tibro, Karlsborg's neighbours in Östra Skaraborg, came into the installation through
  the operator's onboarding (`municipality_onboard`): each has adopted the shared 2006 policy and
  has an IT coordinator who logs in (`hjo.samordnare`, `tibro.samordnare`, the demo password).
- Each keeps a small catalogue and register of its own. Both run Sitevision, as Karlsborg does;
  Hjo runs "Ruttplan Skolskjuts" for planning school transport, which Karlsborg does not have,
  and Tibro is evaluating it: a new business system Karlsborg may want, where the comparison
  shows who already runs it and whom to ask (P8.1).
- The operator formed the group "Östra Skaraborg" with the three. What each shares is its own
  choice: Hjo shares everything, Tibro its product decisions and its contacts only, Karlsborg
  its product decisions, its public systems, its contacts and its compliance.
- Karlsborg's catalogue settings name Hjo and Tibro as neighbours in Stadga, so a request for a
  new business system asks them there and they answer there (P8.2). The inquiry the demo's
  older request sent before they joined keeps its answers recorded by hand.

Loading is idempotent like the rest of the demo: municipalities by short name, their records by
name, the group by name, a membership by group and municipality. A membership someone ended
while trying the demo stays ended, and choices someone changed are kept.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.choices import ProductKind as Kind
from stadga.catalogue.models import (
    CatalogueSettings,
    Product,
    ProductCategory,
    SystemProduct,
    Vendor,
)
from stadga.catalogue.services_catalogue import (
    product_category_create,
    product_create,
    system_products_set,
    vendor_create,
)
from stadga.catalogue.services_phases import product_phase_set
from stadga.catalogue.services_requests import catalogue_settings_update
from stadga.cooperation import services as cooperation
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.organisation import services as org
from stadga.organisation.choices import BoardKind
from stadga.organisation.models import Board, Department, Municipality, Person
from stadga.policy.models import ComplianceSnapshot, Policy
from stadga.policy.services_snapshots import snapshot_take
from stadga.systems import services as systems
from stadga.systems.choices import LifecyclePhase, SystemType
from stadga.systems.models import System
from stadga.training.choices import CourseKind, SessionMode
from stadga.training.models import Course
from stadga.training.services_courses import course_create
from stadga.training.services_sessions import session_create

# The demo is loaded by the system itself, as in load.py.
ACTOR = None

SKOLSKJUTS = "Ruttplan Skolskjuts"
SKOLSKJUTS_VENDOR = "Skaraborgs Ruttdata AB"  # fictional, like the demo's business-system vendors
SITEVISION = "Sitevision"

# The IT department's view of a vendor (P5.2), as Hjo recorded it: Hjo shares its assessments.
VENDOR_ASSESSMENTS: dict[str, dict[str, Any]] = {
    SKOLSKJUTS_VENDOR: {
        "market_standing": (
            "Regional leverantör med ett tjugotal kommuner i Västra Götaland som kunder; "
            "referenser från Hjo, Tidaholm och Falköping."
        ),
        "long_term_prospects": (
            "Ägs sedan 2022 av en större nordisk koncern inom skolskjuts och färdtjänst; "
            "publicerad produktplan till 2029."
        ),
        "assessed_on": datetime.date(2025, 11, 3),
    },
}

# A session Hjo opens to its partners' staff (P6.2, P8.1): Hjo shares its training sessions.
OPEN_COURSE = "Informationssäkerhet för skolskjutsplanerare"
OPEN_SESSION_IN_DAYS = 24


@dataclass(frozen=True)
class NeighbourProduct:
    name: str
    vendor: str
    category: str
    kind: str
    phase: str
    reason: str
    since: datetime.date
    constraints: str = ""
    description: str = ""


@dataclass(frozen=True)
class NeighbourSystem:
    identifier: str
    name: str
    purpose: str
    board: str
    department: str
    system_owner: str  # P9.3
    system_type: str
    products: tuple[str, ...]
    user_count: int
    in_production_from: datetime.date
    is_public: bool = True


@dataclass(frozen=True)
class NeighbourPerson:
    name: str
    title: str
    department: str


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring municipality as the operator onboards it, and what it keeps in Stadga."""

    slug: str
    name: str
    code: str
    email_domain: str
    coordinator: str
    coordinator_title: str
    coordinator_phone: str
    username: str
    adopted_on: datetime.date
    decision_reference: str
    # (name, short name); the first is the executive board
    boards: tuple[tuple[str, str], ...]
    # (name, board)
    departments: tuple[tuple[str, str], ...]
    people: tuple[NeighbourPerson, ...]
    # (name, is a category of business systems)
    categories: tuple[tuple[str, bool], ...]
    vendors: tuple[str, ...]
    products: tuple[NeighbourProduct, ...]
    systems: tuple[NeighbourSystem, ...]
    # What it shares with the group (the membership's fields)
    sharing: dict[str, bool] = field(default_factory=dict)

    def email(self, name: str) -> str:
        local = name.lower().replace(" ", ".")
        for accented, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
            local = local.replace(accented, plain)
        return f"{local}@{self.email_domain}"


WEB_CAT = "Webbplats och intranät"
TRANSPORT_CAT = "Skolskjuts"
SIGNING_CAT = "E-underskrift"

HJO = Neighbour(
    slug="hjo",
    name="Hjo kommun",
    code="1497",
    email_domain="hjo.example",  # RFC 2606, as the demo's other addresses
    coordinator="Lena Sjöberg",
    coordinator_title="IT-samordnare",
    coordinator_phone="0503-350 10",
    username="hjo.samordnare",
    adopted_on=datetime.date(2019, 6, 17),
    decision_reference="KF § 45/2019",
    boards=(("Kommunstyrelsen", "KS"), ("Barn- och utbildningsnämnden", "BUN")),
    departments=(
        ("Kommunledningsförvaltningen", "Kommunstyrelsen"),
        ("Barn- och utbildningsförvaltningen", "Barn- och utbildningsnämnden"),
    ),
    people=(
        NeighbourPerson(
            "Johan Ekberg", "Skolskjutssamordnare", "Barn- och utbildningsförvaltningen"
        ),
        NeighbourPerson("Maria Lind", "Kommunikatör", "Kommunledningsförvaltningen"),
    ),
    categories=((WEB_CAT, True), (TRANSPORT_CAT, True)),
    vendors=("Sitevision", SKOLSKJUTS_VENDOR),
    products=(
        NeighbourProduct(
            SITEVISION,
            "Sitevision",
            WEB_CAT,
            Kind.SOFTWARE,
            Phase.APPROVED,
            "Samma publiceringsplattform som grannkommunerna (P8.1).",
            datetime.date(2016, 3, 1),
            description="Publiceringsplattform för webbplats och intranät.",
        ),
        NeighbourProduct(
            SKOLSKJUTS,
            SKOLSKJUTS_VENDOR,
            TRANSPORT_CAT,
            Kind.CLOUD_SERVICE,
            Phase.APPROVED_WITH_CONSTRAINTS,
            "Upphandlad 2023; planerar linjer och hållplatser och skickar besked till "
            "vårdnadshavare.",
            datetime.date(2023, 8, 1),
            constraints="Elevernas adresser lämnas bara för elever med rätt till skolskjuts.",
            description="Planering av skolskjuts: linjer, hållplatser och elevers resor.",
        ),
    ),
    systems=(
        NeighbourSystem(
            "SYS-0001",
            "Kommunens webbplats",
            "Samhällsinformation och kontaktuppgifter för invånare och besökare.",
            "Kommunstyrelsen",
            "Kommunledningsförvaltningen",
            "Maria Lind",
            SystemType.BOUGHT,
            (SITEVISION,),
            15,
            datetime.date(2016, 5, 1),
        ),
        NeighbourSystem(
            "SYS-0002",
            "Skolskjutsplanering",
            "Linjer, hållplatser och beslut om skolskjuts för grundskolans elever.",
            "Barn- och utbildningsnämnden",
            "Barn- och utbildningsförvaltningen",
            "Johan Ekberg",
            SystemType.SAAS,
            (SKOLSKJUTS,),
            6,
            datetime.date(2023, 8, 15),
        ),
    ),
    sharing={
        "shares_catalogue": True,
        "shares_systems": True,
        "shares_contacts": True,
        "shares_assessments": True,
        "shares_training": True,
        "shares_compliance": True,
    },
)

TIBRO = Neighbour(
    slug="tibro",
    name="Tibro kommun",
    code="1472",
    email_domain="tibro.example",
    coordinator="Anders Wiklund",
    coordinator_title="IT-samordnare",
    coordinator_phone="0504-180 20",
    username="tibro.samordnare",
    adopted_on=datetime.date(2020, 2, 24),
    decision_reference="KF § 12/2020",
    boards=(("Kommunstyrelsen", "KS"), ("Barn- och utbildningsnämnden", "BUN")),
    departments=(
        ("Kommunledningskontoret", "Kommunstyrelsen"),
        ("Barn- och utbildningsförvaltningen", "Barn- och utbildningsnämnden"),
    ),
    people=(NeighbourPerson("Sara Holm", "Webbredaktör", "Kommunledningskontoret"),),
    categories=((WEB_CAT, True), (TRANSPORT_CAT, True), (SIGNING_CAT, False)),
    vendors=("Sitevision", SKOLSKJUTS_VENDOR, "Scrive"),
    products=(
        NeighbourProduct(
            SITEVISION,
            "Sitevision",
            WEB_CAT,
            Kind.SOFTWARE,
            Phase.APPROVED,
            "Samma publiceringsplattform som grannkommunerna (P8.1).",
            datetime.date(2017, 9, 1),
        ),
        NeighbourProduct(
            SKOLSKJUTS,
            SKOLSKJUTS_VENDOR,
            TRANSPORT_CAT,
            Kind.CLOUD_SERVICE,
            Phase.EVALUATION,
            "Prövas inför att nuvarande avtal för skolskjutsplanering löper ut; Hjo kör den "
            "redan (P8.1).",
            datetime.date(2026, 3, 1),
        ),
        NeighbourProduct(
            "Scrive eSign",
            "Scrive",
            SIGNING_CAT,
            Kind.CLOUD_SERVICE,
            Phase.APPROVED,
            "E-underskrift av avtal och beslut.",
            datetime.date(2021, 1, 15),
        ),
    ),
    systems=(
        NeighbourSystem(
            "SYS-0001",
            "Kommunens webbplats",
            "Samhällsinformation, nyheter och e-tjänster för invånare.",
            "Kommunstyrelsen",
            "Kommunledningskontoret",
            "Sara Holm",
            SystemType.BOUGHT,
            (SITEVISION,),
            10,
            datetime.date(2017, 11, 1),
        ),
    ),
    sharing={"shares_catalogue": True, "shares_contacts": True},
)

NEIGHBOURS: tuple[Neighbour, ...] = (HJO, TIBRO)

GROUP_NAME = "Östra Skaraborg"
GROUP_DESCRIPTION = (
    "Karlsborg, Hjo och Tibro samarbetar om upphandling och drift av IT-system, med en "
    "gemensam IT-policy sedan 2006 (P8.1)."
)

# What Karlsborg shares with the group.
HOME_SHARING = {
    "shares_catalogue": True,
    "shares_systems": True,
    "shares_contacts": True,
    "shares_compliance": True,
}


def load_cooperation(
    *,
    home: Municipality,
    coordinator: Any,
    password_hash: str,
    policy: Policy | None,
    conflict: type[Exception],
) -> Counter[str]:
    """The neighbours, the group and Karlsborg's neighbours in its catalogue settings; returns
    what was created. `coordinator` is Karlsborg's IT coordinator's login (None: the settings
    are left as they are); `conflict` is raised when a real municipality holds a neighbour's
    short name or code."""
    created: Counter[str] = Counter()
    neighbours: list[Municipality] = []
    onboarded: list[Municipality] = []
    for item in NEIGHBOURS:
        municipality, new = _neighbour(item, password_hash, policy, conflict, created)
        neighbours.append(municipality)
        if new:
            onboarded.append(municipality)
        login = get_user_model().objects.filter(username=item.username).first()
        _records(item, municipality, login, created)
    _open_session(neighbours[0], created)
    _group(home, neighbours, created)
    if coordinator is not None and onboarded:
        _home_neighbours(home, onboarded, coordinator)
    # The group's compliance page (P8.1) reads the members' latest snapshots, which the nightly
    # worker takes; a member without one gets its first now.
    for municipality in (home, *neighbours):
        first = not ComplianceSnapshot.objects.filter(municipality=municipality).exists()
        if first and snapshot_take(municipality=municipality) is not None:
            created["compliance snapshots"] += 1
    return created


def _open_session(hjo: Municipality, created: Counter[str]) -> None:
    """Hjo's course, given in a few weeks in Hjo's town hall, open to its partners' staff."""
    if Course.objects.filter(municipality=hjo, name=OPEN_COURSE).exists():
        return
    course = course_create(
        municipality=hjo,
        data={
            "name": OPEN_COURSE,
            "kind": CourseKind.SECURITY,
            "description": (
                "Elevernas adresser och skyddade personuppgifter i skolskjutsplaneringen: vad "
                "som får delas med åkerier och hur (P9.1)."
            ),
            "duration_hours": Decimal("3"),
        },
        actor=ACTOR,
    )
    day = timezone.localdate() + datetime.timedelta(days=OPEN_SESSION_IN_DAYS)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    session_create(
        municipality=hjo,
        data={
            "course": course,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3),
            "mode": SessionMode.ON_SITE,
            "place": "Hjo stadshus, sammanträdesrum Vättern",
            "trainer": "Lena Sjöberg",
            "capacity": 16,
            "open_to_partners": True,
        },
        actor=ACTOR,
    )
    created["courses"] += 1
    created["training sessions"] += 1


def _neighbour(
    item: Neighbour,
    password_hash: str,
    policy: Policy | None,
    conflict: type[Exception],
    created: Counter[str],
) -> tuple[Municipality, bool]:
    existing = Municipality.objects.filter(slug=item.slug).first()
    if existing is None:
        existing = Municipality.objects.filter(code=item.code).first()
    if existing is not None:
        if not existing.is_demo or existing.slug != item.slug:
            raise conflict(
                f"The municipality {existing.name!r} ({existing.slug}, {existing.code}) is not "
                f"the demo; the demo's neighbour needs the short name {item.slug!r} and code "
                f"{item.code}."
            )
        return existing, False
    User = get_user_model()
    username_free = not User.objects.filter(username__iexact=item.username).exists()
    onboarding = org.municipality_onboard(
        slug=item.slug,
        name=item.name,
        code=item.code,
        policy=policy,
        adopted_on=item.adopted_on if policy is not None else None,
        decision_reference=item.decision_reference if policy is not None else "",
        coordinator_name=item.coordinator if username_free else "",
        coordinator_email=item.email(item.coordinator) if username_free else "",
        coordinator_username=item.username if username_free else "",
        actor=ACTOR,
    )
    municipality = org.municipality_update(
        municipality=onboarding.municipality, data={"is_demo": True}, actor=ACTOR
    )
    created["neighbouring municipalities"] += 1
    if onboarding.adoption is not None:
        created["policy adoptions"] += 1
    if onboarding.coordinator is not None and onboarding.login is not None:
        # The onboarded login has no password; the demo's logins share the published one.
        onboarding.login.password = password_hash
        onboarding.login.save(update_fields=["password"])
        org.person_update(
            person=onboarding.coordinator,
            data={"title": item.coordinator_title, "phone": item.coordinator_phone},
            actor=ACTOR,
        )
        created["people"] += 1
        created["demo logins"] += 1
        created["role assignments"] += 1
    return municipality, True


def _records(item: Neighbour, m: Municipality, login: Any, created: Counter[str]) -> None:
    """Boards, departments, people, the catalogue and the public systems of one neighbour."""
    boards = {b.name: b for b in Board.objects.filter(municipality=m)}
    for number, (name, short_name) in enumerate(item.boards):
        if name not in boards:
            kind = BoardKind.EXECUTIVE_BOARD if number == 0 else BoardKind.BOARD
            boards[name] = org.board_create(
                municipality=m,
                data={"name": name, "short_name": short_name, "kind": kind},
                actor=ACTOR,
            )
            created["boards"] += 1
    departments = {d.name: d for d in Department.objects.filter(municipality=m)}
    for name, board in item.departments:
        if name not in departments:
            departments[name] = org.department_create(
                municipality=m, data={"name": name, "board": boards[board]}, actor=ACTOR
            )
            created["departments"] += 1
    people: dict[str, Person] = {}
    for existing in Person.objects.filter(municipality=m).order_by("pk"):
        people.setdefault(existing.name, existing)
    for person in item.people:
        if person.name not in people:
            people[person.name] = org.person_create(
                municipality=m,
                data={
                    "name": person.name,
                    "title": person.title,
                    "email": item.email(person.name),
                    "department": departments[person.department],
                },
                actor=ACTOR,
            )
            created["people"] += 1
    products = _catalogue(item, m, login, created)
    register = {s.identifier: s for s in System.objects.filter(municipality=m)}
    linked = set(
        SystemProduct.objects.filter(system__municipality=m).values_list("system_id", flat=True)
    )
    for data in item.systems:
        system = register.get(data.identifier)
        if system is None:
            system = systems.system_create(
                municipality=m,
                data={
                    "identifier": data.identifier,
                    "name": data.name,
                    "purpose": data.purpose,
                    "board": boards[data.board],
                    "department": departments[data.department],
                    "system_owner": people.get(data.system_owner),
                    "system_type": data.system_type,
                    "lifecycle_phase": LifecyclePhase.IN_PRODUCTION,
                    "in_production_from": data.in_production_from,
                    "user_count": data.user_count,
                    "is_public": data.is_public,
                },
                actor=ACTOR,
            )
            created["systems"] += 1
        if system.pk not in linked:
            links = [(products[name], None) for name in data.products if name in products]
            if links:
                system_products_set(system=system, links=links, actor=ACTOR)
                created["products of systems"] += len(links)


def _catalogue(
    item: Neighbour, m: Municipality, login: Any, created: Counter[str]
) -> dict[str, Product]:
    categories = {c.name: c for c in ProductCategory.objects.filter(municipality=m)}
    for name, business in item.categories:
        if name not in categories:
            categories[name] = product_category_create(
                municipality=m, data={"name": name, "is_business_system": business}, actor=ACTOR
            )
            created["product categories"] += 1
    vendors = {v.name: v for v in Vendor.objects.filter(municipality=m)}
    for name in item.vendors:
        if name not in vendors:
            assessment = VENDOR_ASSESSMENTS.get(name, {}) if item is HJO else {}
            vendors[name] = vendor_create(
                municipality=m, data={"name": name, **assessment}, actor=ACTOR
            )
            created["vendors"] += 1
    products = {p.name: p for p in Product.objects.filter(municipality=m)}
    decided_by = (
        Person.objects.filter(municipality=m, user=login).first() if login is not None else None
    )
    today = timezone.localdate()
    for data in item.products:
        if data.name in products:
            continue
        product = products[data.name] = product_create(
            municipality=m,
            data={
                "name": data.name,
                "kind": data.kind,
                "category": categories[data.category],
                "vendor": vendors[data.vendor],
                "description": data.description,
            },
            actor=ACTOR,
        )
        created["products"] += 1
        if login is not None:  # the IT coordinator decides (P5.4)
            product_phase_set(
                product=product,
                phase=data.phase,
                reason=data.reason,
                effective_from=min(data.since, today),
                constraints=data.constraints,
                decided_by=decided_by,
                actor=login,
            )
            created["phase decisions"] += 1
    return products


def _group(home: Municipality, neighbours: list[Municipality], created: Counter[str]) -> None:
    """The group, formed by the operator (here the system), and each member's own choices."""
    group = CooperationGroup.objects.filter(name=GROUP_NAME).first()
    if group is None:
        group = cooperation.group_create(
            name=GROUP_NAME, description=GROUP_DESCRIPTION, actor=ACTOR
        )
        created["cooperation groups"] += 1
    if group.archived_at is not None:
        return  # ended while someone tried the demo: it stays ended
    members = set(Membership.objects.filter(group=group).values_list("municipality_id", flat=True))
    sharing = {home.pk: HOME_SHARING} | {
        m.pk: item.sharing for m, item in zip(neighbours, NEIGHBOURS, strict=True)
    }
    for municipality in (home, *neighbours):
        if municipality.pk in members:
            continue  # one who left stays out; one whose choices changed keeps them
        membership = cooperation.membership_add(group=group, municipality=municipality, actor=ACTOR)
        cooperation.sharing_update(
            membership=membership, data=sharing[municipality.pk], actor=ACTOR
        )
        created["memberships"] += 1


def _home_neighbours(home: Municipality, onboarded: list[Municipality], coordinator: Any) -> None:
    """A neighbour new to the installation becomes one of Karlsborg's neighbours in Stadga, and
    leaves its list of other neighbours (whose answers are recorded by hand); the other names
    stay (P8.2)."""
    settings = CatalogueSettings.objects.filter(municipality=home).first()
    current = list(settings.neighbours.all()) if settings is not None else []
    names = settings.other_neighbour_names if settings is not None else []
    in_stadga = {m.name for m in onboarded} | {m.name.removesuffix(" kommun") for m in onboarded}
    catalogue_settings_update(
        municipality=home,
        data={
            "neighbours": [*current, *(m for m in onboarded if m not in current)],
            "other_neighbours": "\n".join(n for n in names if n not in in_stadga),
        },
        actor=coordinator,
    )
