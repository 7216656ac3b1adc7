"""The compliance rules of the public portal (P7.1).

- `portal.published_and_current`: open, easily accessible information needs a portal that is
  published and whose accessibility statement is current: assessed within the last twelve months
  (the law on accessibility of digital public services asks the statement to be reviewed at least
  yearly). Two things counted; met when both hold.
- `portal.messages_answered_in_time`: it is easy to put views to the people responsible, and they
  answer. Of the messages received in the last twelve months (not archived), those answered or
  closed by their due day (the day of receipt plus `PortalSettings.answer_target_days`, as the
  inbox shows it) and those still open and not yet due keep the rule; overdue and late ones
  break it, listed by reference (never by the resident's name). Not applicable while no message
  has come in.

Both are about the municipality as a whole; the messages rule follows a board or department
narrowing through what the messages are about (the system's board and department, the plan's
board). Each runs a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.core.dates import months_before
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .choices import MessageStatus
from .models import AccessibilityStatement, PortalSettings, ResidentMessage

WINDOW_MONTHS = 12


def _page(name: str, slug: str) -> str:
    """A page of the portal's settings; the messages' list until that page exists."""
    try:
        return reverse(name, kwargs={"municipality": slug})
    except NoReverseMatch:
        return reverse("portal:message_list", kwargs={"municipality": slug})


@rule(
    "portal.published_and_current",
    clauses=["P7.1"],
    title=gettext_lazy(
        "The public portal is published and its accessibility statement was assessed within "
        "the last year"
    ),
)
def published_and_current(ctx: RuleContext) -> RuleResult:
    """P7.1: the portal is published (1) and its accessibility statement assessed within the
    last twelve months (2). Two queries."""
    municipality = ctx.municipality
    today = timezone.localdate()
    since = months_before(today, WINDOW_MONTHS)
    published = PortalSettings.objects.filter(municipality=municipality, is_published=True).exists()
    assessed_on = (
        AccessibilityStatement.objects.filter(municipality=municipality)
        .values_list("assessed_on", flat=True)
        .first()
    )
    current = assessed_on is not None and since <= assessed_on <= today
    slug = municipality.slug
    offenders = []
    if not published:
        offenders.append(
            Offender(
                label=_("Portal settings"),
                url=_page("portal:settings", slug),
                reason=_("The public portal is not published."),
            )
        )
    if not current:
        offenders.append(
            Offender(
                label=_("Accessibility statement"),
                url=_page("portal:statement", slug),
                reason=_("Never assessed.")
                if assessed_on is None
                else _("Last assessed %(date)s, more than a year ago.")
                % {"date": assessed_on.isoformat()},
            )
        )
    parts = [_("The portal is published") if published else _("The portal is not published")]
    if assessed_on is None:
        parts.append(_("its accessibility statement has not been assessed"))
    else:
        parts.append(_("its accessibility statement was assessed %(date)s") % {"date": assessed_on})
    return RuleResult.from_counts(
        kept=int(published) + int(current),
        total=2,
        summary="; ".join(str(p) for p in parts),
        offenders=offenders,
        offender_count=len(offenders),
    )


@rule(
    "portal.messages_answered_in_time",
    clauses=["P7.1"],
    title=gettext_lazy("Residents' views and questions are answered within the answer target"),
)
def messages_answered_in_time(ctx: RuleContext) -> RuleResult:
    """P7.1: of the messages received in the last twelve months, those answered or closed by
    their due day (the day of receipt, local, plus the target: as the inbox shows it) or not yet
    due. Two queries: the settings, and the window's messages (a few columns each; a
    municipality receives hundreds a year, not millions, and local days are compared exactly
    in Python rather than approximately in SQL)."""
    municipality = ctx.municipality
    today = timezone.localdate()
    target = PortalSettings.for_municipality(municipality).answer_target_days
    start = timezone.make_aware(
        datetime.datetime.combine(months_before(today, WINDOW_MONTHS), datetime.time.min)
    )
    messages = ResidentMessage.objects.filter(
        municipality=municipality, archived_at__isnull=True, created_at__gte=start
    )
    if ctx.board is not None:
        messages = messages.filter(Q(system__board=ctx.board) | Q(plan__board=ctx.board))
    if ctx.department is not None:
        messages = messages.filter(system__department=ctx.department)
    rows = messages.order_by("created_at", "pk").values_list(
        "pk", "reference", "status", "created_at", "answered_at", "closed_at", "updated_at"
    )
    slug = municipality.slug
    total = kept = 0
    offenders: list[Offender] = []
    for pk, reference, status, created_at, answered_at, closed_at, updated_at in rows:
        total += 1
        due_on = timezone.localdate(created_at) + datetime.timedelta(days=target)
        if status == MessageStatus.RECEIVED:
            if today <= due_on:
                kept += 1
                continue
            reason = _("Not answered; it was due %(date)s") % {"date": due_on.isoformat()}
        else:
            handled_at = answered_at or closed_at or updated_at
            if timezone.localdate(handled_at) <= due_on:
                kept += 1
                continue
            reason = _("Answered or closed after it was due, %(date)s") % {
                "date": due_on.isoformat()
            }
        if len(offenders) < OFFENDER_LIMIT:
            offenders.append(
                Offender(
                    label=reference,
                    url=reverse("portal:message_detail", kwargs={"municipality": slug, "pk": pk}),
                    reason=reason,
                )
            )
    if total == 0:
        summary = _("No views or questions from residents in the last twelve months.")
    else:
        summary = ngettext(
            "%(kept)s of %(total)s view or question of the last twelve months answered within "
            "%(days)s days or not yet due",
            "%(kept)s of %(total)s views and questions of the last twelve months answered within "
            "%(days)s days or not yet due",
            total,
        ) % {"kept": kept, "total": total, "days": target}
    return RuleResult.from_counts(kept=kept, total=total, summary=summary, offenders=offenders)
