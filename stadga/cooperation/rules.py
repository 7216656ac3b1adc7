"""The compliance rules of cooperation between municipalities (P8.1, P8.2, P8.3).

- `cooperation.member_of_group` (P8.1): the municipality seeks cooperation with other
  municipalities. Stadga sees that in whether it is a current member of a cooperation group that
  has not ended and shares something with it: met when it shares at least one category in some
  group, partly met when it is a member but shares nothing (it is in a group but gives its
  partners nothing to cooperate on), not met when it is in no group. The clause keeps its
  attestation: cooperation outside Stadga (joint procurement, a shared IT organisation) is
  attested by the executive board. One query.
- `cooperation.inquiries_answered_in_time` (P8.2): the partners' coordination inquiries
  addressed to this municipality are answered within `COOPERATION_INQUIRY_ANSWER_DAYS` (14 by
  default). One query.
- `cooperation.it_department_is_link` (P8.3): in each current group the IT department is the
  link: an IT coordinator is named and the municipality shares its contacts. Two queries.

All are about the municipality as a whole: a board or department narrowing does not change them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.catalogue.choices import InquiryStatus
from stadga.catalogue.models import InquiryRecipient
from stadga.core.dates import months_before
from stadga.organisation.choices import Role
from stadga.organisation.rules import people_holding
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


# --- P8.2: inquiries from partners answered in time -----------------------------------------------

WINDOW_MONTHS = 12


@rule(
    "cooperation.inquiries_answered_in_time",
    clauses=["P8.2"],
    title=gettext_lazy("Partners' coordination inquiries are answered in time"),
)
def inquiries_answered_in_time(ctx: RuleContext) -> RuleResult:
    """P8.2 seen from the municipality asked: the partners in Stadga can only coordinate before
    they decide if this municipality answers their coordination inquiries. Of the rows addressed
    to it (`InquiryRecipient.partner`) asked in the last twelve months, those answered within
    `COOPERATION_INQUIRY_ANSWER_DAYS` of the day they were asked, or still open and not yet due,
    keep the rule. An open row past its due day, or an answer given after it, offends; so does a
    row left unanswered until the asker settled the inquiry after the due day. A row whose inquiry
    the asker settled before the due day is not counted: nothing was asked of it any more. Not
    applicable when no partner has asked. Ignores the narrowing (the IT department answers for
    the whole municipality). One query: a few columns of each row of the window (a municipality
    is asked a handful of times a year), local days compared in Python."""
    municipality = ctx.municipality
    today = timezone.localdate()
    days = settings.COOPERATION_INQUIRY_ANSWER_DAYS
    rows = (
        InquiryRecipient.objects.filter(
            partner=municipality,
            asked_on__gte=months_before(today, WINDOW_MONTHS),
            inquiry__archived_at__isnull=True,
            inquiry__request__archived_at__isnull=True,
        )
        .order_by("asked_on", "pk")
        .values_list(
            "asked_on", "answered_on", "inquiry__status", "inquiry__closed_at", "municipality__name"
        )
    )
    url = reverse("catalogue:inquiries_received", kwargs={"municipality": municipality.slug})
    total = kept = 0
    offenders: list[Offender] = []
    for asked_on, answered_on, status, closed_at, asker in rows:
        due_on = asked_on + datetime.timedelta(days=days)
        values = {"date": due_on.isoformat()}
        if answered_on is not None:
            total += 1
            if answered_on <= due_on:
                kept += 1
                continue
            reason = _("Answered on %(answered)s, after it was due %(date)s") % {
                **values,
                "answered": answered_on.isoformat(),
            }
        elif status == InquiryStatus.OPEN:
            total += 1
            if today <= due_on:
                kept += 1
                continue
            reason = _("Not answered; it was due %(date)s") % values
        else:
            if closed_at is None or timezone.localdate(closed_at) <= due_on:
                continue  # settled before anything was due
            total += 1
            reason = _("Not answered before the inquiry was settled; it was due %(date)s") % values
        if len(offenders) < OFFENDER_LIMIT:
            # Only the asker's name and the day: the request itself is the asker's record.
            offenders.append(
                Offender(
                    label=_("%(asker)s, asked on %(asked)s")
                    % {"asker": asker, "asked": asked_on.isoformat()},
                    url=url,
                    reason=reason,
                )
            )
    if total == 0:
        summary = _("No partner has asked about coordination in the last twelve months.")
    else:
        summary = ngettext(
            "%(kept)s of %(total)s coordination inquiry from partners of the last twelve months "
            "answered within %(days)s days or not yet due",
            "%(kept)s of %(total)s coordination inquiries from partners of the last twelve months "
            "answered within %(days)s days or not yet due",
            total,
        ) % {"kept": kept, "total": total, "days": days}
    return RuleResult.from_counts(kept=kept, total=total, summary=summary, offenders=offenders)


# --- P8.3: the IT department is the link in external cooperation ----------------------------------


@rule(
    "cooperation.it_department_is_link",
    clauses=["P8.3"],
    title=gettext_lazy(
        "The IT department is the link in each cooperation group: an IT coordinator is named "
        "and the contacts are shared"
    ),
)
def it_department_is_link(ctx: RuleContext) -> RuleResult:
    """P8.3: the IT department is the administration's link in external cooperation. In each of
    the municipality's current cooperation groups it is, in Stadga, when the municipality has a
    current IT coordinator and shares its contacts with the group, so that the partners know
    whom in the IT department to turn to (the contacts partners see are the IT coordinators).
    Met when every membership has the link, partly met when some do, not met when none does or
    nobody is IT coordinator. Not applicable in no group: whether the municipality seeks
    cooperation at all is P8.1's rule, and internal cooperation is attested (the clause keeps
    its attestation). Ignores the narrowing. Two queries."""
    memberships = list(current_memberships(ctx.municipality))
    total = len(memberships)
    if total == 0:
        return RuleResult(
            status=Status.NOT_APPLICABLE,
            numerator=0,
            denominator=0,
            summary=_("The municipality is not a member of any cooperation group."),
        )
    has_coordinator = people_holding(ctx, Q(role=Role.IT_COORDINATOR)) > 0
    overview = reverse("cooperation:overview", kwargs={"municipality": ctx.municipality.slug})
    offenders: list[Offender] = []
    for membership in memberships:
        if has_coordinator and membership.shares_contacts:
            continue
        if not has_coordinator:
            reason = _("No current person holds the role of IT coordinator.")
            url = ctx.municipality.get_absolute_url()
        else:
            reason = _("Does not share its contacts with the group.")
            url = overview
        offenders.append(Offender(label=membership.group.name, url=url, reason=reason))
    kept = total - len(offenders)
    return RuleResult.from_counts(
        kept=kept,
        total=total,
        summary=ngettext(
            "The IT department is the link in %(kept)s of %(count)s cooperation group",
            "The IT department is the link in %(kept)s of %(count)s cooperation groups",
            total,
        )
        % {"kept": kept, "count": total},
        offenders=offenders,
    )
