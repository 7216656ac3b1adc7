"""What the public portal shows, and nothing more (P7.1). Every read of a public page and of
the open data goes through here, so that what is public is decided in one place.

Only public records that secrecy law (offentlighets- och sekretesslagen) cannot cover are read:
a system's classification, its security measures, incidents, shortfall notices and anything
about how the municipality protects itself are never selected here. Systems appear only when
marked public; plans once adopted; status reports once issued; products once decided.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision, Product
from stadga.organisation.choices import Role
from stadga.organisation.models import Board, Municipality, RoleAssignment
from stadga.plans.choices import ADOPTED_STATUSES
from stadga.plans.models import Goal, ITPlan, PlanItem, PlanItemCost
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.systems.models import System

from .choices import MessageStatus
from .models import PortalSettings, ResidentMessage

# The fields of a system that are public records, in the order the register and its open data
# show them. Never: classification, its justification, notes, measures or incidents.
SYSTEM_PUBLIC_FIELDS = (
    "identifier",
    "name",
    "purpose",
    "board",
    "department",
    "system_owner",
    "lifecycle_phase",
    "in_production_from",
    "phase_out_from",
    "retired_on",
    "system_type",
    "personal_data",
)

# The roles residents may want to reach, and that the contacts page lists (P7.1: it is easy to
# reach officials).
CONTACT_ROLES = (
    Role.IT_COORDINATOR,
    Role.IT_TECHNICIAN,
    Role.DEPARTMENT_HEAD,
    Role.BOARD_SECRETARY,
    Role.SYSTEM_OWNER,
)


def published_municipality(slug: str) -> tuple[Municipality, PortalSettings]:
    """The municipality whose portal is published, with its settings; otherwise a 404 (an
    unpublished portal is indistinguishable from none). One query."""
    settings_row = (
        PortalSettings.objects.filter(
            municipality__slug=slug, municipality__archived_at__isnull=True, is_published=True
        )
        .select_related("municipality")
        .first()
    )
    if settings_row is None:
        raise Http404
    return settings_row.municipality, settings_row


def public_systems(municipality: Municipality) -> QuerySet[System]:
    """The systems the municipality has marked public, with their board, department, owner and
    products."""
    return (
        System.objects.filter(municipality=municipality, is_public=True, archived_at__isnull=True)
        .select_related("board", "department", "system_owner")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(archived_at__isnull=True).select_related("vendor"),
            )
        )
        .only(
            *SYSTEM_PUBLIC_FIELDS,
            "municipality_id",
            "board__name",
            "department__name",
            "system_owner__name",
            "system_owner__title",
            "system_owner__email",
            "system_owner__phone",
            "system_owner__archived_at",
        )
        .order_by("name", "pk")
    )


def public_system(municipality: Municipality, pk: int) -> System:
    return get_object_or_404(public_systems(municipality), pk=pk)


def public_decisions(municipality: Municipality) -> QuerySet[PhaseDecision]:
    """Every dated decision on a product's phase, with its reasons, newest first (P5)."""
    return (
        PhaseDecision.objects.filter(municipality=municipality, product__archived_at__isnull=True)
        .select_related("product", "product__vendor")
        .order_by("-effective_from", "-pk")
    )


def public_products(municipality: Municipality) -> QuerySet[Product]:
    """The products the IT department has decided on, with their current phase."""
    return (
        Product.objects.filter(municipality=municipality, archived_at__isnull=True)
        .exclude(phase=Phase.NOT_ASSESSED)
        .select_related("vendor", "category")
        .order_by("name", "pk")
    )


def public_product(municipality: Municipality, pk: int) -> Product:
    return get_object_or_404(
        public_products(municipality).prefetch_related(
            Prefetch("decisions", queryset=PhaseDecision.objects.order_by("-effective_from", "-pk"))
        ),
        pk=pk,
    )


def public_plans(municipality: Municipality) -> QuerySet[ITPlan]:
    """The boards' adopted IT plans (P3.4), newest year first."""
    return (
        ITPlan.objects.filter(
            municipality=municipality, status__in=ADOPTED_STATUSES, archived_at__isnull=True
        )
        .select_related("board")
        .order_by("-year", "board__name", "pk")
    )


def public_plan(municipality: Municipality, pk: int) -> ITPlan:
    return get_object_or_404(public_plans(municipality), pk=pk)


