"""The compliance rules the organisation answers: who holds the roles the policy names (P3.1,
P3.2, P9.4).

These rules are about the municipality as a whole: a board or department narrowing of the context
does not apply to them. Each runs one aggregate query. Whoever is archived holds no role: an
assignment counts only while both it and its person are current.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.policy.choices import Status
from stadga.policy.registry import Offender, RuleContext, RuleResult, rule

from .choices import BoardKind, Role
from .models import RoleAssignment


def people_holding(ctx: RuleContext, roles: Q) -> int:
    """How many distinct current people hold a current role assignment matching `roles` in the
    municipality: one query."""
    return RoleAssignment.objects.filter(
        roles,
        municipality=ctx.municipality,
        archived_at__isnull=True,
        person__archived_at__isnull=True,
    ).aggregate(people=Count("person", distinct=True))["people"]


def named(ctx: RuleContext, count: int, *, summary: str, missing: str) -> RuleResult:
    """Met when someone holds the role; otherwise not met, with the municipality's organisation
    page as the one place to put it right."""
    if count:
        return RuleResult(status=Status.MET, summary=summary)
    return RuleResult(
        status=Status.NOT_MET,
        summary=summary,
        offenders=[Offender.of(ctx.municipality, missing)],
        offender_count=1,
    )


@rule(
    "organisation.it_coordinator_named",
    clauses=["P3.2", "P9.4"],
    title=gettext_lazy("The municipality has named an IT coordinator"),
)
def it_coordinator_named(ctx: RuleContext) -> RuleResult:
    """P3.2, P9.4: the IT department keeps the technical platform working and secure, and the IT
    coordinator answers for the security of the platform and of data communication: somebody
    must hold that role."""
    count = people_holding(ctx, Q(role=Role.IT_COORDINATOR))
    return named(
        ctx,
        count,
        summary=ngettext("%(count)s IT coordinator named", "%(count)s IT coordinators named", count)
        % {"count": count},
        missing=_("No current person holds the role of IT coordinator."),
    )


@rule(
    "organisation.executive_board_oversight",
    clauses=["P3.1"],
    title=gettext_lazy("Someone from the executive board follows compliance"),
)
def executive_board_oversight(ctx: RuleContext) -> RuleResult:
    """P3.1: the executive board holds overall responsibility and sees to it that the policy is
    carried out. It can only do that if someone of it reads the compliance view: an executive
    board reader, or a member of a (current) board of the executive-board kind."""
    count = people_holding(
        ctx,
        Q(role=Role.EXECUTIVE_BOARD_READER)
        | Q(
            role=Role.BOARD_MEMBER,
            board__kind=BoardKind.EXECUTIVE_BOARD,
            board__archived_at__isnull=True,
        ),
    )
    return named(
        ctx,
        count,
        summary=ngettext(
            "%(count)s executive board member or reader named",
            "%(count)s executive board members or readers named",
            count,
        )
        % {"count": count},
        missing=_("Nobody from the executive board is named to follow compliance."),
    )
