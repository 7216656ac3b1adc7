"""The demo municipality as plain data: a fictional Karlsborg of about 7,000 inhabitants.

Everything here is invented. The boards and departments are those a Swedish municipality of that
size has; the people, e-mail addresses (under the reserved `.example` top-level domain) and the
vendors of the business systems are fictional. The only real names are the two companies the 2006
IT policy itself names (P3.11), and the makers of platform products everyone knows (Microsoft,
Broadcom) and the region, as vendors of the systems built on them; the product catalogue
(`data_catalogue`) adds the real makers of standard hardware and software.

The data holds a few deliberate gaps so that the register has something to point out:

- a planned system that has no system owner yet (P9.3 allows that only while it is planned),
- systems that are not classified, or only partly (P9.1),
- an in-house development, which the policy does not allow (P5.6),
- two systems for the same job: the school's own device management beside the municipality's (P4.1).

The security records (P9) hold their own gaps, so that the live policy page shows section 9 partly
kept, with offenders to follow:

- most systems have no information types classified yet, and one classification is overdue for
  review (P9.1);
- most of the requirements the systems' classification triggers have no measure yet (P9.5);
- a measure whose follow-up is overdue, of a system and of the platform (P9.5, P9.4);
- a measure whose follow-up found it not effective is still recorded as implemented (P9.5);
- the registers of processing activities name only some of the boards' systems with personal data
  (P9.2).

Dates of the security records are counted back from the day the demo is loaded.

Objects refer to each other by name (boards, departments, people) or by system ID; the loader
resolves the references and fails loudly on one that does not exist.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stadga.organisation.choices import BoardKind, Role
from stadga.security.choices import Effect, LegalBasis, MeasureStatus
from stadga.systems.choices import LifecyclePhase, ResponsibilityKind, SystemType

MUNICIPALITY_SLUG = "karlsborg"
MUNICIPALITY_NAME = "Karlsborgs kommun"
MUNICIPALITY_CODE = "1446"  # Statistics Sweden's code for Karlsborg
EMAIL_DOMAIN = "karlsborg.example"  # RFC 2606: .example is reserved, never a real address

# The 2006 policy calls the system owner "systemansvarig" (P9.3); the municipality keeps its word.
ROLE_LABELS = {Role.SYSTEM_OWNER.value: "Systemansvarig"}


@dataclass(frozen=True)
class BoardData:
    name: str
    short_name: str
    kind: str = BoardKind.BOARD


@dataclass(frozen=True)
class DepartmentData:
    name: str
    board: str


@dataclass(frozen=True)
class PersonData:
    name: str
    title: str
    department: str | None = None
    # A demo login (see stadga.demo.DEMO_ACCOUNTS); most people have none.
    username: str | None = None
    phone: str = ""
    # Has left the municipality: archived, yet still named as owner of systems nobody took over
    # (a deliberate P9.3 gap that the live policy page lists as offenders).
    left: bool = False

    @property
    def email(self) -> str:
        return email_for(self.name)


@dataclass(frozen=True)
class ExternalOrganisationData:
    name: str
    responsibilities: str
    contact: str = ""


@dataclass(frozen=True)
class RoleData:
    person: str
    role: str
    board: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class SystemData:
    identifier: str
    name: str
    purpose: str
    board: str
    department: str | None
    system_owner: str | None
    system_type: str
    vendor: str
    user_count: int | None
    personal_data: bool
    # (confidentiality, integrity, availability, traceability) on the four-step KLASSA scale;
    # None where the system is not (yet) classified.
    classification: tuple[int | None, int | None, int | None, int | None]
    justification: str = ""
    is_public: bool = True
    lifecycle_phase: str = LifecyclePhase.IN_PRODUCTION
    in_production_from: date | None = None
    phase_out_from: date | None = None
    retired_on: date | None = None
    depends_on: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class InformationTypeData:
    """A kind of information a system holds, classified (P9.1); the system's levels are the
    highest of its types, so the types below repeat the levels the system already has."""

    system: str
    name: str
    # (confidentiality, integrity, availability, traceability)
    levels: tuple[int, int, int, int]
    justification: str
    personal_data: bool = False
    sensitive_personal_data: bool = False
    description: str = ""
    classified_days_ago: int = 60


@dataclass(frozen=True)
class FollowUpData:
    days_ago: int
    performed_by: str
    checked: str
    effect: str = Effect.EFFECTIVE
    action: str = ""


@dataclass(frozen=True)
class MeasureData:
    """A protective measure (P9.5) of a system, or with no system of the platform (P9.4), with
    the requirement of the shipped catalogue it answers (by code) and its follow-ups."""

    system: str | None
    title: str
    requirement: str | None
    responsible: str
    description: str
    status: str = MeasureStatus.IMPLEMENTED
    evidence: str = ""
    planned_in_days: int | None = None
    not_applicable_reason: str = ""
    follow_up_months: int | None = None  # None: the interval the level sets
    follow_ups: tuple[FollowUpData, ...] = ()


@dataclass(frozen=True)
class ShortfallNoticeData:
    """A written need (P9.6), filed as the writer's demo login through the service, so that it
    reaches the addressees' inboxes like any other."""

    writer: str  # username
    title: str
    need: str
    risk: str
    estimated_cost: Decimal | None
    systems: tuple[str, ...]
    measures: tuple[tuple[str | None, str], ...]  # (system, title)
    department: str | None = None
    board: str | None = None


@dataclass(frozen=True)
class IncidentData:
    reporter: str  # username
    title: str
    description: str
    discovered_hours_ago: int
    significant: bool
    systems: tuple[str, ...]
    information_types: tuple[tuple[str, str], ...]  # (system, name)
    early_warning_after_hours: int | None = None


@dataclass(frozen=True)
class ProcessingActivityData:
    """An entry of a board's register of processing activities (GDPR art. 30, P9.2)."""

    board: str
    name: str
    purposes: str
    legal_basis: str
    legal_basis_detail: str
    data_subjects: str
    personal_data_categories: str
    systems: tuple[str, ...]
    sensitive_data: bool = False
    recipients: str = ""
    third_country_transfers: str = ""
    erasure_time_limits: str = ""
    dpia_done: bool = False
    processor_agreements: str = ""
    measures: tuple[tuple[str | None, str], ...] = ()  # (system, title)


