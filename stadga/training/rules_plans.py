"""The compliance rules of the departments' training plans (P6.2) and the IT department's own
development (P6.4).

- P6.2: each department trains its own staff, in its business systems and in general IT skills,
  and cooperates with the others. Stadga measures the part it can count: every current
  department has an adopted (or followed-up) training plan for this year with its figures — at
  least one planned training with its cost.
- P6.4: the IT department is a competence resource for development and for watching the outside
  world. Stadga counts two things: the IT department's competence plan for this year (the
  central office's training plan, `PlansSettings.central_office`) exists, and the watch log has
  a note within the interval of the training settings (`TrainingSettings.watch_interval_months`,
  six months by default).

This module is not `rules.py`, which the policy app discovers by name: it must be imported from
`training/rules.py` for its rules to be registered.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.core.dates import months_before
from stadga.organisation.models import Department
from stadga.policy.choices import Status
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .choices import TrainingPlanStatus
from .models import TrainingPlan, TrainingPlanLine, TrainingSettings
from .selectors_plans import central_office_id, latest_watch_note

IN_FORCE = (TrainingPlanStatus.ADOPTED, TrainingPlanStatus.FOLLOWED_UP)


@rule(
    "training.departments_have_training_plans",
    clauses=["P6.2"],
    title=gettext_lazy(
        "Every department has an adopted training plan for this year, with its planned "
        "training and cost"
    ),
)
def departments_have_training_plans(ctx: RuleContext) -> RuleResult:
    """P6.2: a department keeps the rule when its current training plan for this year is
    adopted or followed up and plans at least one training (with its cost). A board narrowing
    counts the board's departments, a department narrowing that department. Two queries."""
    year = timezone.localdate().year
    departments = Department.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
    if ctx.board is not None:
        departments = departments.filter(board=ctx.board)
    if ctx.department is not None:
        departments = departments.filter(pk=ctx.department.pk)
    plans = TrainingPlan.objects.filter(
        department=OuterRef("pk"), year=year, archived_at__isnull=True
    )
    lines = TrainingPlanLine.objects.filter(archived_at__isnull=True, plan=OuterRef("pk"))
    departments = departments.annotate(
        has_plan=Exists(plans),
        keeps=Exists(plans.filter(status__in=IN_FORCE).filter(Exists(lines))),
        adopted=Exists(plans.filter(status__in=IN_FORCE)),
    )
    counts = departments.aggregate(total=Count("pk"), kept=Count("pk", filter=Q(keeps=True)))
    total, kept = counts["total"], counts["kept"]

    def reason(department: Department) -> str:
        values = {"year": year}
        if not department.has_plan:  # type: ignore[attr-defined]
            return _("No training plan for %(year)s.") % values
        if not department.adopted:  # type: ignore[attr-defined]
            return _("The training plan for %(year)s is not adopted.") % values
        return _("The training plan for %(year)s plans no training.") % values

    offenders = [
        Offender.of(department, reason(department))
        for department in departments.filter(keeps=False)
        .select_related("municipality")
        .order_by("name", "pk")[:OFFENDER_LIMIT]
    ]
    summary = ngettext(
        "%(kept)s of %(total)s department has an adopted training plan for %(year)s",
        "%(kept)s of %(total)s departments have an adopted training plan for %(year)s",
        total,
    ) % {"kept": kept, "total": total, "year": year}
    if total == 0:
        summary = _("No current departments.")
    return RuleResult.from_counts(kept=kept, total=total, summary=summary, offenders=offenders)


@rule(
    "training.it_department_watch_kept",
    clauses=["P6.4"],
    title=gettext_lazy(
        "The IT department has a competence plan for this year and keeps its watch of the "
        "outside world"
    ),
)
def it_department_watch_kept(ctx: RuleContext) -> RuleResult:
    """P6.4: two things are counted — the IT department's competence plan for this year (the
    central office's training plan, not archived) and a watch note within the interval. Not
    applicable when the context is narrowed to another board or department than the central
    office's. At most five queries."""
    m = ctx.municipality
    today = timezone.localdate()
    year = today.year
    office_id = central_office_id(m)
    office = Department.objects.filter(pk=office_id).first() if office_id else None
    if (ctx.department is not None and ctx.department.pk != office_id) or (
        ctx.board is not None and (office is None or office.board_id != ctx.board.pk)
    ):
        return RuleResult(
            status=Status.NOT_APPLICABLE,
            numerator=0,
            denominator=0,
            summary=_("The IT department is in the central office."),
        )
    offenders: list[Offender] = []
    slug = {"municipality": m.slug}
    has_plan = (
        office is not None
        and TrainingPlan.objects.filter(
            department=office, year=year, archived_at__isnull=True
        ).exists()
    )
    if not has_plan:
        reason = (
            _("The IT department has no competence plan for %(year)s.") % {"year": year}
            if office is not None
            else _(
                "Name the central office in the IT plan settings: its training plan is the "
                "IT department's competence plan."
            )
        )
        offenders.append(
            Offender(
                label=_("The IT department's competence plan"),
                url=reverse("training:plan_list", kwargs=slug),
                reason=reason,
            )
        )
    months = TrainingSettings.for_municipality(m).watch_interval_months
    latest = latest_watch_note(m)
    watched = latest is not None and latest.noted_on >= months_before(today, months)
    if not watched:
        values = {"months": months, "date": latest.noted_on.isoformat() if latest else ""}
        offenders.append(
            Offender(
                label=_("The IT department's watch log"),
                url=reverse("training:watchnote_list", kwargs=slug),
                reason=(
                    _("No watch note in the last %(months)s months (last %(date)s).")
                    if latest
                    else _("The watch log has no note.")
                )
                % values,
            )
        )
    kept = int(has_plan) + int(watched)
    summary = _("Competence plan for %(year)s: %(plan)s; latest watch note: %(latest)s") % {
        "year": year,
        "plan": _("yes") if has_plan else _("no"),
        "latest": latest.noted_on.isoformat() if latest else _("none"),
    }
    summary += " " + _("(at least one every %(months)s months)") % {"months": months}
    return RuleResult.from_counts(kept=kept, total=2, summary=summary, offenders=offenders)
