"""The gap between what systems' classifications require and the measures documented for them
(P9.1, P9.5), per system and per board, and the action plan (handlingsplan) built from it:
every open item, as XLSX and PDF.

Everything here reads what the user may see (`stadga.security.access`) in a fixed number of
queries, whatever the number of systems and measures.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.tabular.columns import EXPORT_LANGUAGE, ILLEGAL_CHARACTERS
from stadga.organisation.access import Access
from stadga.organisation.models import Board, Municipality
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System

from .access import system_bound_q
from .choices import Effect, MeasureStatus
from .models import FollowUp, Measure, Requirement
from .requirements import requirement_key, triggered_requirements_bulk

# --- the gap --------------------------------------------------------------------------------

MET = "met"
IN_PROGRESS = "in_progress"
NOT_APPLICABLE = "not_applicable"
MISSING = "missing"

STATE_LABELS = {
    MET: gettext_lazy("Met"),
    IN_PROGRESS: gettext_lazy("In progress"),
    NOT_APPLICABLE: gettext_lazy("Not applicable"),
    MISSING: gettext_lazy("Missing"),
}
# The CSS class of the policy pages' status badges that each state looks like.
STATE_CSS = {
    MET: "met",
    IN_PROGRESS: "partly_met",
    NOT_APPLICABLE: "not_applicable",
    MISSING: "not_met",
}
_STATE_BY_STATUS = {
    MeasureStatus.IMPLEMENTED: MET,
    MeasureStatus.PARTLY: IN_PROGRESS,
    MeasureStatus.PLANNED: IN_PROGRESS,
    MeasureStatus.NOT_APPLICABLE: NOT_APPLICABLE,
}
# When a requirement has several measures, the best of them says where it stands.
_STATE_RANK = {MET: 0, IN_PROGRESS: 1, NOT_APPLICABLE: 2, MISSING: 3}
SHORT_EFFECTS = (Effect.NOT_EFFECTIVE, Effect.PARTLY_EFFECTIVE)


def with_last_follow_up(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    """Measures annotated with their latest follow-up's date, effect and action (one query)."""
    latest = FollowUp.objects.filter(measure=OuterRef("pk"), archived_at__isnull=True).order_by(
        "-performed_on", "-pk"
    )
    return queryset.annotate(
        last_performed_on=Subquery(latest.values("performed_on")[:1]),
        last_effect=Subquery(latest.values("effect")[:1]),
        last_action=Subquery(latest.values("action")[:1]),
    )


def is_overdue(measure: Measure, today: datetime.date) -> bool:
    return measure.next_follow_up is not None and measure.next_follow_up < today


def falls_short(measure: Measure) -> bool:
    """The latest follow-up found the effect falling short (its action is still open)."""
    return getattr(measure, "last_effect", None) in SHORT_EFFECTS


@dataclass
class RequirementGap:
    """One triggered requirement of a system and the measures documented for it."""

    requirement: Requirement
    measures: list[Measure]

    @property
    def state(self) -> str:
        states = [_STATE_BY_STATUS[MeasureStatus(m.status)] for m in self.measures]
        return min(states, key=_STATE_RANK.__getitem__, default=MISSING)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def state_css(self) -> str:
        return STATE_CSS[self.state]