def email_for(name: str) -> str:
    """förnamn.efternamn@karlsborg.example, folded to ASCII as municipal addresses are."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return f"{folded.lower().replace(' ', '.')}@{EMAIL_DOMAIN}"


# --- Boards (nämnder och styrelser) ----------------------------------------------------------

KS = "Kommunstyrelsen"
BUN = "Barn- och utbildningsnämnden"
SN = "Socialnämnden"
SBN = "Samhällsbyggnadsnämnden"
KFN = "Kultur- och fritidsnämnden"
VN = "Valnämnden"
OFN = "Överförmyndarnämnden"
KEAB = "Styrelsen för Karlsborgs Energi AB"

BOARDS: list[BoardData] = [
    BoardData(KS, "KS", BoardKind.EXECUTIVE_BOARD),  # P3.1, P9.2
    BoardData(BUN, "BUN"),
    BoardData(SN, "SN"),
    BoardData(SBN, "SBN"),
    BoardData(KFN, "KFN"),
    BoardData(VN, "VN"),
    BoardData(OFN, "ÖFN"),
    # The municipally owned energy company, which also builds the local network (P3.11).
    BoardData(KEAB, "KEAB", BoardKind.COMPANY_BOARD),
]

# --- Departments (förvaltningar) ---------------------------------------------------------------
# Valnämnden and Överförmyndarnämnden have no department of their own: the central office's
# secretariat serves them, as in most small municipalities.

KLK = "Kommunledningskontoret"  # houses the IT department (P3.2, P3.8, P3.9)
TF = "Tekniska förvaltningen"  # passive network equipment in the premises (P3.6, P3.7)
BUF = "Barn- och utbildningsförvaltningen"
SOC = "Socialförvaltningen"
SBF = "Samhällsbyggnadsförvaltningen"
KFF = "Kultur- och fritidsförvaltningen"

DEPARTMENTS: list[DepartmentData] = [
    DepartmentData(KLK, KS),
    DepartmentData(TF, KS),
    DepartmentData(BUF, BUN),
    DepartmentData(SOC, SN),
    DepartmentData(SBF, SBN),
    DepartmentData(KFF, KFN),
]

# --- People ------------------------------------------------------------------------------------
# Phone numbers are from the series the Swedish Post and Telecom Authority reserves for fiction
# (070-174 06 05 – 070-174 06 99).

IT_COORDINATOR = "Johan Bergström"
IT_TECHNICIAN = "Sara Nilsson"
FINANCE_MANAGER = "Per Holmgren"
HR_MANAGER = "Maria Eklund"
CLERK = "Lars Johansson"
REGISTRAR = "Eva Sandberg"
COMMUNICATIONS = "Linnea Strand"
GUARDIANSHIP_OFFICER = "Åsa Lindgren"
PROPERTY_MANAGER = "Kent Gustafsson"
ICT_COORDINATOR = "Oskar Lund"
PRESCHOOL_COORDINATOR = "Ingrid Persson"
PUPIL_HEALTH_HEAD = "Karin Holm"
BOARD_SECRETARY = "Lena Håkansson"
SOCIAL_SYSTEMS = "Anders Wikström"
MEDICAL_NURSE = "Elin Sjöberg"
HOME_CARE_HEAD = "Tomas Ek"
TRANSPORT_OFFICER = "Marie Bengtsson"
GIS_ENGINEER = "Fredrik Månsson"
BUILDING_OFFICER = "Sofia Berg"
ENVIRONMENT_INSPECTOR = "Nils Åberg"
LIBRARIAN = "Gunnel Ström"
LEISURE_OFFICER = "Patrik Öberg"

PEOPLE: list[PersonData] = [
    # Kommunledningskontoret
    # Heads the central office: the finance systems' shortfall notices reach her (P9.6).
    PersonData("Annika Lindqvist", "Kommundirektör", KLK, "kommundirektor"),
    PersonData(IT_COORDINATOR, "IT-samordnare", KLK, "it.samordnare", "070-174 06 10"),
    PersonData(IT_TECHNICIAN, "IT-tekniker", KLK, "it.tekniker", "070-174 06 11"),
    PersonData(FINANCE_MANAGER, "Ekonomichef", KLK, "ekonomichef"),
    PersonData("Henrik Sjögren", "Controller", KLK),
    PersonData(HR_MANAGER, "HR-chef", KLK),
    PersonData("Emma Rask", "Lönehandläggare", KLK),
    PersonData(CLERK, "Kanslichef", KLK),
    PersonData(REGISTRAR, "Registrator och arkivarie", KLK),
    PersonData(COMMUNICATIONS, "Kommunikatör och webbredaktör", KLK),
    PersonData(GUARDIANSHIP_OFFICER, "Handläggare, överförmyndarverksamheten", KLK),
    # Tekniska förvaltningen
    PersonData("Mikael Andersson", "Teknisk chef", TF),
    PersonData(PROPERTY_MANAGER, "Fastighetsförvaltare", TF),
    PersonData("Jenny Sundberg", "Administratör", TF, "medarbetare"),
    # Barn- och utbildningsförvaltningen
    PersonData("Helena Karlsson", "Skolchef och förvaltningschef", BUF),
    PersonData(ICT_COORDINATOR, "IKT-samordnare, skolan", BUF),
    PersonData(PRESCHOOL_COORDINATOR, "Förskolesamordnare", BUF),
    PersonData(PUPIL_HEALTH_HEAD, "Verksamhetschef elevhälsan", BUF),
    # Prepares the education board's business, its IT plan and the adoption of it (P3.4).
    PersonData(
        BOARD_SECRETARY, "Nämndsekreterare, barn- och utbildningsnämnden", BUF, "bun.sekreterare"
    ),
    # Socialförvaltningen
    PersonData("Birgitta Forsberg", "Socialchef", SOC, "socialchef"),
    PersonData(SOCIAL_SYSTEMS, "Systemförvaltare, socialtjänsten", SOC),
    PersonData(MEDICAL_NURSE, "Medicinskt ansvarig sjuksköterska (MAS)", SOC),
    PersonData(HOME_CARE_HEAD, "Enhetschef hemtjänst", SOC),
    PersonData(TRANSPORT_OFFICER, "Färdtjänsthandläggare", SOC),
    # Samhällsbyggnadsförvaltningen
    PersonData("Jonas Hedlund", "Samhällsbyggnadschef", SBF),
    PersonData(GIS_ENGINEER, "GIS-ingenjör (slutade i våras)", SBF, left=True),
    PersonData(BUILDING_OFFICER, "Bygglovshandläggare", SBF),
    PersonData(ENVIRONMENT_INSPECTOR, "Miljö- och hälsoskyddsinspektör", SBF),
    # Kultur- och fritidsförvaltningen
    PersonData("Ulrika Dahl", "Kultur- och fritidschef", KFF),
    PersonData(LIBRARIAN, "Bibliotekschef", KFF),
    PersonData(LEISURE_OFFICER, "Fritidskonsulent", KFF),
    # Elected representatives and the auditor belong to no department.
    PersonData("Lennart Svensson", "Kommunstyrelsens ordförande", None, "ks.ordforande"),
    PersonData("Peter Lundgren", "Barn- och utbildningsnämndens ordförande"),
    PersonData("Camilla Nordin", "Ledamot, barn- och utbildningsnämnden", None, "bun.ledamot"),
    PersonData("Gösta Lindberg", "Socialnämndens ordförande"),
    PersonData("Ann-Britt Axelsson", "Samhällsbyggnadsnämndens ordförande"),
    PersonData("Roger Blom", "Kultur- och fritidsnämndens ordförande"),
    PersonData("Margareta Hellström", "Valnämndens ordförande"),
    PersonData("Bo Engström", "Överförmyndarnämndens ordförande"),
    PersonData("Stefan Carlsson", "Styrelseordförande, Karlsborgs Energi AB"),
    PersonData("Kerstin Wallin", "Förtroendevald revisor", None, "revisor"),
]

# --- External organisations (P3.11, P8) ----------------------------------------------------------
# The first two are named in the policy; the others are invented. No organisation numbers or
# websites: they would point at real companies.

EXTERNAL_ORGANISATIONS: list[ExternalOrganisationData] = [
    ExternalOrganisationData(
        "Bredband Östra Skaraborg AB",
        "Utveckling och utbyggnad av det ortssammanbindande nätet mellan kommunens tätorter "
        "(IT-policyn avsnitt 3).",
    ),
    ExternalOrganisationData(
        "Karlsborgs Energi AB",
        "Utveckling och utbyggnad av kommunens ortsnät (IT-policyn avsnitt 3). Kommunägt bolag.",
    ),
    ExternalOrganisationData(
        "IT-samverkan Östra Skaraborg",
        "Samverkan mellan grannkommunerna om upphandling, drift och informationssäkerhet; "
        "samordningsfrågor inför nya system stäms av här (IT-policyn avsnitt 8).",
        "Samordnare för IT-samverkan",
    ),
    ExternalOrganisationData(
        "Vätterbygdens Larmcentral AB",
        "Tar emot och vidarebefordrar trygghetslarm dygnet runt på uppdrag av socialnämnden.",
        "Larmcentralens driftansvarige",
    ),
]


@dataclass(frozen=True)
class ExternalResponsibilityData:
    """What an external organisation answers for in a system (P3.11), by the system's ID."""

    organisation: str
    system: str
    kind: str
    description: str


