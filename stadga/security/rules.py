"""The compliance rules the security records answer (P9.1, P9.2, P9.4, P9.5, P9.6).

Each rule reads the municipality's security settings (one query, for the review interval or the
escalation period), counts in one aggregate query and, only when something offends, lists the
first offenders in one more: three queries at most, however many systems, measures or notices
there are (the requirements rule reads the systems, the catalogue and the measures: three too).
Archived records count for nothing. The board/department narrowing applies to what belongs to a
board: systems and their information types and measures, and shortfall notices by their
addressee. The technical platform belongs to no board (P9.4), so its rule ignores the narrowing,
like the organisation's rules.

"Today" is the server's local date. A follow-up due today is not overdue until tomorrow (as the
measures list says); a classification is due for review on its review date (as the system's
classification page says).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.core.dates import months_before
from stadga.policy.choices import Status
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule
from stadga.systems.choices import Aspect
from stadga.systems.models import System
from stadga.systems.rules import IN_USE, systems_in

from .choices import Effect, MeasureStatus, NoticeStatus
from .models import (
    FollowUp,
    InformationType,
    Measure,
    ProcessingActivity,
    SecuritySettings,
    ShortfallNotice,
)
from .requirements import RequirementKey, applies, current_requirements, requirement_key

SHORT_EFFECTS = (Effect.NOT_EFFECTIVE, Effect.PARTLY_EFFECTIVE)

M = TypeVar("M", bound=Model)


# --- Shared ---------------------------------------------------------------------------------------


def settings_of(ctx: RuleContext) -> SecuritySettings:
    """The municipality's security settings, or an unsaved row with the defaults: one query."""
    return SecuritySettings.for_municipality(ctx.municipality)


def _day(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "Y-m-d")


def counted(
    rows: QuerySet[M],
    *,
    kept: Q,
    offending: Q,
    summary: Callable[[int, int], str],
    offender: Callable[[M], Offender],
    fetch: Callable[[QuerySet[M]], QuerySet[M]] = lambda rows: rows,
) -> RuleResult:
    """Count the rows that keep a rule among `rows` (one query) and, if some do not, list the
    first of those (`offending`, the complement of `kept` written as a filter) with one more.

    `fetch` adds to the offenders' query what `offender` reads (related rows, annotations), so
    that no offender costs a query of its own."""
    counts = rows.aggregate(total=Count("pk"), kept=Count("pk", filter=kept))
    total, kept_count = counts["total"], counts["kept"]
    listed: list[Offender] = []
    if kept_count < total:
        listed = [offender(row) for row in fetch(rows.filter(offending))[:OFFENDER_LIMIT]]
    return RuleResult.from_counts(
        kept=kept_count, total=total, summary=summary(kept_count, total), offenders=listed
    )


def current_measures(ctx: RuleContext) -> QuerySet[Measure]:
    """The municipality's current measures of systems, narrowed to the context's board or
    department (a platform measure belongs to no board, and so to no narrowed view)."""
    measures = Measure.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
    if ctx.board is None and ctx.department is None:
        return measures
    return ctx.narrow(measures, board="system__board", department="system__department")


def measure_offender(measure: Measure, reason: str) -> Offender:
    """A measure, labelled with its system (or the platform) so that a list of them reads."""
    where = measure.system.name if measure.system_id else _("Platform")  # type: ignore[union-attr]
    return Offender(
        label=f"{where}: {measure.title}", url=measure.get_absolute_url(), reason=reason
    )


def measure_rows(rows: QuerySet[M]) -> QuerySet[M]:
    """What a measure offender reads, and nothing more (the description can be long)."""
    return rows.select_related("municipality", "system").only(
        "title", "status", "next_follow_up", "system__name", "municipality__slug"
    )


def classification_url(system: System) -> str:
    """Where a system's information types are classified."""
    return reverse(
        "security:system_classification",
        kwargs={"municipality": system.municipality.slug, "system_pk": system.pk},
    )


