"""The compliance rule of cooperation between municipalities (P8.1).

- `cooperation.member_of_group` (P8.1): the municipality seeks cooperation with other
  municipalities. Stadga sees that in whether it is a current member of a cooperation group that
  has not ended and shares something with it: met when it shares at least one category in some
  group, partly met when it is a member but shares nothing (it is in a group but gives its
  partners nothing to cooperate on), not met when it is in no group. The clause keeps its
  attestation: cooperation outside Stadga (joint procurement, a shared IT organisation) is
  attested by the executive board. One query.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.policy.choices import Status
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .selectors import current_memberships


@rule(
    "cooperation.member_of_group",
    clauses=["P8.1"],
    title=gettext_lazy(
        "The municipality is a member of a cooperation group and shares something with it"
    ),
)
def member_of_group(ctx: RuleContext) -> RuleResult:
    """P8.1: the municipality's current groups, and those it shares something with. The
    municipality's whole cooperation: a board or department narrowing does not change it."""
    memberships = list(current_memberships(ctx.municipality))
    total = len(memberships)
    sharing = sum(1 for m in memberships if m.shares_anything)
    url = reverse("cooperation:overview", kwargs={"municipality": ctx.municipality.slug})
    if total == 0:
        return RuleResult(
            status=Status.NOT_MET,
            numerator=0,
            denominator=0,
            summary=_("The municipality is not a member of any cooperation group."),
        )
    return RuleResult(
        status=Status.MET if sharing else Status.PARTLY_MET,
        numerator=sharing,
        denominator=total,
        summary=ngettext(
            "Shares something with %(sharing)s of %(count)s cooperation group",
            "Shares something with %(sharing)s of %(count)s cooperation groups",
            total,
        )
        % {"sharing": sharing, "count": total},
        offenders=[
            Offender(
                label=m.group.name,
                url=url,
                reason=_("A member that shares nothing with the group."),
            )
            for m in memberships
            if not m.shares_anything
        ][:OFFENDER_LIMIT],
        offender_count=total - sharing,
    )