# By system ID rather than the names below: this section comes before the systems.
EXTERNAL_RESPONSIBILITIES: list[ExternalResponsibilityData] = [
    ExternalResponsibilityData(
        "Bredband Östra Skaraborg AB",
        "SYS-0001",
        ResponsibilityKind.NETWORK,
        "Det ortssammanbindande nätet: fiberförbindelserna mellan Karlsborg, Mölltorp och "
        "Forsvik som kommunnätets lokaler i tätorterna ansluts över.",
    ),
    ExternalResponsibilityData(
        "Karlsborgs Energi AB",
        "SYS-0001",
        ResponsibilityKind.NETWORK,
        "Ortsnätet inom tätorterna: anslutning av kommunens lokaler fram till fastighetsnätet, "
        "som tekniska förvaltningen äger (P3.6).",
    ),
    ExternalResponsibilityData(
        "Vätterbygdens Larmcentral AB",
        "SYS-0033",
        ResponsibilityKind.OPERATION,
        "Larmcentralen tar emot trygghetslarmen dygnet runt och larmar hemtjänstens nattpatrull.",
    ),
    ExternalResponsibilityData(
        "IT-samverkan Östra Skaraborg",
        "SYS-0031",
        ResponsibilityKind.OTHER,
        "Samordnar grannkommunernas gemensamma upphandling av nästa verksamhetssystem för "
        "socialtjänsten (P8.2).",
    ),
]

# --- Role assignments ---------------------------------------------------------------------------
# System owners are named on each system (System.system_owner, P9.3) and need no assignment here.

ROLES: list[RoleData] = [
    RoleData(IT_COORDINATOR, Role.IT_COORDINATOR),  # P3.2, P3.12, P9.4
    RoleData(IT_TECHNICIAN, Role.IT_TECHNICIAN),  # P3.2
    RoleData("Lennart Svensson", Role.EXECUTIVE_BOARD_READER),  # P3.1, P9.2
    RoleData("Kerstin Wallin", Role.AUDITOR),
    RoleData(FINANCE_MANAGER, Role.EMPLOYEE),
    RoleData("Jenny Sundberg", Role.EMPLOYEE),
    # Every department head receives shortfall notices (P9.6) and appoints system owners (P9.3).
    RoleData("Annika Lindqvist", Role.DEPARTMENT_HEAD, department=KLK),
    RoleData("Mikael Andersson", Role.DEPARTMENT_HEAD, department=TF),
    RoleData("Helena Karlsson", Role.DEPARTMENT_HEAD, department=BUF),
    RoleData("Birgitta Forsberg", Role.DEPARTMENT_HEAD, department=SOC),
    RoleData("Jonas Hedlund", Role.DEPARTMENT_HEAD, department=SBF),
    RoleData("Ulrika Dahl", Role.DEPARTMENT_HEAD, department=KFF),
    # A member on every board: each board answers for its systems and IT plan (P3.3, P3.4, P9.2).
    RoleData("Lennart Svensson", Role.BOARD_MEMBER, board=KS),
    RoleData("Peter Lundgren", Role.BOARD_MEMBER, board=BUN),
    RoleData("Camilla Nordin", Role.BOARD_MEMBER, board=BUN),
    RoleData("Gösta Lindberg", Role.BOARD_MEMBER, board=SN),
    RoleData("Ann-Britt Axelsson", Role.BOARD_MEMBER, board=SBN),
    RoleData("Roger Blom", Role.BOARD_MEMBER, board=KFN),
    RoleData("Margareta Hellström", Role.BOARD_MEMBER, board=VN),
    RoleData("Bo Engström", Role.BOARD_MEMBER, board=OFN),
    RoleData("Stefan Carlsson", Role.BOARD_MEMBER, board=KEAB),
    # The education board's secretary draws up its IT plan with it and records the adoption.
    RoleData(BOARD_SECRETARY, Role.BOARD_SECRETARY, board=BUN),  # P3.4
]

# --- IT systems ---------------------------------------------------------------------------------

BOUGHT = SystemType.BOUGHT
SAAS = SystemType.SAAS

NETWORK = "SYS-0001"
DIRECTORY = "SYS-0002"
SERVERS = "SYS-0004"
FINANCE = "SYS-0011"
HR = "SYS-0015"
CASES = "SYS-0017"
WEBSITE = "SYS-0020"
E_SERVICES = "SYS-0022"
SOCIAL_RECORDS = "SYS-0031"
HEALTH_RECORDS = "SYS-0032"
GIS = "SYS-0037"

# Most systems need the network and a login from the directory to work at all.
PLATFORM = (NETWORK, DIRECTORY)