# --- P9.1 ----------------------------------------------------------------------------------------


def _classification_reason(system: System, review_months: int) -> str:
    if not system.has_types:  # type: ignore[attr-defined]
        return _("No information type is classified")
    if system.unclassified:  # type: ignore[attr-defined]
        return _("An information type is not classified on every aspect")
    due = system.oldest_classification + relativedelta(months=review_months)  # type: ignore[attr-defined]
    return _("Due for review since %(date)s") % {"date": _day(due)}


@rule(
    "security.classification_current",
    clauses=["P9.1"],
    title=gettext_lazy(
        "Every system in production or phase-out has classified information types, none of them "
        "due for review"
    ),
)
def classification_current(ctx: RuleContext) -> RuleResult:
    """P9.1: information is protected for confidentiality, integrity and availability (and
    traceability, as in KLASSA), which starts with knowing what information a system holds and
    how much it matters. A system keeps the rule when it has at least one current information
    type, every one of them is classified on all four aspects with a date, and none was
    classified longer ago than the municipality's review interval (12 months by default)."""
    review_months = settings_of(ctx).classification_review_months
    cutoff = months_before(timezone.localdate(), review_months)
    types = InformationType.objects.filter(system=OuterRef("pk"), archived_at__isnull=True)
    incomplete = Q(classified_on__isnull=True) | Q(
        *(Q(**{f"{aspect}__isnull": True}) for aspect in Aspect.values), _connector=Q.OR
    )
    has_types = Exists(types)
    gap = Exists(types.filter(incomplete | Q(classified_on__lte=cutoff)))
    systems = systems_in(ctx, IN_USE)

    return counted(
        systems,
        kept=Q(has_types) & ~Q(gap),
        offending=~Q(has_types) | Q(gap),
        summary=lambda kept, total: (
            _(
                "%(kept)s of %(total)s systems in production or phase-out have their information "
                "types classified and reviewed within %(months)s months"
            )
            % {"kept": kept, "total": total, "months": review_months}
        ),
        fetch=lambda rows: (
            rows.annotate(
                has_types=has_types,
                unclassified=Exists(types.filter(incomplete)),
                oldest_classification=Subquery(
                    types.order_by("classified_on").values("classified_on")[:1]
                ),
            )
            .select_related("municipality")
            .only("name", "municipality__slug")
        ),
        offender=lambda system: Offender(
            label=system.name,
            url=classification_url(system),
            reason=_classification_reason(system, review_months),
        ),
    )


# --- P9.2 ----------------------------------------------------------------------------------------


@rule(
    "security.processing_register",
    clauses=["P9.2"],
    title=gettext_lazy(
        "Every system in use that holds personal data is in its board's register of processing "
        "activities"
    ),
)
def processing_register(ctx: RuleContext) -> RuleResult:
    """P9.2: each board answers for the personal data it holds (today the GDPR), and as
    controller keeps a register of its processing activities (art. 30). A system in production
    or phase-out that holds personal data, by its own flag or by one of its current information
    types, keeps the rule when a current processing activity of the system's board names it."""
    personal = Exists(
        InformationType.objects.filter(
            system=OuterRef("pk"), archived_at__isnull=True, personal_data=True
        )
    )
    registered = Exists(
        ProcessingActivity.objects.filter(
            systems=OuterRef("pk"), board=OuterRef("board"), archived_at__isnull=True
        )
    )
    systems = systems_in(ctx, IN_USE).filter(Q(personal_data=True) | Q(personal))

    return counted(
        systems,
        kept=Q(registered),
        offending=~Q(registered),
        summary=lambda kept, total: (
            _(
                "%(kept)s of %(total)s systems with personal data are in their board's register "
                "of processing activities"
            )
            % {"kept": kept, "total": total}
        ),
        fetch=lambda rows: rows.select_related("municipality", "board").only(
            "name", "municipality__slug", "board__name"
        ),
        offender=lambda system: Offender.of(
            system, _("Not in any processing activity of %(board)s") % {"board": system.board}
        ),
    )


