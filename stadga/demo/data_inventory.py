"""The demo municipality's installed software as plain data (issue 6; P5.4, P5.5).

What GLPI reports on Karlsborg's some 370 Windows computers (about 10,800 installations, 20 to 40
on each computer, of some 110 distinct titles), and the IT department's software dictionary
(`RULES`) that maps those titles to the catalogue's products (`data_catalogue`), ignores drivers,
runtimes and updates, and gives a few unassessed titles a readable name. `inventory_csv` writes
the export as the generic CSV the import reads; it is generated from a fixed seed, so every load
makes the same computers with the same software (install dates are counted back from the day of
the load).

Most of what is installed is approved: the office suite, the browsers the catalogue allows, the
PDF reader and the clients of the business systems, each department its own. The deviations are
deliberate and concentrated, so that the report by department has a story to tell:

- the school (Barn- och utbildningsförvaltningen): teachers' own picks — Firefox (never
  assessed), consumer cloud storage (rejected), Office 2016 and ESET left on old computers
  (retired), the school's own device management agent (phase-out), and titles no rule knows
  (Spotify, VLC, GeoGebra, SMART Notebook);
- culture and leisure (Kultur- och fritidsförvaltningen): the booking system the department
  bought itself, which nobody has assessed (the catalogue's P5.5 case), LibreOffice and Firefox;
- a few elsewhere: Microsoft Project in the central office and an Access runtime and a trial of
  another building-permit system in Samhällsbyggnadsförvaltningen (never approved), and the old
  registry client on two computers of the central office (retired);
- and, not deviations but unknown, the IT department's own administration tools, which nobody
  has put in the catalogue.

The catalogue already holds every product the deviations need (Firefox, LibreOffice, Microsoft
Project and the booking system not assessed; Access and consumer cloud storage rejected; Office
2016, ESET and the old registry retired), so `data_catalogue` is unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import unicodedata
from dataclasses import dataclass

from stadga.inventory.choices import RuleAction, RuleField, RuleMatch

from . import data_catalogue as catalogue
from .data import BUF, KFF, KLK, SBF, SOC, TF

IT = "IT"  # the IT department's computers' profile

SOURCE_NAME = "GLPI"
FILE_NAME = "glpi-programvaror-karlsborg.csv"
# The generic CSV's Swedish header (stadga.inventory.parsers reads it).
HEADER = ("Enhet", "Användare", "Förvaltning", "Programvara", "Version", "Utgivare", "Installerad")
SEED = 1446  # Karlsborg's municipality code: any fixed number makes the same computers

# --- The computers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentComputers:
    """A department's computers: how many, the prefix of their names in the domain, and whose
    software they get (`SOFTWARE`'s shares are by profile: the department, unless told)."""

    department: str  # as the source reports it; a name no department has leaves it unmapped
    code: str
    count: int
    profile: str = ""

    @property
    def software_profile(self) -> str:
        return self.profile or self.department


# About one computer per two employees; the pupils' Chromebooks and iPads are in the schools'
# device management, not in GLPI.
COMPUTERS: list[DepartmentComputers] = [
    DepartmentComputers(KLK, "KLK", 58),
    # The IT department's own computers, with its administration tools.
    DepartmentComputers(KLK, "IT", 6, profile=IT),
    DepartmentComputers(TF, "TF", 38),
    DepartmentComputers(BUF, "BUF", 118),
    DepartmentComputers(SOC, "SOC", 92),
    DepartmentComputers(SBF, "SBF", 28),
    DepartmentComputers(KFF, "KFF", 22),
    # Spare computers in the IT department's store: no department of the register.
    DepartmentComputers("IT-förrådet", "LAGER", 6),
]

LAPTOP_SHARE = 0.6

# fmt: off
FIRST_NAMES = (
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Johanna", "Ingrid",
    "Linda", "Malin", "Sofia", "Eva", "Camilla", "Hanna", "Jenny", "Ida", "Helena", "Åsa", "Erik",
    "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Jonas", "Magnus", "Fredrik",
    "Daniel", "Mattias", "Henrik", "Oskar", "Björn", "Stefan", "Ulf", "Peter", "Jörgen",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
    "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist",
    "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Mattsson",
    "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Ali", "Forsberg", "Sjöberg", "Wallin",
    "Engström", "Eklund",
)
# fmt: on

# --- The software -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """A piece of software as GLPI reports it. `name` may hold `{version}` (many installers put
    the version in the name); `versions` are those found, separated by spaces, the most common
    first."""

    name: str
    publisher: str
    versions: str
    laptops_only: bool = False


EVERY = "*"  # every department's computers, the store's included
MS = "Microsoft Corporation"
INTEL = "Intel Corporation"


# Title, and the share of each department's computers it is on (EVERY for all of them).
SOFTWARE: list[tuple[Title, dict[str, float]]] = [
    # -- The standard computer (P4.1): the office suite, browsers, PDF reader, print, chat. --
    (
        Title(
            "Microsoft 365 Apps for enterprise - sv-se",
            MS,
            "16.0.18129.20158 16.0.18025.20160 16.0.17928.20286",
        ),
        {EVERY: 0.96},
    ),
    (Title("Microsoft OneDrive", MS, "24.226.1110.0004"), {EVERY: 0.96}),
    (Title("Microsoft Edge", MS, "131.0.2903.86 131.0.2903.70"), {EVERY: 1.0}),
    (
        Title("Google Chrome", "Google LLC", "131.0.6778.109 131.0.6778.86 130.0.6723.117"),
        {EVERY: 0.55},
    ),
    (Title("Adobe Acrobat (64-bit)", "Adobe", "24.005.20320 24.004.20272"), {EVERY: 0.85}),
    (Title("7-Zip {version} (x64)", "Igor Pavlov", "24.08 23.01"), {EVERY: 0.35}),
    (Title("Molnkontor Möten", "Molnkontor Norden AB", "5.3.2 5.2.9"), {EVERY: 0.92}),
    (Title("Molnkontor Möten Outlook-tillägg", "Molnkontor Norden AB", "5.3.0"), {EVERY: 0.8}),
    (Title("PaperCut MF Client", "PaperCut Software Pty Ltd", "23.0.7"), {EVERY: 0.9}),
    (
        Title(
            "FortiClient VPN",
            "Fortinet Technologies Inc",
            "7.4.0.1658 7.2.4.0972",
            laptops_only=True,
        ),
        {EVERY: 0.8},
    ),
    (
        Title("Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", "6.2.11.50943"),
        {EVERY: 0.06, BUF: 0.12, KFF: 0.2},
    ),
    # -- Drivers, runtimes, updates and components: the dictionary ignores them. --
    (Title("Intel(R) Graphics Driver", INTEL, "31.0.101.5590"), {EVERY: 0.7}),
    (
        Title("Intel(R) Chipset Device Software", "Intel(R) Corporation", "10.1.19444.8378"),
        {EVERY: 0.7},
    ),
    (Title("Intel(R) Management Engine Components", INTEL, "2406.5.5.0"), {EVERY: 0.6}),
    (
        Title("Intel(R) Wireless Bluetooth(R)", INTEL, "23.60.0.1", laptops_only=True),
        {EVERY: 0.9},
    ),
    (Title("Realtek Audio Driver", "Realtek Semiconductor Corp.", "6.0.9549.1"), {EVERY: 0.6}),
    (
        Title(
            "Realtek Card Reader",
            "Realtek Semiconductor Corp.",
            "10.0.22000.31274",
            laptops_only=True,
        ),
        {EVERY: 0.7},
    ),
    (
        Title(
            "Synaptics Pointing Device Driver",
            "Synaptics Incorporated",
            "19.5.35.78",
            laptops_only=True,
        ),
        {EVERY: 0.8},
    ),
    (
        Title(
            "Microsoft Visual C++ 2015-2022 Redistributable (x64) - {version}",
            MS,
            "14.40.33810 14.38.33135",
        ),
        {EVERY: 0.95},
    ),
    (
        Title(
            "Microsoft Visual C++ 2015-2022 Redistributable (x86) - {version}", MS, "14.40.33810"
        ),
        {EVERY: 0.8},
    ),
    (
        Title("Microsoft Visual C++ 2013 Redistributable (x64) - 12.0.40664", MS, "12.0.40664.0"),
        {EVERY: 0.3},
    ),
    (
        Title("Update for Windows 10 for x64-based Systems (KB5001716)", MS, "8.94.0.0"),
        {EVERY: 0.25},
    ),
    (Title("Microsoft Update Health Tools", MS, "5.72.0.0"), {EVERY: 0.9}),
    (Title("Windows PC Health Check", MS, "3.6.2204.08001"), {EVERY: 0.4}),
    (Title("Microsoft Edge WebView2 Runtime", MS, "131.0.2903.86"), {EVERY: 1.0}),
    (Title("Microsoft .NET Runtime - {version} (x64)", MS, "8.0.11 6.0.36"), {EVERY: 0.6}),
    (Title("Microsoft Windows Desktop Runtime - {version} (x64)", MS, "8.0.11"), {EVERY: 0.5}),
    (
        Title("Office 16 Click-to-Run Extensibility Component", MS, "16.0.18129.20116"),
        {EVERY: 0.96},
    ),
    (Title("Office 16 Click-to-Run Licensing Component", MS, "16.0.18129.20158"), {EVERY: 0.96}),
    (Title("Lenovo Vantage Service", "Lenovo Group Ltd.", "4.1.37.0"), {EVERY: 0.7}),
    (
        Title("Lenovo Power and Battery", "Lenovo Group Ltd.", "1.0.0.21", laptops_only=True),
        {EVERY: 0.8},
    ),
    (
        Title("Lenovo Hotkeys", "Lenovo Group Ltd.", "10.2405.14.0", laptops_only=True),
        {EVERY: 0.6},
    ),
    (Title("Intel(R) Serial IO", INTEL, "30.100.2237.30", laptops_only=True), {EVERY: 0.6}),
    (Title("Intel(R) Rapid Storage Technology", INTEL, "18.7.6.1010"), {EVERY: 0.4}),
    (Title("Microsoft ODBC Driver 17 for SQL Server", MS, "17.10.6.1"), {EVERY: 0.4}),
    (
        Title("Microsoft Visual C++ 2012 Redistributable (x86) - 11.0.61030", MS, "11.0.61030.0"),
        {EVERY: 0.35},
    ),
    (Title("Microsoft Windows Desktop Runtime - {version} (x86)", MS, "8.0.11"), {EVERY: 0.4}),
    (Title("Microsoft GameInput", MS, "10.1.22621.3036"), {EVERY: 0.85}),
    (Title("Local Administrator Password Solution", MS, "6.2.0.0"), {EVERY: 0.95}),
    (Title("Adobe Refresh Manager", "Adobe Systems Incorporated", "1.8.0"), {EVERY: 0.8}),
    (Title("Lenovo System Update", "Lenovo Group Ltd.", "5.08.03.59"), {EVERY: 0.55}),
    (Title("GLPI Agent 1.11 (x64 edition)", "Teclib'", "1.11"), {EVERY: 1.0}),
    # -- The business systems' clients, department by department. --
    (
        Title("Norrsken Ekonomi {version}", "Norrsken Ekonomi AB", "2025 2024"),
        {KLK: 0.45, EVERY: 0.08},
    ),
    (Title("Fjällvind Lön och Personal", "Fjällvind HR-system AB", "12.4.2"), {KLK: 0.15}),
    (Title("Dokumenta Diarium", "Dokumenta Kommunsystem AB", "6.2.118"), {KLK: 0.3, EVERY: 0.05}),
    (Title("Omsorgsdata Överförmyndare", "Omsorgsdata Norden AB", "4.8.2"), {KLK: 0.05}),
    (Title("Microsoft Power BI Desktop", MS, "2.138.1203.0"), {KLK: 0.15, EVERY: 0.02}),
    (Title("Microsoft Visio - sv-se", MS, "16.0.18129.20158"), {KLK: 0.08, TF: 0.1}),
    (
        Title("Notepad++ (64-bit x64)", "Notepad++ Team", "8.7.1 8.6.9"),
        {KLK: 0.1, SBF: 0.1, IT: 1.0},
    ),
    (
        Title("Veeam Backup & Replication Console", "Veeam Software Group GmbH", "12.2.0.334"),
        {IT: 0.9},
    ),
    (Title("Net iD Enterprise", "SecMaker AB", "6.8.5.22"), {SOC: 0.92, BUF: 0.05}),
    (
        Title("Omsorgsdata Socialtjänst {version}", "Omsorgsdata Norden AB", "2025.1 2023.2"),
        {SOC: 0.85},
    ),
    (Title("Omsorgsdata Journal", "Omsorgsdata Norden AB", "2025.1.3"), {SOC: 0.35}),
    (Title("Vätterbygdens Larmklient", "Vätterbygdens Larmcentral AB", "3.1.0"), {SOC: 0.08}),
    (Title("Journaldata Elevhälsa", "Journaldata Vård AB", "8.2.1"), {BUF: 0.08}),
    (Title("Klassrumsteknik Agent", "Klassrumsteknik AB", "3.2.1 3.1.9"), {BUF: 0.55}),
    (Title("ArcGIS Pro", "Esri", "3.3.2 3.2.4"), {SBF: 0.55, TF: 0.05}),
    (Title("QGIS 3.34.12 'Prizren'", "QGIS Development Team", "3.34.12"), {SBF: 0.3}),
    (Title("Vätterkart GIS", "Vätterkart AB", "2024.2"), {SBF: 0.6, TF: 0.15}),
    (Title("Vätterkart Planregister", "Vätterkart AB", "2024.2"), {SBF: 0.3}),
    (Title("Samhällsbyggnadsdata Bygglov", "Samhällsbyggnadsdata AB", "9.4"), {SBF: 0.4}),
    (Title("Samhällsbyggnadsdata Miljö", "Samhällsbyggnadsdata AB", "9.4"), {SBF: 0.35}),
    (Title("Adobe Creative Cloud", "Adobe Inc.", "6.4.0.361"), {KFF: 0.2, KLK: 0.04}),
    (Title("Adobe Photoshop 2025", "Adobe Inc.", "26.1.0"), {KFF: 0.15, KLK: 0.03}),
    # -- Never approved (P5.5): not assessed, rejected. --
    (
        Title("Mozilla Firefox (x64 sv-SE)", "Mozilla", "133.0.3 132.0.2 115.18.0esr"),
        {BUF: 0.35, KFF: 0.3, SOC: 0.0, EVERY: 0.03},
    ),
    (Title("Dropbox", "Dropbox, Inc.", "214.4.5398"), {BUF: 0.12, KFF: 0.1}),
    (Title("Google Drive", "Google LLC", "101.0.3.0"), {BUF: 0.08}),
    (
        Title("LibreOffice {version}", "The Document Foundation", "24.8.3.2 7.6.7.2"),
        {KFF: 0.4, BUF: 0.05},
    ),
    (Title("Bokningsportalen Admin", "Bokningsportalen AB", "5.4.0"), {KFF: 0.6}),
    (Title("Microsoft Project - sv-se", MS, "16.0.18129.20158"), {KLK: 0.04}),
    (Title("Microsoft Access Runtime 2016", MS, "16.0.4266.1001"), {SBF: 0.12}),
    (Title("Sokigo Evolution klient", "Sokigo AB", "7.3.1"), {SBF: 0.08}),
    # -- Retired, still installed (P5.5). --
    (Title("Microsoft Office Professional Plus 2016 - sv-se", MS, "16.0.4266.1001"), {BUF: 0.1}),
    (Title("ESET Endpoint Security", "ESET, spol. s r.o.", "9.1.2063.0"), {BUF: 0.05}),
    (Title("Dokumenta Diarium Klassisk", "Dokumenta Kommunsystem AB", "4.9.3"), {KLK: 0.03}),
    # -- Titles the dictionary does not know: nobody has assessed them. --
    (Title("Spotify", "Spotify AB", "1.2.52.442"), {BUF: 0.15, KFF: 0.25, EVERY: 0.02}),
    (Title("VLC media player", "VideoLAN", "3.0.21"), {BUF: 0.2, KFF: 0.2, EVERY: 0.03}),
    (Title("GeoGebra Classic", "International GeoGebra Institute", "6.0.862.0"), {BUF: 0.18}),
    (Title("SMART Notebook", "SMART Technologies ULC", "22.1.2.124"), {BUF: 0.3}),
    (Title("Audacity {version}", "Audacity Team", "3.7.0"), {BUF: 0.06, KFF: 0.1}),
    (Title("Canva", "Canva Pty Ltd", "1.97.0"), {KFF: 0.15, KLK: 0.03}),
    (Title("Greenshot {version}", "Greenshot", "1.2.10.6"), {EVERY: 0.04, IT: 0.5}),
    (Title("PDF24 Creator", "geek software GmbH", "11.21.0"), {EVERY: 0.06}),
    # The IT department's administration tools: in daily use, never put in the catalogue.
    (Title("PuTTY release 0.81 (64-bit)", "Simon Tatham", "0.81.0.0"), {IT: 0.9}),
    (Title("WinSCP {version}", "Martin Prikryl", "6.3.5"), {IT: 0.8}),
    (Title("Wireshark 4.4.1 x64", "The Wireshark developer community", "4.4.1"), {IT: 0.5}),
    (Title("Microsoft SQL Server Management Studio - 20.2", MS, "20.2.30.0"), {IT: 0.8}),
    (Title("Remote Desktop Connection Manager", MS, "2.93"), {IT: 0.7}),
    (Title("TeamViewer", "TeamViewer Germany GmbH", "15.60.3 15.58.4"), {KFF: 0.1, SOC: 0.03}),
    (Title("Java 8 Update 431", "Oracle Corporation", "8.0.4310.10"), {TF: 0.15, SBF: 0.1}),
    (Title("Autodesk AutoCAD LT 2024", "Autodesk, Inc.", "24.3.61.0"), {TF: 0.2, SBF: 0.15}),
    (Title("Autodesk DWG TrueView 2024", "Autodesk, Inc.", "24.3.61.0"), {TF: 0.3}),
]


def _share(shares: dict[str, float], department: str) -> float:
    return shares.get(department, shares.get(EVERY, 0.0))


def _username(name: str) -> str:
    """förnamn.efternamn in ASCII, as the municipality's accounts are."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return folded.lower().replace(" ", ".")