SYSTEMS: list[SystemData] = [
    # -- The technical platform: the IT coordinator answers for its security (P9.4, P3.8). --
    SystemData(
        NETWORK,
        "Kommunnätet (aktiv nätutrustning och trådlöst nät)",
        "Switchar, routrar och trådlöst nät som förbinder kommunens lokaler och ansluter dem "
        "till ortsnätet och det ortssammanbindande nätet.",
        KS,
        KLK,
        IT_COORDINATOR,
        BOUGHT,
        "Vätternät Kommunikation AB",
        None,
        False,
        (2, 3, 4, 2),
        "Avbrott stoppar i stort sett all verksamhet, även larm och vård, därför högsta nivå "
        "för tillgänglighet. Konfigurationen är skyddsvärd men innehåller inga personuppgifter.",
        is_public=False,
        in_production_from=date(2009, 3, 1),
        contacts=(IT_TECHNICIAN,),
        notes="Passiv utrustning (kablage) i lokalerna ägs av tekniska förvaltningen (P3.6). "
        "Ortsnät: Karlsborgs Energi AB; ortssammanbindande nät: Bredband Östra Skaraborg AB.",
    ),
    SystemData(
        DIRECTORY,
        "Katalogtjänst och inloggning (Active Directory)",
        "Användarkonton, grupper och behörigheter för anställda och elever; gemensam inloggning "
        "till kommunens system.",
        KS,
        KLK,
        IT_COORDINATOR,
        BOUGHT,
        "Microsoft",
        1450,
        True,
        (3, 4, 4, 3),
        "Den som tar över katalogtjänsten kommer åt allt. Felaktiga behörigheter ger obehörig "
        "åtkomst till sekretessuppgifter; avbrott stoppar inloggning i alla system.",
        is_public=False,
        in_production_from=date(2008, 8, 1),
        depends_on=(NETWORK,),
        contacts=(IT_TECHNICIAN,),
    ),
    SystemData(
        "SYS-0003",
        "Brandvägg och fjärråtkomst",
        "Skyddar kommunnätet mot internet och ger anställda säker fjärråtkomst.",
        KS,
        KLK,
        IT_COORDINATOR,
        BOUGHT,
        "Skärgårdens Säkerhetsteknik AB",
        None,
        False,
        (3, 4, 4, 3),
        "Regelverket beskriver nätets skydd och får inte bli känt; fel i reglerna eller avbrott "
        "påverkar all extern kommunikation.",
        is_public=False,
        in_production_from=date(2019, 5, 1),
        depends_on=(NETWORK,),
    ),
    SystemData(
        SERVERS,
        "Serverplattform och virtualisering",
        "Servrar och lagring i kommunens serverhall där de lokalt installerade systemen körs.",
        KS,
        KLK,
        IT_TECHNICIAN,
        BOUGHT,
        "Broadcom",
        None,
        True,
        (3, 4, 4, 3),
        "Bär ekonomi-, personal- och socialtjänstens system och ärver därmed deras skyddsbehov.",
        is_public=False,
        in_production_from=date(2016, 10, 1),
        depends_on=PLATFORM,
        contacts=(IT_COORDINATOR,),
    ),
    SystemData(
        "SYS-0005",
        "Säkerhetskopiering",
        "Säkerhetskopior av servrar och verksamhetsdata, med kopia på annan ort.",
        KS,
        KLK,
        IT_TECHNICIAN,
        BOUGHT,
        "Nordvakt Backup AB",
        None,
        True,
        (4, 3, 3, 2),
        "Innehåller kopior av all information, även sekretessuppgifter om enskilda; "
        "återläsningsförmågan avgör hur snabbt verksamheten kommer igång efter ett haveri.",
        is_public=False,
        in_production_from=date(2018, 1, 15),
        depends_on=(NETWORK, DIRECTORY, SERVERS),
        contacts=(IT_COORDINATOR,),
    ),
    SystemData(
        "SYS-0006",
        "E-post och kalender",
        "E-post, kalender och delade funktionsbrevlådor för anställda och förtroendevalda.",
        KS,
        KLK,
        IT_TECHNICIAN,
        SAAS,
        "Molnkontor Norden AB",
        780,
        True,
        (3, 2, 3, 2),
        "E-post kan innehålla känsliga personuppgifter och sekretessuppgifter trots rutinen "
        "att sådant inte ska skickas okrypterat.",
        in_production_from=date(2021, 2, 1),
        depends_on=PLATFORM,
    ),
    SystemData(
        "SYS-0007",
        "Kommunikationsplattform (chatt och videomöten)",
        "Chatt, videomöten och samarbetsytor för arbetsgrupper.",
        KS,
        KLK,
        IT_TECHNICIAN,
        SAAS,
        "Molnkontor Norden AB",
        640,
        True,
        (2, 2, 2, 2),
        "Används inte för sekretessuppgifter; ett avbrott försvårar men stoppar inte arbetet.",
        in_production_from=date(2020, 4, 1),
        depends_on=(DIRECTORY,),
    ),
    SystemData(
        "SYS-0008",
        "Mobilhantering (MDM)",
        "Central hantering av mobiler och surfplattor: inställningar, appar, spärr vid förlust.",
        KS,
        KLK,
        IT_TECHNICIAN,
        SAAS,
        "Enhetsstyrning Sverige AB",
        520,
        True,
        (2, 3, 2, 3),
        "Styr säkerhetsinställningarna på enheter som når verksamhetssystemen.",
        is_public=False,
        in_production_from=date(2022, 9, 1),
        depends_on=(DIRECTORY,),
    ),
    SystemData(
        "SYS-0009",
        "Utskriftshantering",
        "Gemensamma skrivare med säker utskrift via passerkort.",
        KS,
        KLK,
        IT_TECHNICIAN,
        BOUGHT,
        "Kontorsteknik i Skaraborg AB",
        700,
        False,
        (2, 1, 2, 1),
        "Säker utskrift hindrar att utskrivna handlingar blir liggande; avbrott är hanterbart.",
        in_production_from=date(2017, 6, 1),
        depends_on=PLATFORM,
    ),
    SystemData(
        "SYS-0010",
        "Telefoni och växel",
        "Kommunens växel, mobiltelefoni och svarsgrupper för kontaktcenter.",
        KS,
        KLK,
        CLERK,
        SAAS,
        "Telekom Mellansverige AB",
        720,
        True,
        (2, 2, 3, 2),
        "Medborgarnas väg in till kommunen; avbrott drabbar service och larmkedjor.",
        in_production_from=date(2020, 11, 1),
        depends_on=(NETWORK,),
    ),
    # -- Cross-departmental business systems, financed and managed centrally (P3.9, P6.3). --
    SystemData(
        FINANCE,
        "Ekonomisystem",
        "Redovisning, budget, kund- och leverantörsreskontra för hela kommunen.",
        KS,
        KLK,
        FINANCE_MANAGER,
        BOUGHT,
        "Norrsken Ekonomi AB",
        110,
        True,
        (2, 4, 3, 3),
        "Redovisningen måste vara korrekt och spårbar enligt lagen om kommunal bokföring; "
        "ett avbrott vid bokslut eller utbetalning är allvarligt.",
        in_production_from=date(2012, 1, 1),
        depends_on=(*PLATFORM, SERVERS),
        contacts=("Henrik Sjögren", IT_TECHNICIAN),
        notes="Förvaltningsövergripande; grundutbildning ges av kommunledningskontoret (P3.9).",
    ),
    SystemData(
        "SYS-0012",
        "Leverantörsfakturor och e-handel",
        "Skanning, attest och betalning av leverantörsfakturor; beställningar via e-handel.",
        KS,
        KLK,
        FINANCE_MANAGER,
        SAAS,
        "Norrsken Ekonomi AB",
        260,
        True,
        (2, 4, 3, 3),
        "Felaktig attest eller betalning leder till ekonomisk skada; varje attest ska gå att "
        "spåra till en person.",
        in_production_from=date(2015, 9, 1),
        depends_on=(FINANCE, DIRECTORY),
    ),
    SystemData(
        "SYS-0013",
        "Upphandlingsverktyg",
        "Annonsering av upphandlingar, anbudsmottagning och avtalsdatabas.",
        KS,
        KLK,
        FINANCE_MANAGER,
        SAAS,
        "Anbudstorget Sverige AB",
        25,
        True,
        (3, 3, 2, 3),
        "Anbud omfattas av upphandlingssekretess tills tilldelningsbeslut fattats.",
        in_production_from=date(2019, 3, 1),
    ),
    SystemData(
        "SYS-0014",
        "Beslutsstöd och verksamhetsuppföljning",
        "Sammanställer ekonomi-, personal- och verksamhetsdata till rapporter för nämnder "
        "och chefsgruppen.",
        KS,
        KLK,
        FINANCE_MANAGER,
        SAAS,
        "Insiktsdata Norden AB",
        None,
        False,
        (2, 3, 2, 2),
        "Hämtar aggregerade uppgifter; felaktiga siffror kan leda till felaktiga beslut.",
        lifecycle_phase=LifecyclePhase.PLANNED,
        depends_on=(FINANCE, HR),
        contacts=("Henrik Sjögren",),
        notes="Upphandling pågår. Intresset för samordning har stämts av med grannkommunerna "
        "inom IT-samverkan Östra Skaraborg (P8.2).",
    ),
    SystemData(
        HR,
        "Personal- och lönesystem",
        "Anställningar, lön, frånvaro och pension för kommunens anställda.",
        KS,
        KLK,
        HR_MANAGER,
        BOUGHT,
        "Fjällvind HR-system AB",
        95,
        True,
        (3, 4, 3, 3),
        "Innehåller personnummer, löne- och hälsouppgifter; fel i lönen drabbar enskilda direkt.",
        in_production_from=date(2013, 1, 1),
        depends_on=(*PLATFORM, SERVERS),
        contacts=("Emma Rask",),
        notes="Förvaltningsövergripande; grundutbildning ges av kommunledningskontoret (P3.9).",
    ),
    SystemData(
        "SYS-0016",
        "Digitala lönespecifikationer och självservice",
        "Anställda ser lönespecifikationer, rapporterar frånvaro och söker ledighet.",
        KS,
        KLK,
        HR_MANAGER,
        SAAS,
        "Fjällvind HR-system AB",
        760,
        True,
        (3, 3, 2, 3),
        "Varje anställd ser sina egna löneuppgifter; fel behörighet röjer andras.",
        in_production_from=date(2018, 4, 1),
        depends_on=(HR, DIRECTORY),
    ),
    SystemData(
        CASES,
        "Ärendehantering och diarium",
        "Registrering av allmänna handlingar, ärenden och beslut för alla nämnder.",
        KS,
        KLK,
        REGISTRAR,
        BOUGHT,
        "Dokumenta Kommunsystem AB",
        140,
        True,
        (3, 4, 3, 4),
        "Diariet visar vilka allmänna handlingar som finns (tryckfrihetsförordningen); "
        "sekretessmarkerade handlingar får inte röjas och registreringen måste vara spårbar.",
        in_production_from=date(2022, 1, 1),
        depends_on=(*PLATFORM, SERVERS),
        contacts=(CLERK,),
    ),
    SystemData(
        "SYS-0018",
        "E-arkiv",
        "Långtidsbevarande av elektroniska handlingar som levererats från verksamhetssystemen.",
        KS,
        KLK,
        REGISTRAR,
        SAAS,
        "Arkivtjänst Väst AB",
        15,
        True,
        (3, 4, 2, 4),
        "Arkivet ska vara autentiskt och oförändrat för all framtid; innehåller "
        "sekretessuppgifter från flera nämnder.",
        in_production_from=date(2023, 6, 1),
        depends_on=(CASES, HR, DIRECTORY),
        notes="Leveranser från ärendehantering och personalsystem; socialtjänsten planeras.",
    ),
    SystemData(
        "SYS-0019",
        "Politikerportal (digitala möteshandlingar)",
        "Kallelser och möteshandlingar till förtroendevalda på läsplatta.",
        KS,
        KLK,
        CLERK,
        SAAS,
        "Dokumenta Kommunsystem AB",
        85,
        True,
        (2, 3, 2, 2),
        "Handlingarna är oftast offentliga men kan innehålla sekretessbelagda bilagor.",
        in_production_from=date(2017, 1, 1),
        depends_on=(CASES,),
    ),
    SystemData(
        WEBSITE,
        "Kommunens webbplats",
        "Samhällsinformation, nyheter och kontaktuppgifter till förtroendevalda och tjänstemän.",
        KS,
        KLK,
        COMMUNICATIONS,
        SAAS,
        "Webbyrån Vättern AB",
        30,
        False,
        (1, 3, 3, 2),
        "Informationen är offentlig men måste vara riktig och nåbar, särskilt vid kris (P7.1).",
        in_production_from=date(2020, 9, 1),
        notes="Ska uppfylla lagen om tillgänglighet till digital offentlig service (P7.1).",
    ),
    SystemData(
        "SYS-0021",
        "Intranät",
        "Intern information, rutiner och styrdokument för anställda.",
        KS,
        KLK,
        COMMUNICATIONS,
        SAAS,
        "Webbyrån Vättern AB",
        700,
        False,
        (2, 2, 2, 1),
        "Intern information utan sekretess; rutiner måste vara aktuella.",
        in_production_from=date(2021, 3, 1),
        depends_on=(DIRECTORY,),
    ),
    SystemData(
        E_SERVICES,
        "E-tjänsteplattform",
        "Digitala ansökningar och anmälningar från invånare, med inloggning via e-legitimation.",
        KS,
        KLK,
        COMMUNICATIONS,
        SAAS,
        "Medborgartjänst Digital AB",
        60,
        True,
        (3, 3, 3, 3),
        "Ansökningar kan innehålla känsliga personuppgifter; e-legitimationen ska kunna spåras.",
        in_production_from=date(2019, 10, 1),
        depends_on=(WEBSITE, CASES),
        notes="Bidrar till målen service och demokrati (P2.1, P2.2).",
    ),
    SystemData(
        "SYS-0023",
        "Valadministration",
        "Valdistrikt, röstmottagare, lokaler och rapportering av valresultat.",
        VN,
        None,
        CLERK,
        SAAS,
        "Valstöd Sverige AB",
        12,
        True,
        (2, 4, 4, 3),
        "Rösträkningen måste vara korrekt och valdagen fungera; avbrott kan inte skjutas upp.",
        in_production_from=date(2018, 5, 1),
        notes="Kanslichefen är systemansvarig på valnämndens uppdrag.",
    ),
    SystemData(
        "SYS-0024",
        "Överförmyndarsystem",
        "Ärenden om gode män och förvaltare, årsräkningar och arvoden.",
        OFN,
        None,
        GUARDIANSHIP_OFFICER,
        BOUGHT,
        "Omsorgsdata Norden AB",
        6,
        True,
        (4, 3, 2, 3),
        "Uppgifter om huvudmäns hälsa och ekonomi omfattas av stark sekretess.",
        in_production_from=date(2016, 2, 1),
        depends_on=PLATFORM,
    ),
    # -- Tekniska förvaltningen --
    SystemData(
        "SYS-0025",
        "Fastighetssystem",
        "Fastighetsregister, underhållsplanering, felanmälan och internhyror.",
        KS,
        TF,
        PROPERTY_MANAGER,
        SAAS,
        "Fastighetsdata Skaraborg AB",
        40,
        False,
        (2, 3, 2, 2),
        "Internhyran bygger på systemets uppgifter (P3.7); ritningar över skyddsobjekt hanteras "
        "inte här.",
        in_production_from=date(2014, 5, 1),
        depends_on=(DIRECTORY,),
    ),
    # -- Barn- och utbildningsförvaltningen (P2.4) --
    SystemData(
        "SYS-0026",
        "Skolplattform",
        "Schema, frånvaro, bedömning och kontakt med vårdnadshavare i grundskolan och gymnasiet.",
        BUN,
        BUF,
        ICT_COORDINATOR,
        SAAS,
        "Skolnätet Sverige AB",
        1400,
        True,
        (3, 3, 3, 3),
        "Innehåller uppgifter om elever, även skyddade personuppgifter; frånvaroanmälan måste "
        "fungera varje skoldag.",
        in_production_from=date(2017, 8, 1),
        depends_on=(DIRECTORY, E_SERVICES),
    ),
    SystemData(
        "SYS-0027",
        "Lärplattform",
        "Uppgifter, material och inlämningar i undervisningen.",
        BUN,
        BUF,
        ICT_COORDINATOR,
        SAAS,
        "Lärmiljö Norden AB",
        1100,
        True,
        (2, 2, 3, 2),
        "Används i undervisningen varje dag; innehåller elevarbeten men inga sekretessuppgifter.",
        in_production_from=date(2019, 8, 1),
        depends_on=(DIRECTORY,),
        notes="Bidrar till målet att IT ska vara en integrerad del av lärandet (P2.4).",
    ),
    SystemData(
        "SYS-0028",
        "Elevhälsojournal",
        "Journalföring för skolsköterska, skolläkare, kurator och psykolog.",
        BUN,
        BUF,
        PUPIL_HEALTH_HEAD,
        BOUGHT,
        "Journaldata Vård AB",
        9,
        True,
        (4, 4, 2, 4),
        "Patientjournaler om barn omfattas av hälso- och sjukvårdssekretess; varje läsning ska "
        "loggas enligt patientdatalagen.",
        in_production_from=date(2015, 8, 1),
        depends_on=(*PLATFORM, SERVERS),
    ),
    SystemData(
        "SYS-0029",
        "Förskoleadministration",
        "Köer, placeringar och avgifter i förskola och fritidshem.",
        BUN,
        BUF,
        PRESCHOOL_COORDINATOR,
        SAAS,
        "Skolnätet Sverige AB",
        45,
        True,
        (3, 3, 2, 3),
        "Innehåller familjers inkomster och ibland skyddade personuppgifter.",
        in_production_from=date(2016, 1, 1),
        depends_on=(E_SERVICES, FINANCE),
    ),
    SystemData(
        "SYS-0030",
        "Enhetshantering elevdatorer",
        "Skolans egen hantering av elevdatorer och lärplattor.",
        BUN,
        BUF,
        ICT_COORDINATOR,
        SAAS,
        "Klassrumsteknik AB",
        1050,
        True,
        (2, 3, 2, 2),
        "Styr inställningarna på elevernas enheter.",
        is_public=False,
        lifecycle_phase=LifecyclePhase.PHASE_OUT,
        in_production_from=date(2015, 8, 1),
        phase_out_from=date(2025, 7, 1),
        depends_on=(DIRECTORY,),
        # P4.1: two products for the same job; the municipality's MDM takes over.
        notes="Överlappar kommunens mobilhantering (SYS-0008), som tar över elevenheterna "
        "(enhetlig driftmiljö, P4.1).",
    ),
    # -- Socialförvaltningen --
    SystemData(
        SOCIAL_RECORDS,
        "Verksamhetssystem socialtjänst",
        "Myndighetsutövning och dokumentation inom individ- och familjeomsorg, LSS och "
        "äldreomsorg.",
        SN,
        SOC,
        SOCIAL_SYSTEMS,
        BOUGHT,
        "Omsorgsdata Norden AB",
        180,
        True,
        (4, 4, 3, 4),
        "Uppgifter om enskildas personliga förhållanden omfattas av socialtjänstsekretess; "
        "felaktiga uppgifter kan leda till felaktiga beslut om enskilda. All åtkomst loggas.",
        in_production_from=date(2011, 4, 1),
        depends_on=(*PLATFORM, SERVERS),
        contacts=("Birgitta Forsberg",),
    ),
    SystemData(
        HEALTH_RECORDS,
        "Journalsystem hälso- och sjukvård",
        "Patientjournal för kommunens hälso- och sjukvård i hemsjukvård och särskilt boende.",
        SN,
        SOC,
        MEDICAL_NURSE,
        BOUGHT,
        "Omsorgsdata Norden AB",
        120,
        True,
        (4, 4, 4, 4),
        "Patientuppgifter; fel eller otillgänglig journal kan skada patienter (patientdatalagen).",
        in_production_from=date(2011, 4, 1),
        depends_on=(SOCIAL_RECORDS, *PLATFORM),
    ),
    SystemData(
        "SYS-0033",
        "Trygghetslarm",
        "Larmknappar hos brukare och mottagning av larm hos hemtjänsten dygnet runt.",
        SN,
        SOC,
        HOME_CARE_HEAD,
        SAAS,
        "Vätterbygdens Larmcentral AB",
        310,
        True,
        (3, 3, 4, 3),
        "Ett larm som inte når fram kan kosta liv; därför högsta nivå för tillgänglighet.",
        in_production_from=date(2019, 1, 1),
        notes="Digitala trygghetslarm sedan 2019; larmcentralen är extern (se externa "
        "organisationer).",
    ),
    SystemData(
        "SYS-0034",
        "Samordnad vårdplanering",
        "Informationsöverföring med regionen vid utskrivning från slutenvård.",
        SN,
        SOC,
        SOCIAL_SYSTEMS,
        SAAS,
        "Västra Götalandsregionen",
        70,
        True,
        (4, 4, 3, 4),
        "Patientuppgifter som delas mellan vårdgivare; åtkomst ska loggas och följas upp.",
        in_production_from=date(2018, 1, 1),
        depends_on=(HEALTH_RECORDS,),
    ),
    SystemData(
        "SYS-0035",
        "Färdtjänsthantering",
        "Ansökningar, tillstånd och resor inom färdtjänst och riksfärdtjänst.",
        SN,
        SOC,
        TRANSPORT_OFFICER,
        SAAS,
        "Resestöd Kommun AB",
        4,
        True,
        # A deliberate gap (P9.1): classification begun but not finished.
        (3, 2, None, None),
        "Klassning påbörjad: uppgifter om enskildas hälsa ger sekretess. Tillgänglighet och "
        "spårbarhet är ännu inte bedömda.",
        in_production_from=date(2020, 1, 1),
    ),
    SystemData(
        "SYS-0036",
        "Digital nattillsyn",
        "Tillsyn nattetid via kamera hos brukare som vill det, i stället för fysiska besök.",
        SN,
        SOC,
        # A deliberate gap (P9.3): planned, and the department has not appointed an owner yet.
        None,
        SAAS,
        "",
        None,
        True,
        (None, None, None, None),
        lifecycle_phase=LifecyclePhase.PLANNED,
        notes="Förstudie. Systemansvarig utses av socialförvaltningen innan upphandling; "
        "samordning med grannkommunerna ska stämmas av (P8.2).",
    ),
    # -- Samhällsbyggnadsförvaltningen --
    SystemData(
        GIS,
        "GIS (geografiskt informationssystem)",
        "Kartor och geografiska data för planering, bygglov, räddningstjänst och VA.",
        SBN,
        SBF,
        GIS_ENGINEER,
        BOUGHT,
        "Vätterkart AB",
        45,
        True,
        (2, 3, 2, 2),
        "Mest offentliga kartdata, men fastighetsägare och vissa ledningskartor är skyddsvärda.",
        in_production_from=date(2010, 6, 1),
        depends_on=(*PLATFORM, SERVERS),
    ),
    SystemData(
        "SYS-0038",
        "Kartor och planregister",
        "Primärkarta, detaljplaner och planregister; publiceras som webbkarta för invånare.",
        SBN,
        SBF,
        GIS_ENGINEER,
        BOUGHT,
        "Vätterkart AB",
        20,
        False,
        (1, 4, 2, 3),
        "Gällande detaljplaner har rättsverkan och måste vara korrekta.",
        in_production_from=date(2014, 3, 1),
        depends_on=(GIS, WEBSITE),
    ),
    SystemData(
        "SYS-0039",
        "Bygglovshantering",
        "Ansökningar, handläggning och beslut om bygglov, anmälan och tillsyn enligt PBL.",
        SBN,
        SBF,
        BUILDING_OFFICER,
        BOUGHT,
        "Samhällsbyggnadsdata AB",
        14,
        True,
        (2, 3, 2, 3),
        "Beslut påverkar enskildas rättigheter; ritningar över vissa byggnader är skyddsvärda.",
        in_production_from=date(2016, 9, 1),
        depends_on=(*PLATFORM, GIS, E_SERVICES),
    ),
    SystemData(
        "SYS-0040",
        "Miljö- och hälsoskyddstillsyn",
        "Tillsynsobjekt, inspektioner, avgifter och livsmedelskontroll.",
        SBN,
        SBF,
        ENVIRONMENT_INSPECTOR,
        BOUGHT,
        "Samhällsbyggnadsdata AB",
        8,
        True,
        (2, 3, 2, 3),
        "Tillsynsbeslut och avgifter måste vara korrekta och spårbara.",
        in_production_from=date(2013, 4, 1),
        depends_on=(*PLATFORM, GIS),
    ),
    # -- Kultur- och fritidsförvaltningen --
    SystemData(
        "SYS-0041",
        "Biblioteksystem",
        "Katalog, utlån och låntagarregister för huvudbiblioteket och skolbiblioteken.",
        KFN,
        KFF,
        LIBRARIAN,
        SAAS,
        "Bibliotekstjänst Skaraborg AB",
        2600,
        True,
        (2, 2, 2, 2),
        "Låntagarnas lån är skyddade av sekretess; avbrott stoppar utlån men inte verksamheten.",
        in_production_from=date(2018, 2, 1),
        notes="Gemensamt bibliotekssystem med grannkommunerna (samverkan, P8.1).",
    ),
    SystemData(
        "SYS-0042",
        "Bokningssystem lokaler och anläggningar",
        "Bokning av idrottshallar, samlingslokaler och konferensrum för föreningar och allmänhet.",
        KFN,
        KFF,
        LEISURE_OFFICER,
        SAAS,
        "Bokningsportalen AB",
        350,
        True,
        # A deliberate gap (P9.1): not classified.
        (None, None, None, None),
        in_production_from=date(2021, 8, 1),
        depends_on=(WEBSITE, FINANCE),
    ),
    SystemData(
        "SYS-0043",
        "Föreningsregister och bidragshantering",
        "Register över föreningar och deras ansökningar om föreningsbidrag.",
        KFN,
        KFF,
        LEISURE_OFFICER,
        # A deliberate gap (P5.6): built in-house, which the policy does not allow.
        SystemType.IN_HOUSE,
        "Egenutvecklad databas",
        3,
        True,
        (2, 3, 2, 1),
        "Kontaktuppgifter till föreningarnas företrädare; bidragsbeslut ska vara korrekta.",
        in_production_from=date(2009, 1, 1),
        notes="Byggd av en tidigare anställd; ingen leverantör, ingen dokumentation och inget "
        "supportavtal. Bör ersättas av en etablerad produkt (P5.1, P5.6).",
    ),
    # -- Retired: kept as a record, never deleted. --
    SystemData(
        "SYS-0044",
        "Tidigare diariesystem",
        "Diarium och ärendehantering fram till 2021.",
        KS,
        KLK,
        REGISTRAR,
        BOUGHT,
        "Dokumenta Kommunsystem AB",
        None,
        True,
        (None, None, None, None),
        lifecycle_phase=LifecyclePhase.RETIRED,
        in_production_from=date(2004, 1, 1),
        phase_out_from=date(2021, 6, 1),
        retired_on=date(2021, 12, 31),
        notes="Ersatt av Ärendehantering och diarium (SYS-0017); uppgifterna är överförda "
        "till e-arkivet.",
    ),
]


