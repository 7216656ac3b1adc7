"""The demo municipality's product catalogue as plain data (P4.1, P5.1–P5.7, P8.2).

About 150 products in some 30 categories, the vendors behind them, the IT department's dated
decisions on each with Swedish reasons, which products the register's systems run on, and a few
product requests in each state of their way.

The makers of standard hardware and software are real companies, with the vendors' own published
dates (e.g. Microsoft's end of support for Windows Server 2012 R2 and Windows 10); their notes say
only what is commonly known. The vendors of the business systems are the fictional companies of
`data.SYSTEMS`; each system runs on a product named after it (as the migration of the register's
free-text vendor names it), so that a demo migrated from an older Stadga and a fresh one agree.

The deliberate gaps the catalogue adds, so that the uniformity page and the compliance rules
have something to point out:

- a system on a retired product (the guardianship system on Windows Server 2012 R2),
- a system on a version past the vendor's end of support (the social services system),
- a system on a product nobody has assessed (the booking system the leisure department bought
  itself, P5.5), and the in-house register on a product rejected for business systems (P5.6),
- a phase-out that ends within the reminder period (the school's own device management, which
  overlaps the municipality's, P4.1).

Business systems have one category per function (P4.1 counts two approved products in use in one
such category as an overlap); the platform's categories are broader.

Dates are either fixed (a vendor's published dates, past decisions) or counted from the day the
demo is loaded (`ago`, `ahead`), so that what is "soon" stays soon.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from stadga.catalogue.choices import Answer, Approver, Criterion, Outcome, Phase, Verdict
from stadga.catalogue.choices import ProductKind as Kind

from . import data
from .data import KLK, SOC, TF

date = datetime.date


@dataclass(frozen=True)
class Days:
    """A date counted from the day the demo is loaded; negative is in the past."""

    offset: int

    def on(self, today: datetime.date) -> datetime.date:
        return today + datetime.timedelta(days=self.offset)


When = datetime.date | Days


def ago(days: int) -> Days:
    return Days(-days)


def ahead(days: int) -> Days:
    return Days(days)


def resolve(when: When | None, today: datetime.date) -> datetime.date | None:
    if when is None or isinstance(when, datetime.date):
        return when
    return when.on(today)


@dataclass(frozen=True)
class CategoryData:
    name: str
    description: str
    is_business_system: bool = False


@dataclass(frozen=True)
class VendorData:
    name: str
    market_standing: str = ""
    long_term_prospects: str = ""
    assessed_on: When | None = None
    notes: str = ""


@dataclass(frozen=True)
class VersionData:
    version: str
    general_availability: When | None = None
    end_of_sale: When | None = None
    end_of_support: When | None = None


@dataclass(frozen=True)
class DecisionData:
    """One dated decision of the IT department on a product's phase (P5.4)."""

    phase: str
    on: When
    reason: str
    constraints: str = ""
    ends_on: When | None = None


@dataclass(frozen=True)
class ProductData:
    name: str
    vendor: str | None
    category: str
    kind: str
    description: str = ""
    versions: tuple[VersionData, ...] = ()
    # In order; none: not assessed.
    decisions: tuple[DecisionData, ...] = ()
    end_of_support: When | None = None
    notes: str = ""


@dataclass(frozen=True)
class LinkData:
    """A system of `data.SYSTEMS` runs on a product (and version)."""

    system: str
    product: str
    version: str | None = None


def approved(on: When, reason: str) -> DecisionData:
    return DecisionData(Phase.APPROVED, on, reason)


def constrained(on: When, constraints: str, reason: str) -> DecisionData:
    return DecisionData(Phase.APPROVED_WITH_CONSTRAINTS, on, reason, constraints=constraints)


def phase_out(on: When, ends_on: When, reason: str) -> DecisionData:
    return DecisionData(Phase.PHASE_OUT, on, reason, ends_on=ends_on)


def retired(on: When, reason: str) -> DecisionData:
    return DecisionData(Phase.RETIRED, on, reason)


def rejected(on: When, reason: str) -> DecisionData:
    return DecisionData(Phase.REJECTED, on, reason)


def evaluation(on: When, reason: str) -> DecisionData:
    return DecisionData(Phase.EVALUATION, on, reason)


# Reasons the IT department writes again and again, in its own words.
ESTABLISHED = (
    "Etablerad och väl beprövad produkt med många kommuner som kunder (P5.1); leverantören "
    "bedöms stabil (P5.2) och produkten fungerar med kommunens plattform (P5.3)."
)
STANDARD = "Kommunens standard i kategorin enligt gällande ramavtal; enhetlig driftmiljö (P4.1)."
CONSTRAINED_DATA = "Endast för kommunikation utan sekretessbelagda uppgifter"
MDM_ONLY = "Endast enheter som är registrerade i kommunens mobilhantering"

# --- Categories (P4.1) ---------------------------------------------------------------------------

# Business systems: one category per function, so that two approved products in use in one
# category are an overlap (P4.1), not two different jobs.
FINANCE_CAT = "Ekonomisystem"
E_PROCUREMENT_CAT = "E-handel och leverantörsfakturor"
TENDER_CAT = "Upphandlingsverktyg"
ANALYSIS_CAT = "Beslutsstöd och analys"
HR_CAT = "Personal- och lönesystem"
SELF_SERVICE_CAT = "HR-självservice"
CASES_CAT = "Ärende- och dokumenthantering"
MEETING_DOCS_CAT = "Digitala möteshandlingar"
ARCHIVE_CAT = "E-arkiv"
E_SERVICE_CAT = "E-tjänsteplattform"
ELECTION_CAT = "Valadministration"
GUARDIANSHIP_CAT = "Överförmyndarsystem"
PROPERTY_CAT = "Fastighetsförvaltning"
SCHOOL_CAT = "Skolplattform"
LEARNING_CAT = "Lärplattform"
PUPIL_HEALTH_CAT = "Elevhälsojournal"
PRESCHOOL_CAT = "Förskoleadministration"
SOCIAL_CAT = "Verksamhetssystem socialtjänst"
HEALTH_CAT = "Journalsystem kommunal hälso- och sjukvård"
ALARM_CAT = "Trygghetslarm"
NIGHT_CAT = "Digital tillsyn"
CARE_PLANNING_CAT = "Samordnad vårdplanering"
TRANSPORT_CAT = "Färdtjänst"
GIS_CAT = "GIS"
PLAN_CAT = "Kartor och planregister"
BUILDING_CAT = "Bygglov"
ENVIRONMENT_CAT = "Miljö- och hälsoskyddstillsyn"
LIBRARY_CAT = "Bibliotek"
BOOKING_CAT = "Lokalbokning"
ASSOCIATION_CAT = "Föreningsregister och bidrag"
# The platform and everyday tools.
NATIONAL_CARE_CAT = "Nationella e-tjänster för vård och omsorg"
LEARNING_RESOURCES_CAT = "Digitala läromedel"
GEODATA_CAT = "GIS-verktyg och geodata"
WEB_CAT = "Webbplats och intranät"
OFFICE_CAT = "Kontorsprogram"
MAIL_CAT = "E-post och samarbete"
EID_CAT = "E-legitimation och e-signatur"
IDENTITY_CAT = "Katalogtjänst och identitet"
MDM_CAT = "Enhetshantering (MDM)"
PROTECTION_CAT = "Skydd mot skadlig kod"
BACKUP_CAT = "Säkerhetskopiering"
FIREWALL_CAT = "Brandvägg och fjärråtkomst"
NETWORK_CAT = "Nätverksutrustning, aktiv"
SERVER_CAT = "Servrar och lagring"
VIRTUAL_CAT = "Virtualisering"
DATABASE_CAT = "Databashanterare"
OS_CAT = "Operativsystem"
CLIENT_CAT = "Klientdatorer och surfplattor"
MOBILE_CAT = "Mobiltelefoner och abonnemang"
PRINT_CAT = "Skrivare och utskrift"
PHONE_CAT = "Telefoni och växel"
MEETING_CAT = "Videomöten och mötesrum"

