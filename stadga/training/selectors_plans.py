"""Reads of the departments' training plans (P6.2), the IT department's competence plan and its
watch log (P6.4), shared by the pages, the API and the rules. Every member reads them
(`training.access.reads_training`); another municipality's are not found."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.plans.models import PlanItem, PlansSettings
from stadga.systems.models import System

from .access import reads_training
from .models import TrainingPlan, TrainingPlanLine, WatchNote

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def central_office_id(municipality: Municipality) -> int | None:
    """The central office (kommunledningskontoret), whose IT department's training plan is its
    competence plan (P6.4); None until the plan settings name it. One query."""
    return (
        PlansSettings.objects.filter(municipality=municipality)
        .values_list("central_office_id", flat=True)
        .first()
    )


def with_totals(plans: QuerySet[TrainingPlan]) -> QuerySet[TrainingPlan]:
    """Each plan's total cost and its lines shared with other departments (P6.2), as
    subqueries so the two sums do not multiply each other."""
    lines = TrainingPlanLine.objects.filter(plan=OuterRef("pk"), archived_at__isnull=True)
    total = lines.order_by().values("plan").annotate(s=Sum("cost")).values("s")
    shared = (
        lines.filter(shared_with_others=True)
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return plans.annotate(
        total_cost=Coalesce(
            Subquery(total, output_field=_MONEY), Value(Decimal("0")), output_field=_MONEY
        ),
        shared_lines=Coalesce(Subquery(shared, output_field=IntegerField()), Value(0)),
    )


def plan_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[TrainingPlan]:
    """The municipality's training plans, newest year first, with their totals."""
    qs = TrainingPlan.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_training(access, municipality.pk):
        return qs.none()
    qs = qs.select_related(
        "municipality", "department__board", "it_plan__board", "it_plan__municipality"
    )
    return with_totals(qs)


def plan_get(*, access: Access, municipality: Municipality, pk: int) -> TrainingPlan:
    if not reads_training(access, municipality.pk):
        raise Http404
    qs = TrainingPlan.objects.filter(municipality=municipality).select_related(
        "municipality",
        "department__board",
        "department__municipality",
        "it_plan__board",
        "it_plan__municipality",
    )
    return get_object_or_404(with_totals(qs), pk=pk)


def plan_lines(plan: TrainingPlan) -> list[TrainingPlanLine]:
    """The plan's current lines, in the order they were added. One query."""
    return list(
        plan.lines.filter(archived_at__isnull=True)
        .select_related("course", "plan__municipality")
        .order_by("pk")
    )


def plan_line_get(plan: TrainingPlan, pk: int) -> TrainingPlanLine:
    qs = TrainingPlanLine.objects.filter(plan=plan, archived_at__isnull=True)
    return get_object_or_404(qs.select_related("plan__municipality", "course"), pk=pk)


def watch_note_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[WatchNote]:
    """The watch log, newest first, with what each note concerns (constant queries)."""
    qs = WatchNote.objects.filter(municipality=municipality, archived_at__isnull=not archived)
    if not reads_training(access, municipality.pk):
        return qs.none()
    return qs.select_related("municipality", "author").prefetch_related("products", "systems")


def watch_note_get(*, access: Access, municipality: Municipality, pk: int) -> WatchNote:
    if not reads_training(access, municipality.pk):
        raise Http404
    qs = WatchNote.objects.filter(municipality=municipality).select_related(
        "municipality", "author"
    )
    return get_object_or_404(qs, pk=pk)


def watch_note_links(access: Access, note: WatchNote) -> dict[str, list]:
    """What the note concerns, as far as the user may read it: every product, the systems and
    the plan items (of boards' plans) the user reads anyway. Three queries."""
    from stadga.plans.access import plan_q

    return {
        "products": list(note.products.select_related("municipality").order_by("name")),
        "systems": list(
            System.objects.filter(access.system_q(), watch_notes=note)
            .select_related("municipality")
            .order_by("name")
        ),
        "plan_items": list(
            PlanItem.objects.filter(plan_q(access, "plan__"), watch_notes=note)
            .select_related("municipality", "plan__board")
            .order_by("plan__year", "title")
        ),
    }


def latest_watch_note(municipality: Municipality) -> WatchNote | None:
    """The newest current note of the watch log; one query."""
    return (
        WatchNote.objects.filter(municipality=municipality, archived_at__isnull=True)
        .order_by("-noted_on", "-pk")
        .first()
    )


__all__ = [
    "central_office_id",
    "latest_watch_note",
    "plan_get",
    "plan_line_get",
    "plan_lines",
    "plan_list",
    "watch_note_get",
    "watch_note_links",
    "watch_note_list",
    "with_totals",
]
