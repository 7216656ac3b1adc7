"""The portal's open data (P7.1): every public list of the portal as a dataset, in CSV and JSON
at stable addresses, described on the open-data page and in the DCAT-AP-SE catalogue.

Each dataset is declared once, here: its stable English id, its title and description, its
fields with what each means, and the public selector it reads. The CSV, the JSON, the data page
and the catalogue are all written from these declarations, so a field is named and explained in
one place. The rows come only from `selectors_public`: what is public is decided there.

The project's spreadsheet machinery (`core.tabular`) is not used: its files are made for Swedish
Excel and for importing back (Swedish headers and labels, `;`, byte-order mark), while open data
needs stable English ids, codes instead of labels and RFC 4180.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.choices import Phase, ProductKind
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.choices import ItemStatus, PlanStatus
from stadga.systems.choices import LifecyclePhase, SystemType

from . import selectors_public
from .choices import MessageKind, Subject

# The formats every dataset is published in, with their media types.
FORMATS = {"csv": "text/csv; charset=utf-8; header=present", "json": "application/json"}

# A CSV cell starting with one of these runs as a formula when a spreadsheet opens the file
# (CSV injection); such text gets a leading apostrophe in the CSV, as in the project's other
# exports. The JSON keeps the text unchanged.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Kind:
    """What a field holds, as the data page tells it."""

    TEXT = "text"
    CODE = "code"
    DATE = "date"
    NUMBER = "number"
    BOOLEAN = "boolean"
    LIST = "list"


KIND_LABELS = {
    Kind.TEXT: _("Text"),
    Kind.CODE: _("Code"),
    Kind.DATE: _("Date (YYYY-MM-DD)"),
    Kind.NUMBER: _("Whole number"),
    Kind.BOOLEAN: _("true or false"),
    Kind.LIST: _("List"),
}


@dataclass(frozen=True)
class Field:
    """One column of the CSV and one key of each JSON item.

    `get` reads the value from a row the selector returned; `choices` are the codes a `code`
    field holds (the data page lists what each means); `csv` writes a nested value (a list of
    objects) into one CSV cell."""

    id: str
    meaning: str | Promise
    get: Callable[[Any], Any]
    kind: str = Kind.TEXT
    choices: type[Choices] | None = None
    csv: Callable[[Any], str] | None = None

    def value(self, row: Any) -> Any:
        """The field's value in `row`, as JSON writes it."""
        return plain(self.get(row))

    @property
    def kind_label(self) -> str | Promise:
        return KIND_LABELS[self.kind]

    @property
    def codes(self) -> list[tuple[str, str]]:
        """The codes a `code` field holds and what each means, in the reader's language."""
        if self.choices is None:
            return []
        return [(str(value), str(label)) for value, label in self.choices.choices]


@dataclass(frozen=True)
class Dataset:
    """One public list of the portal as open data."""

    id: str
    title: str | Promise
    description: str | Promise
    keywords: tuple[str | Promise, ...]
    rows: Callable[[Municipality], Iterable[Any]]
    fields: tuple[Field, ...] = field(default=())

    def items(self, municipality: Municipality) -> list[dict[str, Any]]:
        """Every public row as a dict of field ids to JSON values: a constant number of
        queries, whatever the number of rows (the selectors fetch related rows up front)."""
        return [{f.id: f.value(row) for f in self.fields} for row in self.rows(municipality)]

    def filename(self, municipality: Municipality, fmt: str) -> str:
        return f"{municipality.slug}-{self.id}.{fmt}"


# --- values -------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates in ISO 8601, kronor as whole numbers, codes as text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, Choices):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The day of a moment in the municipality's time zone: the data says when, not the hour."""
    return timezone.localdate(moment) if moment is not None else None


def csv_cell(field_: Field, value: Any) -> str:
    """One CSV cell: blank for no value, true/false, lists separated by “; ”."""
    if field_.csv is not None and value is not None:
        return guard(field_.csv(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return guard("; ".join(str(v) for v in value))
    if isinstance(value, str):
        return guard(value)
    return str(value)


def guard(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def iter_csv(dataset: Dataset, items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The items as RFC 4180 CSV: a header row of the field ids, commas, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.id for f in dataset.fields])
    yield buffer.getvalue()
    for item in items:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(f, item[f.id]) for f in dataset.fields])
        yield buffer.getvalue()


def render_csv(dataset: Dataset, items: Iterable[dict[str, Any]]) -> bytes:
    return "".join(iter_csv(dataset, items)).encode("utf-8")


# --- reading the rows ---------------------------------------------------------------------------


