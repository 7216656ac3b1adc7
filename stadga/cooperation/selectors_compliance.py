"""The group-level view of compliance per clause, for the group's own follow-up (P8.1, P3.1).

Each member's column is its latest compliance snapshot, and only if it shares its compliance on
its membership of this group (`shares_compliance`): the viewing municipality's own column too, so
that the table shows the same thing to every member. A member that does not share is named below
the table, nothing more. For information security (section 9) only the statuses are shown, never
the figures, as on the public pages (OSL 18:8). A choice withdrawn stops at once: nothing is
copied, every read starts from the memberships. Four queries, whatever the number of members
and clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language

from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.models import Clause, ComplianceSnapshot
from stadga.portal.selectors_public import SECRET_FIGURE_SECTIONS

from .models import CooperationGroup, Membership
from .selectors import own_membership

# The snapshot's counters, in the order the totals are shown: worst first, as on the dashboard.
TOTALS = [
    (Status.MET, "met"),
    (Status.PARTLY_MET, "partly_met"),
    (Status.NOT_MET, "not_met"),
    (Status.NOT_MEASURABLE, "not_measurable"),
    (Status.NOT_APPLICABLE, "not_applicable"),
]


def clause_section(clause_id: str) -> str:
    """The section of a clause: the part of its ID before the dot, without the letters
    ("P9.3" -> "9")."""
    return re.sub(r"^\D+", "", clause_id.split(".", 1)[0])


def _number_key(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (10**6, text)


@dataclass
class Column:
    """A member that shares its compliance, and its latest snapshot."""

    municipality: Municipality
    snapshot: ComplianceSnapshot
    own: bool = False


@dataclass(frozen=True)
class Cell:
    """One member's status of one clause; `status` None when its policy lacks the clause."""

    status: str | None = None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def label(self) -> str:
        return str(Status(self.status).label) if self.status in Status.values else ""

    @property
    def figure(self) -> str:
        if self.numerator is None or self.denominator is None:
            return ""
        return f"{self.numerator} / {self.denominator}"


@dataclass
class ClauseRow:
    clause_id: str
    cells: list[Cell]


@dataclass
class Section:
    number: str
    title: str
    shows_figures: bool
    rows: list[ClauseRow] = field(default_factory=list)


@dataclass
class GroupCompliance:
    """The group's compliance table: `columns` by name, `sections` of clause rows in document
    order, the members that do not share (`not_sharing`) and those that share but have no
    snapshot yet (`without_snapshot`)."""

    group: CooperationGroup
    columns: list[Column]
    sections: list[Section]
    not_sharing: list[Municipality]
    without_snapshot: list[Municipality]
    own_shares: bool

    @property
    def totals(self) -> list[tuple[str, list[int]]]:
        """Per status, each column's number of clauses with it (met, partly met, not met, …)."""
        return [
            (str(status.label), [getattr(c.snapshot, name) for c in self.columns])
            for status, name in TOTALS
        ]


def latest_snapshots(municipality_ids: list[int]) -> dict[int, ComplianceSnapshot]:
    """Each municipality's latest snapshot (of whichever policy it had adopted that day; on a
    tie the one saved last). One query: a correlated subquery, on SQLite and PostgreSQL alike."""
    if not municipality_ids:
        return {}
    latest = (
        ComplianceSnapshot.objects.filter(municipality_id=OuterRef("municipality_id"))
        .order_by("-taken_on", "-pk")
        .values("pk")[:1]
    )
    snapshots = ComplianceSnapshot.objects.filter(
        municipality_id__in=municipality_ids, pk=Subquery(latest)
    ).only(
        "municipality_id",
        "policy_id",
        "taken_on",
        "clauses",
        *(name for _status, name in TOTALS),
    )
    return {snapshot.municipality_id: snapshot for snapshot in snapshots}


def _section_titles(policy_ids: set[int]) -> dict[str, str]:
    """{section: title} from the snapshots' policies, in the language of the request; the first
    policy's title where two differ. One query."""
    if not policy_ids:
        return {}
    english = (get_language() or "").startswith("en")
    titles: dict[str, str] = {}
    for section, title, title_en in (
        Clause.objects.filter(policy_id__in=policy_ids)
        .order_by("policy_id", "order")
        .values_list("section", "section_title", "section_title_en")
    ):
        titles.setdefault(str(section), (title_en if english and title_en else title))
    return titles


def _cell(data: dict, *, shows_figures: bool) -> Cell:
    if not shows_figures:  # P9: the status only (OSL 18:8)
        return Cell(status=str(data.get("status")))
    return Cell(
        status=str(data.get("status")),
        numerator=data.get("numerator"),
        denominator=data.get("denominator"),
    )


def group_compliance(municipality: Municipality, group_pk: int) -> GroupCompliance:
    """The compliance per clause of the members of one of the municipality's groups that share
    it (P8.1); a 404 when the municipality is not a current member of that current group."""
    own = own_membership(municipality, group_pk)
    memberships = list(
        Membership.objects.filter(
            group_id=own.group_id,
            archived_at__isnull=True,
            municipality__archived_at__isnull=True,
        )
        .select_related("municipality")
        .order_by("municipality__name", "municipality_id")
    )
    sharing = [m for m in memberships if m.shares_compliance]
    snapshots = latest_snapshots([m.municipality_id for m in sharing])
    columns = [
        Column(
            municipality=m.municipality,
            snapshot=snapshots[m.municipality_id],
            own=m.municipality_id == municipality.pk,
        )
        for m in sharing
        if m.municipality_id in snapshots
    ]
    titles = _section_titles({c.snapshot.policy_id for c in columns})

    # Every clause any column has, in the document order of the first column that has it.
    order: dict[str, int] = {}
    for column in columns:
        for clause_id, data in column.snapshot.clauses.items():
            order.setdefault(clause_id, int(data.get("order") or 0))
    sections: dict[str, Section] = {}
    for clause_id in sorted(order, key=lambda c: (_number_key(clause_section(c)), order[c], c)):
        number = clause_section(clause_id)
        shows_figures = number not in SECRET_FIGURE_SECTIONS
        section = sections.setdefault(
            number, Section(number, titles.get(number, ""), shows_figures)
        )
        section.rows.append(
            ClauseRow(
                clause_id,
                [
                    _cell(column.snapshot.clauses[clause_id], shows_figures=shows_figures)
                    if clause_id in column.snapshot.clauses
                    else Cell()
                    for column in columns
                ],
            )
        )
    return GroupCompliance(
        group=own.group,
        columns=columns,
        sections=list(sections.values()),
        not_sharing=[m.municipality for m in memberships if not m.shares_compliance],
        without_snapshot=[m.municipality for m in sharing if m.municipality_id not in snapshots],
        own_shares=own.shares_compliance,
    )