CATEGORIES: list[CategoryData] = [
    CategoryData(FINANCE_CAT, "Redovisning, budget och reskontra.", True),
    CategoryData(E_PROCUREMENT_CAT, "Beställningar, fakturaskanning och attest.", True),
    CategoryData(TENDER_CAT, "Annonsering, anbud och avtalsdatabas.", True),
    CategoryData(
        ANALYSIS_CAT, "Rapporter, nyckeltal och uppföljning för nämnder och chefer.", True
    ),
    CategoryData(HR_CAT, "Anställning, lön, frånvaro och pension.", True),
    CategoryData(
        SELF_SERVICE_CAT, "Lönespecifikationer, frånvaro och ledighet för anställda.", True
    ),
    CategoryData(CASES_CAT, "Diarium, ärenden och beslut för nämnderna.", True),
    CategoryData(MEETING_DOCS_CAT, "Kallelser och möteshandlingar till förtroendevalda.", True),
    CategoryData(ARCHIVE_CAT, "Långtidsbevarande av elektroniska handlingar.", True),
    CategoryData(E_SERVICE_CAT, "Digitala ansökningar och anmälningar från invånare.", True),
    CategoryData(ELECTION_CAT, "Valdistrikt, röstmottagare och valresultat.", True),
    CategoryData(GUARDIANSHIP_CAT, "Gode män, förvaltare, årsräkningar och arvoden.", True),
    CategoryData(PROPERTY_CAT, "Fastighetsregister, underhåll, felanmälan och internhyror.", True),
    CategoryData(SCHOOL_CAT, "Schema, frånvaro, bedömning och kontakt med vårdnadshavare.", True),
    CategoryData(LEARNING_CAT, "Undervisningens uppgifter, material och inlämningar.", True),
    CategoryData(PUPIL_HEALTH_CAT, "Journal för elevhälsans medicinska insatser.", True),
    CategoryData(PRESCHOOL_CAT, "Köer, placeringar och avgifter i förskola och fritidshem.", True),
    CategoryData(SOCIAL_CAT, "Myndighetsutövning och dokumentation i socialtjänsten.", True),
    CategoryData(HEALTH_CAT, "Patientjournal i hemsjukvård och särskilt boende.", True),
    CategoryData(ALARM_CAT, "Trygghetslarm hos brukare och larmmottagning.", True),
    CategoryData(NIGHT_CAT, "Tillsyn på distans, t.ex. med kamera nattetid.", True),
    CategoryData(CARE_PLANNING_CAT, "Informationsöverföring med regionen vid utskrivning.", True),
    CategoryData(TRANSPORT_CAT, "Färdtjänst och riksfärdtjänst.", True),
    CategoryData(GIS_CAT, "Kartor och geografiska data för kommunens verksamheter.", True),
    CategoryData(PLAN_CAT, "Primärkarta, detaljplaner och planregister.", True),
    CategoryData(BUILDING_CAT, "Bygglov, anmälan och tillsyn enligt PBL.", True),
    CategoryData(ENVIRONMENT_CAT, "Tillsyn, inspektioner och livsmedelskontroll.", True),
    CategoryData(LIBRARY_CAT, "Katalog, utlån och låntagarregister.", True),
    CategoryData(BOOKING_CAT, "Bokning av lokaler och anläggningar.", True),
    CategoryData(ASSOCIATION_CAT, "Föreningsregister och föreningsbidrag.", True),
    CategoryData(NATIONAL_CARE_CAT, "Gemensamma nationella tjänster som vården ansluter till."),
    CategoryData(LEARNING_RESOURCES_CAT, "Digitala läromedel och inloggning till dem."),
    CategoryData(GEODATA_CAT, "GIS-program, kartmotorer och geodatatjänster."),
    CategoryData(WEB_CAT, "Publicering av webbplats och intranät, tillgänglighet (P7.1)."),
    CategoryData(OFFICE_CAT, "Ordbehandling, kalkyl, presentation, PDF och webbläsare."),
    CategoryData(MAIL_CAT, "E-post, kalender, chatt och säkra meddelanden."),
    CategoryData(MEETING_CAT, "Videomötestjänster och utrustning i mötesrum."),
    CategoryData(EID_CAT, "Inloggning med e-legitimation och elektroniska underskrifter."),
    CategoryData(IDENTITY_CAT, "Användarkonton, grupper, inloggning och behörigheter."),
    CategoryData(MDM_CAT, "Central hantering av datorer, mobiler och surfplattor."),
    CategoryData(PROTECTION_CAT, "Skydd mot skadlig kod på klienter och servrar."),
    CategoryData(BACKUP_CAT, "Säkerhetskopiering och återläsning."),
    CategoryData(FIREWALL_CAT, "Brandväggar och fjärråtkomst (VPN)."),
    CategoryData(NETWORK_CAT, "Switchar, routrar och trådlösa accesspunkter."),
    CategoryData(SERVER_CAT, "Fysiska servrar och lagringssystem i serverhallen."),
    CategoryData(VIRTUAL_CAT, "Virtualiseringsplattform för kommunens servrar."),
    CategoryData(DATABASE_CAT, "Databashanterare som verksamhetssystemen körs på."),
    CategoryData(OS_CAT, "Operativsystem för servrar, datorer och mobila enheter."),
    CategoryData(CLIENT_CAT, "Bärbara och stationära datorer, elevdatorer och surfplattor."),
    CategoryData(MOBILE_CAT, "Mobiltelefoner och mobilabonnemang."),
    CategoryData(PRINT_CAT, "Multifunktionsskrivare, lokala skrivare och utskriftshantering."),
    CategoryData(PHONE_CAT, "Växel, svarsgrupper och kontaktcenter."),
]

# --- Vendors (P5.2) ------------------------------------------------------------------------------

VENDORS: list[VendorData] = [
    # -- Real makers of standard products. --
    VendorData(
        "Microsoft",
        "Världens största programvaruleverantör; operativsystem, kontorsprogram, katalogtjänst "
        "och databaser används av nästan alla svenska kommuner.",
        "Mycket goda. Publicerar livscykel och supportdatum långt i förväg. Molntjänsterna "
        "kräver bedömning av tredjelandsöverföring och sekretess i varje enskilt fall.",
        ago(200),
    ),
    VendorData(
        "Broadcom",
        "Äger VMware sedan 2023; vSphere är den vanligaste virtualiseringsplattformen i "
        "kommunsektorn.",
        "Goda som företag, men licensmodellen har ändrats till prenumeration med kraftigt höjda "
        "kostnader för många kunder. Alternativ ska utredas före nästa avtalsperiod.",
        ago(150),
    ),
    VendorData(
        "Apple",
        "Stor global tillverkare av datorer, mobiler och surfplattor; vanliga i förskola och "
        "hemtjänst.",
        "Mycket goda. Uppdateringar ges för äldre modeller under flera år, men utan publicerade "
        "slutdatum.",
        ago(300),
    ),
    VendorData(
        "Samsung",
        "Stor global tillverkare av mobiler och surfplattor.",
        "Mycket goda. Utlovar säkerhetsuppdateringar under ett antal år för företagsmodellerna.",
        ago(300),
    ),
    VendorData(
        "Lenovo",
        "En av världens största datortillverkare; kommunens standard för klientdatorer.",
        "Goda. Levererar via återförsäljare på statliga ramavtal.",
        ago(300),
    ),
    VendorData(
        "HP Inc.",
        "Stor global tillverkare av datorer och skrivare.",
        "Goda.",
        ago(300),
    ),
    VendorData(
        "Hewlett Packard Enterprise",
        "Stor leverantör av servrar, lagring och nätverk (Aruba) till offentlig sektor.",
        "Goda.",
        ago(300),
    ),
    VendorData("Dell Technologies", "Stor global leverantör av datorer och servrar.", "Goda."),
    VendorData(
        "Cisco",
        "Marknadsledande inom nätverksutrustning; kommunnätet bygger på Ciscos switchar.",
        "Mycket goda. Publicerar datum för slut på försäljning och support.",
        ago(400),
    ),
    VendorData(
        "Fortinet",
        "En av de största tillverkarna av brandväggar; vanlig i kommuner.",
        "Goda. Täta säkerhetsuppdateringar krävs och ska följas.",
        ago(400),
    ),
    VendorData("Veeam", "Marknadsledande programvara för säkerhetskopiering.", "Goda.", ago(400)),
    VendorData("Red Hat", "Ledande leverantör av Linux för företag; ägs av IBM.", "Mycket goda."),
    VendorData("Canonical", "Utvecklar Ubuntu, en vanlig Linux-distribution för servrar."),
    VendorData(
        "PostgreSQL Global Development Group",
        "Öppen källkod; databasen används av många leverantörer av verksamhetssystem.",
        "Goda: stort och brett utvecklarsamhälle, ingen enskild ägare.",
    ),
    VendorData(
        "Esri",
        "Världsledande inom GIS; ArcGIS är den vanligaste GIS-plattformen i svenska kommuner.",
        "Mycket goda.",
        ago(500),
    ),
    VendorData(
        "Lantmäteriet",
        "Statlig myndighet; tillhandahåller fastighetsinformation och geodata.",
        "Statlig myndighet: mycket goda.",
    ),
    VendorData("QGIS-projektet", "Öppen källkod för GIS med stor användning i kommuner."),
    VendorData(
        "Inera",
        "Ägs av regioner och kommuner via SKR; levererar gemensamma digitala tjänster för vård "
        "och omsorg (SITHS, Säker digital kommunikation, NPÖ).",
        "Mycket goda: ägs av kommuner och regioner.",
        ago(250),
    ),
    VendorData(
        "Finansiell ID-Teknik BID AB",
        "Utfärdar BankID, den klart vanligaste e-legitimationen i Sverige.",
        "Mycket goda: ägs av bankerna.",
    ),
    VendorData("Freja eID Group AB", "Utfärdar Freja eID Plus, godkänd e-legitimation."),
    VendorData("Scrive", "Svensk leverantör av elektroniska underskrifter."),
    VendorData("Kivra", "Digital brevlåda för myndighetspost med många mottagare i Sverige."),
    VendorData(
        "Sitevision",
        "Svensk publiceringsplattform som används av en stor andel av Sveriges kommuner.",
        "Goda: många kommunkunder och aktiv utveckling.",
        ago(600),
    ),
    VendorData("Siteimprove", "Verktyg för tillgänglighet och kvalitet på webbplatser (P7.1)."),
    VendorData("ReadSpeaker", "Talsyntes för webbplatser (P7.1)."),
    VendorData(
        "Konica Minolta",
        "Stor tillverkare av multifunktionsskrivare; kommunens skrivare på ramavtal.",
        "Goda.",
    ),
    VendorData("PaperCut Software", "Programvara för säker utskrift med passerkort."),
    VendorData("Adobe", "PDF-verktyg och program för bild och layout."),
    VendorData("Zoom", "Videomötestjänst som många externa parter använder."),
    VendorData("Logitech", "Utrustning för videomöten i mötesrum."),
    VendorData("ESET", "Skydd mot skadlig kod; kommunens tidigare produkt."),
    VendorData("Yubico", "Svensk tillverkare av säkerhetsnycklar för tvåfaktorsinloggning."),
    VendorData("Mozilla", "Stiftelse bakom webbläsaren Firefox."),
    VendorData("Canon", "Stor tillverkare av skannrar och skrivare."),
    VendorData("The Document Foundation", "Stiftelse bakom LibreOffice, öppen källkod."),
    VendorData("Google", "ChromeOS och Google Workspace; vanligt i skolor i andra kommuner."),
    VendorData("Telia", "Största telekomoperatören i Sverige; mobilabonnemang på ramavtal."),
    VendorData("Tele2", "Telekomoperatör; kommunens tidigare mobilabonnemang."),
    VendorData(
        "Visma",
        "Stor nordisk leverantör av ekonomi-, e-handels- och personalsystem till kommuner.",
        "Goda.",
    ),
    VendorData(
        "Tietoevry",
        "Stor nordisk IT-leverantör av verksamhetssystem till kommuner, bland annat för "
        "ärendehantering, skola och socialtjänst.",
    ),
    VendorData("CGI", "Stor IT-konsult och leverantör av drift och verksamhetssystem."),
    VendorData(
        "Formpipe", "Svensk leverantör av ärendehantering och e-arkiv till offentlig sektor."
    ),
    VendorData("Sokigo", "Svensk leverantör av system för samhällsbyggnad till kommuner."),
    VendorData("Unikum", "Svensk lärplattform för dokumentation och bedömning i skolan."),
    VendorData("IST", "Nordisk leverantör av skoladministrativa system."),
    VendorData("Skolon", "Svensk plattform för digitala läromedel och inloggning i skolan."),
    VendorData("Netpublicator", "Svensk tjänst för digitala möteshandlingar till förtroendevalda."),
    VendorData("Stratsys", "Svensk leverantör av system för styrning och uppföljning."),
    VendorData(
        "Atea",
        "Största IT-återförsäljaren i Norden.",
        notes="Återförsäljare av klientdatorer enligt ramavtal; inga egna produkter i katalogen.",
    ),
    VendorData(
        "Axians",
        "Nätverksintegratör.",
        notes="Installerar och underhåller kommunnätets aktiva utrustning enligt avtal.",
    ),
    VendorData(
        "Västra Götalandsregionen",
        "Regionen; tillhandahåller samverkanssystemet för vårdplanering mellan region och "
        "kommuner.",
        "Offentlig huvudman: mycket goda.",
    ),
    # -- The fictional vendors of the register's business systems (`data.SYSTEMS`). --
    VendorData(
        "Norrsken Ekonomi AB",
        "Medelstor svensk leverantör med ett sextiotal kommuner som kunder.",
        "Goda: lönsam, ägs av grundarna, produkten flyttas stegvis till molnet.",
        ago(420),
    ),
    VendorData(
        "Fjällvind HR-system AB",
        "Svensk leverantör med över hundra kommuner och regioner som kunder.",
        "Goda. Ny lönemotor planerad; gamla versionen stöds till och med 2028.",
        ago(420),
    ),
    VendorData(
        "Omsorgsdata Norden AB",
        "En av tre stora leverantörer av verksamhetssystem för socialtjänsten.",
        "Goda, men versionsbyten kräver stora insatser; kommunen ligger efter en version.",
        ago(180),
    ),
    VendorData(
        "Dokumenta Kommunsystem AB",
        "Svensk leverantör av diarium och möteshandlingar, ett åttiotal kommuner.",
        "Goda.",
        ago(700),
    ),
    VendorData(
        "Skolnätet Sverige AB",
        "Stor leverantör av skolplattformar; många kommuner i regionen.",
        "Goda.",
        ago(500),
    ),
    VendorData(
        "Klassrumsteknik AB",
        "Liten leverantör av enhetshantering för skolor.",
        "Osäkra: få kunder och oklart ägande. Skäl till avvecklingen.",
        ago(500),
    ),
    VendorData(
        "Bokningsportalen AB",
        "Litet företag; produkten köptes av kultur- och fritidsförvaltningen utan IT-avdelningens "
        "bedömning (P5.4, P5.5).",
        "Inte bedömda.",
    ),
    VendorData("Vätternät Kommunikation AB", "Regional nätverksintegratör."),
    VendorData("Skärgårdens Säkerhetsteknik AB", "Regional leverantör av brandväggstjänster."),
    VendorData("Nordvakt Backup AB", "Svensk tjänst för säkerhetskopior på annan ort."),
    VendorData("Molnkontor Norden AB", "Nordisk leverantör av e-post och samarbete som tjänst."),
    VendorData("Enhetsstyrning Sverige AB", "Svensk tjänst för mobilhantering."),
    VendorData("Kontorsteknik i Skaraborg AB", "Regional leverantör av utskriftstjänster."),
    VendorData("Telekom Mellansverige AB", "Regional operatör av växeltjänster."),
    VendorData("Anbudstorget Sverige AB", "Svenskt upphandlingsverktyg för offentlig sektor."),
    VendorData(
        "Insiktsdata Norden AB",
        "Ny aktör inom beslutsstöd för kommuner; ett tiotal kunder.",
        "Oklara; bedöms i pågående upphandling.",
        ago(40),
    ),
    VendorData("Arkivtjänst Väst AB", "E-arkiv som tjänst för kommuner i Västsverige."),
    VendorData("Webbyrån Vättern AB", "Webbyrå som bygger kommunens webbplatser på Sitevision."),
    VendorData("Medborgartjänst Digital AB", "Svensk e-tjänsteplattform för kommuner."),
    VendorData("Valstöd Sverige AB", "Valadministration för kommuner."),
    VendorData("Fastighetsdata Skaraborg AB", "Fastighetssystem för kommuner och bostadsbolag."),
    VendorData("Lärmiljö Norden AB", "Nordisk lärplattform."),
    VendorData("Journaldata Vård AB", "Journalsystem för elevhälsa och kommunal vård."),
    VendorData("Vätterbygdens Larmcentral AB", "Larmcentral och digitala trygghetslarm."),
    VendorData("Resestöd Kommun AB", "System för färdtjänst och riksfärdtjänst."),
    VendorData("Vätterkart AB", "GIS-konsult som levererar kommunens kartor på Esris plattform."),
    VendorData("Samhällsbyggnadsdata AB", "System för bygglov och miljötillsyn."),
    VendorData("Bibliotekstjänst Skaraborg AB", "Gemensamt bibliotekssystem för kommunerna."),
    VendorData("Trygg Natt Teknik AB", "Ny leverantör av digital nattillsyn med kamera."),
]