def _name(obj: Any) -> str | None:
    return obj.name if obj is not None else None


def _owner(system: Any) -> Any:
    """The system's owner unless the person has left (is archived)."""
    owner = system.system_owner
    return owner if owner is not None and owner.archived_at is None else None


def _owner_title(system: Any) -> str | None:
    owner = _owner(system)
    return (owner.title or None) if owner is not None else None


def _about(message: Any) -> str | None:
    """What a published message is about, as the portal names it. A system no longer public is
    not named."""
    if message.system is not None:
        system = message.system
        return system.name if system.is_public and system.archived_at is None else None
    about = message.plan or message.product or message.status_report
    if about is not None:
        return str(about)
    return message.clause or None


def _contacts(municipality: Municipality) -> Iterator[Any]:
    for assignment in selectors_public.public_contacts(municipality):
        # The role's name is the municipality's own; it is known here, not fetched per row.
        assignment.municipality = municipality
        yield assignment


def _costs(item: Any) -> list[dict[str, Any]]:
    return [
        {"year": c.year, "investment_sek": c.investment, "running_cost_sek": c.running}
        for c in sorted(item.costs.all(), key=lambda c: c.year)
    ]


def _costs_csv(costs: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['year']}: {c['investment_sek']} + {c['running_cost_sek']}" for c in costs)


# --- the datasets -------------------------------------------------------------------------------

SYSTEMS = Dataset(
    id="systems",
    title=_("IT systems"),
    description=_(
        "The IT systems the municipality has made public in its register: what each is for, "
        "which board and department it serves, its system owner, where it stands in its life "
        "and the products it runs on. Classification and security measures are never published."
    ),
    keywords=(_("IT systems"), _("system owner"), _("IT governance")),
    rows=selectors_public.public_systems,
    fields=(
        Field(
            "identifier",
            _("The system's ID in the municipality's register."),
            lambda s: s.identifier,
        ),
        Field("name", _("The system's name."), lambda s: s.name),
        Field("purpose", _("What the system is used for."), lambda s: s.purpose),
        Field(
            "board", _("The board (nämnd) whose work the system serves."), lambda s: _name(s.board)
        ),
        Field(
            "department",
            _("The department that runs the system, if one is named."),
            lambda s: _name(s.department),
        ),
        Field(
            "owner_name",
            _("The system owner: the official responsible for the system (P9.3)."),
            lambda s: _name(_owner(s)),
        ),
        Field("owner_title", _("The system owner's title."), _owner_title),
        Field(
            "lifecycle_phase",
            _("Where the system stands in its life."),
            lambda s: s.lifecycle_phase,
            Kind.CODE,
            LifecyclePhase,
        ),
        Field(
            "in_production_from",
            _("When the system went into production."),
            lambda s: s.in_production_from,
            Kind.DATE,
        ),
        Field(
            "phase_out_from",
            _("When the system's phase-out began."),
            lambda s: s.phase_out_from,
            Kind.DATE,
        ),
        Field("retired_on", _("When the system was retired."), lambda s: s.retired_on, Kind.DATE),
        Field(
            "system_type",
            _("How the municipality came by the system."),
            lambda s: s.system_type,
            Kind.CODE,
            SystemType,
        ),
        Field(
            "personal_data",
            _("Whether the system handles personal data."),
            lambda s: s.personal_data,
            Kind.BOOLEAN,
        ),
        Field(
            "products",
            _("The products the system runs on (in the CSV separated by “; ”)."),
            lambda s: [p.name for p in s.products.all()],
            Kind.LIST,
        ),
    ),
)

PRODUCT_DECISIONS = Dataset(
    id="product-decisions",
    title=_("Product decisions"),
    description=_(
        "Every dated decision of the IT department on a product's phase in the municipality's "
        "catalogue (approved, phase-out, retired …), with its constraints and reasons (P5)."
    ),
    keywords=(_("product decisions"), _("IT products"), _("procurement")),
    rows=selectors_public.public_decisions,
    fields=(
        Field("product", _("The product decided on."), lambda d: d.product.name),
        Field("vendor", _("The product's vendor."), lambda d: _name(d.product.vendor)),
        Field(
            "phase",
            _("The phase the decision puts the product in."),
            lambda d: d.phase,
            Kind.CODE,
            Phase,
        ),
        Field(
            "effective_from",
            _("The day the decision applies from."),
            lambda d: d.effective_from,
            Kind.DATE,
        ),
        Field(
            "phase_out_ends_on",
            _("For a phase-out: the day it ends."),
            lambda d: d.ends_on,
            Kind.DATE,
        ),
        Field("constraints", _("Conditions on the product's use."), lambda d: d.constraints),
        Field("reasons", _("Why the decision was taken."), lambda d: d.reason),
    ),
)