def public_plan_items(municipality: Municipality, plan: ITPlan | None = None) -> QuerySet[PlanItem]:
    """The items of adopted plans, with their goals (P2), costs per year (P3.5) and the public
    systems among those they concern."""
    items = PlanItem.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        plan__status__in=ADOPTED_STATUSES,
        plan__archived_at__isnull=True,
    )
    if plan is not None:
        items = items.filter(plan=plan)
    return (
        items.select_related("plan", "plan__board", "department", "responsible")
        .prefetch_related(
            "goals",
            "costs",
            Prefetch(
                "systems",
                queryset=System.objects.filter(is_public=True, archived_at__isnull=True),
                to_attr="public_systems",
            ),
        )
        .order_by("plan__year", "plan__board__name", "title", "pk")
    )


def public_reports(municipality: Municipality) -> QuerySet[StatusReport]:
    """The IT coordinator's issued status reports to management (P3.13), newest first."""
    return StatusReport.objects.filter(
        municipality=municipality, status=ReportStatus.ISSUED, archived_at__isnull=True
    ).order_by("-issued_at", "-pk")


def public_report(municipality: Municipality, pk: int) -> StatusReport:
    return get_object_or_404(public_reports(municipality), pk=pk)


def public_contacts(municipality: Municipality) -> QuerySet[RoleAssignment]:
    """Who answers for what: the holders of the roles residents may want to reach, with what
    they hold the role over. A system owner is listed only for a public system."""
    return (
        RoleAssignment.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            person__archived_at__isnull=True,
            role__in=CONTACT_ROLES,
        )
        .exclude(Q(role=Role.SYSTEM_OWNER) & ~Q(system__is_public=True))
        # Whatever the role, a system it is held over is named only while it is public.
        .exclude(
            Q(system__isnull=False)
            & (Q(system__is_public=False) | Q(system__archived_at__isnull=False))
        )
        .select_related("person", "board", "department", "system")
        .order_by("role", "person__name", "pk")
    )


def published_messages(municipality: Municipality) -> QuerySet[ResidentMessage]:
    """Residents' views and questions that the resident agreed to publish and the municipality
    published with its answer. The resident's name and address are never shown."""
    return (
        ResidentMessage.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            published_at__isnull=False,
            status=MessageStatus.ANSWERED,
        )
        .select_related("system", "plan", "plan__board", "product", "status_report")
        .order_by("-published_at", "-pk")
    )


# --- what the public pages add to the lists above ------------------------------------------------

# The policy's sections whose figures are not shown to the public, only each clause's status:
# the information-security figures (section 9) can show where the municipality is weak, which
# secrecy law covers (OSL 18:8).
SECRET_FIGURE_SECTIONS = frozenset({"9"})

# The longest search the register takes; a longer one is cut (and the page says so).
SEARCH_MAX_LENGTH = 100


def shows_figure(section: str) -> bool:
    """Whether the public may read the figures of a clause in `section`, not only its status."""
    return str(section) not in SECRET_FIGURE_SECTIONS