# --- Information security (P9) -----------------------------------------------------------------
# A handful of systems are classified by information type; most are not yet (P9.1). The levels
# repeat those the register gives the system, which are the highest of its types.

INFORMATION_TYPES: list[InformationTypeData] = [
    InformationTypeData(
        NETWORK,
        "Nätets konfiguration och övervakning",
        (2, 3, 4, 2),
        "Konfigurationen visar hur nätet är skyddat; ett avbrott stoppar nästan all verksamhet.",
        classified_days_ago=150,
    ),
    InformationTypeData(
        FINANCE,
        "Redovisning, reskontra och utbetalningar",
        (2, 4, 3, 3),
        "Felaktiga eller manipulerade utbetalningar ger ekonomisk skada; bokföringen ska gå att "
        "spåra. Reskontran innehåller enskilda firmor och privatpersoner.",
        personal_data=True,
        classified_days_ago=200,
    ),
    InformationTypeData(
        E_SERVICES,
        "Ansökningar och anmälningar från invånare",
        (3, 3, 3, 3),
        "Ansökningar kan röra hälsa och sociala förhållanden; inloggningen med e-legitimation "
        "ska kunna spåras.",
        personal_data=True,
        sensitive_personal_data=True,
    ),
    InformationTypeData(
        "SYS-0026",
        "Elevuppgifter och frånvaro",
        (3, 3, 3, 3),
        "Uppgifter om elever och vårdnadshavare, ibland skyddade personuppgifter; frånvaro ska "
        "kunna anmälas varje skoldag.",
        personal_data=True,
        classified_days_ago=90,
    ),
    InformationTypeData(
        "SYS-0026",
        "Bedömningar och betyg",
        (2, 3, 2, 3),
        "Betyg är myndighetsbeslut och måste vara riktiga och spårbara.",
        personal_data=True,
        classified_days_ago=90,
    ),
    InformationTypeData(
        "SYS-0028",
        "Elevhälsans journalanteckningar",
        (4, 4, 2, 4),
        "Patientjournaler om barn; hälso- och sjukvårdssekretess och krav på loggning.",
        personal_data=True,
        sensitive_personal_data=True,
        # A deliberate gap (P9.1): classified more than a year ago and not reviewed since.
        classified_days_ago=430,
    ),
    InformationTypeData(
        SOCIAL_RECORDS,
        "Personakter inom individ- och familjeomsorgen",
        (4, 4, 3, 4),
        "Uppgifter om enskildas personliga förhållanden omfattas av socialtjänstsekretess; fel "
        "uppgifter kan leda till fel beslut om barn och vuxna.",
        personal_data=True,
        sensitive_personal_data=True,
        classified_days_ago=45,
    ),
    InformationTypeData(
        SOCIAL_RECORDS,
        "Utredningar och beslut enligt LSS",
        (4, 4, 2, 4),
        "Uppgifter om funktionsnedsättning och hälsa.",
        personal_data=True,
        sensitive_personal_data=True,
        classified_days_ago=45,
    ),
    InformationTypeData(
        HEALTH_RECORDS,
        "Patientjournal",
        (4, 4, 4, 4),
        "Patientuppgifter; en felaktig eller otillgänglig journal kan skada patienter.",
        personal_data=True,
        sensitive_personal_data=True,
        classified_days_ago=120,
    ),
    InformationTypeData(
        "SYS-0033",
        "Larm och uppgifter om brukare",
        (3, 3, 4, 3),
        "Ett larm som inte når fram kan kosta liv; brukarnas hälsa framgår av larmen.",
        personal_data=True,
        sensitive_personal_data=True,
        classified_days_ago=30,
    ),
]

