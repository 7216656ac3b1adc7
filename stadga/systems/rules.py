"""The compliance rules the register of IT systems answers (P9.1, P9.2, P9.3, P5.6).

Each rule counts in one aggregate query (the figure) and, only when something offends, lists the
first offenders in a second one: two queries at most, however many systems there are. Archived
systems are records of the past and count for nothing; the board/department narrowing of the
context applies to every rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .choices import Aspect, LifecyclePhase, SystemType
from .models import System

# The systems a rule is about, by lifecycle phase.
IN_USE = (LifecyclePhase.IN_PRODUCTION, LifecyclePhase.PHASE_OUT)  # P9.3: running systems
CURRENT = (LifecyclePhase.PLANNED, *IN_USE)  # everything not retired


def systems_in(ctx: RuleContext, phases: Iterable[str]) -> QuerySet[System]:
    """The municipality's current (not archived) systems in `phases`, narrowed to the context's
    board or department."""
    return ctx.narrow(
        System.objects.filter(
            municipality=ctx.municipality,
            archived_at__isnull=True,
            lifecycle_phase__in=list(phases),
        )
    )


def measure(
    systems: QuerySet[System],
    *,
    kept: Q,
    offending: Q,
    summary: Callable[[int, int], str],
    reason: Callable[[System], str],
    related: tuple[str, ...] = (),
    reads: tuple[str, ...] = (),
) -> RuleResult:
    """Count the systems that keep a rule (`kept`) among `systems`, and list those that do not
    (`offending`, the complement of `kept` written as a filter, so that a nullable join reads the
    same way in both queries).

    `related` names the relations `reason` reads, fetched with the offenders so that no offender
    costs a query, and `reads` the columns it reads; nothing else is loaded (a register's row is
    wide). The municipality's short name is always fetched: each offender's link is built on it.
    """
    counts = systems.aggregate(total=Count("pk"), kept=Count("pk", filter=kept))
    total, kept_count = counts["total"], counts["kept"]
    offenders: list[Offender] = []
    if kept_count < total:
        rows = (
            systems.filter(offending)
            .select_related("municipality", *related)
            .only("name", "municipality__slug", *related, *reads)
        )
        offenders = [Offender.of(system, reason(system)) for system in rows[:OFFENDER_LIMIT]]
    return RuleResult.from_counts(
        kept=kept_count,
        total=total,
        summary=summary(kept_count, total),
        offenders=offenders,
    )


# --- P9.3 ----------------------------------------------------------------------------------------


def _owner_missing(system: System) -> str:
    if system.system_owner_id is None:
        return _("No system owner")
    return _("The system owner %(person)s is archived") % {"person": system.system_owner}


@rule(
    "systems.owner_named",
    clauses=["P9.3"],
    title=gettext_lazy("Every system in production or phase-out has a named system owner"),
)
def owner_named(ctx: RuleContext) -> RuleResult:
    """P9.3: every IT system has a named system owner at official level. A planned system may
    still lack one and a retired one no longer needs one; an archived person is nobody's owner."""
    return measure(
        systems_in(ctx, IN_USE),
        kept=Q(system_owner__isnull=False, system_owner__archived_at__isnull=True),
        offending=Q(system_owner__isnull=True) | Q(system_owner__archived_at__isnull=False),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s systems in production or phase-out have a named system owner")
            % {"kept": kept, "total": total}
        ),
        reason=_owner_missing,
        related=("system_owner",),
        reads=("system_owner__name",),
    )


# --- P9.2 ----------------------------------------------------------------------------------------


@rule(
    "systems.board_responsible",
    clauses=["P9.2"],
    title=gettext_lazy("Every current system belongs to a current board"),
)
def board_responsible(ctx: RuleContext) -> RuleResult:
    """P9.2: each board answers for the IT security of the systems used in its area; a system
    whose board has been archived (e.g. merged away) answers to nobody. Not applicable while the
    register holds no current system."""
    return measure(
        systems_in(ctx, CURRENT),
        kept=Q(board__archived_at__isnull=True),
        offending=Q(board__archived_at__isnull=False),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s systems belong to a current board")
            % {"kept": kept, "total": total}
        ),
        reason=lambda system: _("The board %(board)s is archived") % {"board": system.board},
        related=("board",),
        reads=("board__name",),
    )


# --- P9.1 ----------------------------------------------------------------------------------------


def _unclassified_aspects(system: System) -> str:
    missing = [str(label) for value, label in Aspect.choices if getattr(system, value) is None]
    return _("Not classified on: %(aspects)s") % {"aspects": ", ".join(missing)}


@rule(
    "systems.classified",
    clauses=["P9.1"],
    title=gettext_lazy(
        "Every system that is not retired is classified on confidentiality, integrity, "
        "availability and traceability"
    ),
)
def classified(ctx: RuleContext) -> RuleResult:
    """P9.1: information is protected for confidentiality, integrity and availability (and
    traceability, as in KLASSA); what protection a system needs starts with its classification."""
    return measure(
        systems_in(ctx, CURRENT),
        kept=Q(**{f"{aspect}__isnull": False for aspect in Aspect.values}),
        offending=Q(
            *(Q(**{f"{aspect}__isnull": True}) for aspect in Aspect.values), _connector=Q.OR
        ),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s systems are classified on all four aspects")
            % {"kept": kept, "total": total}
        ),
        reason=_unclassified_aspects,
        reads=tuple(Aspect.values),
    )


# --- P5.6 ----------------------------------------------------------------------------------------


@rule(
    "systems.no_in_house",
    clauses=["P5.6"],
    title=gettext_lazy("No system in use or planned is an in-house development"),
)
def no_in_house(ctx: RuleContext) -> RuleResult:
    """P5.6: in-house development is not allowed. A retired in-house system is history, not a
    breach; a planned one is the breach to stop before it happens."""
    return measure(
        systems_in(ctx, CURRENT),
        kept=~Q(system_type=SystemType.IN_HOUSE),
        offending=Q(system_type=SystemType.IN_HOUSE),
        summary=lambda kept, total: (
            _("%(kept)s of %(total)s systems are not in-house developments")
            % {"kept": kept, "total": total}
        ),
        reason=lambda system: _("In-house development"),
    )
