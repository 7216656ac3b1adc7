"""The demo municipality's training and competence (P6): its courses, who must have them, who
uses which system, the sessions given and ahead, what people have completed, the departments'
training plans for this year and the IT department's watch log.

The story the pages tell:

- The central office gives the basic course in the finance system (P6.3). Everyone who uses the
  finance system must have it, every system owner the security awareness course, which is valid
  for two years, and the users of the social services' system that department's own course.
- In Socialförvaltningen two of the finance system's users, Tomas Ek and Marie Bengtsson, lack
  the finance course, and Marie also missed the department's course on its own system: the
  coverage shows the gaps to the department's head, Birgitta Forsberg. A joint session of the
  finance course for Socialförvaltningen and Kultur- och fritidsförvaltningen is planned in three
  weeks with free places, so she can book them (P6.2: departments cooperating).
- The finance system's owner, Per Holmgren, took the security course more than two years ago:
  it has expired.
- Every department but Samhällsbyggnadsförvaltningen has a training plan for this year, all
  adopted but Kultur- och fritidsförvaltningens, a draft: P6.2 is partly met. The central
  office's plan is the IT department's competence plan, and its watch log has a note from last
  month (P6.4).

Dates are counted from the day the demo is loaded. What exists is left as it is, so a second
load changes nothing. Courses, requirements, system users, sessions and registrations are
written through the governed write (`core.services`, logged) and the completions through
`services_records.record_create`, the plans and the notes through their services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stadga.catalogue.models import Product
from stadga.core.services import object_create
from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Municipality, Person
from stadga.plans.models import PlanItem
from stadga.systems.models import System
from stadga.training import (
    services_courses,
    services_plans,
    services_records,
    services_requirements,
    services_sessions,
    services_watch,
)
from stadga.training.choices import (
    CourseKind,
    RecordSource,
    RegistrationStatus,
    RequirementScope,
    SessionMode,
    TrainingPlanStatus,
)
from stadga.training.models import (
    Course,
    Registration,
    SystemUse,
    TrainingPlan,
    TrainingRequirement,
    TrainingSession,
    WatchNote,
)

from . import data
from .data import (
    BUF,
    CASES,
    DIRECTORY,
    FINANCE,
    HR,
    KFF,
    KLK,
    NETWORK,
    SERVERS,
    SOC,
    SOCIAL_RECORDS,
    TF,
)

OFFICE = "Office grunder"
SECURITY = "Informationssäkerhet för alla"
FINANCE_COURSE = "Ekonomisystemet – grundutbildning"
HR_COURSE = "Personal- och lönesystemet – grundutbildning"
SOCIAL_COURSE = "Verksamhetssystem socialtjänst – dokumentation"
ROOM = "Kommunhuset, sal Vättern"


@dataclass(frozen=True)
class CourseData:
    name: str
    kind: str
    description: str
    given_by: str | None = None
    provider: str = ""
    systems: tuple[str, ...] = ()
    basic_training: bool = False
    validity_months: int | None = None
    duration_hours: str | None = None
    cost_per_participant: int = 0


COURSES: list[CourseData] = [
    CourseData(
        OFFICE,
        CourseKind.GENERAL,
        "Ordbehandling, kalkyl, e-post och kalender för den som är ny i kommunens kontorsmiljö.",
        provider="Kompetenshuset i Skaraborg (fiktivt)",
        duration_hours="6.0",
        cost_per_participant=1200,
    ),
    CourseData(
        SECURITY,
        CourseKind.SECURITY,
        "Informationsklassning, lösenord, nätfiske och vad man gör vid en incident. Gäller i två "
        "år.",
        given_by=KLK,
        validity_months=24,
        duration_hours="2.0",
    ),
    CourseData(
        FINANCE_COURSE,
        CourseKind.SYSTEM,
        "Grundutbildning i ekonomisystemet för förvaltningarnas handläggare: attest, "
        "leverantörsfakturor och uppföljning (IT-policyn 6.3).",
        given_by=KLK,
        systems=(FINANCE,),
        basic_training=True,
        duration_hours="4.0",
    ),
    CourseData(
        HR_COURSE,
        CourseKind.SYSTEM,
        "Grundutbildning i personal- och lönesystemet för chefer och administratörer.",
        given_by=KLK,
        systems=(HR,),
        basic_training=True,
        duration_hours="3.0",
    ),
    CourseData(
        SOCIAL_COURSE,
        CourseKind.SYSTEM,
        "Dokumentation och sekretess i socialtjänstens verksamhetssystem, ges av "
        "Socialförvaltningen för den egna personalen.",
        given_by=SOC,
        systems=(SOCIAL_RECORDS,),
        duration_hours="6.0",
    ),
]


@dataclass(frozen=True)
class RequirementData:
    course: str
    role: str = ""
    system: str | None = None
    note: str = ""


REQUIREMENTS: list[RequirementData] = [
    RequirementData(SECURITY, role=Role.SYSTEM_OWNER, note="Varje systemägare (P9.3)."),
    RequirementData(FINANCE_COURSE, system=FINANCE, note="Grundutbildning (P6.3)."),
    RequirementData(SOCIAL_COURSE, system=SOCIAL_RECORDS),
]

# (person, system, user since so many days ago) — users, not the systems' owners.
SYSTEM_USES: list[tuple[str, str, int]] = [
    ("Henrik Sjögren", FINANCE, 2000),
    ("Emma Rask", FINANCE, 900),
    ("Annika Lindqvist", FINANCE, 1500),
    ("Jenny Sundberg", FINANCE, 700),
    (data.PRESCHOOL_COORDINATOR, FINANCE, 600),
    (data.HOME_CARE_HEAD, FINANCE, 400),
    (data.TRANSPORT_OFFICER, FINANCE, 150),
    (data.LEISURE_OFFICER, FINANCE, 300),
    (data.BUILDING_OFFICER, FINANCE, 500),
    ("Emma Rask", HR, 900),
    ("Mikael Andersson", HR, 1200),
    ("Helena Karlsson", HR, 1100),
    (data.MEDICAL_NURSE, SOCIAL_RECORDS, 800),
    (data.HOME_CARE_HEAD, SOCIAL_RECORDS, 400),
    (data.TRANSPORT_OFFICER, SOCIAL_RECORDS, 150),
    ("Birgitta Forsberg", SOCIAL_RECORDS, 1000),
    (data.CLERK, CASES, 1300),
    (data.COMMUNICATIONS, CASES, 700),
    (data.GUARDIANSHIP_OFFICER, CASES, 650),
    (data.IT_TECHNICIAN, DIRECTORY, 1800),
]


@dataclass(frozen=True)
class SessionData:
    course: str
    in_days: int  # negative: in the past
    capacity: int
    departments: tuple[str, ...] = ()  # several: a joint session (P6.2); none: open to all
    mode: str = SessionMode.ON_SITE
    place: str = ROOM
    trainer: str = ""
    attended: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    registered: tuple[str, ...] = ()  # upcoming sessions


SESSIONS: list[SessionData] = [
    SessionData(
        SECURITY,
        -300,
        40,
        mode=SessionMode.ONLINE,
        place="Teams",
        trainer=data.IT_COORDINATOR,
        attended=(
            data.IT_COORDINATOR,
            data.IT_TECHNICIAN,
            data.HR_MANAGER,
            data.REGISTRAR,
            "Birgitta Forsberg",
            "Helena Karlsson",
            "Mikael Andersson",
            data.SOCIAL_SYSTEMS,
        ),
    ),
    SessionData(
        SOCIAL_COURSE,
        -120,
        8,
        departments=(SOC,),
        place="Socialkontoret, konferensrummet",
        trainer=data.SOCIAL_SYSTEMS,
        attended=(data.MEDICAL_NURSE, data.HOME_CARE_HEAD),
        absent=(data.TRANSPORT_OFFICER,),
    ),
    SessionData(
        FINANCE_COURSE,
        -75,
        12,
        departments=(KLK, TF, BUF),
        trainer=data.FINANCE_MANAGER,
        attended=("Henrik Sjögren", "Emma Rask", "Jenny Sundberg", data.PRESCHOOL_COORDINATOR),
        absent=("Annika Lindqvist",),
    ),
    # The joint session ahead, with free places (P6.2).
    SessionData(
        FINANCE_COURSE,
        21,
        12,
        departments=(SOC, KFF),
        trainer=data.FINANCE_MANAGER,
        registered=(data.LEISURE_OFFICER,),
    ),
]

# Completions recorded without a session: (person, course, days ago, source, note).
OTHER_RECORDS: list[tuple[str, str, int, str, str]] = [
    (
        data.FINANCE_MANAGER,
        SECURITY,
        760,
        RecordSource.MANUAL,
        "Gick kursen hos förra arbetsgivaren.",
    ),
    ("Jenny Sundberg", OFFICE, 400, RecordSource.IMPORT, "Närvarolista från kursföretaget."),
    (
        data.PRESCHOOL_COORDINATOR,
        OFFICE,
        400,
        RecordSource.IMPORT,
        "Närvarolista från kursföretaget.",
    ),
    (data.TRANSPORT_OFFICER, OFFICE, 400, RecordSource.IMPORT, "Närvarolista från kursföretaget."),
    (data.LIBRARIAN, OFFICE, 400, RecordSource.IMPORT, "Närvarolista från kursföretaget."),
]


@dataclass(frozen=True)
class LineData:
    participants: int
    cost: int
    course: str | None = None
    description: str = ""
    shared: bool = False


@dataclass(frozen=True)
class PlanData:
    department: str
    summary: str
    lines: list[LineData] = field(default_factory=list)
    adopted: bool = True


# This year's plans; Samhällsbyggnadsförvaltningen has none yet.
PLANS: list[PlanData] = [
    PlanData(
        KLK,
        "IT-avdelningens kompetensplan: fördjupning i molntjänster och informationssäkerhet, "
        "omvärldsbevakning, och kommunledningskontorets grundutbildningar för förvaltningarna "
        "(IT-policyn 6.3, 6.4).",
        [
            LineData(
                2, 38000, description="Certifiering i molntjänster och säkerhet för IT-avdelningen"
            ),
            LineData(
                2, 9000, description="Omvärldsbevakning: konferens om kommunal digitalisering"
            ),
            LineData(24, 0, course=FINANCE_COURSE, shared=True),
            LineData(30, 0, course=SECURITY, shared=True),
        ],
    ),
    PlanData(
        TF,
        "Kontorsvana för administrationen och säkerhetsutbildning för alla.",
        [LineData(3, 3600, course=OFFICE), LineData(6, 0, course=SECURITY, shared=True)],
    ),
    PlanData(
        BUF,
        "Digitala lärverktyg i förskolan och grundkurser i Office, tillsammans med andra "
        "förvaltningar.",
        [
            LineData(10, 12000, course=OFFICE, shared=True),
            LineData(8, 16000, description="Digitala lärverktyg i förskolan"),
        ],
    ),
    PlanData(
        SOC,
        "Alla handläggare ska ha verksamhetssystemets kurs; ekonomisystemets grundkurs på det "
        "gemensamma tillfället med Kultur- och fritidsförvaltningen.",
        [
            LineData(6, 0, course=SOCIAL_COURSE),
            LineData(2, 0, course=FINANCE_COURSE, shared=True),
            LineData(12, 0, course=SECURITY, shared=True),
        ],
    ),
    PlanData(
        KFF,
        "Utkast: bibliotekets system och föreningsregistret.",
        [LineData(2, 5000, description="Bibliotekssystemet, fortsättningskurs")],
        adopted=False,
    ),
]


@dataclass(frozen=True)
class WatchData:
    days_ago: int
    title: str
    body: str
    products: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    plan_items: tuple[str, ...] = ()
    author: str = data.IT_COORDINATOR


WATCH_NOTES: list[WatchData] = [
    WatchData(
        25,
        "Windows 10 har inget stöd längre",
        "Säkerhetsuppdateringarna har upphört. De sista datorerna med Windows 10 i skolan och "
        "hemtjänsten byts i år; förlängt stöd köps inte.",
        products=("Windows 10", "Windows 11"),
        author=data.IT_TECHNICIAN,
    ),
    WatchData(
        80,
        "Nya licensvillkor för virtualiseringsplattformen",
        "Leverantören har gått över till prenumeration per kärna. Kostnaden för vår miljö kan "
        "fördubblas; alternativen utreds inför nästa IT-plan.",
        products=("VMware vSphere 7", "VMware vSphere 8", "Microsoft Hyper-V"),
        systems=(SERVERS,),
    ),
    WatchData(
        140,
        "Ekonomisystem flyttar till molnet",
        "Allt fler leverantörer erbjuder bara sina ekonomisystem som molntjänst. Det påverkar "
        "uppgraderingen av ekonomisystemet och kraven på informationsklassning.",
        systems=(FINANCE,),
        plan_items=("Uppgradering av ekonomisystemet",),
    ),
    WatchData(
        210,
        "Cybersäkerhetslagen (NIS2) och kommunerna",
        "Kommunen omfattas av nya krav på riskhantering och incidentrapportering. Nätet och "
        "katalogtjänsten berörs först.",
        systems=(NETWORK, DIRECTORY),
    ),
    WatchData(
        330,
        "SQL Server 2014 utan stöd",
        "Databaserna som ännu ligger på SQL Server 2014 flyttas till en version med stöd.",
        products=("Microsoft SQL Server 2014", "Microsoft SQL Server 2022"),
    ),
]


REGISTERED = RegistrationStatus.REGISTERED


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone()
    )


class TrainingLoader:
    def __init__(
        self,
        m: Municipality,
        people: dict[str, Person],
        departments: dict[str, Department],
        actor: Any,
    ) -> None:
        self.m = m
        self.people = people
        self.departments = departments
        self.actor = actor
        self.today = timezone.localdate()
        self.created: dict[str, int] = {}
        self.systems = {s.identifier: s for s in System.objects.filter(municipality=m)}
        self.courses: dict[str, Course] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def create(self, model: Any, data: dict[str, Any]) -> Any:
        return object_create(model=model, data=data, actor=self.actor, municipality=self.m)

    def person(self, name: str) -> Person | None:
        person = self.people.get(name)
        return person if person is not None and person.archived_at is None else None

    def load(self) -> dict[str, int]:
        self.load_courses()
        self.load_requirements()
        self.load_system_uses()
        self.load_sessions()
        self.load_plans()
        self.load_watch_notes()
        return self.created

    def load_courses(self) -> None:
        self.courses = {c.name: c for c in Course.objects.filter(municipality=self.m)}
        for item in COURSES:
            if item.name in self.courses:
                continue
            self.courses[item.name] = services_courses.course_create(
                municipality=self.m,
                actor=self.actor,
                data={
                    "name": item.name,
                    "kind": item.kind,
                    "description": item.description,
                    "given_by": self.departments.get(item.given_by) if item.given_by else None,
                    "provider": item.provider,
                    "systems": [self.systems[s] for s in item.systems if s in self.systems],
                    "basic_training": item.basic_training,
                    "validity_months": item.validity_months,
                    "duration_hours": Decimal(item.duration_hours) if item.duration_hours else None,
                    "cost_per_participant": Decimal(item.cost_per_participant),
                },
            )
            self.count("courses")

    def load_requirements(self) -> None:
        if TrainingRequirement.objects.filter(municipality=self.m).exists():
            return
        for item in REQUIREMENTS:
            system = self.systems.get(item.system) if item.system else None
            if item.system and system is None:
                continue
            services_requirements.requirement_create(
                municipality=self.m,
                actor=self.actor,
                data={
                    "course": self.courses[item.course],
                    "scope": RequirementScope.SYSTEM_USERS if system else RequirementScope.ROLE,
                    "role": item.role,
                    "system": system,
                    "note": item.note,
                },
            )
            self.count("training requirements")

    def load_system_uses(self) -> None:
        existing = set(
            SystemUse.objects.filter(municipality=self.m).values_list("person_id", "system_id")
        )
        for name, identifier, days in SYSTEM_USES:
            person, system = self.person(name), self.systems.get(identifier)
            if person is None or system is None or (person.pk, system.pk) in existing:
                continue
            services_requirements.system_use_add(
                municipality=self.m,
                actor=self.actor,
                data={
                    "person": person,
                    "system": system,
                    "since": self.today - datetime.timedelta(days=days),
                },
            )
            existing.add((person.pk, system.pk))
            self.count("system users")

    def load_sessions(self) -> None:
        """The sessions with their places and attendance, and every completion, once: while the
        municipality has no session."""
        if TrainingSession.objects.filter(municipality=self.m).exists():
            return
        for item in SESSIONS:
            day = self.today + datetime.timedelta(days=item.in_days)
            session = services_sessions.session_create(
                municipality=self.m,
                actor=self.actor,
                data={
                    "course": self.courses[item.course],
                    "starts_at": _at(day),
                    "ends_at": _at(day, 12),
                    "mode": item.mode,
                    "place": item.place,
                    "trainer": item.trainer,
                    "capacity": item.capacity,
                    "departments": [self.departments[d] for d in item.departments],
                },
            )
            self.count("training sessions")
            if day >= self.today:
                # A coming session: booked as anyone books it.
                for name in item.registered:
                    person = self.person(name)
                    if person is not None:
                        services_sessions.register(session=session, person=person, actor=self.actor)
                        self.count("registrations")
                continue
            # A past session cannot be booked any more: its places are written as they were
            # booked then, and the attendance recorded through the service, which turns it into
            # competence records.
            attended: dict[Registration, bool] = {}
            for names, present in ((item.attended, True), (item.absent, False)):
                for name in names:
                    person = self.person(name)
                    if person is None:
                        continue
                    registration = self.create(
                        Registration,
                        {
                            "session": session,
                            "person": person,
                            "status": RegistrationStatus.REGISTERED,
                        },
                    )
                    attended[registration] = present
                    self.count("registrations")
            services_sessions.attendance_record(
                session=session, attended=attended, actor=self.actor
            )
            self.count("competence records", sum(attended.values()))
        for name, course, days, source, note in OTHER_RECORDS:
            person = self.person(name)
            if person is None:
                continue
            services_records.record_create(
                municipality=self.m,
                data={
                    "person": person,
                    "course": self.courses[course],
                    "completed_on": self.today - datetime.timedelta(days=days),
                    "source": source,
                    "note": note,
                },
                actor=self.actor,
            )
            self.count("competence records")

    def load_plans(self) -> None:
        year = self.today.year
        planned = set(
            TrainingPlan.objects.filter(municipality=self.m, year=year).values_list(
                "department_id", flat=True
            )
        )
        for item in PLANS:
            department = self.departments.get(item.department)
            if department is None or department.pk in planned:
                continue
            plan = services_plans.plan_create(
                municipality=self.m,
                data={"department": department, "year": year, "summary": item.summary},
                actor=self.actor,
            )
            self.count("training plans")
            for line in item.lines:
                services_plans.line_create(
                    plan=plan,
                    data={
                        "course": self.courses[line.course] if line.course else None,
                        "description": line.description,
                        "participants": line.participants,
                        "cost": Decimal(line.cost),
                        "shared_with_others": line.shared,
                    },
                    actor=self.actor,
                )
                self.count("training plan lines")
            if item.adopted and plan.status == TrainingPlanStatus.DRAFT:
                services_plans.plan_adopt(plan=plan, actor=self.actor)

    def load_watch_notes(self) -> None:
        existing = set(
            WatchNote.objects.filter(municipality=self.m).values_list("title", flat=True)
        )
        products = {p.name: p for p in Product.objects.filter(municipality=self.m)}
        items = {
            i.title: i
            for i in PlanItem.objects.filter(
                municipality=self.m, plan__year=self.today.year, archived_at__isnull=True
            )
        }
        for note in WATCH_NOTES:
            if note.title in existing:
                continue
            services_watch.watch_note_create(
                municipality=self.m,
                data={
                    "noted_on": self.today - datetime.timedelta(days=note.days_ago),
                    "title": note.title,
                    "body": note.body,
                    "author": self.person(note.author),
                    "products": [products[n] for n in note.products if n in products],
                    "systems": [self.systems[s] for s in note.systems if s in self.systems],
                    "plan_items": [items[t] for t in note.plan_items if t in items],
                },
                actor=self.actor,
            )
            self.count("watch notes")


def load_training(
    *,
    municipality: Municipality,
    people: dict[str, Person],
    departments: dict[str, Department],
    actor: Any,
) -> dict[str, int]:
    """Create whatever of the demo's training is missing; return what was created, by kind."""
    return TrainingLoader(municipality, people, departments, actor).load()


__all__ = ["load_training"]