def inventory_csv(today: datetime.date) -> bytes:
    """The GLPI export of Karlsborg's computers as the generic CSV (UTF-8, `;`), one row per
    installation. The same computers and software on every call; install dates are counted back
    from `today`."""
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, not a secret
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    users: set[str] = set()
    for group in COMPUTERS:
        for number in range(1, group.count + 1):
            laptop = rng.random() < LAPTOP_SHARE
            device = f"KBG-{group.code}-{'L' if laptop else 'D'}{number:03d}"
            user = ""
            while not user or user in users:
                user = _username(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
                if user in users:
                    user += str(rng.randint(2, 9))
            users.add(user)
            # The computer was set up on one day; software came then or later.
            set_up = today - datetime.timedelta(days=rng.randint(60, 1400))
            for title, shares in SOFTWARE:
                if title.laptops_only and not laptop:
                    continue
                if rng.random() >= _share(shares, group.software_profile):
                    continue
                # The most common version on most computers, the others on the rest.
                versions = title.versions.split()
                version = versions[0]
                if len(versions) > 1 and rng.random() < 0.3:
                    version = rng.choice(versions[1:])
                installed = set_up + datetime.timedelta(days=rng.randint(0, (today - set_up).days))
                writer.writerow(
                    (
                        device,
                        user,
                        group.department,
                        title.name.format(version=version),
                        version,
                        title.publisher,
                        installed.isoformat(),
                    )
                )
    return out.getvalue().encode("utf-8")


# --- The software dictionary --------------------------------------------------------------------


@dataclass(frozen=True)
class RuleData:
    """One normalisation rule; `product` (and `version`) name the catalogue's. Rules are tried in
    the order of this list, the first that matches decides."""

    field: str
    match: str
    pattern: str
    action: str
    product: str | None = None
    version: str | None = None
    new_name: str = ""
    notes: str = ""


NAME, PUBLISHER = RuleField.NAME, RuleField.PUBLISHER
EXACT, REGEX = RuleMatch.EXACT, RuleMatch.REGEX
MAP, RENAME, IGNORE = RuleAction.MAP, RuleAction.RENAME, RuleAction.IGNORE

# Rules are numbered 10, 20, 30 … so that a new one can go between two without renumbering.
POSITION_STEP = 10


def ignore(field: str, match: str, pattern: str, notes: str = "") -> RuleData:
    return RuleData(field, match, pattern, IGNORE, notes=notes)


def to(
    field: str, match: str, pattern: str, product: str, version: str | None = None, notes: str = ""
) -> RuleData:
    return RuleData(field, match, pattern, MAP, product=product, version=version, notes=notes)


def rename(field: str, match: str, pattern: str, new_name: str, notes: str = "") -> RuleData:
    return RuleData(field, match, pattern, RENAME, new_name=new_name, notes=notes)


def _product(name: str) -> str:
    """A product of the demo catalogue, checked when the module is imported."""
    if name not in _CATALOGUE_PRODUCTS:
        raise LookupError(f"No product {name!r} in the demo catalogue")
    return name


_CATALOGUE_PRODUCTS = {item.name for item in catalogue.PRODUCTS}
SOCIAL = _product("Verksamhetssystem socialtjänst")
FINANCE = _product("Ekonomisystem")
CASES = _product("Ärendehantering och diarium")
CONSUMER_STORAGE = _product("Privat molnlagring (konsumenttjänster)")

RULES: list[RuleData] = [
    # -- Not software anyone decides on: drivers, runtimes, updates, components (first, so that
    #    no later rule maps them by accident). --
    ignore(PUBLISHER, REGEX, r"^Intel(\(R\))? Corporation$", "Drivrutiner och komponenter."),
    ignore(PUBLISHER, EXACT, "Realtek Semiconductor Corp.", "Drivrutiner."),
    ignore(PUBLISHER, EXACT, "Lenovo Group Ltd.", "Tillverkarens serviceprogram."),
    ignore(NAME, REGEX, r"\bdriver\b", "Drivrutiner."),
    ignore(NAME, REGEX, r"^Microsoft Visual C\+\+ .*Redistributable", "Körmiljö för program."),
    ignore(NAME, REGEX, r"^Microsoft (\.NET|Windows Desktop|ASP\.NET Core) Runtime\b"),
    ignore(NAME, EXACT, "Microsoft Edge WebView2 Runtime"),
    ignore(NAME, REGEX, r"^(Security )?Update for ", "Windows-uppdateringar."),
    ignore(NAME, EXACT, "Microsoft Update Health Tools"),
    ignore(NAME, EXACT, "Windows PC Health Check"),
    ignore(NAME, REGEX, r"^Office 16 Click-to-Run ", "Delar av Microsoft 365-installationen."),
    ignore(NAME, REGEX, r"^GLPI Agent\b", "Inventeringsagenten själv."),
    ignore(NAME, EXACT, "Microsoft GameInput"),
    ignore(NAME, EXACT, "Local Administrator Password Solution", "Del av Windows (LAPS)."),
    ignore(NAME, EXACT, "Adobe Refresh Manager", "Uppdaterar Adobe Acrobat."),
    # -- The standard computer. --
    to(NAME, REGEX, r"^Microsoft 365 Apps for enterprise\b", "Microsoft 365 Apps for enterprise"),
    to(NAME, EXACT, "Microsoft OneDrive", "Microsoft 365 Apps for enterprise"),
    to(NAME, REGEX, r"^Microsoft Office Professional Plus 2016\b", "Microsoft Office 2016", "2016"),
    to(NAME, REGEX, r"^Microsoft Visio\b", "Microsoft Visio"),
    to(NAME, REGEX, r"^Microsoft Project\b", "Microsoft Project"),
    to(NAME, REGEX, r"^Microsoft Access\b", "Microsoft Access"),
    to(NAME, REGEX, r"^Microsoft Power BI Desktop\b", "Microsoft Power BI"),
    to(NAME, EXACT, "Microsoft Edge", "Microsoft Edge"),
    to(NAME, EXACT, "Google Chrome", "Google Chrome"),
    to(NAME, REGEX, r"^Mozilla Firefox\b", "Mozilla Firefox"),
    to(
        NAME,
        REGEX,
        r"^Adobe Acrobat\b",
        "Adobe Acrobat Pro",
        notes="Läsaren och Pro är ett program.",
    ),
    to(
        NAME,
        REGEX,
        r"^Adobe (Creative Cloud|Photoshop|Illustrator|InDesign)\b",
        "Adobe Creative Cloud",
    ),
    to(NAME, REGEX, r"^LibreOffice\b", "LibreOffice"),
    to(NAME, REGEX, r"^7-Zip\b", "7-Zip"),
    to(NAME, REGEX, r"^Notepad\+\+", "Notepad++"),
    to(NAME, REGEX, r"^Zoom Workplace\b", "Zoom Workplace"),
    to(NAME, REGEX, r"^FortiClient\b", "FortiClient VPN"),
    to(NAME, REGEX, r"^PaperCut\b", "PaperCut MF"),
    to(NAME, EXACT, "Net iD Enterprise", "SITHS eID", notes="Klienten för SITHS-kortet."),
    to(NAME, REGEX, r"^ESET\b", "ESET Endpoint Security"),
    to(NAME, REGEX, r"^(Dropbox|Google Drive)$", CONSUMER_STORAGE, notes="Avvisat: P5.5."),
    to(PUBLISHER, EXACT, "Molnkontor Norden AB", "Kommunikationsplattform (chatt och videomöten)"),
    to(NAME, REGEX, r"^Veeam Backup & Replication\b", "Veeam Backup & Replication", "12"),
    # -- The business systems' clients. The old registry first: the new one's rule would take
    #    it too. --
    to(NAME, REGEX, r"^Norrsken Ekonomi 2025\b", FINANCE, "2025"),
    to(NAME, REGEX, r"^Norrsken Ekonomi 2024\b", FINANCE, "2024"),
    to(NAME, REGEX, r"^Fjällvind (Lön|Personal)", "Personal- och lönesystem", "12"),
    to(NAME, EXACT, "Dokumenta Diarium Klassisk", "Tidigare diariesystem"),
    to(NAME, REGEX, r"^Dokumenta Diarium\b", CASES, "6.2"),
    to(NAME, EXACT, "Omsorgsdata Överförmyndare", "Överförmyndarsystem", "4.8"),
    to(NAME, REGEX, r"^Omsorgsdata Socialtjänst 2023\.2\b", SOCIAL, "2023.2"),
    to(NAME, REGEX, r"^Omsorgsdata Socialtjänst 2025\.1\b", SOCIAL, "2025.1"),
    to(NAME, REGEX, r"^Omsorgsdata Journal\b", "Journalsystem hälso- och sjukvård", "2025.1"),
    to(NAME, EXACT, "Journaldata Elevhälsa", "Elevhälsojournal"),
    to(PUBLISHER, EXACT, "Klassrumsteknik AB", "Enhetshantering elevdatorer"),
    to(PUBLISHER, EXACT, "Vätterbygdens Larmcentral AB", "Trygghetslarm"),
    to(NAME, REGEX, r"^ArcGIS Pro\b", "ArcGIS Pro"),
    to(NAME, REGEX, r"^QGIS\b", "QGIS"),
    to(NAME, EXACT, "Vätterkart GIS", "GIS (geografiskt informationssystem)"),
    to(NAME, EXACT, "Vätterkart Planregister", "Kartor och planregister"),
    to(NAME, EXACT, "Samhällsbyggnadsdata Bygglov", "Bygglovshantering"),
    to(NAME, EXACT, "Samhällsbyggnadsdata Miljö", "Miljö- och hälsoskyddstillsyn"),
    to(NAME, REGEX, r"^Sokigo Evolution\b", "Evolution", notes="Provinstallation, ej bedömd."),
    to(
        PUBLISHER,
        EXACT,
        "Bokningsportalen AB",
        "Bokningssystem lokaler och anläggningar",
        notes="Köpt av fritidsavdelningen utan bedömning (P5.4, P5.5).",
    ),
    # -- Known, not in the catalogue yet: one name for the many the installers write. --
    rename(NAME, REGEX, r"^TeamViewer\b", "TeamViewer", "Fjärrstyrning: ska bedömas."),
    rename(NAME, REGEX, r"^Java \d+ Update \d+", "Java (Oracle)", "Licensfrågan utreds."),
]

for _rule in RULES:
    if _rule.product is not None:
        _product(_rule.product)


__all__ = [
    "COMPUTERS",
    "FILE_NAME",
    "POSITION_STEP",
    "RULES",
    "SOFTWARE",
    "SOURCE_NAME",
    "RuleData",
    "Title",
    "inventory_csv",
]