# --- Products ------------------------------------------------------------------------------------

_SYSTEMS = {s.identifier: s for s in data.SYSTEMS}
_KIND_OF_SYSTEM: dict[str, str] = {data.SAAS: Kind.CLOUD_SERVICE}


def own(
    identifier: str,
    category: str,
    *decisions: DecisionData,
    versions: tuple[VersionData, ...] = (),
    kind: str | None = None,
) -> ProductData:
    """The product a system of the register runs on, named after it and made by its vendor."""
    system = _SYSTEMS[identifier]
    return ProductData(
        system.name,
        system.vendor,
        category,
        kind or _KIND_OF_SYSTEM.get(system.system_type, Kind.SOFTWARE),
        system.purpose,
        versions,
        decisions,
    )


BUSINESS_SYSTEMS: list[ProductData] = [
    own(
        data.NETWORK,
        NETWORK_CAT,
        approved(date(2009, 2, 1), "Upphandlad nätverkstjänst för kommunnätet."),
        kind=Kind.HARDWARE,
    ),
    own(
        "SYS-0003",
        FIREWALL_CAT,
        approved(date(2019, 4, 1), "Upphandlad brandväggstjänst byggd på Fortinet (P5.1)."),
    ),
    own(
        "SYS-0005",
        BACKUP_CAT,
        constrained(
            date(2017, 12, 1),
            "Kopiorna ska vara krypterade och lagras inom EU/EES.",
            "Säkerhetskopior på annan ort krävs för återställning efter haveri (P9.4).",
        ),
    ),
    own("SYS-0006", MAIL_CAT, approved(date(2021, 1, 10), ESTABLISHED)),
    own(
        "SYS-0007",
        MAIL_CAT,
        constrained(
            date(2020, 3, 20),
            CONSTRAINED_DATA + ".",
            "Chatt och videomöten behövdes snabbt under pandemin. Tjänsten saknar stöd för "
            "sekretessklassad information.",
        ),
    ),
    own("SYS-0008", MDM_CAT, approved(date(2022, 8, 15), ESTABLISHED)),
    own("SYS-0009", PRINT_CAT, approved(date(2017, 5, 1), STANDARD)),
    own("SYS-0010", PHONE_CAT, approved(date(2020, 10, 1), "Upphandlad växeltjänst.")),
    own(
        data.FINANCE,
        FINANCE_CAT,
        approved(date(2011, 10, 1), ESTABLISHED),
        versions=(
            VersionData("2024", date(2024, 3, 1), date(2025, 12, 31), ahead(400)),
            VersionData("2025", date(2025, 3, 1), None, ahead(800)),
        ),
    ),
    own("SYS-0012", E_PROCUREMENT_CAT, approved(date(2015, 8, 1), ESTABLISHED)),
    own("SYS-0013", TENDER_CAT, approved(date(2019, 2, 1), ESTABLISHED)),
    own(
        "SYS-0014",
        ANALYSIS_CAT,
        evaluation(
            ago(40),
            "Ett av tre anbud i pågående upphandling av beslutsstöd. Leverantörens stabilitet "
            "bedöms särskilt (P5.2).",
        ),
    ),
    own(
        data.HR,
        HR_CAT,
        approved(date(2012, 9, 1), ESTABLISHED),
        versions=(VersionData("12", date(2022, 1, 15), None, date(2028, 12, 31)),),
    ),
    own("SYS-0016", SELF_SERVICE_CAT, approved(date(2018, 3, 1), ESTABLISHED)),
    own(
        data.CASES,
        CASES_CAT,
        approved(date(2021, 9, 1), ESTABLISHED),
        versions=(VersionData("6.2", date(2023, 5, 1), None, ahead(500)),),
    ),
    own("SYS-0018", ARCHIVE_CAT, approved(date(2023, 4, 1), ESTABLISHED)),
    own(
        "SYS-0019",
        MEETING_DOCS_CAT,
        approved(date(2016, 11, 1), ESTABLISHED),
    ),
    own(data.WEBSITE, WEB_CAT, approved(date(2020, 8, 1), "Byggd på Sitevision (P5.1).")),
    own("SYS-0021", WEB_CAT, approved(date(2021, 2, 1), "Byggd på Sitevision (P5.1).")),
    own(
        data.E_SERVICES,
        E_SERVICE_CAT,
        approved(date(2019, 9, 1), ESTABLISHED + " Bidrar till målen service och demokrati."),
    ),
    own("SYS-0023", ELECTION_CAT, approved(date(2018, 4, 1), ESTABLISHED)),
    own(
        "SYS-0024",
        GUARDIANSHIP_CAT,
        approved(date(2015, 12, 1), ESTABLISHED),
        versions=(VersionData("4.8", date(2016, 1, 1)),),
    ),
    own("SYS-0025", PROPERTY_CAT, approved(date(2014, 4, 1), ESTABLISHED)),
    own("SYS-0026", SCHOOL_CAT, approved(date(2017, 6, 1), ESTABLISHED)),
    own(
        "SYS-0027",
        LEARNING_CAT,
        approved(date(2019, 6, 1), ESTABLISHED + " Stödjer målet om IT i lärandet (P2.4)."),
    ),
    own(
        "SYS-0028",
        PUPIL_HEALTH_CAT,
        constrained(
            date(2015, 6, 1),
            "Åtkomst endast med SITHS-kort; loggar följs upp varje månad.",
            "Journal enligt patientdatalagen kräver stark autentisering och loggning.",
        ),
    ),
    own("SYS-0029", PRESCHOOL_CAT, approved(date(2015, 11, 1), ESTABLISHED)),
    own(
        "SYS-0030",
        MDM_CAT,
        approved(date(2015, 6, 1), "Skolans behov av enhetshantering fanns inte i kommunens."),
        phase_out(
            date(2025, 6, 15),
            ahead(45),
            "Överlappar kommunens mobilhantering, som tar över elevenheterna (enhetlig "
            "driftmiljö, P4.1). Leverantörens långsiktiga överlevnad är osäker (P5.2).",
        ),
    ),
    own(
        data.SOCIAL_RECORDS,
        SOCIAL_CAT,
        constrained(
            date(2011, 2, 1),
            "Åtkomst endast med SITHS-kort; behörigheter enligt socialförvaltningens "
            "behörighetsrutin.",
            "Etablerat verksamhetssystem för socialtjänsten (P5.1); sekretessen kräver stark "
            "autentisering.",
        ),
        versions=(
            # The version the municipality runs is past the vendor's support: an upgrade waits.
            VersionData("2023.2", date(2023, 9, 1), ago(400), ago(120)),
            VersionData("2025.1", ago(500), None, ahead(700)),
        ),
    ),
    own(
        data.HEALTH_RECORDS,
        HEALTH_CAT,
        constrained(
            date(2011, 2, 1),
            "Åtkomst endast med SITHS-kort och medarbetaruppdrag.",
            "Journalföring enligt patientdatalagen (P5.1).",
        ),
        versions=(VersionData("2025.1", ago(500), None, ahead(700)),),
    ),
    own("SYS-0033", ALARM_CAT, approved(date(2018, 11, 1), ESTABLISHED)),
    own("SYS-0034", CARE_PLANNING_CAT, approved(date(2017, 12, 1), "Regionens gemensamma system.")),
    own("SYS-0035", TRANSPORT_CAT, approved(date(2019, 11, 1), ESTABLISHED)),
    own(
        data.GIS,
        GIS_CAT,
        approved(date(2010, 5, 1), "Levereras på Esris plattform, standard i kommunsektorn."),
    ),
    own("SYS-0038", PLAN_CAT, approved(date(2014, 2, 1), ESTABLISHED)),
    own("SYS-0039", BUILDING_CAT, approved(date(2016, 6, 1), ESTABLISHED)),
    own("SYS-0040", ENVIRONMENT_CAT, approved(date(2013, 2, 1), ESTABLISHED)),
    own(
        "SYS-0041",
        LIBRARY_CAT,
        approved(date(2017, 12, 1), "Gemensamt med grannkommunerna (P8.1). " + ESTABLISHED),
    ),
    # Bought by the leisure department without asking: never assessed (P5.4, P5.5).
    own("SYS-0042", BOOKING_CAT),
    own(
        "SYS-0044",
        CASES_CAT,
        approved(date(2004, 1, 1), "Upphandlat diarium."),
        phase_out(date(2021, 6, 1), date(2021, 12, 31), "Ersätts av nytt ärendesystem."),
        retired(
            date(2022, 1, 10), "Ersatt av Ärendehantering och diarium; uppgifterna arkiverade."
        ),
    ),
    ProductData(
        "Digital nattillsyn med kamera",
        "Trygg Natt Teknik AB",
        NIGHT_CAT,
        Kind.CLOUD_SERVICE,
        "Kameratillsyn nattetid hos brukare som samtycker.",
    ),
]