# --- P9.4 ----------------------------------------------------------------------------------------


@rule(
    "security.platform_measures",
    clauses=["P9.4"],
    title=gettext_lazy(
        "The technical platform and data communication have documented measures, each followed "
        "up on time"
    ),
)
def platform_measures(ctx: RuleContext) -> RuleResult:
    """P9.4: the IT coordinator answers for the security of the technical platform and data
    communication, and (P9.5) documents the measures that keep it. The platform's measures are
    those tied to no system. Not met while there is none at all: the platform always needs
    protecting. Each one keeps the rule while its next follow-up is not overdue (a measure that
    does not apply has none). The platform is the municipality's, not a board's: the narrowing
    does not apply."""
    today = timezone.localdate()
    measures = Measure.objects.filter(
        municipality=ctx.municipality, archived_at__isnull=True, system__isnull=True
    )
    result = counted(
        measures,
        kept=Q(status=MeasureStatus.NOT_APPLICABLE) | Q(next_follow_up__gte=today),
        offending=~Q(status=MeasureStatus.NOT_APPLICABLE)
        & (Q(next_follow_up__isnull=True) | Q(next_follow_up__lt=today)),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s measures of the platform are followed up on time")
            % {"kept": kept, "total": total}
        ),
        fetch=measure_rows,
        offender=lambda m: measure_offender(m, _follow_up_reason(m)),
    )
    if result.denominator == 0:
        return RuleResult(
            status=Status.NOT_MET,
            numerator=0,
            denominator=0,
            summary=_("No measure of the technical platform and data communication is documented"),
            offenders=[
                Offender(
                    label=str(ctx.municipality),
                    url=reverse(
                        "security:overview", kwargs={"municipality": ctx.municipality.slug}
                    ),
                    reason=_("Document the platform's measures (P9.4)."),
                )
            ],
            offender_count=1,
        )
    return result


# --- P9.5 ----------------------------------------------------------------------------------------


def _follow_up_reason(measure: Measure) -> str:
    if measure.next_follow_up is None:
        return _("No follow-up is scheduled")
    return _("Follow-up due %(date)s") % {"date": _day(measure.next_follow_up)}


@rule(
    "security.follow_ups_current",
    clauses=["P9.5"],
    title=gettext_lazy("No measure's follow-up is overdue"),
)
def follow_ups_current(ctx: RuleContext) -> RuleResult:
    """P9.5: measures are documented so that their effect can be followed up and checked. Every
    current measure that applies (of the systems and of the platform) keeps the rule while its
    next follow-up is scheduled and not overdue; a measure that does not apply has nothing to
    follow up. Narrowed to a board or department, the platform's measures drop out."""
    today = timezone.localdate()
    measures = current_measures(ctx).exclude(status=MeasureStatus.NOT_APPLICABLE)
    return counted(
        measures,
        kept=Q(next_follow_up__gte=today),
        offending=Q(next_follow_up__isnull=True) | Q(next_follow_up__lt=today),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s measures are followed up on time")
            % {"kept": kept, "total": total}
        ),
        fetch=measure_rows,
        offender=lambda m: measure_offender(m, _follow_up_reason(m)),
    )


