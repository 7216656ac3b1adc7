"""The compliance rules of training and competence (P6.1–P6.3).

- `training.required_training_covered` (P6.1, P6.2): the share of required (person, course)
  pairs that are met today, resolved by `training.coverage` from the requirements on roles and on
  systems' users. Continuous training (P6.1) and each department training its own staff (P6.2)
  show in whether the people the municipality requires a course of have it. The policy sets no
  target below everyone, and neither does Stadga: all pairs met is met, some is partly met, none
  is not met. A competence about to expire still counts as met (the reminders see to it).
- `training.basic_training_for_shared_systems` (P6.3): every cross-departmental system has a
  basic course given by the central office, and its users have taken it. Nothing in the
  register marks a system as cross-departmental, so Stadga reads it from use: a current system
  whose current users belong to two or more departments, or which a basic-training course
  teaches (the municipality said so when it made the course). The central office is the one named
  in the IT plan settings (`plans.PlansSettings.central_office`); until one is named, a basic
  course given by anyone counts, and the summary says so.

A board narrowing counts the people of the board's departments (and, for P6.3, the systems they
use); a department narrowing that department's. Each rule runs a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.organisation.models import Department
from stadga.plans.selectors import plans_settings_for
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule
from stadga.security.rules import counted
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System

# The rules on the departments' training plans and the IT department's watch (P6.2, P6.4) live
# beside the plans' code; the policy engine discovers each app's `rules` module, so import them.
from . import rules_plans  # noqa: F401
from .coverage import CoverageStatus, resolve
from .links import person_url
from .models import CompetenceRecord, Course, SystemUse


def context_departments(ctx: RuleContext) -> QuerySet[Department] | None:
    """The departments whose people a narrowed context counts; None: everyone."""
    if ctx.board is None and ctx.department is None:
        return None
    departments = Department.objects.filter(municipality=ctx.municipality)
    if ctx.board is not None:
        departments = departments.filter(board=ctx.board)
    if ctx.department is not None:
        departments = departments.filter(pk=ctx.department.pk)
    return departments


@rule(
    "training.required_training_covered",
    clauses=["P6.1", "P6.2"],
    title=gettext_lazy(
        "Everyone the municipality requires a course of, through their role or a system they "
        "use, has it and it is valid"
    ),
)
def required_training_covered(ctx: RuleContext) -> RuleResult:
    """P6.1, P6.2: the required (person, course) pairs that are met today. Seven queries at
    most (`coverage.resolve`)."""
    coverage = resolve(ctx.municipality, departments=context_departments(ctx))
    total = coverage.total
    slug = ctx.municipality.slug
    offenders: list[Offender] = []
    for line in coverage.lines:
        if len(offenders) == OFFENDER_LIMIT:
            break
        if line.is_met:
            continue
        reason = line.get_status_display()
        if line.status == CoverageStatus.EXPIRED and line.valid_until is not None:
            reason = _("Expired %(date)s") % {"date": line.valid_until.isoformat()}
        offenders.append(
            Offender(
                label=f"{line.person}: {line.course}",
                url=person_url(slug, line.person.pk),
                reason=reason,
            )
        )
    if total.required == 0:
        summary = _("No training is required of anyone yet.")
    else:
        summary = ngettext(
            "%(kept)s of %(total)s required course held and valid (%(share)s %%)",
            "%(kept)s of %(total)s required courses held and valid (%(share)s %%)",
            total.required,
        ) % {"kept": total.met, "total": total.required, "share": total.share}
    return RuleResult.from_counts(
        kept=total.met, total=total.required, summary=summary, offenders=offenders
    )


def shared_systems(
    ctx: RuleContext, today: datetime.date, central_office_id: int | None
) -> QuerySet[System]:
    """The current cross-departmental systems, annotated with whether a basic course of the
    central office teaches them (`has_basic`), their current users in the context (`users`)
    and how many of those lack a valid record of such a course (`uncovered`)."""
    basic = Course.objects.filter(
        systems=OuterRef("pk"), basic_training=True, archived_at__isnull=True
    )
    given = basic if central_office_id is None else basic.filter(given_by_id=central_office_id)
    uses = SystemUse.objects.filter(
        system=OuterRef("pk"), archived_at__isnull=True, person__archived_at__isnull=True
    )
    departments = context_departments(ctx)
    in_context = uses if departments is None else uses.filter(person__department__in=departments)
    valid = CompetenceRecord.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        person_id=OuterRef("person_id"),
        course__systems=OuterRef("system_id"),
        course__basic_training=True,
        course__archived_at__isnull=True,
        archived_at__isnull=True,
        completed_on__lte=today,
    )
    if central_office_id is not None:
        valid = valid.filter(course__given_by_id=central_office_id)

    def count(rows: QuerySet[SystemUse], expression: Count) -> Coalesce:
        counted_rows = rows.order_by().values("system").annotate(n=expression).values("n")[:1]
        return Coalesce(Subquery(counted_rows, output_field=IntegerField()), Value(0))

    systems = (
        System.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
        .exclude(lifecycle_phase=LifecyclePhase.RETIRED)
        .annotate(
            spread=count(uses, Count("person__department", distinct=True)),
            taught=Exists(basic),
            has_basic=Exists(given),
            users=count(in_context, Count("pk")),
            uncovered=count(in_context.exclude(Exists(valid)), Count("pk")),
        )
        .filter(Q(spread__gte=2) | Q(taught=True))
    )
    if departments is not None:
        systems = systems.filter(Exists(in_context))
    return systems


@rule(
    "training.basic_training_for_shared_systems",
    clauses=["P6.3"],
    title=gettext_lazy(
        "Every cross-departmental system has a basic course given by the central office, and "
        "its users have taken it"
    ),
)
def basic_training_for_shared_systems(ctx: RuleContext) -> RuleResult:
    """P6.3: the central office gives the departments basic training in the cross-departmental
    systems. A system keeps the rule when a current basic course of the central office teaches
    it and each of its current users has a valid record of such a course. Three queries at
    most: the plan settings, the count, the offenders."""
    today = timezone.localdate()
    central_office = plans_settings_for(ctx.municipality).central_office
    central_id = central_office.pk if central_office is not None else None
    systems = shared_systems(ctx, today, central_id)

    def offender(system: System) -> Offender:
        if not system.has_basic:  # type: ignore[attr-defined]
            reason = (
                _("No basic course of the central office teaches it")
                if central_id is not None
                else _("No basic course teaches it")
            )
        else:
            reason = ngettext(
                "%(count)s of %(users)s user lacks the basic course",
                "%(count)s of %(users)s users lack the basic course",
                system.users,  # type: ignore[attr-defined]
            ) % {"count": system.uncovered, "users": system.users}  # type: ignore[attr-defined]
        return Offender.of(system, reason)

    def summary(kept: int, total: int) -> str:
        text = ngettext(
            "%(kept)s of %(total)s cross-departmental system has a basic course and trained users",
            "%(kept)s of %(total)s cross-departmental systems have a basic course and trained "
            "users",
            total,
        ) % {"kept": kept, "total": total}
        if central_id is None:
            text += " " + _("(no central office is named in the IT plan settings)")
        return text

    result = counted(
        systems,
        kept=Q(has_basic=True, uncovered=0),
        offending=Q(has_basic=False) | Q(uncovered__gt=0),
        summary=summary,
        offender=offender,
        fetch=lambda rows: rows.select_related("municipality").order_by("name", "pk"),
    )
    if result.denominator == 0:
        result.summary = _("No cross-departmental system: none is used by several departments.")
    return result
