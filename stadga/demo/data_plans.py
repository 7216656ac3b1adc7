"""The demo municipality's IT plans as plain data (P1.2, P2, P3.3–P3.9), and their loader.

Every board that answers for an IT plan (the executive board and the six boards; the energy
company has its own governance) has a plan for this year, adopted by the board last autumn, with
its initiatives, the goals they serve, their expected benefit, the systems, products and
external organisations they concern (the fibre between the localities, P3.11) and their costs per
year. The school board also has last year's plan, followed up item by
item and evaluated; this year's school plan was started from its unfinished items. The technical
department and the central office are named in the plan settings, so each item's bearer follows
from its cost category (P3.6–P3.9); one item of the social services is borne by the central office
against its category's default, with the reason. Three premises have tenants with their shares
(the town hall owned, a preschool and an office leased, P3.10), and two cabling items of the
executive board's plan are theirs, so this year's internal rent for the network allocates money
to the tenants (P3.6, P3.7).

Years are counted from the year the demo is loaded, so "this year's plan" stays this year's. The
loader goes through the plan services like every other write; a board that already has a plan
for a year keeps it as it is, so a second load changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stadga.catalogue.models import Product
from stadga.organisation.models import (
    Board,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
)
from stadga.plans import services
from stadga.plans.choices import ItemStatus, Tenure
from stadga.plans.models import CostCategory, Goal, ITPlan, PlansSettings, Premises
from stadga.systems.models import System

from . import data
from .data import BUF, BUN, KFF, KFN, KLK, KS, OFN, SBF, SBN, SN, SOC, TF, VN

# The default cost categories (stadga.plans.defaults), by their names.
CABLING = "Passiv nätutrustning (kablage)"
ACTIVE = "Aktiv nätutrustning"
SHARED = "Förvaltningsövergripande system"
OWN = "Förvaltningens verksamhetssystem"

# The external organisations of the demo (`data.EXTERNAL_ORGANISATIONS`), by their names.
BETWEEN_LOCALITIES = "Bredband Östra Skaraborg AB"
LOCAL_NETWORK = "Karlsborgs Energi AB"
IT_COOPERATION = "IT-samverkan Östra Skaraborg"


@dataclass(frozen=True)
class ItemData:
    title: str
    description: str
    goals: tuple[str, ...]
    business_benefit: str
    societal_benefit: str
    category: str
    department: str | None
    responsible: str | None
    # (years from the plan's year, investment, running) in whole kronor
    costs: tuple[tuple[int, int, int], ...]
    systems: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    bearer: str | None = None  # another than the category's default…
    bearer_reason: str = ""  # …and why
    premises: str | None = None  # cabling: the premises whose internal rent recovers it (P3.7)
    external_organisations: tuple[str, ...] = ()  # by name (P3.11)
    # Last year's plans only: how the item stood at follow-up, and its actual costs.
    follow_up: tuple[str, str] | None = None
    actual: tuple[int, int] | None = None


@dataclass(frozen=True)
class PlanData:
    board: str
    paragraph: str
    adopted: tuple[int, int]  # (month, day) of the meeting in the year before the plan's
    items: tuple[ItemData, ...]
    notes: str = ""
    evaluation: str = ""  # last year's plans: the board's evaluation
    year_offset: int = 0  # -1: last year's plan
    started_from_last_year: bool = False
    followed_up: bool = False


# --- last year's school plan, followed up and evaluated ------------------------------------------

SCHOOL_LAST_YEAR = PlanData(
    board=BUN,
    paragraph="§ 71",
    adopted=(11, 14),
    year_offset=-1,
    followed_up=True,
    evaluation=(
        "Elevdatorerna till årskurs 7–9 är på plats och används i undervisningen; målet att alla "
        "elever ska uppleva IT som en del av lärmiljön (P2.4) har kommit närmare. Bytet av "
        "lärplattform sköts upp till i år i väntan på den gemensamma upphandlingen i Östra "
        "Skaraborg. Kostnaderna höll sig inom planen."
    ),
    items=(
        ItemData(
            title="En egen dator till varje elev i årskurs 7–9",
            description="Elevdatorer med mobilhantering, försäkring och utbildning av lärarna.",
            goals=("P2.4",),
            business_benefit="Lärarna planerar undervisningen för att alla elever har en dator.",
            societal_benefit="Lika tillgång till digitala verktyg oavsett hemförhållanden.",
            category=OWN,
            department=BUF,
            responsible=data.ICT_COORDINATOR,
            costs=((0, 1_200_000, 180_000), (1, 0, 180_000)),
            systems=("SYS-0030",),
            follow_up=(ItemStatus.DONE, "Levererat i augusti; 310 datorer i bruk."),
            actual=(1_145_000, 176_000),
        ),
        ItemData(
            title="Ny lärplattform",
            description="Byte till en lärplattform som delas med grannkommunerna.",
            goals=("P2.4", "P2.3"),
            business_benefit="En plattform för planering, inlämning och bedömning.",
            societal_benefit="Vårdnadshavare följer elevens skolarbete på ett ställe.",
            category=OWN,
            department=BUF,
            responsible=data.ICT_COORDINATOR,
            costs=((0, 250_000, 0), (1, 150_000, 220_000), (2, 0, 220_000)),
            systems=("SYS-0027",),
            external_organisations=(IT_COOPERATION,),
            follow_up=(
                ItemStatus.POSTPONED,
                "Upphandlingen görs gemensamt i Östra Skaraborg; avtal väntas i vår.",
            ),
            actual=(0, 0),
        ),
    ),
)

# --- this year's plans ---------------------------------------------------------------------------

PLANS: list[PlanData] = [
    PlanData(
        board=KS,
        paragraph="§ 142",
        adopted=(11, 25),
        notes="Kommunstyrelsens plan omfattar kommunledningskontoret och tekniska förvaltningen.",
        items=(
            ItemData(
                title="Nytt trådlöst nät i kommunhuset och på skolorna",
                description="Byte av accesspunkter och switchar som nått slutet av sin livstid.",
                goals=("P2.3", "P2.4"),
                business_benefit="Stabil uppkoppling för möten, e-tjänster och undervisning.",
                societal_benefit="Besökare och elever når kommunens tjänster på plats.",
                category=ACTIVE,
                department=KLK,
                responsible=data.IT_COORDINATOR,
                costs=((0, 850_000, 60_000), (1, 0, 60_000), (2, 0, 60_000)),
                systems=("SYS-0001",),
            ),
            ItemData(
                title="Fiber och kablage i den nya förskolan",
                description="Fastighetsnät i förskolan som byggs vid Bergsgatan.",
                goals=("P2.4",),
                business_benefit="Förskolan ansluts till kommunnätet från första dagen.",
                societal_benefit="Barnen får samma digitala lärmiljö som i övriga förskolor.",
                category=CABLING,
                department=TF,
                responsible="Mikael Andersson",
                costs=((0, 320_000, 0),),
                premises="Bergsgatans förskola",
                external_organisations=(LOCAL_NETWORK,),
            ),
            ItemData(
                title="Fiber till kommunens lokaler i Mölltorp och Forsvik",
                description=(
                    "Skolan och hemtjänstens lokaler i Mölltorp och biblioteksfilialen i Forsvik "
                    "ansluts med fiber till kommunnätet i stället för med hyrda förbindelser. "
                    "Bredband Östra Skaraborg bygger förbindelsen mellan orterna och Karlsborgs "
                    "Energi ortsnätet fram till lokalerna (P3.11)."
                ),
                goals=("P2.3", "P2.4"),
                business_benefit="Samma hastighet och driftsäkerhet i alla tätorter.",
                societal_benefit="Kommunens service i de mindre orterna håller samma nivå.",
                category=ACTIVE,
                department=KLK,
                responsible=data.IT_COORDINATOR,
                costs=((0, 280_000, 24_000), (1, 0, 24_000), (2, 0, 24_000)),
                systems=("SYS-0001",),
                external_organisations=(BETWEEN_LOCALITIES, LOCAL_NETWORK),
            ),
            ItemData(
                title="Kablage till de nya mötesrummen i kommunhuset",
                description="Fastighetsnät till mötesrummen på plan 2 och ny korskoppling.",
                goals=("P2.3",),
                business_benefit="Mötesrummen kan bokas för digitala möten med stabil uppkoppling.",
                societal_benefit="Medborgardialoger kan hållas på plats och på distans samtidigt.",
                category=CABLING,
                department=TF,
                responsible="Mikael Andersson",
                costs=((0, 90_000, 12_000), (1, 0, 12_000)),
                premises="Kommunhuset",
            ),
            ItemData(
                title="Uppgradering av ekonomisystemet",
                description="Ny huvudversion med e-handel och digital attest.",
                goals=("P2.3",),
                business_benefit="Färre manuella moment i fakturaflödet och snabbare bokslut.",
                societal_benefit="Skattepengarna förvaltas med bättre kontroll och spårbarhet.",
                category=SHARED,
                department=KLK,
                responsible=data.FINANCE_MANAGER,
                costs=((0, 400_000, 35_000), (1, 0, 35_000)),
                systems=("SYS-0011",),
            ),
            ItemData(
                title="E-tjänster för bygglov och färdtjänst",
                description="Fler ärenden kan sökas och följas digitalt via e-tjänsteplattformen.",
                goals=("P2.1", "P2.2"),
                business_benefit="Kompletta ansökningar och mindre handpåläggning.",
                societal_benefit="Invånarna söker och följer sina ärenden när det passar dem.",
                category=SHARED,
                department=KLK,
                responsible=data.COMMUNICATIONS,
                costs=((0, 180_000, 45_000), (1, 0, 45_000)),
                systems=("SYS-0022",),
            ),
        ),
    ),
    PlanData(
        board=BUN,
        paragraph="§ 68",
        adopted=(11, 13),
        started_from_last_year=True,
        items=(
            ItemData(
                title="Digitala nationella prov",
                description="Förberedelser för digitala nationella prov: nät, datorer och rutiner.",
                goals=("P2.4",),
                business_benefit="Proven genomförs och rättas utan pappershantering.",
                societal_benefit="Eleverna prövas i den miljö de arbetar i.",
                category=OWN,
                department=BUF,
                responsible=data.ICT_COORDINATOR,
                costs=((0, 90_000, 20_000),),
                systems=("SYS-0026", "SYS-0030"),
                products=("Windows 11",),
            ),
        ),
    ),
    PlanData(
        board=SN,
        paragraph="§ 103",
        adopted=(11, 20),
        items=(
            ItemData(
                title="Digital nattillsyn i hemtjänsten",
                description="Kameratillsyn nattetid för den som önskar det, i stället för besök.",
                goals=("P2.1", "P2.3"),
                business_benefit="Nattpatrullen räcker till fler och kör färre mil.",
                societal_benefit="Den enskilde slipper bli väckt av besök mitt i natten.",
                category=OWN,
                department=SOC,
                responsible=data.HOME_CARE_HEAD,
                costs=((0, 150_000, 90_000), (1, 0, 90_000), (2, 0, 90_000)),
                systems=("SYS-0036",),
                products=("Digital nattillsyn med kamera",),
            ),
            ItemData(
                title="Nytt verksamhetssystem för socialtjänsten",
                description="Förstudie och upphandling; systemet delas med grannkommunerna.",
                goals=("P2.3",),
                business_benefit="En sammanhållen dokumentation och färre dubbelregistreringar.",
                societal_benefit="Rättssäker handläggning och snabbare beslut.",
                category=OWN,
                department=SOC,
                responsible=data.SOCIAL_SYSTEMS,
                costs=((0, 200_000, 0), (1, 1_400_000, 380_000), (2, 0, 380_000)),
                systems=("SYS-0031",),
                external_organisations=(IT_COOPERATION,),
                bearer=KLK,
                bearer_reason=(
                    "Kommunstyrelsen beslutade (KS § 98) att kommunledningskontoret bär "
                    "förstudien, eftersom systemet ska delas med grannkommunerna."
                ),
            ),
        ),
    ),
    PlanData(
        board=SBN,
        paragraph="§ 88",
        adopted=(11, 18),
        items=(
            ItemData(
                title="Digital bygglovsprocess",
                description="Ansökan, remisser och beslut i bygglovssystemet utan papper.",
                goals=("P2.1", "P2.3"),
                business_benefit="Kortare handläggningstid och färre kompletteringar.",
                societal_benefit="Den sökande ser var ärendet står och får beslut snabbare.",
                category=OWN,
                department=SBF,
                responsible=data.BUILDING_OFFICER,
                costs=((0, 120_000, 30_000), (1, 0, 30_000)),
                systems=("SYS-0039",),
            ),
        ),
    ),
    PlanData(
        board=KFN,
        paragraph="§ 54",
        adopted=(11, 19),
        items=(
            ItemData(
                title="Meröppet bibliotek",
                description="Lånekort med kod ger tillgång till biblioteket utanför bemannad tid.",
                goals=("P2.1", "P2.2"),
                business_benefit="Längre öppettider utan fler tjänster.",
                societal_benefit="Invånarna når biblioteket och dess tjänster när de kan.",
                category=OWN,
                department=KFF,
                responsible=data.LIBRARIAN,
                costs=((0, 260_000, 40_000), (1, 0, 40_000)),
                systems=("SYS-0041",),
            ),
        ),
    ),
    PlanData(
        board=VN,
        paragraph="§ 9",
        adopted=(11, 6),
        items=(
            ItemData(
                title="Digitalt stöd för valadministrationen",
                description="Uppdatering av valadministrationen inför nästa val.",
                goals=("P2.2",),
                business_benefit="Säkrare rösträkning och rapportering på valnatten.",
                societal_benefit="Förtroende för valet och snabb information till väljarna.",
                category=SHARED,
                department=KLK,
                responsible=data.CLERK,
                costs=((0, 40_000, 15_000),),
                systems=("SYS-0023",),
            ),
        ),
    ),
    PlanData(
        board=OFN,
        paragraph="§ 14",
        adopted=(11, 12),
        items=(
            ItemData(
                title="E-tjänst för årsräkningar",
                description="Ställföreträdare lämnar årsräkningen digitalt.",
                goals=("P2.1",),
                business_benefit="Granskningen börjar direkt, utan inskanning.",
                societal_benefit="Gode män och förvaltare slipper skicka papper.",
                category=SHARED,
                department=KLK,
                responsible=data.GUARDIANSHIP_OFFICER,
                costs=((0, 60_000, 25_000), (1, 0, 25_000)),
                systems=("SYS-0024", "SYS-0022"),
            ),
        ),
    ),
]


# --- the premises and their tenants (P3.6, P3.7, P3.10) -----------------------------------------


@dataclass(frozen=True)
class PremisesData:
    name: str
    address: str
    tenure: str
    tenants: tuple[tuple[str, str], ...]  # (department, share as a fraction)
    lease_note: str = ""


PREMISES: list[PremisesData] = [
    PremisesData(
        "Kommunhuset",
        "Storgatan 1",
        Tenure.OWNED,
        ((KLK, "0.40"), (SOC, "0.35"), (SBF, "0.25")),
    ),
    PremisesData(
        "Bergsgatans förskola",
        "Bergsgatan 12",
        Tenure.LEASED,
        ((BUF, "1"),),
        "Hyrs av Karlsborgsbostäder AB; investeringar i fastighetsnätet följer kommunens "
        "investeringspolicy (P3.10).",
    ),
    PremisesData(
        "Hamnkontoret",
        "Hamngatan 4",
        Tenure.LEASED,
        ((TF, "0.60"), (KFF, "0.40")),
        "Inhyrt kontor; hyresavtalet löper till och med 2029.",
    ),
]


# --- the loader ----------------------------------------------------------------------------------


class PlanLoader:
    """Loads the plans above for one municipality; `count(what)` counts what it created."""

    def __init__(self, m: Municipality, count: Callable[[str], None], actor: Any = None) -> None:
        self.m = m
        self.count = count
        self.actor = actor
        self.boards = {b.name: b for b in Board.objects.filter(municipality=m)}
        self.departments = {d.name: d for d in Department.objects.filter(municipality=m)}
        self.people: dict[str, Person] = {}
        for person in Person.objects.filter(municipality=m, archived_at__isnull=True).order_by(
            "pk"
        ):
            self.people.setdefault(person.name, person)
        self.systems = {s.identifier: s for s in System.objects.filter(municipality=m)}
        self.products = {p.name: p for p in Product.objects.filter(municipality=m)}
        self.goals = {g.code: g for g in Goal.objects.filter(municipality=m)}
        self.categories = {c.name: c for c in CostCategory.objects.filter(municipality=m)}
        self.organisations = {
            o.name: o
            for o in ExternalOrganisation.objects.filter(municipality=m, archived_at__isnull=True)
        }
        self.premises: dict[str, Premises] = {}

    def load(self) -> None:
        if services.plans_defaults_seed(municipality=self.m, actor=self.actor):
            self.count("plan goals and cost categories")
            self.goals = {g.code: g for g in Goal.objects.filter(municipality=self.m)}
            self.categories = {c.name: c for c in CostCategory.objects.filter(municipality=self.m)}
        self.load_settings()
        year = timezone.localdate().year
        self.load_premises(year)
        self.load_plan(SCHOOL_LAST_YEAR, year - 1)
        for plan in PLANS:
            self.load_plan(plan, year)

    def load_settings(self) -> None:
        if PlansSettings.objects.filter(municipality=self.m).exists():
            return
        services.plans_settings_update(
            municipality=self.m,
            data={
                "technical_department": self.departments.get(TF),
                "central_office": self.departments.get(KLK),
            },
            actor=self.actor,
        )
        self.count("plan settings")

    def load_premises(self, year: int) -> None:
        """The premises with their tenants since two years back, so this year's internal rent
        (and last year's) has tenants to allocate to."""
        self.premises = {p.name: p for p in Premises.objects.filter(municipality=self.m)}
        for data_premises in PREMISES:
            if data_premises.name in self.premises:
                continue
            premises = services.premises_create(
                municipality=self.m,
                data={
                    "name": data_premises.name,
                    "address": data_premises.address,
                    "tenure": data_premises.tenure,
                    "lease_note": data_premises.lease_note,
                },
                actor=self.actor,
            )
            shares = [
                (self.departments[name], Decimal(share))
                for name, share in data_premises.tenants
                if name in self.departments
            ]
            if sum((share for _d, share in shares), Decimal(0)) == 1:
                services.tenancies_set(
                    premises=premises,
                    valid_from=datetime.date(year - 2, 1, 1),
                    shares=shares,
                    actor=self.actor,
                )
            self.premises[premises.name] = premises
            self.count("premises")

    def load_plan(self, item: PlanData, year: int) -> None:
        board = self.boards.get(item.board)
        if (
            board is None
            or ITPlan.objects.filter(municipality=self.m, board=board, year=year).exists()
        ):
            return
        last = ITPlan.objects.filter(municipality=self.m, board=board, year=year - 1).first()
        if item.started_from_last_year and last is not None and not last.is_draft:
            plan = services.it_plan_copy_to_next_year(plan=last, actor=self.actor)
        else:
            plan = services.it_plan_create(
                municipality=self.m, data={"board": board, "year": year}, actor=self.actor
            )
        if item.notes:
            services.it_plan_update(plan=plan, data={"notes": item.notes}, actor=self.actor)
        self.count("IT plans")
        created = [(self.load_item(plan, i), i) for i in item.items]
        month, day = item.adopted
        services.it_plan_adopt(
            plan=plan,
            adopted_on=datetime.date(year - 1, month, day),
            decision_paragraph=item.paragraph,
            actor=self.actor,
        )
        if not item.followed_up:
            return
        for plan_item, data_item in created:
            status, comment = data_item.follow_up or (ItemStatus.ONGOING, "")
            actual = data_item.actual
            services.plan_item_follow_up(
                item=plan_item,
                status=status,
                comment=comment,
                actuals={year: (Decimal(actual[0]), Decimal(actual[1]))} if actual else None,
                actor=self.actor,
            )
        services.it_plan_follow_up(
            plan=plan, followed_up_on=datetime.date(year + 1, 2, 20), actor=self.actor
        )
        services.it_plan_evaluate(
            plan=plan,
            evaluation=item.evaluation,
            evaluated_on=datetime.date(year + 1, 3, 12),
            actor=self.actor,
        )

    def load_item(self, plan: ITPlan, item: ItemData) -> Any:
        values = {
            "plan": plan,
            "title": item.title,
            "description": item.description,
            "business_benefit": item.business_benefit,
            "societal_benefit": item.societal_benefit,
            "goals": [self.goals[g] for g in item.goals if g in self.goals],
            "systems": [self.systems[s] for s in item.systems if s in self.systems],
            "products": [self.products[p] for p in item.products if p in self.products],
            "external_organisations": [
                self.organisations[name]
                for name in item.external_organisations
                if name in self.organisations
            ],
            "responsible": self.people.get(item.responsible or ""),
            "department": self.departments.get(item.department or ""),
            "cost_category": self.categories.get(item.category),
            "bearer": self.departments.get(item.bearer) if item.bearer else None,
            "bearer_reason": item.bearer_reason,
            "premises": self.premises.get(item.premises) if item.premises else None,
        }
        created = services.plan_item_create(municipality=self.m, data=values, actor=self.actor)
        services.plan_item_costs_set(
            item=created,
            costs=[(plan.year + offset, inv, run) for offset, inv, run in item.costs],
            actor=self.actor,
        )
        self.count("plan items")
        return created


def load_plans(m: Municipality, count: Callable[[str], None]) -> None:
    """The demo's IT plans (see the module's docstring)."""
    PlanLoader(m, count).load()
