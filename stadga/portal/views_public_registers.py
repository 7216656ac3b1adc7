"""The public portal's registers (P7.1): the public IT systems, the product decisions with
their reasons (P5), the boards' adopted IT plans with their goals and costs (P2, P3.4, P3.5)
and the IT coordinator's issued status reports (P3.13). Every read goes through
`selectors_public`, which decides what is public; every page is cached by `PublicView`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.catalogue.choices import Phase
from stadga.plans.choices import ItemStatus

from .asking import ask_about
from .selectors_public import (
    SEARCH_MAX_LENGTH,
    public_boards,
    public_decisions,
    public_goal_summary,
    public_plan,
    public_plan_items,
    public_plans,
    public_product,
    public_report,
    public_report_figures,
    public_reports,
    public_system,
    public_systems,
    public_systems_matching,
    published_messages,
)
from .views_public import status_rows
from .views_public_base import PublicView, paginate

__all__ = [
    "DecisionListView",
    "PlanDetailView",
    "PlanListView",
    "ProductDetailView",
    "ReportDetailView",
    "ReportListView",
    "SystemDetailView",
    "SystemListView",
]

# The phases a decision can set (a product nobody has decided on is not public).
DECISION_PHASES = [(value, label) for value, label in Phase.choices if value != Phase.NOT_ASSESSED]


def _pk(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class SystemListView(PublicView):
    """The register of the municipality's public IT systems, searchable by name and purpose
    and filtered by board, 50 a page."""

    public_section = "systems"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notices = []
        q = request.GET.get("q", "").strip()
        if len(q) > SEARCH_MAX_LENGTH:
            notices.append(
                _("The search was shortened to its first %(n)s characters.")
                % {"n": SEARCH_MAX_LENGTH}
            )
            q = q[:SEARCH_MAX_LENGTH]
        boards = list(public_boards(self.municipality))
        board = None
        chosen = request.GET.get("board", "")
        if chosen:
            board = next((b for b in boards if b.pk == _pk(chosen)), None)
            if board is None:
                notices.append(_("No board with public systems has that number: all are shown."))
        page = paginate(request, public_systems_matching(self.municipality, q=q, board=board))
        return self.render(
            "portal/public/system_list.html",
            self.context(
                page=page,
                q=q,
                boards=boards,
                board=board,
                notices=notices,
                filtered=bool(q or board),
                ask=ask_about(),
            ),
        )


class SystemDetailView(PublicView):
    """One public system: its public fields, the owner's work contact, its products and
    vendors, the adopted plans' items that concern it and the published questions about it.
    Never its classification, notes, measures, incidents or number of users."""

    public_section = "systems"

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        m = self.municipality
        system = public_system(m, pk)
        owner = system.system_owner
        return self.render(
            "portal/public/system_detail.html",
            self.context(
                system=system,
                owner=owner if owner is not None and owner.archived_at is None else None,
                products=list(system.products.all()),
                items=list(public_plan_items(m).filter(systems=system)),
                exchanges=list(published_messages(m).filter(system=system)),
                ask=ask_about("system", system.pk, system.name),
            ),
        )


class DecisionListView(PublicView):
    """The IT department's decisions on products' phases, newest first, with their reasons
    (P5.4), filtered by phase, 50 a page."""

    public_section = "decisions"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decisions = public_decisions(self.municipality)
        notices = []
        phase = request.GET.get("phase", "")
        if phase and phase not in dict(DECISION_PHASES):
            notices.append(_("There is no such phase: decisions in every phase are shown."))
            phase = ""
        if phase:
            decisions = decisions.filter(phase=phase)
        return self.render(
            "portal/public/decision_list.html",
            self.context(
                page=paginate(request, decisions),
                phases=DECISION_PHASES,
                phase=phase,
                notices=notices,
                ask=ask_about(),
            ),
        )


class ProductDetailView(PublicView):
    """A product the IT department has decided on: its current phase, its decisions and the
    public systems that run on it."""

    public_section = "decisions"

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        product = public_product(self.municipality, pk)
        return self.render(
            "portal/public/product_detail.html",
            self.context(
                product=product,
                decisions=list(product.decisions.all()),
                systems=list(public_systems(self.municipality).filter(products=product)),
                ask=ask_about("product", product.pk, product.name),
            ),
        )


class PlanListView(PublicView):
    """The boards' adopted IT plans by year (P3.4), and this year's initiatives and costs per
    goal (P2: the public's view of what IT is for, P2.2)."""

    public_section = "plans"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year = timezone.localdate().year
        return self.render(
            "portal/public/plan_list.html",
            self.context(
                plans=list(public_plans(self.municipality)),
                year=year,
                goals=public_goal_summary(self.municipality, year),
                ask=ask_about(),
            ),
        )


class PlanDetailView(PublicView):
    """One adopted plan: its initiatives with goals, benefits (P1.2), costs per year (P3.5),
    responsible department and public systems, and its evaluation once evaluated."""

    public_section = "plans"

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        plan = public_plan(self.municipality, pk)
        items = list(public_plan_items(self.municipality, plan=plan))
        return self.render(
            "portal/public/plan_detail.html",
            self.context(
                plan=plan,
                items=items,
                followed_up=plan.followed_up_on is not None,
                ask=ask_about("plan", plan.pk, str(plan)),
            ),
        )


class ReportListView(PublicView):
    """The IT coordinator's issued status reports to management (P3.13), newest first."""

    public_section = "reports"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(
            "portal/public/report_list.html",
            self.context(reports=list(public_reports(self.municipality)), ask=ask_about()),
        )


class ReportDetailView(PublicView):
    """An issued status report: its commentary and, of its frozen figures, only compliance per
    clause, product requests decided and the plans' progress (`public_report_figures`)."""

    public_section = "reports"

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        report = public_report(self.municipality, pk)
        figures = public_report_figures(report)
        if figures["compliance"] is not None:
            figures["compliance"]["status_counts"] = status_rows(figures["compliance"]["counts"])
        return self.render(
            "portal/public/report_detail.html",
            self.context(
                report=report,
                figures=figures,
                item_statuses=list(ItemStatus.choices),
                ask=ask_about("status_report", report.pk, report.title),
            ),
        )