# Measures for some of the requirements the classification triggers (most still have none, P9.5),
# and the platform's measures, kept by the IT coordinator (P9.4).
MEASURES: list[MeasureData] = [
    # -- Verksamhetssystem socialtjänst --
    MeasureData(
        SOCIAL_RECORDS,
        "Inloggning med SITHS-kort",
        "KR-07",
        SOCIAL_SYSTEMS,
        "All inloggning i verksamhetssystemet kräver SITHS-kort och pinkod.",
        evidence="Leverantörens konfigurationsintyg 2024; kontrollerat vid uppföljning.",
        follow_ups=(
            FollowUpData(
                70,
                SOCIAL_SYSTEMS,
                "Försökte logga in med lösenord utan kort från tre arbetsplatser: nekades.",
            ),
        ),
    ),
    MeasureData(
        SOCIAL_RECORDS,
        "Loggning av läsning i personakter",
        "KR-14",
        SOCIAL_SYSTEMS,
        "Varje läsning av en personakt loggas med användare, tidpunkt och akt.",
        follow_ups=(
            FollowUpData(
                60, SOCIAL_SYSTEMS, "Stickprov på tio akter: alla läsningar fanns i loggen."
            ),
        ),
    ),
    MeasureData(
        SOCIAL_RECORDS,
        "Månatlig granskning av åtkomstloggar",
        "KR-15",
        SOCIAL_SYSTEMS,
        "Systemförvaltaren granskar åtkomstloggarna varje månad och dokumenterar avvikelser.",
        # The follow-up fell short, and the measure was marked partly implemented: acted on.
        status=MeasureStatus.PARTLY,
        follow_ups=(
            FollowUpData(
                20,
                SOCIAL_SYSTEMS,
                "Genomgång av granskningsprotokollen för det senaste halvåret.",
                Effect.PARTLY_EFFECTIVE,
                "Granskningen hade bara gjorts varannan månad. Den schemaläggs nu första måndagen "
                "varje månad, med enhetschefen för hemtjänsten som ersättare.",
            ),
        ),
    ),
    MeasureData(
        SOCIAL_RECORDS,
        "Årligt återläsningstest",
        "KR-18",
        SOCIAL_SYSTEMS,
        "En kopia av databasen återläses i leverantörens testmiljö en gång om året.",
        follow_up_months=12,
        # A deliberate gap (P9.5): the last test is more than a year old.
        follow_ups=(
            FollowUpData(
                400, SOCIAL_SYSTEMS, "Återläsning av hela databasen; tog sex timmar, utfall bra."
            ),
        ),
    ),
    MeasureData(
        SOCIAL_RECORDS,
        "Automatisk larm vid avvikande åtkomst",
        "KR-16",
        SOCIAL_SYSTEMS,
        "Leverantörens övervakningstjänst larmar systemförvaltaren vid ovanliga sökmönster.",
        status=MeasureStatus.PLANNED,
        planned_in_days=120,
    ),
    MeasureData(
        SOCIAL_RECORDS,
        "Inga verkliga personuppgifter i testmiljön",
        "KR-44",
        SOCIAL_SYSTEMS,
        "Kommunen har ingen egen test- eller utbildningsmiljö för systemet.",
        status=MeasureStatus.NOT_APPLICABLE,
        not_applicable_reason="Leverantören utbildar i sin egen miljö med påhittade uppgifter; "
        "kommunen har ingen test- eller utbildningsmiljö.",
    ),
    # -- Journalsystem hälso- och sjukvård --
    MeasureData(
        HEALTH_RECORDS,
        "Stark autentisering med SITHS",
        "KR-07",
        MEDICAL_NURSE,
        "Inloggning med SITHS-kort, även i mobila enheter i hemsjukvården.",
        follow_ups=(FollowUpData(30, MEDICAL_NURSE, "Kontroll av inloggningsinställningarna."),),
    ),
    MeasureData(
        HEALTH_RECORDS,
        "Redundant drift hos leverantören",
        "KR-26",
        MEDICAL_NURSE,
        "Systemet körs i två datahallar; avtalet anger 99,9 % tillgänglighet.",
        evidence="Driftavtal med Omsorgsdata Norden AB, bilaga 3.",
    ),
    # -- Ekonomisystem (ekonomichef) --
    MeasureData(
        FINANCE,
        "Attest och utbetalning av olika personer",
        "KR-08",
        FINANCE_MANAGER,
        "Den som registrerar en utbetalning kan inte attestera den; systemet spärrar det.",
        follow_ups=(
            FollowUpData(
                45, FINANCE_MANAGER, "Provade att attestera en egen registrering: spärrades."
            ),
        ),
    ),
    MeasureData(
        FINANCE,
        "Återläsningstest av ekonomisystemet",
        "KR-18",
        FINANCE_MANAGER,
        "Ekonomisystemet återläses i testmiljön en gång om året.",
        # A deliberate gap (P9.5): the test failed, and the measure still stands as implemented.
        follow_ups=(
            FollowUpData(
                15,
                FINANCE_MANAGER,
                "Återläsning av hela ekonomisystemet i testmiljön.",
                Effect.NOT_EFFECTIVE,
                "Återläsningen avbröts: testmiljön har för lite lagringsutrymme. Behovet anmäls "
                "skriftligt till kommundirektören (P9.6); nytt test när utrymmet finns.",
            ),
        ),
    ),
    # -- The technical platform and data communication (P9.4) --
    MeasureData(
        None,
        "Segmentering av kommunnätet",
        "KR-57",
        IT_COORDINATOR,
        "Verksamhetssystem, skolnät, gästnät och styrsystem ligger i egna nätsegment; trafiken "
        "mellan dem begränsas i brandväggen.",
        follow_ups=(
            FollowUpData(60, IT_COORDINATOR, "Genomgång av segment och brandväggsregler."),
        ),
    ),
    MeasureData(
        None,
        "Halvårsvis granskning av brandväggsregler",
        None,
        IT_COORDINATOR,
        "Varje regel i brandväggen ska ha en ägare och ett syfte; onödiga regler tas bort.",
        follow_up_months=6,
        # A deliberate gap (P9.4): the half-yearly review is overdue.
        follow_ups=(FollowUpData(215, IT_COORDINATOR, "Granskning av 412 regler; 37 togs bort."),),
    ),
    MeasureData(
        None,
        "Säkerhetsuppdateringar av servrar och nätutrustning",
        "KR-52",
        IT_COORDINATOR,
        "Uppdateringar installeras varje månad; kritiska sårbarheter inom 48 timmar.",
        follow_ups=(
            FollowUpData(40, IT_TECHNICIAN, "Rapport från uppdateringsverktyget: 98 % aktuella."),
        ),
    ),
    MeasureData(
        None,
        "Låst serverhall med passagesystem",
        "KR-46",
        IT_COORDINATOR,
        "Serverhallen i kommunhuset nås bara med passerkort av IT-avdelningen.",
    ),
    MeasureData(
        None,
        "Reservkraft för serverhallen",
        "KR-49",
        IT_COORDINATOR,
        "Avbrottsfri kraft som räcker för en kontrollerad nedstängning.",
        status=MeasureStatus.PLANNED,
        planned_in_days=90,
    ),
]