MS = "Microsoft"

PLATFORM: list[ProductData] = [
    # -- Operating systems --
    ProductData(
        "Windows Server 2012 R2",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(
            approved(date(2014, 2, 1), STANDARD),
            phase_out(date(2021, 9, 1), date(2023, 10, 10), "Microsofts support upphör."),
            retired(
                date(2023, 10, 11),
                "Microsofts utökade support upphörde 2023-10-10; inga säkerhetsuppdateringar.",
            ),
        ),
        end_of_support=date(2023, 10, 10),
    ),
    ProductData(
        "Windows Server 2016",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(
            approved(date(2017, 1, 15), STANDARD),
            phase_out(
                date(2024, 1, 15),
                date(2027, 1, 12),
                "Microsofts utökade support upphör 2027-01-12; servrarna uppgraderas.",
            ),
        ),
        end_of_support=date(2027, 1, 12),
    ),
    ProductData(
        "Windows Server 2019",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        end_of_support=date(2029, 1, 9),
        decisions=(approved(date(2019, 3, 1), STANDARD),),
    ),
    ProductData(
        "Windows Server 2022",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        end_of_support=date(2031, 10, 14),
        decisions=(approved(date(2022, 2, 1), STANDARD),),
    ),
    ProductData(
        "Windows Server 2025",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        end_of_support=date(2034, 10, 10),
        decisions=(
            evaluation(ago(60), "Testas med de verksamhetssystem som ska flyttas från 2016."),
        ),
    ),
    ProductData(
        "Windows 10",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("22H2", date(2022, 10, 18), None, date(2025, 10, 14)),),
        decisions=(
            approved(date(2016, 3, 1), STANDARD),
            phase_out(date(2024, 3, 1), date(2025, 10, 14), "Ersätts av Windows 11."),
            retired(
                date(2025, 10, 15),
                "Microsofts support upphörde 2025-10-14. Alla datorer är uppgraderade eller "
                "utbytta.",
            ),
        ),
        end_of_support=date(2025, 10, 14),
    ),
    ProductData(
        "Windows 11",
        MS,
        OS_CAT,
        Kind.SOFTWARE,
        versions=(
            VersionData("23H2", date(2023, 10, 31), None, date(2026, 11, 10)),
            VersionData("24H2", date(2024, 10, 1), None, date(2027, 10, 12)),
            VersionData("25H2", date(2025, 9, 30), None, date(2028, 10, 10)),
        ),
        decisions=(approved(date(2023, 9, 1), STANDARD),),
    ),
    ProductData(
        "Red Hat Enterprise Linux 9",
        "Red Hat",
        OS_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("9", date(2022, 5, 17), None, date(2032, 5, 31)),),
        decisions=(
            constrained(
                date(2022, 9, 1),
                "Endast där leverantören av verksamhetssystemet kräver Linux.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Ubuntu Server 24.04 LTS",
        "Canonical",
        OS_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("24.04 LTS", date(2024, 4, 25), None, date(2029, 5, 31)),),
    ),
    ProductData(
        "macOS",
        "Apple",
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(constrained(date(2020, 1, 15), MDM_ONLY + ".", ESTABLISHED),),
    ),
    ProductData(
        "iOS och iPadOS",
        "Apple",
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(constrained(date(2018, 1, 15), MDM_ONLY + ".", ESTABLISHED),),
    ),
    ProductData(
        "Android Enterprise",
        "Google",
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(constrained(date(2021, 5, 1), MDM_ONLY + ".", ESTABLISHED),),
    ),
    ProductData(
        "ChromeOS",
        "Google",
        OS_CAT,
        Kind.SOFTWARE,
        decisions=(
            evaluation(
                ago(90),
                "Skolan vill pröva Chromebooks för yngre elever; kräver ny enhetshantering "
                "och bedömning av personuppgiftsbehandlingen (P5.3).",
            ),
        ),
    ),
    # -- Databases --
    ProductData(
        "Microsoft SQL Server 2014",
        MS,
        DATABASE_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("2014", date(2014, 6, 5), None, date(2024, 7, 9)),),
        decisions=(
            approved(date(2014, 9, 1), STANDARD),
            retired(date(2024, 7, 10), "Microsofts utökade support upphörde 2024-07-09."),
        ),
        end_of_support=date(2024, 7, 9),
    ),
    ProductData(
        "Microsoft SQL Server 2016",
        MS,
        DATABASE_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("2016", date(2016, 6, 1), None, date(2026, 7, 14)),),
        decisions=(
            approved(date(2016, 9, 1), STANDARD),
            phase_out(date(2024, 9, 1), date(2026, 7, 14), "Microsofts support upphör."),
            retired(date(2026, 7, 15), "Microsofts utökade support upphörde 2026-07-14."),
        ),
        end_of_support=date(2026, 7, 14),
    ),
    ProductData(
        "Microsoft SQL Server 2019",
        MS,
        DATABASE_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("2019", date(2019, 11, 4), None, date(2030, 1, 8)),),
        decisions=(approved(date(2020, 2, 1), STANDARD),),
    ),
    ProductData(
        "Microsoft SQL Server 2022",
        MS,
        DATABASE_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("2022", date(2022, 11, 16), None, date(2033, 1, 11)),),
        decisions=(approved(date(2023, 3, 1), STANDARD),),
    ),
    ProductData(
        "PostgreSQL",
        "PostgreSQL Global Development Group",
        DATABASE_CAT,
        Kind.SOFTWARE,
        versions=(
            VersionData("16", date(2023, 9, 14), None, date(2028, 11, 9)),
            VersionData("17", date(2024, 9, 26), None, date(2029, 11, 8)),
        ),
        decisions=(
            constrained(
                date(2023, 1, 20),
                "Endast när leverantören av verksamhetssystemet levererar och stödjer databasen.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Microsoft Access",
        MS,
        DATABASE_CAT,
        Kind.SOFTWARE,
        decisions=(
            rejected(
                date(2012, 3, 1),
                "Filbaserad databas utan den behörighetsstyrning, loggning och säkerhetskopiering "
                "ett verksamhetssystem kräver; leder till egenutveckling (P5.6).",
            ),
        ),
    ),
    # -- Virtualisation --
    ProductData(
        "VMware vSphere 7",
        "Broadcom",
        VIRTUAL_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("7.0", date(2020, 4, 2), None, date(2025, 10, 2)),),
        decisions=(
            approved(date(2020, 9, 1), STANDARD),
            retired(date(2025, 9, 20), "Alla värdar uppgraderade till vSphere 8."),
        ),
        end_of_support=date(2025, 10, 2),
    ),
    ProductData(
        "VMware vSphere 8",
        "Broadcom",
        VIRTUAL_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("8.0", date(2022, 10, 11), None, date(2027, 10, 11)),),
        decisions=(
            approved(date(2023, 5, 1), STANDARD),
            constrained(
                date(2024, 6, 1),
                "Inga nya värdar eller licenser utan IT-samordnarens beslut; plattformen "
                "omprövas före avtalets slut.",
                "Den nya licensmodellen har höjt kostnaden kraftigt (P5.2, P5.7).",
            ),
        ),
    ),
    ProductData(
        "Microsoft Hyper-V",
        MS,
        VIRTUAL_CAT,
        Kind.SOFTWARE,
        decisions=(
            evaluation(ago(120), "Utreds som alternativ till VMware inför nästa avtalsperiod."),
        ),
    ),
    # -- Servers and storage --
    ProductData(
        "HPE ProLiant DL380 Gen10",
        "Hewlett Packard Enterprise",
        SERVER_CAT,
        Kind.HARDWARE,
        decisions=(
            approved(date(2018, 2, 1), STANDARD),
            phase_out(date(2023, 6, 1), date(2027, 12, 31), "Ersätts av Gen11 vid ordinarie byte."),
        ),
    ),
    ProductData(
        "HPE ProLiant DL380 Gen11",
        "Hewlett Packard Enterprise",
        SERVER_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2023, 6, 1), STANDARD),),
    ),
    ProductData(
        "HPE MSA 2060",
        "Hewlett Packard Enterprise",
        SERVER_CAT,
        Kind.HARDWARE,
        "Lagringssystem i serverhallen.",
        decisions=(approved(date(2021, 4, 1), STANDARD),),
    ),
    ProductData("Dell PowerEdge R760", "Dell Technologies", SERVER_CAT, Kind.HARDWARE),
    # -- Backup --
    ProductData(
        "Veeam Backup & Replication",
        "Veeam",
        BACKUP_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("12", date(2023, 2, 14)),),
        decisions=(approved(date(2018, 1, 5), ESTABLISHED),),
    ),
    ProductData(
        "Veeam Backup for Microsoft 365",
        "Veeam",
        BACKUP_CAT,
        Kind.SOFTWARE,
        decisions=(
            constrained(
                date(2021, 3, 1),
                "Kopiorna lagras i kommunens egen serverhall.",
                "Molntjänstens egen lagring ersätter inte säkerhetskopior (P9.4).",
            ),
        ),
    ),
    # -- Firewalls and remote access --
    ProductData(
        "Fortinet FortiGate 100F",
        "Fortinet",
        FIREWALL_CAT,
        Kind.HARDWARE,
        versions=(VersionData("FortiOS 7.4", date(2023, 5, 11)),),
        decisions=(approved(date(2019, 4, 1), ESTABLISHED),),
    ),
    ProductData(
        "FortiClient VPN",
        "Fortinet",
        FIREWALL_CAT,
        Kind.SOFTWARE,
        decisions=(constrained(date(2019, 4, 1), "Endast på kommunens datorer.", ESTABLISHED),),
    ),
    ProductData("Cisco Secure Client", "Cisco", FIREWALL_CAT, Kind.SOFTWARE),
    # -- Active network equipment --
    ProductData(
        "Cisco Catalyst 2960-X",
        "Cisco",
        NETWORK_CAT,
        Kind.HARDWARE,
        versions=(VersionData("2960-X", date(2013, 6, 1), date(2022, 10, 30), date(2027, 10, 31)),),
        decisions=(
            approved(date(2014, 1, 1), STANDARD),
            phase_out(
                date(2022, 11, 1),
                date(2027, 10, 31),
                "Slut på försäljning 2022; byts mot Catalyst 9200 i takt med att lokaler byggs om.",
            ),
        ),
    ),
    ProductData(
        "Cisco Catalyst 9200",
        "Cisco",
        NETWORK_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2022, 11, 1), STANDARD),),
    ),
    ProductData(
        "Cisco Catalyst 9300",
        "Cisco",
        NETWORK_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2022, 11, 1), STANDARD),),
    ),
    ProductData(
        "Cisco Meraki MR46",
        "Cisco",
        NETWORK_CAT,
        Kind.HARDWARE,
        "Trådlös accesspunkt, molnhanterad.",
        decisions=(approved(date(2021, 6, 1), STANDARD),),
    ),
    ProductData(
        "Aruba Instant On AP22",
        "Hewlett Packard Enterprise",
        NETWORK_CAT,
        Kind.HARDWARE,
        "Köptes av en skola till ett klassrum utan att fråga IT-avdelningen.",
    ),
    # -- Clients and tablets --
    ProductData(
        "Lenovo ThinkPad T14 Gen 4",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(
            approved(date(2023, 6, 1), STANDARD),
            phase_out(date(2024, 6, 1), date(2027, 6, 30), "Efterföljaren Gen 5 köps i stället."),
        ),
    ),
    ProductData(
        "Lenovo ThinkPad T14 Gen 5",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2024, 6, 1), STANDARD),),
    ),
    ProductData(
        "Lenovo ThinkPad L13 Gen 4",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        "Elevdator för högstadiet.",
        decisions=(approved(date(2023, 7, 1), STANDARD),),
    ),
    ProductData(
        "Lenovo ThinkCentre M70q",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        "Stationär dator för receptioner och delade arbetsplatser.",
        decisions=(approved(date(2022, 3, 1), STANDARD),),
    ),
    ProductData(
        "HP EliteBook 840 G8",
        "HP Inc.",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(
            approved(date(2021, 3, 1), "Kommunens standard enligt det förra ramavtalet."),
            phase_out(date(2023, 6, 1), date(2027, 6, 30), "Ersätts vid ordinarie byte."),
        ),
    ),
    ProductData(
        "HP EliteDesk 800 G4",
        "HP Inc.",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(
            approved(date(2018, 9, 1), STANDARD),
            retired(date(2025, 10, 15), "Klarar inte Windows 11; samtliga är utbytta."),
        ),
    ),
    ProductData(
        "Apple MacBook Air",
        "Apple",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(
            constrained(
                date(2020, 1, 15),
                "Endast för kommunikatörernas bild- och layoutarbete; registreras i kommunens "
                "mobilhantering.",
                "Behövs för bild och layout; Windows är standard för övriga (P4.1).",
            ),
        ),
    ),
    ProductData(
        "Apple iPad",
        "Apple",
        CLIENT_CAT,
        Kind.HARDWARE,
        "Surfplatta för förskolan och förtroendevalda.",
        decisions=(constrained(date(2017, 1, 1), MDM_ONLY + ".", ESTABLISHED),),
    ),
    ProductData(
        "Samsung Galaxy Tab Active5",
        "Samsung",
        CLIENT_CAT,
        Kind.HARDWARE,
        "Tålig surfplatta för hemtjänsten.",
        decisions=(
            constrained(
                date(2024, 4, 1),
                "Endast som delad surfplatta i hemtjänsten; " + MDM_ONLY.lower() + ".",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Lenovo 100e Chromebook",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(evaluation(ago(90), "Prövas tillsammans med ChromeOS i två klasser."),),
    ),
    ProductData("Dell Latitude 5440", "Dell Technologies", CLIENT_CAT, Kind.HARDWARE),
    ProductData("Microsoft Surface Pro 9", MS, CLIENT_CAT, Kind.HARDWARE),
    # -- Mobile phones and subscriptions --
    ProductData(
        "Apple iPhone 12",
        "Apple",
        MOBILE_CAT,
        Kind.HARDWARE,
        decisions=(
            approved(date(2020, 11, 1), STANDARD),
            phase_out(date(2023, 1, 1), date(2027, 6, 30), "Byts vid fel eller efter fem år."),
        ),
    ),
    ProductData(
        "Apple iPhone 15",
        "Apple",
        MOBILE_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2023, 11, 1), STANDARD),),
    ),
    ProductData(
        "Apple iPhone 16e",
        "Apple",
        MOBILE_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2025, 4, 1), STANDARD),),
    ),
    ProductData(
        "Samsung Galaxy A56",
        "Samsung",
        MOBILE_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2025, 5, 1), STANDARD),),
    ),
    ProductData(
        "Samsung Galaxy XCover7",
        "Samsung",
        MOBILE_CAT,
        Kind.HARDWARE,
        decisions=(
            constrained(
                date(2024, 3, 1),
                "Endast för hemtjänst och teknisk förvaltning, där en tålig telefon behövs.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Telia mobilabonnemang",
        "Telia",
        MOBILE_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2023, 4, 1), "Tilldelad i avrop från statligt ramavtal."),),
    ),
    ProductData(
        "Tele2 mobilabonnemang",
        "Tele2",
        MOBILE_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            approved(date(2019, 4, 1), "Tilldelad i avrop från statligt ramavtal."),
            retired(date(2023, 6, 30), "Avtalet löpte ut; numren är flyttade till Telia."),
        ),
    ),
    # -- Printers --
    ProductData(
        "Konica Minolta bizhub C360i",
        "Konica Minolta",
        PRINT_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2020, 2, 1), STANDARD),),
    ),
    ProductData(
        "Konica Minolta bizhub C450i",
        "Konica Minolta",
        PRINT_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2020, 2, 1), STANDARD),),
    ),
    ProductData(
        "PaperCut MF",
        "PaperCut Software",
        PRINT_CAT,
        Kind.SOFTWARE,
        decisions=(approved(date(2017, 5, 1), ESTABLISHED),),
    ),
    ProductData(
        "HP LaserJet Pro M404",
        "HP Inc.",
        PRINT_CAT,
        Kind.HARDWARE,
        "Lokal skrivare på arbetsplatsen.",
        decisions=(
            approved(date(2019, 3, 1), "Lokala skrivare där gemensamma saknas."),
            phase_out(
                date(2024, 1, 1),
                date(2027, 3, 31),
                "Lokala skrivare ersätts av gemensamma med säker utskrift (P4.1, P9.5).",
            ),
        ),
    ),
    # -- Office software --
    ProductData(
        "Microsoft 365 Apps for enterprise",
        MS,
        OFFICE_CAT,
        Kind.SOFTWARE,
        decisions=(approved(date(2021, 1, 10), STANDARD),),
    ),
    ProductData(
        "Microsoft Office 2016",
        MS,
        OFFICE_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("2016", date(2015, 9, 22), None, date(2025, 10, 14)),),
        decisions=(
            approved(date(2016, 1, 15), STANDARD),
            phase_out(date(2021, 1, 10), date(2025, 10, 14), "Ersätts av Microsoft 365 Apps."),
            retired(date(2025, 10, 15), "Microsofts support upphörde 2025-10-14."),
        ),
        end_of_support=date(2025, 10, 14),
    ),
    ProductData(
        "Adobe Acrobat Pro",
        "Adobe",
        OFFICE_CAT,
        Kind.SOFTWARE,
        decisions=(
            constrained(
                date(2019, 1, 15),
                "Licens tilldelas per person efter beslut av närmaste chef.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Adobe Creative Cloud",
        "Adobe",
        OFFICE_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2020, 1, 15),
                "Endast för kommunikationsenheten; " + CONSTRAINED_DATA.lower() + ".",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData("LibreOffice", "The Document Foundation", OFFICE_CAT, Kind.SOFTWARE),
    ProductData(
        "Microsoft Power BI",
        MS,
        ANALYSIS_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2022, 5, 1),
                "Endast aggregerade uppgifter utan personuppgifter.",
                "Rapporter ur ekonomisystemet; molntjänsten får inte innehålla personuppgifter.",
            ),
        ),
    ),
    ProductData("Stratsys", "Stratsys", ANALYSIS_CAT, Kind.CLOUD_SERVICE),
    # -- Mail, collaboration and meetings --
    ProductData(
        "Säker digital kommunikation (SDK)",
        "Inera",
        MAIL_CAT,
        Kind.CLOUD_SERVICE,
        "Säker och spårbar överföring av meddelanden mellan offentliga organisationer.",
        decisions=(approved(date(2023, 9, 1), "Nationell infrastruktur för säkra meddelanden."),),
    ),
    ProductData(
        "Kivra",
        "Kivra",
        MAIL_CAT,
        Kind.CLOUD_SERVICE,
        "Digital brevlåda för utskick till invånare.",
        decisions=(
            constrained(
                date(2022, 2, 1),
                "Endast för utskick som annars skulle skickas med vanlig post.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData(
        "Zoom Workplace",
        "Zoom",
        MEETING_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2021, 2, 1),
                "Endast för externa möten där motparten bjuder in; "
                + CONSTRAINED_DATA.lower()
                + ".",
                "Externa parter använder tjänsten; kommunens egen plattform är förstahandsval "
                "(P4.1).",
            ),
        ),
    ),
    ProductData(
        "Logitech Rally Bar",
        "Logitech",
        MEETING_CAT,
        Kind.HARDWARE,
        "Kamera och högtalare i mötesrum.",
        decisions=(approved(date(2022, 9, 1), STANDARD),),
    ),
    # -- E-identification and e-signatures --
    ProductData(
        "BankID",
        "Finansiell ID-Teknik BID AB",
        EID_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2019, 9, 1), "Den e-legitimation de flesta invånare har."),),
    ),
    ProductData(
        "Freja eID Plus",
        "Freja eID Group AB",
        EID_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2020, 5, 1), "Godkänd e-legitimation; alternativ till BankID."),),
    ),
    ProductData(
        "SITHS eID",
        "Inera",
        EID_CAT,
        Kind.CLOUD_SERVICE,
        "E-tjänstekort för vård och omsorg.",
        decisions=(approved(date(2011, 2, 1), "Krävs för åtkomst till journaler och NPÖ."),),
    ),
    ProductData(
        "Scrive eSign",
        "Scrive",
        EID_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2022, 10, 1),
                "Endast för avtal och beslut utan sekretess; det underskrivna dokumentet "
                "diarieförs.",
                ESTABLISHED,
            ),
        ),
    ),
    # -- Identity --
    ProductData(
        "Microsoft Active Directory Domain Services",
        MS,
        IDENTITY_CAT,
        Kind.SOFTWARE,
        decisions=(approved(date(2008, 6, 1), STANDARD),),
    ),
    ProductData(
        "Microsoft Entra ID",
        MS,
        IDENTITY_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2021, 1, 10),
                "Konton synkroniseras från kommunens katalogtjänst; tvåfaktorsinloggning krävs.",
                "Inloggning till kommunens molntjänster (P9.5).",
            ),
        ),
    ),
    # -- Protection --
    ProductData(
        "Microsoft Defender for Endpoint",
        MS,
        PROTECTION_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2023, 3, 1), "Ingår i licensen; ersätter ESET (P4.1)."),),
    ),
    ProductData(
        "ESET Endpoint Security",
        "ESET",
        PROTECTION_CAT,
        Kind.SOFTWARE,
        decisions=(
            approved(date(2015, 5, 1), ESTABLISHED),
            retired(date(2023, 9, 1), "Ersatt av Microsoft Defender for Endpoint."),
        ),
    ),
    # -- Web --
    ProductData(
        "Sitevision",
        "Sitevision",
        WEB_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2020, 6, 1), ESTABLISHED),),
    ),
    ProductData(
        "Siteimprove",
        "Siteimprove",
        WEB_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2020, 9, 1), "Löpande kontroll av tillgänglighet (P7.1)."),),
    ),
    ProductData(
        "ReadSpeaker webReader",
        "ReadSpeaker",
        WEB_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(approved(date(2020, 9, 1), "Talsyntes på webbplatsen (P7.1)."),),
    ),
    # -- GIS --
    ProductData(
        "ArcGIS Enterprise",
        "Esri",
        GEODATA_CAT,
        Kind.SOFTWARE,
        versions=(VersionData("11.3", date(2024, 5, 1)),),
        decisions=(approved(date(2010, 5, 1), ESTABLISHED),),
    ),
    ProductData(
        "ArcGIS Pro",
        "Esri",
        GEODATA_CAT,
        Kind.SOFTWARE,
        decisions=(approved(date(2018, 3, 1), ESTABLISHED),),
    ),
    ProductData(
        "QGIS",
        "QGIS-projektet",
        GEODATA_CAT,
        Kind.SOFTWARE,
        decisions=(
            constrained(
                date(2021, 11, 1),
                "Endast för visning och enklare analys; kommunens kartdata förvaltas i ArcGIS.",
                "Etablerad öppen programvara (P5.1); två verktyg för samma data vore dubbelarbete "
                "(P4.1).",
            ),
        ),
    ),
    ProductData(
        "Geotorget",
        "Lantmäteriet",
        GEODATA_CAT,
        Kind.CLOUD_SERVICE,
        "Lantmäteriets tjänst för att beställa och hämta geodata.",
        decisions=(approved(date(2021, 4, 1), "Statlig källa för geodata."),),
    ),
    ProductData(
        "Lantmäteriets fastighetsinformation",
        "Lantmäteriet",
        GEODATA_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2016, 6, 1),
                "Endast för handläggning i tjänsten; uppgifterna får inte spridas vidare.",
                "Behövs för bygglov och planering; innehåller personuppgifter om fastighetsägare.",
            ),
        ),
    ),
    # -- Care and school services of others --
    ProductData(
        "Nationell patientöversikt (NPÖ)",
        "Inera",
        NATIONAL_CARE_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            constrained(
                date(2016, 3, 1),
                "Endast legitimerad personal med SITHS-kort och medarbetaruppdrag.",
                "Nationell tjänst för att ta del av patientuppgifter med patientens samtycke.",
            ),
        ),
    ),
    ProductData(
        "Pascal",
        "Inera",
        NATIONAL_CARE_CAT,
        Kind.CLOUD_SERVICE,
        "Läkemedelsordination i ordinärt och särskilt boende.",
        decisions=(approved(date(2019, 10, 1), "Nationell tjänst (P5.1)."),),
    ),
    ProductData("Lifecare", "Tietoevry", SOCIAL_CAT, Kind.SOFTWARE),
    ProductData(
        "Skolon",
        "Skolon",
        LEARNING_RESOURCES_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            approved(date(2020, 8, 1), ESTABLISHED + " Stödjer målet om IT i lärandet (P2.4)."),
        ),
    ),
    ProductData("Unikum", "Unikum", LEARNING_CAT, Kind.CLOUD_SERVICE),
    ProductData("IST Administration", "IST", SCHOOL_CAT, Kind.CLOUD_SERVICE),
    # -- Cases, archives, finance and building: products met in procurements --
    ProductData(
        "Netpublicator",
        "Netpublicator",
        MEETING_DOCS_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            evaluation(ago(30), "Prövas som ersättare för politikerportalen vid avtalets slut."),
        ),
    ),
    ProductData("Public 360°", "Tietoevry", CASES_CAT, Kind.CLOUD_SERVICE),
    ProductData("Platina", "Formpipe", CASES_CAT, Kind.SOFTWARE),
    ProductData(
        "Visma Proceedo",
        "Visma",
        E_PROCUREMENT_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(
            evaluation(
                ago(75),
                "Utvärderas inför en gemensam upphandling av e-handel inom IT-samverkan Östra "
                "Skaraborg (P8.1).",
            ),
        ),
    ),
    ProductData("Evolution", "Sokigo", BUILDING_CAT, Kind.SOFTWARE),
    # -- Small things every office has --
    ProductData(
        "Microsoft Edge",
        MS,
        OFFICE_CAT,
        Kind.SOFTWARE,
        "Webbläsare.",
        decisions=(approved(date(2021, 1, 10), "Kommunens standardwebbläsare (P4.1)."),),
    ),
    ProductData(
        "Google Chrome",
        "Google",
        OFFICE_CAT,
        Kind.SOFTWARE,
        "Webbläsare.",
        decisions=(
            constrained(
                date(2021, 1, 10),
                "Endast när en tjänst inte fungerar i kommunens standardwebbläsare.",
                ESTABLISHED,
            ),
        ),
    ),
    ProductData("Mozilla Firefox", "Mozilla", OFFICE_CAT, Kind.SOFTWARE, "Webbläsare."),
    ProductData(
        "Microsoft Visio",
        MS,
        OFFICE_CAT,
        Kind.CLOUD_SERVICE,
        decisions=(constrained(date(2022, 4, 1), "Licens tilldelas efter behov.", STANDARD),),
    ),
    ProductData("Microsoft Project", MS, OFFICE_CAT, Kind.CLOUD_SERVICE),
    ProductData(
        "7-Zip",
        None,
        OFFICE_CAT,
        Kind.SOFTWARE,
        "Packar upp och skapar komprimerade filer.",
        decisions=(approved(date(2016, 5, 1), "Etablerad fri programvara (P5.1)."),),
    ),
    ProductData(
        "Notepad++",
        None,
        OFFICE_CAT,
        Kind.SOFTWARE,
        "Textredigerare.",
        decisions=(
            constrained(date(2016, 5, 1), "Endast IT-avdelningen.", "Verktyg för drift (P5.1)."),
        ),
    ),
    ProductData(
        "Privat molnlagring (konsumenttjänster)",
        None,
        MAIL_CAT,
        Kind.CLOUD_SERVICE,
        "Gratis lagringstjänster för privatpersoner.",
        decisions=(
            rejected(
                date(2019, 2, 1),
                "Konsumenttjänster saknar personuppgiftsbiträdesavtal och kommunens kontroll över "
                "var uppgifterna lagras; allmänna handlingar får inte lagras där.",
            ),
        ),
    ),
    ProductData(
        "YubiKey 5 NFC",
        "Yubico",
        IDENTITY_CAT,
        Kind.HARDWARE,
        "Säkerhetsnyckel för tvåfaktorsinloggning.",
        decisions=(
            constrained(
                date(2022, 11, 1),
                "Endast för konton med administratörsbehörighet.",
                "Phishing-resistent inloggning för administratörer (P9.5).",
            ),
        ),
    ),
    ProductData(
        "Microsoft Authenticator",
        MS,
        IDENTITY_CAT,
        Kind.SOFTWARE,
        decisions=(approved(date(2021, 1, 10), "Tvåfaktorsinloggning för alla anställda (P9.5)."),),
    ),
    ProductData(
        "Canon imageFORMULA DR-C225 II",
        "Canon",
        PRINT_CAT,
        Kind.HARDWARE,
        "Dokumentskanner för registraturen.",
        decisions=(approved(date(2021, 11, 1), ESTABLISHED),),
    ),
    ProductData(
        "Lenovo ThinkPad Universal USB-C Dock",
        "Lenovo",
        CLIENT_CAT,
        Kind.HARDWARE,
        decisions=(approved(date(2023, 6, 1), STANDARD),),
    ),
]