PRODUCTS = Dataset(
    id="products",
    title=_("Products"),
    description=_(
        "The hardware, software and cloud services the IT department has decided on, with "
        "their current phase in the municipality's catalogue (P5.4)."
    ),
    keywords=(_("IT products"), _("product catalogue"), _("procurement")),
    rows=selectors_public.public_products,
    fields=(
        Field("name", _("The product's name."), lambda p: p.name),
        Field("kind", _("What kind of product it is."), lambda p: p.kind, Kind.CODE, ProductKind),
        Field("vendor", _("The product's vendor."), lambda p: _name(p.vendor)),
        Field(
            "category", _("The catalogue's category of the product."), lambda p: _name(p.category)
        ),
        Field("phase", _("The product's current phase."), lambda p: p.phase, Kind.CODE, Phase),
        Field(
            "phase_since",
            _("The day the product entered its current phase."),
            lambda p: p.phase_since,
            Kind.DATE,
        ),
        Field(
            "phase_out_ends_on",
            _("For a product in phase-out: the day it ends."),
            lambda p: p.phase_ends_on,
            Kind.DATE,
        ),
        Field("constraints", _("Conditions on the product's use."), lambda p: p.constraints),
    ),
)

IT_PLANS = Dataset(
    id="it-plans",
    title=_("IT plans"),
    description=_(
        "The boards' adopted yearly IT plans (P3.4): when each was adopted, followed up and "
        "evaluated. Their initiatives are the dataset “plan-items”."
    ),
    keywords=(_("IT plans"), _("IT governance"), _("budget")),
    rows=selectors_public.public_plans,
    fields=(
        Field("board", _("The board (nämnd) whose plan it is."), lambda p: p.board.name),
        Field("year", _("The year the plan covers."), lambda p: p.year, Kind.NUMBER),
        Field("status", _("How far the plan has come."), lambda p: p.status, Kind.CODE, PlanStatus),
        Field(
            "adopted_on",
            _("The day of the board meeting that adopted the plan."),
            lambda p: p.adopted_on,
            Kind.DATE,
        ),
        Field(
            "decision_paragraph",
            _("The paragraph of the minutes with the decision."),
            lambda p: p.decision_paragraph,
        ),
        Field(
            "followed_up_on",
            _("When the plan was followed up."),
            lambda p: p.followed_up_on,
            Kind.DATE,
        ),
        Field(
            "evaluated_on", _("When the plan was evaluated."), lambda p: p.evaluated_on, Kind.DATE
        ),
        Field("evaluation", _("The board's evaluation of the plan."), lambda p: p.evaluation),
    ),
)

PLAN_ITEMS = Dataset(
    id="plan-items",
    title=_("IT plan initiatives"),
    description=_(
        "The initiatives of the adopted IT plans: the goals each serves (P2), its expected "
        "benefit (P1.2), the public systems it concerns and its planned costs per year (P3.5)."
    ),
    keywords=(_("IT plans"), _("IT investments"), _("budget")),
    rows=selectors_public.public_plan_items,
    fields=(
        Field("board", _("The board (nämnd) whose plan it is."), lambda i: i.plan.board.name),
        Field("year", _("The year of the plan."), lambda i: i.plan.year, Kind.NUMBER),
        Field("title", _("The initiative."), lambda i: i.title),
        Field("description", _("What the initiative is."), lambda i: i.description),
        Field(
            "goals",
            _("The municipality's IT goals it serves (P2), as code and name."),
            lambda i: [f"{g.code} {g.name}" for g in i.goals.all()],
            Kind.LIST,
        ),
        Field(
            "business_benefit",
            _("The expected benefit to the municipality's work (P1.2)."),
            lambda i: i.business_benefit,
        ),
        Field(
            "societal_benefit",
            _("The expected benefit to society (P1.2)."),
            lambda i: i.societal_benefit,
        ),
        Field(
            "department", _("The department whose initiative it is."), lambda i: _name(i.department)
        ),
        Field(
            "responsible",
            _("Who is responsible for the initiative."),
            lambda i: _name(i.responsible),
        ),
        Field(
            "systems",
            _("The public IT systems the initiative concerns."),
            lambda i: [s.name for s in i.public_systems],
            Kind.LIST,
        ),
        Field(
            "follow_up_status",
            _("How far the initiative had come at the plan's follow-up; empty until then."),
            lambda i: i.follow_up_status if i.followed_up_at else None,
            Kind.CODE,
            ItemStatus,
        ),
        Field("follow_up_comment", _("The comment at follow-up."), lambda i: i.follow_up_comment),
        Field(
            "costs",
            _(
                "The planned costs per year in whole kronor (SEK). In the JSON a list of "
                "{year, investment_sek, running_cost_sek}; in the CSV “year: investment + "
                "running cost” separated by “; ”."
            ),
            _costs,
            Kind.LIST,
            csv=_costs_csv,
        ),
    ),
)