# Filed by the finance manager, who owns the finance systems, to the head of the central office
# (P9.6); its addressee logs in as `kommundirektor`.
SHORTFALL_NOTICES: list[ShortfallNoticeData] = [
    ShortfallNoticeData(
        "ekonomichef",
        "Testmiljö för återläsningstest av ekonomisystemet",
        "Utökat lagringsutrymme i testmiljön (cirka 4 TB) och ett konsultdygn från leverantören, "
        "så att hela ekonomisystemet kan återläsas och provas varje år.",
        "Utan ett fungerande återläsningstest vet vi inte om ekonomisystemet kan återställas "
        "efter ett haveri eller ett angrepp med utpressningsprogram; bokslut och utbetalningar "
        "kan stå stilla i veckor.",
        Decimal("85000"),
        (FINANCE,),
        ((FINANCE, "Återläsningstest av ekonomisystemet"),),
        department=KLK,
    ),
]

# A significant incident under the Cybersecurity Act: the early warning went within 24 hours.
INCIDENTS: list[IncidentData] = [
    IncidentData(
        "it.samordnare",
        "Överbelastningsattack mot e-tjänsteplattformen",
        "E-tjänsterna var svåra att nå i fyra timmar på grund av en överbelastningsattack; "
        "leverantören filtrerade trafiken. Inga uppgifter bedöms ha röjts.",
        discovered_hours_ago=30,
        significant=True,
        systems=(E_SERVICES,),
        information_types=((E_SERVICES, "Ansökningar och anmälningar från invånare"),),
        early_warning_after_hours=5,
    ),
]