PRODUCTS: list[ProductData] = BUSINESS_SYSTEMS + PLATFORM

# --- Which products the systems run on (P5.4, P4.1) ----------------------------------------------
# Each system with a vendor runs on its own product; some also on platform products.

LINKS: list[LinkData] = [
    *(
        LinkData(s.identifier, s.name)
        for s in data.SYSTEMS
        if s.name in {p.name for p in BUSINESS_SYSTEMS}
    ),
    LinkData(data.NETWORK, "Cisco Catalyst 9300"),
    LinkData(data.NETWORK, "Cisco Catalyst 2960-X", "2960-X"),
    LinkData(data.NETWORK, "Cisco Meraki MR46"),
    LinkData(data.DIRECTORY, "Microsoft Active Directory Domain Services"),
    LinkData(data.DIRECTORY, "Microsoft Entra ID"),
    LinkData(data.DIRECTORY, "Windows Server 2022"),
    LinkData("SYS-0003", "Fortinet FortiGate 100F", "FortiOS 7.4"),
    LinkData("SYS-0003", "FortiClient VPN"),
    LinkData(data.SERVERS, "VMware vSphere 8", "8.0"),
    LinkData(data.SERVERS, "HPE ProLiant DL380 Gen11"),
    LinkData(data.SERVERS, "HPE ProLiant DL380 Gen10"),
    LinkData(data.SERVERS, "HPE MSA 2060"),
    LinkData("SYS-0005", "Veeam Backup & Replication", "12"),
    LinkData("SYS-0005", "Veeam Backup for Microsoft 365"),
    LinkData("SYS-0009", "PaperCut MF"),
    LinkData("SYS-0009", "Windows Server 2019"),
    LinkData(data.FINANCE, "Windows Server 2022"),
    LinkData(data.FINANCE, "Microsoft SQL Server 2022", "2022"),
    LinkData(data.HR, "Windows Server 2019"),
    LinkData(data.HR, "Microsoft SQL Server 2019", "2019"),
    LinkData(data.CASES, "Windows Server 2022"),
    LinkData(data.CASES, "Microsoft SQL Server 2022", "2022"),
    LinkData(data.WEBSITE, "Sitevision"),
    LinkData(data.WEBSITE, "Siteimprove"),
    LinkData(data.WEBSITE, "ReadSpeaker webReader"),
    LinkData("SYS-0021", "Sitevision"),
    LinkData(data.E_SERVICES, "BankID"),
    LinkData(data.E_SERVICES, "Freja eID Plus"),
    # A deliberate gap: the guardianship system still runs on a retired server OS.
    LinkData("SYS-0024", "Windows Server 2012 R2"),
    LinkData("SYS-0028", "Windows Server 2019"),
    LinkData("SYS-0028", "SITHS eID"),
    LinkData(data.SOCIAL_RECORDS, "Windows Server 2016"),
    LinkData(data.SOCIAL_RECORDS, "Microsoft SQL Server 2019", "2019"),
    LinkData(data.SOCIAL_RECORDS, "SITHS eID"),
    LinkData(data.HEALTH_RECORDS, "SITHS eID"),
    LinkData(data.HEALTH_RECORDS, "Nationell patientöversikt (NPÖ)"),
    LinkData(data.HEALTH_RECORDS, "Pascal"),
    LinkData(data.GIS, "ArcGIS Enterprise", "11.3"),
    LinkData(data.GIS, "ArcGIS Pro"),
    LinkData(data.GIS, "Geotorget"),
    LinkData(data.GIS, "Windows Server 2022"),
    LinkData("SYS-0038", "ArcGIS Enterprise", "11.3"),
    LinkData("SYS-0039", "Lantmäteriets fastighetsinformation"),
    LinkData("SYS-0039", "PostgreSQL", "16"),
    LinkData("SYS-0040", "PostgreSQL", "16"),
    LinkData("SYS-0027", "Skolon"),
    # A deliberate gap: the in-house register is an Access database (P5.6).
    LinkData("SYS-0043", "Microsoft Access"),
]