STATUS_REPORTS = Dataset(
    id="status-reports",
    title=_("Status reports"),
    description=_(
        "The IT coordinator's issued status reports on the state of IT to the management "
        "group (P3.13), with the coordinator's commentary."
    ),
    keywords=(_("status report"), _("IT governance"), _("follow-up")),
    rows=selectors_public.public_reports,
    fields=(
        Field("title", _("The report's title."), lambda r: r.title),
        Field(
            "period_from",
            _("The first day of the period reported on."),
            lambda r: r.period_from,
            Kind.DATE,
        ),
        Field(
            "period_to",
            _("The last day of the period reported on."),
            lambda r: r.period_to,
            Kind.DATE,
        ),
        Field(
            "issued",
            _("The day the report was issued."),
            lambda r: local_date(r.issued_at),
            Kind.DATE,
        ),
        Field("commentary", _("The IT coordinator's assessment."), lambda r: r.commentary),
    ),
)

CONTACTS = Dataset(
    id="contacts",
    title=_("Who answers for what"),
    description=_(
        "The officials residents may want to reach about the municipality's IT (P7.1): the IT "
        "coordinator and technicians, department heads, board secretaries and the owners of "
        "public systems, with what each answers for."
    ),
    keywords=(_("contacts"), _("officials"), _("system owner")),
    rows=_contacts,
    fields=(
        Field("role", _("The role the person holds."), lambda a: a.role, Kind.CODE, Role),
        Field(
            "role_name",
            _("The municipality's name for the role."),
            lambda a: a.municipality.role_label(a.role),
        ),
        Field("name", _("The person's name."), lambda a: a.person.name),
        Field("title", _("The person's title."), lambda a: a.person.title),
        Field("email", _("The person's work e-mail address."), lambda a: a.person.email),
        Field("phone", _("The person's work phone number."), lambda a: a.person.phone),
        Field("board", _("The board the role is held over, if any."), lambda a: _name(a.board)),
        Field(
            "department",
            _("The department the role is held over, if any."),
            lambda a: _name(a.department),
        ),
        Field("system", _("The system the role is held over, if any."), lambda a: _name(a.system)),
    ),
)

QUESTIONS_AND_ANSWERS = Dataset(
    id="questions-and-answers",
    title=_("Questions and answers"),
    description=_(
        "Residents' views and questions that the resident agreed to publish, with the "
        "municipality's answers (P7.1). The sender's name and address are never published."
    ),
    keywords=(_("questions and answers"), _("residents"), _("citizen dialogue")),
    rows=selectors_public.published_messages,
    fields=(
        Field("reference", _("The message's reference number."), lambda m: m.reference),
        Field(
            "kind",
            _("Whether it is a question or a view."),
            lambda m: m.kind,
            Kind.CODE,
            MessageKind,
        ),
        Field(
            "subject",
            _("What kind of thing the message is about."),
            lambda m: m.subject,
            Kind.CODE,
            Subject,
        ),
        Field(
            "about",
            _(
                "The system, plan, product decision, status report or policy clause it is "
                "about, if any."
            ),
            _about,
        ),
        Field("question", _("The resident's question or view."), lambda m: m.message),
        Field("answer", _("The municipality's answer."), lambda m: m.answer),
        Field(
            "received",
            _("The day the message was received."),
            lambda m: local_date(m.created_at),
            Kind.DATE,
        ),
        Field(
            "answered",
            _("The day it was answered."),
            lambda m: local_date(m.answered_at),
            Kind.DATE,
        ),
        Field(
            "published",
            _("The day it was published."),
            lambda m: local_date(m.published_at),
            Kind.DATE,
        ),
    ),
)

DATASETS: tuple[Dataset, ...] = (
    SYSTEMS,
    PRODUCT_DECISIONS,
    PRODUCTS,
    IT_PLANS,
    PLAN_ITEMS,
    STATUS_REPORTS,
    CONTACTS,
    QUESTIONS_AND_ANSWERS,
)
DATASETS_BY_ID = {d.id: d for d in DATASETS}


def get_dataset(dataset_id: str) -> Dataset | None:
    return DATASETS_BY_ID.get(dataset_id)