PROCESSING_ACTIVITIES: list[ProcessingActivityData] = [
    ProcessingActivityData(
        SN,
        "Handläggning och dokumentation inom individ- och familjeomsorgen",
        "Utreda, besluta om och följa upp insatser enligt socialtjänstlagen och LVU.",
        LegalBasis.PUBLIC_TASK,
        "Socialtjänstlagen (2001:453) och lagen om behandling av personuppgifter inom "
        "socialtjänsten (2001:454).",
        "Sökande, barn och vårdnadshavare, anhöriga, anmälare",
        "Personnummer, kontaktuppgifter, familjeförhållanden, uppgifter om hälsa, missbruk och "
        "lagöverträdelser",
        (SOCIAL_RECORDS,),
        sensitive_data=True,
        recipients="Inspektionen för vård och omsorg, domstolar, Försäkringskassan",
        third_country_transfers="Inga",
        erasure_time_limits="Gallras enligt socialnämndens dokumenthanteringsplan; akter om barn "
        "i vissa födelsedatum bevaras för forskning.",
        dpia_done=True,
        processor_agreements="Omsorgsdata Norden AB, personuppgiftsbiträdesavtal 2021.",
        measures=(
            (SOCIAL_RECORDS, "Inloggning med SITHS-kort"),
            (SOCIAL_RECORDS, "Loggning av läsning i personakter"),
        ),
    ),
    ProcessingActivityData(
        SN,
        "Hälso- och sjukvård i hemsjukvård och särskilt boende",
        "Dokumentera vård och behandling av patienter i kommunens hälso- och sjukvård.",
        LegalBasis.LEGAL_OBLIGATION,
        "Patientdatalagen (2008:355).",
        "Patienter",
        "Personnummer, kontaktuppgifter, uppgifter om hälsa och behandling",
        (HEALTH_RECORDS,),
        sensitive_data=True,
        recipients="Regionens vårdgivare vid samordnad vårdplanering",
        erasure_time_limits="Journalhandlingar bevaras minst tio år efter sista anteckningen.",
        dpia_done=True,
        processor_agreements="Omsorgsdata Norden AB, personuppgiftsbiträdesavtal 2021.",
        measures=((HEALTH_RECORDS, "Stark autentisering med SITHS"),),
    ),
    ProcessingActivityData(
        BUN,
        "Elevadministration och kontakt med vårdnadshavare",
        "Schema, frånvaro, bedömning och betyg samt kontakt med vårdnadshavare.",
        LegalBasis.PUBLIC_TASK,
        "Skollagen (2010:800).",
        "Elever, vårdnadshavare, lärare",
        "Namn, personnummer, kontaktuppgifter, frånvaro, bedömningar och betyg",
        ("SYS-0026",),
        recipients="Gymnasieskolor vid övergång, Skolverket (statistik)",
        third_country_transfers="Inga",
        erasure_time_limits="Betygskataloger bevaras; frånvarouppgifter gallras efter tre år.",
        processor_agreements="Skolnätet Sverige AB, personuppgiftsbiträdesavtal 2017.",
    ),
    ProcessingActivityData(
        BUN,
        "Elevhälsans journalföring",
        "Dokumentera elevhälsans medicinska, psykologiska och kuratoriska insatser.",
        LegalBasis.LEGAL_OBLIGATION,
        "Patientdatalagen (2008:355) och skollagen (2010:800) 2 kap. 25 §.",
        "Elever",
        "Personnummer, uppgifter om hälsa, sociala förhållanden och vårdkontakter",
        ("SYS-0028",),
        sensitive_data=True,
        erasure_time_limits="Journalhandlingar bevaras minst tio år efter sista anteckningen.",
        dpia_done=True,
        processor_agreements="Journaldata Vård AB, personuppgiftsbiträdesavtal 2015.",
    ),
]