# The versions the register's systems run, where it matters (the rest: no version recorded).
LINK_VERSIONS: dict[tuple[str, str], str] = {
    # A deliberate gap: the social services system is a version behind, past its support.
    (data.SOCIAL_RECORDS, _SYSTEMS[data.SOCIAL_RECORDS].name): "2023.2",
    (data.HEALTH_RECORDS, _SYSTEMS[data.HEALTH_RECORDS].name): "2025.1",
    (data.FINANCE, _SYSTEMS[data.FINANCE].name): "2025",
    (data.HR, _SYSTEMS[data.HR].name): "12",
    (data.CASES, _SYSTEMS[data.CASES].name): "6.2",
    ("SYS-0024", _SYSTEMS["SYS-0024"].name): "4.8",
}

# --- Catalogue settings and approval steps (P8.2, P5.4) ------------------------------------------

# Neighbours not in this installation; their answers are recorded by hand (P8.2).
OTHER_NEIGHBOURS = ("Hjo kommun", "Tibro kommun")

# (order, name, approver, from a total cost of, only new business systems)
APPROVAL_STEPS: list[tuple[int, str, str, Decimal | None, bool]] = [
    (1, "Förvaltningschef över 50 000 kr", Approver.DEPARTMENT_HEAD, Decimal("50000"), False),
]