@rule(
    "security.ineffective_have_actions",
    clauses=["P9.5"],
    title=gettext_lazy(
        "A measure whose latest follow-up fell short is no longer recorded as implemented"
    ),
)
def ineffective_have_actions(ctx: RuleContext) -> RuleResult:
    """P9.5: following a measure up is worth something only if a shortfall is acted on.

    Every follow-up that finds a measure not effective or only partly effective must already say
    what will be done (the follow-up's `action`, required by its validation), so "has an action"
    is always true and measures nothing. What the register can show is whether the shortfall was
    taken up: a measure whose latest follow-up fell short keeps the rule once its status no
    longer claims it is implemented (partly implemented, or planned with a date, until a newer
    follow-up finds it effective). One still recorded as implemented offends: the register says
    all is well while its own follow-up says it is not. Not applicable while no latest
    follow-up has fallen short."""
    latest = FollowUp.objects.filter(measure=OuterRef("pk"), archived_at__isnull=True).order_by(
        "-performed_on", "-pk"
    )
    measures = current_measures(ctx).annotate(
        latest_effect=Subquery(latest.values("effect")[:1]),
        latest_on=Subquery(latest.values("performed_on")[:1]),
    )
    short = measures.filter(latest_effect__in=SHORT_EFFECTS)

    def offender(m: Measure) -> Offender:
        return measure_offender(
            m,
            _("Followed up %(date)s: %(effect)s; still recorded as implemented")
            % {
                "date": _day(m.latest_on),  # type: ignore[attr-defined]
                "effect": Effect(m.latest_effect).label,  # type: ignore[attr-defined]
            },
        )

    return counted(
        short,
        kept=~Q(status=MeasureStatus.IMPLEMENTED),
        offending=Q(status=MeasureStatus.IMPLEMENTED),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s measures whose latest follow-up fell short are being acted on")
            % {"kept": kept, "total": total}
        ),
        fetch=measure_rows,
        offender=offender,
    )


# --- P9.6 ----------------------------------------------------------------------------------------


def escalation_limit(days: int) -> datetime.datetime:
    """Notices filed before this moment and still unacknowledged are past the escalation period:
    counted in local days as the escalation itself is (`services_notices`), so a notice filed on
    the 1st with 14 days is late from the 15th, the day it is escalated."""
    first_day_not_due = timezone.localdate() - datetime.timedelta(days=days - 1)
    return timezone.make_aware(
        datetime.datetime.combine(first_day_not_due, datetime.time.min),
        timezone.get_default_timezone(),
    )


@rule(
    "security.shortfall_notices_acknowledged",
    clauses=["P9.6"],
    title=gettext_lazy(
        "No shortfall notice is left unacknowledged longer than the escalation period"
    ),
)
def shortfall_notices_acknowledged(ctx: RuleContext) -> RuleResult:
    """P9.6: when the money is not enough to keep IT security acceptable, the system owner or IT
    coordinator writes the need down and notifies the department head or board. Whether anyone
    should have written is beyond a rule; what it can see is that the written notices are heard.
    Every current notice keeps the rule once acknowledged (or decided), or while it is younger
    than the municipality's escalation period (14 days by default). Not applicable while no
    notice has been filed. Narrowed to a board, the notices to it or to one of its departments;
    to a department, those to that department."""
    days = settings_of(ctx).shortfall_escalation_days
    limit = escalation_limit(days)
    notices = ShortfallNotice.objects.filter(
        municipality=ctx.municipality, archived_at__isnull=True
    )
    if ctx.board is not None:
        notices = notices.filter(Q(board=ctx.board) | Q(department__board=ctx.board))
    if ctx.department is not None:
        notices = notices.filter(department=ctx.department)
    unheard = Q(status=NoticeStatus.OPEN, acknowledged_at__isnull=True)

    def offender(notice: ShortfallNotice) -> Offender:
        addressees = [str(a) for a in (notice.department, notice.board) if a is not None]
        return Offender.of(
            notice,
            _("Filed %(date)s to %(addressee)s and not acknowledged")
            % {"date": _day(notice.created_at), "addressee": ", ".join(addressees)},
        )

    return counted(
        notices,
        kept=~unheard | Q(created_at__gte=limit),
        offending=unheard & Q(created_at__lt=limit),
        summary=lambda kept, total: (
            ngettext(
                "%(kept)s of %(total)s shortfall notices are acknowledged or younger than "
                "%(days)s day",
                "%(kept)s of %(total)s shortfall notices are acknowledged or younger than "
                "%(days)s days",
                days,
            )
            % {"kept": kept, "total": total, "days": days}
        ),
        fetch=lambda rows: (
            rows.select_related("municipality", "department", "board")
            .only("title", "created_at", "municipality__slug", "department__name", "board__name")
            .order_by("created_at", "pk")
        ),
        offender=offender,
    )