@dataclass
class Counts:
    """How many triggered requirements are met, in progress, not applicable and missing."""

    met: int = 0
    in_progress: int = 0
    not_applicable: int = 0
    missing: int = 0
    overdue: int = 0  # measures whose follow-up is overdue
    short: int = 0  # measures whose latest follow-up found the effect falling short

    @property
    def triggered(self) -> int:
        return self.met + self.in_progress + self.not_applicable + self.missing

    @property
    def handled_percent(self) -> int | None:
        """Share of the triggered requirements met or justified as not applicable."""
        if not self.triggered:
            return None
        return round(100 * (self.met + self.not_applicable) / self.triggered)

    def add(self, other: Counts) -> None:
        for name in ("met", "in_progress", "not_applicable", "missing", "overdue", "short"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SystemGap:
    """A system's triggered requirements against its measures; `system` is None for the
    platform and data communication (P9.4), which has measures but no classification."""

    system: System | None
    requirements: list[RequirementGap] = field(default_factory=list)
    other_measures: list[Measure] = field(default_factory=list)  # added by hand
    today: datetime.date = field(default_factory=timezone.localdate)
    can_edit: bool = False  # whether the reader may document measures here (set by the page)

    @cached_property
    def measures(self) -> list[Measure]:
        seen: dict[int, Measure] = {}
        for row in self.requirements:
            for m in row.measures:
                seen[m.pk] = m
        for m in self.other_measures:
            seen[m.pk] = m
        return list(seen.values())

    @cached_property
    def counts(self) -> Counts:
        counts = Counts()
        for row in self.requirements:
            state = row.state
            setattr(counts, state, getattr(counts, state) + 1)
        for measure in self.measures:
            counts.overdue += is_overdue(measure, self.today)
            counts.short += falls_short(measure)
        return counts

    @property
    def missing(self) -> list[RequirementGap]:
        return [row for row in self.requirements if row.state == MISSING]


@dataclass
class BoardGap:
    board: Board
    systems: list[SystemGap]

    @property
    def counts(self) -> Counts:
        counts = Counts()
        for system in self.systems:
            counts.add(system.counts)
        return counts


@dataclass
class GapReport:
    systems: list[SystemGap]
    platform: SystemGap | None

    @cached_property
    def boards(self) -> list[BoardGap]:
        by_board: dict[int, list[SystemGap]] = defaultdict(list)
        boards: dict[int, Board] = {}
        for gap in self.systems:
            assert gap.system is not None
            by_board[gap.system.board_id].append(gap)
            boards[gap.system.board_id] = gap.system.board
        return [
            BoardGap(board=boards[pk], systems=by_board[pk])
            for pk in sorted(boards, key=lambda pk: (boards[pk].name, pk))
        ]

    @property
    def counts(self) -> Counts:
        counts = Counts()
        for gap in self.systems:
            counts.add(gap.counts)
        if self.platform is not None:
            counts.add(self.platform.counts)
        return counts


def triggered_requirements(systems: Sequence[System]) -> dict[int, list[Requirement]]:
    """Per system id, the requirements of the current catalogue its classification triggers
    (P9.1 → P9.5), in one query."""
    return triggered_requirements_bulk(systems)


def gap_systems(access: Access, municipality: Municipality) -> QuerySet[System]:
    """The systems the gap covers: those the user reads, not archived, not retired."""
    return (
        System.objects.filter(access.system_q(), municipality=municipality)
        .filter(archived_at__isnull=True)
        .exclude(lifecycle_phase=LifecyclePhase.RETIRED)
        .select_related("municipality", "board", "department", "system_owner")
        .order_by("board__name", "name", "pk")
    )


def gap_report(
    *,
    access: Access,
    municipality: Municipality,
    systems: QuerySet[System],
    include_platform: bool = True,
) -> GapReport:
    """The gap for `systems` (already narrowed to what the user reads) and, if asked and
    visible to the user, the platform's measures."""
    today = timezone.localdate()
    # The platform's measures are read by those who read the whole municipality (P9.4).
    include_platform = include_platform and access.reads_all(municipality.pk)
    system_list = list(systems)
    triggered = triggered_requirements(system_list)
    scope = Q(system__in=systems)
    if include_platform:
        scope |= Q(system__isnull=True)
    measures = with_last_follow_up(
        Measure.objects.filter(system_bound_q(access), scope)
        .filter(municipality=municipality, archived_at__isnull=True)
        .select_related("municipality", "requirement__catalogue", "responsible", "system")
        .order_by("title", "pk")
    )
    by_system: dict[int | None, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_system[measure.system_id].append(measure)

    def build(system: System | None, requirements: Iterable[Requirement]) -> SystemGap:
        # A measure answers a requirement by catalogue key and code, so one recorded against
        # an earlier version of the catalogue still counts (as stadga.security.requirements).
        answering: dict[tuple[str, str], list[Measure]] = defaultdict(list)
        others = []
        keys = {requirement_key(r) for r in requirements}
        for m in by_system.get(system.pk if system else None, []):
            key = requirement_key(m.requirement) if m.requirement is not None else None
            if key is not None and key in keys:
                answering[key].append(m)
            else:
                others.append(m)
        rows = [
            RequirementGap(requirement=r, measures=answering.get(requirement_key(r), []))
            for r in requirements
        ]
        return SystemGap(system=system, requirements=rows, other_measures=others, today=today)

    platform = build(None, []) if include_platform else None
    return GapReport(
        systems=[build(s, triggered.get(s.pk, [])) for s in system_list], platform=platform
    )


# --- the action plan --------------------------------------------------------------------------

MISSING_MEASURE = "missing"
UNFINISHED = "unfinished"
FOLLOW_UP_OVERDUE = "overdue"
EFFECT_SHORT = "effect_short"

ITEM_LABELS = {
    MISSING_MEASURE: gettext_lazy("Measure missing"),
    UNFINISHED: gettext_lazy("Measure not fully implemented"),
    FOLLOW_UP_OVERDUE: gettext_lazy("Follow-up overdue"),
    EFFECT_SHORT: gettext_lazy("Effect falls short"),
}


@dataclass
class ActionItem:
    """One open point of the action plan."""

    kind: str
    system: System | None
    requirement: Requirement | None
    measure: Measure | None
    status: str  # what the item's state is, in words
    due: datetime.date | None  # planned for / follow-up due / follow-up done
    responsible: Any  # a Person, or None
    todo: str  # what is to be done

    @property
    def kind_label(self) -> str:
        return str(ITEM_LABELS[self.kind])


def _items_for(gap: SystemGap) -> list[ActionItem]:
    items: list[ActionItem] = []
    owner = gap.system.system_owner if gap.system is not None else None
    for row in gap.missing:
        items.append(
            ActionItem(
                kind=MISSING_MEASURE,
                system=gap.system,
                requirement=row.requirement,
                measure=None,
                status=str(STATE_LABELS[MISSING]),
                due=None,
                responsible=owner,
                todo=row.requirement.display_text,
            )
        )
    for measure in gap.measures:
        responsible = measure.responsible or owner
        if measure.status in (MeasureStatus.PLANNED, MeasureStatus.PARTLY):
            status = str(MeasureStatus(measure.status).label)
            if measure.planned_for is not None and measure.planned_for < gap.today:
                status = _("%(status)s, the date has passed") % {"status": status}
            items.append(
                ActionItem(
                    kind=UNFINISHED,
                    system=gap.system,
                    requirement=measure.requirement,
                    measure=measure,
                    status=status,
                    due=measure.planned_for,
                    responsible=responsible,
                    todo=measure.description or measure.title,
                )
            )
        if is_overdue(measure, gap.today):
            items.append(
                ActionItem(
                    kind=FOLLOW_UP_OVERDUE,
                    system=gap.system,
                    requirement=measure.requirement,
                    measure=measure,
                    status=_("Due %(date)s") % {"date": measure.next_follow_up},
                    due=measure.next_follow_up,
                    responsible=responsible,
                    todo=_("Follow up the measure's effect."),
                )
            )
        if falls_short(measure):
            effect = Effect(measure.last_effect).label  # type: ignore[attr-defined]
            items.append(
                ActionItem(
                    kind=EFFECT_SHORT,
                    system=gap.system,
                    requirement=measure.requirement,
                    measure=measure,
                    status=str(effect),
                    due=measure.last_performed_on,  # type: ignore[attr-defined]
                    responsible=responsible,
                    todo=measure.last_action or "",  # type: ignore[attr-defined]
                )
            )
    return items


@dataclass
class SystemPlan:
    gap: SystemGap
    items: list[ActionItem]

    @property
    def system(self) -> System | None:
        return self.gap.system

    @property
    def missing(self) -> list[Requirement]:
        """The requirements without a measure: one row each in the spreadsheet, one line
        together on pages and in the PDF (whose appendix gives their texts once)."""
        return [i.requirement for i in self.items if i.kind == MISSING_MEASURE and i.requirement]

    @property
    def missing_label(self) -> str:
        return str(ITEM_LABELS[MISSING_MEASURE])

    @property
    def missing_codes(self) -> str:
        return ", ".join(r.code for r in self.missing)

    @property
    def other_items(self) -> list[ActionItem]:
        return [i for i in self.items if i.kind != MISSING_MEASURE]


def action_plan(report: GapReport) -> list[SystemPlan]:
    """Every open item per system (boards in order), the platform last; systems with nothing
    open are left out."""
    plans = []
    gaps = [*report.systems, *([report.platform] if report.platform else [])]
    for gap in gaps:
        items = _items_for(gap)
        if items:
            plans.append(SystemPlan(gap=gap, items=items))
    return plans


# Swedish headers are data constants, like the register's spreadsheet columns.
ACTION_PLAN_HEADERS = [
    ("Nämnd", 24),
    ("System", 28),
    ("Systemansvarig", 22),
    ("Punkt", 26),
    ("Krav", 10),
    ("Åtgärd", 40),
    ("Läge", 22),
    ("Datum", 12),
    ("Ansvarig", 22),
    ("Att göra", 60),
]
GAP_HEADERS = [
    ("Nämnd", 24),
    ("System", 28),
    ("Systemansvarig", 22),
    ("Krav som gäller", 14),
    ("Uppfyllda", 12),
    ("Pågående", 12),
    ("Ej tillämpliga", 14),
    ("Saknas", 10),
    ("Uppföljning försenad", 14),
    ("Otillräcklig effekt", 14),
]
SHEET_ACTION_PLAN = "Handlingsplan"
SHEET_GAP = "Gap per system"


def _platform_name() -> str:
    return _("Platform and data communication")


def action_plan_rows(plans: Sequence[SystemPlan]) -> list[list[Any]]:
    """The action plan's rows as the spreadsheet holds them, in Swedish."""
    rows = []
    with translation.override(EXPORT_LANGUAGE):
        for plan in plans:
            system = plan.system
            for item in plan.items:
                rows.append(
                    [
                        system.board.name if system else "",
                        system.name if system else _platform_name(),
                        str(system.system_owner or "") if system else "",
                        item.kind_label,
                        item.requirement.code if item.requirement else "",
                        item.measure.title if item.measure else "",
                        item.status,
                        item.due,
                        str(item.responsible or ""),
                        item.todo,
                    ]
                )
    return rows


def gap_rows(report: GapReport) -> list[list[Any]]:
    rows = []
    with translation.override(EXPORT_LANGUAGE):
        gaps = [*report.systems, *([report.platform] if report.platform else [])]
        for gap in gaps:
            system, c = gap.system, gap.counts
            rows.append(
                [
                    system.board.name if system else "",
                    system.name if system else _platform_name(),
                    str(system.system_owner or "") if system else "",
                    c.triggered,
                    c.met,
                    c.in_progress,
                    c.not_applicable,
                    c.missing,
                    c.overdue,
                    c.short,
                ]
            )
    return rows


def action_plan_xlsx(report: GapReport, plans: Sequence[SystemPlan]) -> bytes:
    """The action plan and the gap per system as a workbook; header rows bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")

    def sheet(title: str, headers: list[tuple[str, int]], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(title)
        for position, (_header, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(position)].width = width
        ws.freeze_panes = "A2"
        header_cells = []
        for header, _width in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            cell.fill = fill
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_text_cell(ws, value) for value in row])

    sheet(SHEET_ACTION_PLAN, ACTION_PLAN_HEADERS, action_plan_rows(plans))
    sheet(SHEET_GAP, GAP_HEADERS, gap_rows(report))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS.sub("", value))
    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    return cell


def action_plan_pdf_context(
    *, municipality: Municipality, report: GapReport, plans: Sequence[SystemPlan], scope: str
) -> dict[str, Any]:
    """What the PDF template renders: the plan per system, the gap summary per board, and the
    texts of the requirements that lack measures, once each."""
    referenced: dict[tuple[str, str], Requirement] = {}
    for plan in plans:
        for r in plan.missing:
            referenced.setdefault(requirement_key(r), r)
    return {
        "municipality": municipality,
        "missing_requirements": sorted(referenced.values(), key=lambda r: (r.order, r.code)),
        "report": report,
        "plans": plans,
        "scope": scope,
        "generated_on": timezone.localdate(),
        "platform_name": _platform_name(),
    }