# --- Product requests (P5.4, P5.6, P8.2) ----------------------------------------------------------


@dataclass(frozen=True)
class AssessmentData:
    criterion: str
    verdict: str
    note: str


@dataclass(frozen=True)
class AnswerData:
    """A neighbour's answer, recorded by the IT department (P8.2); None: no answer yet."""

    municipality: str
    answer: str | None = None
    text: str = ""
    answered_by_name: str = ""


@dataclass(frozen=True)
class RequestData:
    """A product request and how far it has come. `stage` is where the demo leaves it:
    draft, submitted, assessed (assessments recorded, undecided), or decided."""

    title: str
    requester: str  # username
    department: str
    reason: str
    stage: str
    product: str | None = None  # a catalogue product, by name
    product_name: str = ""
    vendor: str | None = None  # a catalogue vendor, by name
    vendor_name: str = ""
    kind: str = Kind.SOFTWARE
    category: str | None = None
    one_time_cost: Decimal = Decimal("0")
    yearly_cost: Decimal = Decimal("0")
    goals: tuple[str, ...] = ()  # the municipality's goals (P2), by code
    expected_benefit: str = ""
    information_handled: str = ""
    personal_data: bool = False
    is_business_system: bool = False
    is_in_house_development: bool = False
    systems: tuple[str, ...] = ()
    assessments: tuple[AssessmentData, ...] = ()
    # The neighbours' answers recorded so far (P8.2); the inquiry itself is sent on submission.
    answers: tuple[AnswerData, ...] = ()
    # Why the IT department waived the inquiry, when it did (P8.2).
    inquiry_waived: str = ""
    outcome: str | None = None
    decision_reason: str = ""
    constraints: str = ""
    # The department head's step, when the cost calls for it (username).
    department_head: str | None = None
    department_head_reason: str = ""