# --- P9.5: triggered requirements ----------------------------------------------------------------


@rule(
    "security.requirements_have_measures",
    clauses=["P9.5"],
    title=gettext_lazy("Every requirement a system's classification triggers has a measure"),
)
def requirements_have_measures(ctx: RuleContext) -> RuleResult:
    """P9.5: the system owners document the protective measures. What a system needs is the
    baseline requirements of the current catalogue that its classification triggers (P9.1;
    `stadga.security.requirements`); each of them, for each system in production or phase-out,
    keeps the rule when a current measure of the system answers it, whatever the measure's
    status: a planned measure documents what will be done and when, one that does not apply
    says why (the gap page counts the same way). Whether a measure works is the follow-up rules'
    business. The figure counts requirements; the offenders are the systems that lack measures,
    each with how many and which.

    Three queries: the catalogue, the systems, the measures. Systems with the same levels
    trigger the same requirements, which are worked out once per combination of levels; the
    systems are read as plain rows (a register of thousands is read in milliseconds)."""
    requirements = list(current_requirements())
    summary = _(
        "%(kept)s of %(total)s requirements triggered by the systems' classification have a measure"
    )
    if not requirements:  # no catalogue is loaded: nothing is triggered
        return RuleResult.from_counts(kept=0, total=0, summary=summary % {"kept": 0, "total": 0})
    systems = systems_in(ctx, IN_USE)
    answered: set[tuple[int, RequirementKey]] = {
        (system_id, (key, code))
        for system_id, key, code in Measure.objects.filter(
            municipality=ctx.municipality,
            archived_at__isnull=True,
            system__in=systems.values("pk"),
            requirement__isnull=False,
        ).values_list("system_id", "requirement__catalogue__key", "requirement__code")
    }
    answered_systems = {system_id for system_id, _key in answered}
    triggered_by: dict[tuple[object, ...], list[tuple[RequirementKey, str]]] = {}
    total = kept = offender_count = 0
    offenders: list[Offender] = []
    rows = systems.order_by("name", "pk").values_list("pk", "name", "personal_data", *Aspect.values)
    for pk, name, personal_data, *aspects in rows:
        signature = (*aspects, personal_data)
        if signature not in triggered_by:
            levels = dict(zip(Aspect.values, aspects, strict=True))
            triggered_by[signature] = [
                (requirement_key(r), r.code)
                for r in requirements
                if applies(r, levels=levels, personal_data=personal_data)
            ]
        triggered = triggered_by[signature]
        if pk in answered_systems:
            missing = [code for key, code in triggered if (pk, key) not in answered]
        else:
            missing = [code for _key, code in triggered]
        total += len(triggered)
        kept += len(triggered) - len(missing)
        if not missing:
            continue
        offender_count += 1
        if len(offenders) < OFFENDER_LIMIT:
            codes = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
            offenders.append(
                Offender(
                    label=name,
                    # The system's classification page lists what it triggers, and what lacks.
                    url=reverse(
                        "security:system_classification",
                        kwargs={"municipality": ctx.municipality.slug, "system_pk": pk},
                    ),
                    reason=ngettext(
                        "%(missing)s of %(total)s triggered requirements has no measure: %(codes)s",
                        "%(missing)s of %(total)s triggered requirements have no measure: "
                        "%(codes)s",
                        len(missing),
                    )
                    % {"missing": len(missing), "total": len(triggered), "codes": codes},
                )
            )
    return RuleResult.from_counts(
        kept=kept,
        total=total,
        summary=summary % {"kept": kept, "total": total},
        offenders=offenders,
        offender_count=offender_count,
    )
