"""Reminders over the IT group (P3.12), sent by the daily job (stadga.notifications): a department
without a representative, a group that has not met within its interval, and a decision past its
due date. Each source runs a fixed number of queries, whatever the number of rows.

The first two begin once the municipality keeps its IT group in Stadga (a membership, current
or ended, is registered): before that the compliance view shows P3.12 as not met, but nobody is
reminded, department by department, of a register the municipality has not started.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.dates import add_months
from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Municipality, Person
from stadga.organisation.selectors import current_assignments, role_holders

from .choices import MeetingStatus
from .models import ITGroupMeeting, ITGroupMember, MeetingDecision, current_member_q
from .selectors import last_held_meeting, settings_for


def _group_url(municipality: Municipality) -> str:
    return reverse("itgroup:group", kwargs={"municipality": municipality.slug})


def group_kept(municipality: Municipality) -> bool:
    """Whether the municipality keeps its IT group in Stadga: any membership registered. One
    query."""
    return ITGroupMember.objects.filter(municipality=municipality).exists()


@reminder_source("itgroup.department_unrepresented")
def departments_unrepresented(
    municipality: Municipality, today: datetime.date
) -> Iterator[Reminder]:
    """P3.12: every department has a representative in the IT group. A current department
    without a current member is reminded to the IT coordinators, who lead the group, and to the
    department's heads, who name its representative.

    The key names the department and when its last seat ended ("never" if it never had one):
    once reminded, a department is reminded again only after a later seat of it has ended. Three
    queries, whatever the number of departments."""
    if not group_kept(municipality):
        return
    departments = list(
        Department.objects.filter(municipality=municipality, archived_at__isnull=True)
        .annotate(
            represented=Exists(
                ITGroupMember.objects.filter(current_member_q(today), department=OuterRef("pk"))
            ),
            last_until=Max(
                "it_group_members__until",
                filter=Q(it_group_members__archived_at__isnull=True),
            ),
        )
        .filter(represented=False)
        .select_related("municipality")
        .order_by("name", "pk")
    )
    if not departments:
        return
    coordinators: dict[int, Person] = {}
    heads: dict[int, dict[int, Person]] = defaultdict(dict)
    for assignment in current_assignments(
        municipality,
        Q(role=Role.IT_COORDINATOR)
        | Q(role=Role.DEPARTMENT_HEAD, department__in=[d.pk for d in departments]),
    ):
        if assignment.role == Role.IT_COORDINATOR:
            coordinators.setdefault(assignment.person_id, assignment.person)
        elif assignment.department_id is not None:
            heads[assignment.department_id].setdefault(assignment.person_id, assignment.person)
    for department in departments:
        last = department.last_until  # type: ignore[attr-defined]
        values = {"department": department.name}
        ended = last.isoformat() if last else "never"
        recipients = {**coordinators, **heads[department.pk]}
        for person in recipients.values():
            yield Reminder(
                recipient=person,
                key=f"itgroup-unrepresented:{department.pk}:{ended}",
                subject=_("%(department)s has no representative in the IT group") % values,
                body=_(
                    "Every department is represented in the IT group (P3.12). Name a "
                    "representative for %(department)s; the IT coordinator adds them to the group."
                )
                % values,
                link=_group_url(municipality),
            )


@reminder_source("itgroup.meeting_due")
def meeting_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.12: the IT coordinator convenes the group regularly. When no meeting has been held
    within the municipality's interval (six months by default) and none is planned ahead, the
    IT coordinators are reminded.

    The key names the day the next meeting was due (the last meeting's day plus the interval, or
    "never"): after a new meeting is held, the next lapse is reminded of anew. At most five
    queries."""
    if not group_kept(municipality):
        return
    months = settings_for(municipality).meeting_interval_months
    now = timezone.now()
    last = last_held_meeting(municipality, before=now)
    due: datetime.date | None = None
    if last is not None:
        due = add_months(timezone.localtime(last.starts_at).date(), months)
        if due > today:
            return
    planned = ITGroupMeeting.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        status=MeetingStatus.PLANNED,
        starts_at__gte=now,
    )
    if planned.exists():
        return
    values = {"months": months, "date": due.isoformat() if due else ""}
    if due is not None:
        subject = _("The IT group has not met for %(months)s months") % values
        body = _(
            "The IT group was due to meet by %(date)s: at least one meeting every %(months)s "
            "months (P3.12). Plan a meeting and convene the members."
        )
    else:
        subject = _("The IT group has not held a meeting")
        body = _(
            "The IT coordinator convenes and leads the IT group, at least every %(months)s "
            "months (P3.12). Plan a meeting and convene the members."
        )
    for person in role_holders(municipality, (Role.IT_COORDINATOR,)):
        yield Reminder(
            recipient=person,
            key=f"itgroup-meeting-due:{values['date'] or 'never'}",
            subject=subject,
            body=body % values,
            link=_group_url(municipality),
            due_date=due,
        )


@reminder_source("itgroup.decision_overdue")
def decisions_overdue(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.12: what the IT group decides is done. A decision not marked done after its due date is
    reminded to the person responsible for it and to the IT coordinators.

    The key names the decision and its due date: a postponed decision is reminded of anew. Two
    queries, whatever the number of decisions."""
    decisions = list(
        MeetingDecision.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            meeting__archived_at__isnull=True,
            done=False,
            due_date__lt=today,
        )
        .select_related("responsible", "meeting__municipality")
        .order_by("due_date", "pk")
    )
    if not decisions:
        return
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    for decision in decisions:
        assert decision.due_date is not None
        recipients = {p.pk: p for p in coordinators}
        if decision.responsible is not None:
            recipients.setdefault(decision.responsible.pk, decision.responsible)
        values = {
            "decision": str(decision),
            "date": decision.due_date.isoformat(),
            "meeting": str(decision.meeting),
            "responsible": str(decision.responsible or "–"),
        }
        for person in recipients.values():
            yield Reminder(
                recipient=person,
                key=f"itgroup-decision-overdue:{decision.pk}:{values['date']}",
                subject=_("IT group decision past its due date: %(decision)s") % values,
                body=_(
                    "The decision of the %(meeting)s was due %(date)s and is not marked done. "
                    "Responsible: %(responsible)s."
                )
                % values,
                link=decision.get_absolute_url(),
                due_date=decision.due_date,
            )