MET, NOT_MET, NA = Verdict.MET, Verdict.NOT_MET, Verdict.NOT_APPLICABLE

REQUESTS: list[RequestData] = [
    RequestData(
        "Skärmläsare för medarbetare med synnedsättning",
        "medarbetare",
        TF,
        "En kollega behöver skärmläsare och förstoring för att kunna arbeta i våra system.",
        "draft",
        product_name="Skärmläsare med förstoring",
        kind=Kind.SOFTWARE,
        category=OFFICE_CAT,
        one_time_cost=Decimal("9500"),
        yearly_cost=Decimal("1200"),
        goals=("P2.3",),
        expected_benefit="Medarbetaren kan arbeta självständigt i alla system.",
    ),
    RequestData(
        "Ritprogram för underhållsplanering",
        "medarbetare",
        TF,
        "Vi ritar om lokaler inför underhåll och behöver ett enkelt CAD-program i stället för "
        "att beställa ritningar av konsult.",
        "submitted",
        product_name="Enkel CAD för fastighetsritningar",
        vendor_name="Ritverktyg Norden AB",
        kind=Kind.SOFTWARE,
        one_time_cost=Decimal("18000"),
        yearly_cost=Decimal("6000"),
        goals=("P2.3",),
        expected_benefit="Färre konsulttimmar; snabbare underhållsplaner.",
        information_handled="Ritningar över kommunens lokaler (inga skyddsobjekt).",
        systems=("SYS-0025",),
    ),
    RequestData(
        "Digital nattillsyn i hemtjänsten",
        "socialchef",
        SOC,
        "Brukare som vill ska kunna få tillsyn nattetid via kamera i stället för besök som "
        "väcker dem. Ingår i socialnämndens plan för välfärdsteknik.",
        "assessed",
        product="Digital nattillsyn med kamera",
        vendor="Trygg Natt Teknik AB",
        kind=Kind.CLOUD_SERVICE,
        category=NIGHT_CAT,
        one_time_cost=Decimal("120000"),
        yearly_cost=Decimal("85000"),
        goals=("P2.1", "P2.3"),
        expected_benefit="Bättre nattsömn för brukarna; färre nattliga bilresor för hemtjänsten.",
        information_handled="Bilder från brukares hem, uppgifter om hälsa och omsorg.",
        personal_data=True,
        is_business_system=True,
        systems=("SYS-0036", "SYS-0033"),
        assessments=(
            AssessmentData(
                Criterion.ESTABLISHED,
                MET,
                "Används i ett tjugotal kommuner sedan 2021 (P5.1).",
            ),
            AssessmentData(
                Criterion.VENDOR,
                NOT_MET,
                "Ungt bolag med kort historik; kräver escrow eller exit-klausul (P5.2).",
            ),
            AssessmentData(
                Criterion.COEXISTENCE,
                MET,
                "Kan ta emot larm från kommunens trygghetslarm; inloggning med SITHS (P5.3).",
            ),
        ),
        answers=(
            AnswerData(
                "Hjo kommun",
                Answer.INTERESTED,
                "Intresserade; vi planerar samma sak under nästa år.",
                "IT-chefen i Hjo",
            ),
            AnswerData("Tibro kommun"),
        ),
    ),
    RequestData(
        "Videomötesutrustning till socialförvaltningens mötesrum",
        "socialchef",
        SOC,
        "Vi har allt fler möten med regionen och utförare på distans och hör dåligt i det stora "
        "mötesrummet.",
        "decided",
        product="Logitech Rally Bar",
        vendor="Logitech",
        kind=Kind.HARDWARE,
        category=MEETING_CAT,
        one_time_cost=Decimal("42000"),
        goals=("P2.3",),
        expected_benefit="Färre resor till samordningsmöten; bättre ljud för alla deltagare.",
        assessments=(
            AssessmentData(
                Criterion.ESTABLISHED, MET, "Redan godkänd och i bruk i KS-salen (P5.1)."
            ),
            AssessmentData(Criterion.VENDOR, MET, "Stor och stabil tillverkare (P5.2)."),
            AssessmentData(
                Criterion.COEXISTENCE,
                MET,
                "Fungerar med kommunens videomötestjänst och hanteras som övriga mötesrum (P5.3).",
            ),
            AssessmentData(Criterion.NOT_IN_HOUSE, NA, "Standardprodukt (P5.6)."),
            AssessmentData(
                Criterion.FINANCING, MET, "Ryms i socialförvaltningens investeringsbudget (P5.7)."
            ),
        ),
        outcome=Outcome.APPROVED,
        decision_reason="Produkten är godkänd i katalogen och kostnaden ryms i budgeten.",
    ),
    RequestData(
        "PDF-redigering för kommunledningskontoret",
        "ekonomichef",
        KLK,
        "Ekonomi-, HR- och kansliet sammanställer, granskar och tillgänglighetsanpassar "
        "handlingar som PDF varje dag; de gratis läsarna räcker inte.",
        "decided",
        product="Adobe Acrobat Pro",
        vendor="Adobe",
        kind=Kind.SOFTWARE,
        category=OFFICE_CAT,
        one_time_cost=Decimal("0"),
        yearly_cost=Decimal("52000"),
        goals=("P2.3", "P2.1"),
        expected_benefit="Tillgängliga PDF-handlingar på webbplatsen (P7.1); mindre manuellt "
        "arbete med nämndhandlingar.",
        information_handled="Nämndhandlingar, avtal och personalhandlingar.",
        personal_data=True,
        systems=(data.CASES,),
        assessments=(
            AssessmentData(Criterion.ESTABLISHED, MET, "Mycket spridd produkt (P5.1)."),
            AssessmentData(Criterion.VENDOR, MET, "Stor och stabil leverantör (P5.2)."),
            AssessmentData(
                Criterion.COEXISTENCE,
                MET,
                "Redan godkänd i katalogen; fungerar med ärendehanteringen (P5.3, P4.1).",
            ),
            AssessmentData(Criterion.NOT_IN_HOUSE, NA, "Standardprogram (P5.6)."),
            AssessmentData(
                Criterion.FINANCING,
                MET,
                "Licenserna ryms i kommunledningskontorets driftbudget (P5.7).",
            ),
        ),
        outcome=Outcome.APPROVED_WITH_CONSTRAINTS,
        decision_reason="Godkänd i katalogen med villkor; behovet är väl beskrivet.",
        constraints="Tjugo licenser; licens tilldelas per person efter beslut av närmaste chef.",
        department_head="kommundirektor",
        department_head_reason="Kostnaden över 50 000 kr ryms i kontorets driftbudget.",
    ),
    RequestData(
        "Egen app för föreningsbidrag",
        "medarbetare",
        TF,
        "En sommarjobbare kan bygga en app där föreningar söker bidrag, i stället för den gamla "
        "databasen.",
        "decided",
        product_name="Föreningsapp (egenutvecklad)",
        kind=Kind.SOFTWARE,
        category=ASSOCIATION_CAT,
        one_time_cost=Decimal("0"),
        yearly_cost=Decimal("0"),
        goals=("P2.1",),
        expected_benefit="Föreningar söker digitalt.",
        information_handled="Föreningars kontaktuppgifter och ansökningar.",
        personal_data=True,
        is_in_house_development=True,
        systems=("SYS-0043",),
        inquiry_waived="Begäran gäller egenutveckling, som IT-policyn inte tillåter (P5.6); det "
        "finns ingen anskaffning att samordna.",
        assessments=(
            AssessmentData(
                Criterion.NOT_IN_HOUSE,
                NOT_MET,
                "Egenutveckling är inte tillåten (P5.6); ingen förvaltning efter sommaren.",
            ),
        ),
        outcome=Outcome.REJECTED,
        decision_reason="Avslås enligt IT-policyn 5.6: egenutveckling är inte tillåten och "
        "kommunstyrelsen har inte beslutat om undantag. Ett etablerat system för "
        "föreningsbidrag upphandlas i stället (P5.1).",
    ),
]


__all__ = [
    "APPROVAL_STEPS",
    "CATEGORIES",
    "LINKS",
    "LINK_VERSIONS",
    "OTHER_NEIGHBOURS",
    "PRODUCTS",
    "REQUESTS",
    "VENDORS",
    "resolve",
]