def public_boards(municipality: Municipality) -> QuerySet[Board]:
    """The boards that have at least one public system: the register's board filter."""
    return (
        Board.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            systems__is_public=True,
            systems__archived_at__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def public_systems_matching(
    municipality: Municipality, *, q: str = "", board: Board | None = None
) -> QuerySet[System]:
    """The public systems whose name or purpose contains `q`, of `board` if given."""
    systems = public_systems(municipality)
    q = q.strip()[:SEARCH_MAX_LENGTH]
    if q:
        systems = systems.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    if board is not None:
        systems = systems.filter(board=board)
    return systems


def _status_counts(statuses: list[str]) -> dict[str, int]:
    counts = {status.value: 0 for status in Status}
    for status in statuses:
        if status in counts:
            counts[status] += 1
    return counts


def public_compliance(municipality: Municipality) -> dict[str, Any] | None:
    """The adopted policy evaluated live, as the public may read it (P3.1, P7.1): per section
    its clauses' counts, and per clause its text, status and figure; the figure blank in the
    sections `shows_figure` withholds. Never offenders or attestations (who attested, what they
    wrote). None when the municipality has adopted no policy."""
    evaluation = evaluate(municipality)
    if evaluation is None:
        return None
    sections = []
    for section, title, results in evaluation.by_section():
        visible = shows_figure(section)
        clauses = [
            {
                "clause": result.clause.clause_id,
                "section": section,
                "text": result.clause.display_text,
                "status": str(result.status),
                "status_label": result.status_label,
                "figure": result.figure if visible else "",
            }
            for result in results
        ]
        sections.append(
            {
                "section": section,
                "title": title,
                "figures_shown": visible,
                "clauses": clauses,
                "counts": _status_counts([c["status"] for c in clauses]),
            }
        )
    return {
        "policy": evaluation.policy,
        "adoption": evaluation.adoption,
        "evaluated_at": evaluation.evaluated_at,
        "counts": evaluation.counts(),
        "sections": sections,
    }


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def public_report_figures(report: StatusReport) -> dict[str, Any]:
    """Of an issued report's frozen figures (statusreports/figures.py), only what the public
    may read: compliance per clause (no figure in the sections `shows_figure` withholds), the
    product requests decided (counts) and the plans' progress per board. Never the shortfall
    notices, the incidents or the installed software. A report whose figures are missing or
    malformed reads as having none (an older report must not break the page)."""
    content = _as_dict(report.content)
    compliance = _as_dict(content.get("compliance"))
    clauses = []
    for row in compliance.get("clauses") or []:
        if not isinstance(row, dict):
            continue
        section = str(row.get("section", ""))
        clauses.append(
            {
                "clause": str(row.get("clause", "")),
                "section": section,
                "text": str(row.get("text", "")),
                "status": str(row.get("status", "")),
                "figure": str(row.get("figure") or "") if shows_figure(section) else "",
                "change": str(row.get("change") or ""),
            }
        )
    requests = _as_dict(content.get("product_requests"))
    plans = _as_dict(content.get("plans"))
    boards = [
        {
            "board": str(row.get("board", "")),
            "plan_status": row.get("plan_status") or "",
            "items": {k: _as_int(v) for k, v in _as_dict(row.get("items")).items()},
            "total": _as_int(row.get("total")),
        }
        for row in plans.get("boards") or []
        if isinstance(row, dict)
    ]
    return {
        "compliance": (
            {
                "policy": str(compliance.get("policy", "")),
                "counts": _status_counts([c["status"] for c in clauses]),
                "clauses": clauses,
                "withheld": any(not shows_figure(c["section"]) for c in clauses),
            }
            if clauses
            else None
        ),
        "product_requests": (
            {
                key: _as_int(requests.get(key))
                for key in ("decided", "approved", "approved_with_constraints", "rejected")
            }
            if requests
            else None
        ),
        "plans": {"year": plans.get("year"), "boards": boards} if boards else None,
    }


def public_goal_summary(municipality: Municipality, year: int) -> list[dict[str, Any]]:
    """P2, P2.2: per goal, the items of the year's adopted plans that serve it and what they
    cost that year (investment and running, SEK); last, the items that name no goal. Three
    queries."""
    items = PlanItem.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        plan__status__in=ADOPTED_STATUSES,
        plan__archived_at__isnull=True,
        plan__year=year,
    )
    counts: dict[int | None, int] = {
        row["goals"]: row["n"]
        for row in items.values("goals").annotate(n=Count("pk", distinct=True)).order_by()
    }
    costs: dict[int | None, dict[str, Any]] = {
        row["item__goals"]: dict(row)
        for row in PlanItemCost.objects.filter(item__in=items, year=year)
        .values("item__goals")
        .annotate(investment=Sum("investment"), running=Sum("running"))
        .order_by()
    }
    zero = Decimal("0")
    rows: list[dict[str, Any]] = []
    goals: list[Goal | None] = [
        *Goal.objects.filter(municipality=municipality, archived_at__isnull=True).order_by(
            "order", "code"
        )
    ]
    if None in counts:
        goals.append(None)
    for goal in goals:
        key = goal.pk if goal is not None else None
        cost = costs.get(key, {})
        investment = cost.get("investment") or zero
        running = cost.get("running") or zero
        rows.append(
            {
                "goal": goal,
                "items": counts.get(key, 0),
                "investment": investment,
                "running": running,
                "total": investment + running,
            }
        )
    return rows


def public_about(message: ResidentMessage) -> tuple[str, Any] | None:
    """What a published message is about, if it is still public: ("system" | "plan" |
    "product" | "status_report", the object) or ("clause", its ID). A system no longer public,
    a plan or report withdrawn, is not named. No query (published_messages selects them)."""
    system, plan, product, report = (
        message.system,
        message.plan,
        message.product,
        message.status_report,
    )
    if system is not None:
        return ("system", system) if system.is_public and system.archived_at is None else None
    if plan is not None:
        public = plan.status in ADOPTED_STATUSES and plan.archived_at is None
        return ("plan", plan) if public else None
    if product is not None:
        public = product.phase != Phase.NOT_ASSESSED and product.archived_at is None
        return ("product", product) if public else None
    if report is not None:
        public = report.status == ReportStatus.ISSUED and report.archived_at is None
        return ("status_report", report) if public else None
    if message.clause:
        return ("clause", message.clause)
    return None
