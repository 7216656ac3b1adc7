"""The compliance rule of the IT group (P3.12).

P3.12 asks two things of the group: at least one representative from each department, and that
the IT coordinator convenes it regularly. Stadga reads "regularly" as at least one held meeting
within the municipality's interval (`ITGroupSettings.meeting_interval_months`, six months by
default); "as needed" cannot be measured and is left to the coordinator.

One rule measures both: its figure counts the current departments with a current member (a
membership not archived, begun, and not ended before today); each department without one is an
offender. When the group has not held a meeting within the interval, the group itself is listed
as an offender too and a rule that would be met is only partly met. A board or department
narrowing counts that board's departments, or that department; the meetings are the
municipality's. At most four queries, whatever the number of departments, members or meetings.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.dates import months_before
from stadga.organisation.models import Department
from stadga.policy.choices import Status
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .models import ITGroupMember, current_member_q
from .selectors import last_held_meeting, settings_for


@rule(
    "itgroup.every_department_represented",
    clauses=["P3.12"],
    title=gettext_lazy(
        "Every department has a representative in the IT group, and the group meets regularly"
    ),
)
def every_department_represented(ctx: RuleContext) -> RuleResult:
    """P3.12: an IT group with at least one representative from each department, convened by
    the IT coordinator regularly (a held meeting within the configured interval)."""
    now = timezone.now()
    today = timezone.localdate(now)
    departments = Department.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
    if ctx.board is not None:
        departments = departments.filter(board=ctx.board)
    if ctx.department is not None:
        departments = departments.filter(pk=ctx.department.pk)
    departments = departments.annotate(
        represented=Exists(
            ITGroupMember.objects.filter(current_member_q(today), department=OuterRef("pk"))
        )
    )
    counts = departments.aggregate(total=Count("pk"), kept=Count("pk", filter=Q(represented=True)))
    total, kept = counts["total"], counts["kept"]
    if total == 0:
        return RuleResult(
            status=Status.NOT_APPLICABLE,
            numerator=0,
            denominator=0,
            summary=_("No current departments to be represented."),
        )
    offenders = [
        Offender.of(department, _("No current member of the IT group represents it."))
        for department in departments.filter(represented=False)
        .select_related("municipality")
        .order_by("name", "pk")[:OFFENDER_LIMIT]
    ]

    months = settings_for(ctx.municipality).meeting_interval_months
    last = last_held_meeting(ctx.municipality, before=now)
    last_day = timezone.localtime(last.starts_at).date() if last is not None else None
    regular = last_day is not None and last_day >= months_before(today, months)
    values = {
        "kept": kept,
        "total": total,
        "months": months,
        "date": last_day.isoformat() if last_day else "",
    }
    summary = _("%(kept)s of %(total)s departments represented") % values
    if last_day is not None:
        summary += "; " + _("last meeting held %(date)s") % values
    else:
        summary += "; " + _("no meeting held")
    summary += " " + _("(at least one every %(months)s months)") % values

    result = RuleResult.from_counts(kept=kept, total=total, summary=summary, offenders=offenders)
    if not regular:
        reason = (
            _("The group has held no meeting in the last %(months)s months (last %(date)s).")
            if last_day
            else _("The group has not held a meeting.")
        ) % values
        group_url = reverse("itgroup:group", kwargs={"municipality": ctx.municipality.slug})
        group = Offender(label=_("The IT group"), url=group_url, reason=reason)
        result.offenders = [group, *result.offenders[: OFFENDER_LIMIT - 1]]
        result.offender_count += 1
        if result.status == Status.MET:
            result.status = Status.PARTLY_MET
    return result
