"""Reminders over information security, sent by the daily job (stadga.notifications): follow-ups
of measures (P9.5), classification reviews (P9.1), unacknowledged shortfall notices (P9.6) and
the reporting deadlines of significant incidents (Cybersecurity Act 2025:1506).

Each source runs a fixed number of queries, whatever the number of rows; the escalation of
shortfall notices also writes, once per notice it escalates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.db.models import Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System

from . import services_incidents as incidents
from .choices import MeasureStatus, NoticeStatus
from .models import Incident, Measure, ShortfallNotice
from .services_notices import (
    escalation_days,
    escalation_key,
    escalation_recipients,
    escalation_text,
    role_holders,
    security_settings,
    shortfall_notice_escalate,
)

# How long before a follow-up is due its keeper is reminded (P9.5).
FOLLOW_UP_NOTICE = datetime.timedelta(days=14)
IN_USE = (LifecyclePhase.IN_PRODUCTION, LifecyclePhase.PHASE_OUT)


def _current(person: Person | None) -> Person | None:
    return person if person is not None and person.archived_at is None else None


# --- P9.5: follow-ups ---------------------------------------------------------------------------


@reminder_source("security.follow_up_due")
def follow_ups_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P9.5: the effect of each measure is followed up. Its keeper is reminded two weeks before
    the next follow-up is due, and again once it is overdue: the measure's responsible person,
    else the system's owner, else (a platform measure, P9.4, or a system with nobody named) the
    IT coordinator.

    Keys name the measure and the due date, so each follow-up period is reminded of anew. Two
    queries, whatever the number of measures.
    """
    measures = list(
        Measure.objects.filter(
            Q(system__isnull=True)
            | Q(system__archived_at__isnull=True, system__lifecycle_phase__in=IN_USE),
            municipality=municipality,
            archived_at__isnull=True,
            next_follow_up__isnull=False,
            next_follow_up__lte=today + FOLLOW_UP_NOTICE,
        )
        .exclude(status=MeasureStatus.NOT_APPLICABLE)
        .select_related("municipality", "responsible", "system__system_owner")
        .order_by("next_follow_up", "pk")
    )
    if not measures:
        return
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    for measure in measures:
        keeper = _current(measure.responsible) or _current(
            measure.system.system_owner if measure.system else None
        )
        recipients = [keeper] if keeper is not None else coordinators
        due = measure.next_follow_up
        assert due is not None
        overdue = due < today
        values = {
            "measure": measure.title,
            "system": measure.system.name if measure.system else _("the platform"),
            "date": due.isoformat(),
        }
        if overdue:
            key = f"measure-follow-up-overdue:{measure.pk}:{due.isoformat()}"
            subject = _("Follow-up overdue: %(measure)s (%(system)s)") % values
            body = _(
                "The follow-up of the measure %(measure)s was due %(date)s. Check its effect "
                "and record what you found (P9.5)."
            )
        else:
            key = f"measure-follow-up-due:{measure.pk}:{due.isoformat()}"
            subject = _("Follow-up due %(date)s: %(measure)s (%(system)s)") % values
            body = _(
                "The measure %(measure)s is to be followed up by %(date)s. Check its effect and "
                "record what you found (P9.5)."
            )
        for person in recipients:
            yield Reminder(
                recipient=person,
                key=key,
                subject=subject,
                body=body % values,
                link=measure.get_absolute_url(),
                due_date=due,
            )


# --- P9.1: classification reviews ---------------------------------------------------------------


def _classification_link(system: System) -> str:
    """The system's classification page where installed, else the system's page."""
    try:
        return reverse(
            "security:system_classification",
            kwargs={"municipality": system.municipality.slug, "pk": system.pk},
        )
    except NoReverseMatch:
        return system.get_absolute_url()


@reminder_source("security.classification_review_due")
def classification_reviews_due(
    municipality: Municipality, today: datetime.date
) -> Iterator[Reminder]:
    """P9.1: a classification older than the municipality's review interval (12 months by
    default) is due for review; the system owner is reminded.

    A system's review falls due when its oldest classified information type passes the
    interval, as the compliance rule `security.classification_current` counts it (one stale
    type is enough). The key names the system and that date: once the type is reviewed, the
    next review is reminded of anew. Two queries, whatever the number of systems.
    """
    months = security_settings(municipality).classification_review_months
    systems = (
        System.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            lifecycle_phase__in=IN_USE,
            system_owner__isnull=False,
            system_owner__archived_at__isnull=True,
        )
        .annotate(
            oldest_classification=Min(
                "information_types__classified_on",
                filter=Q(information_types__archived_at__isnull=True),
            )
        )
        .filter(oldest_classification__lte=today - relativedelta(months=months))
        .select_related("municipality", "system_owner")
        .order_by("name", "pk")
    )
    for system in systems:
        review_on = system.oldest_classification + relativedelta(months=months)  # type: ignore[attr-defined]
        values = {
            "system": system.name,
            "date": review_on.isoformat(),
            "classified": system.oldest_classification.isoformat(),  # type: ignore[attr-defined]
            "months": months,
        }
        yield Reminder(
            recipient=system.system_owner,  # type: ignore[arg-type]
            key=f"classification-review:{system.pk}:{review_on.isoformat()}",
            subject=_("Classification of %(system)s due for review") % values,
            body=_(
                "The information of %(system)s was classified %(classified)s, more than "
                "%(months)s months ago. Review the classification (P9.1)."
            )
            % values,
            link=_classification_link(system),
            due_date=review_on,
        )


# --- P9.6: escalation of shortfall notices ------------------------------------------------------


@reminder_source("security.shortfall_notice_escalated")
def shortfall_notices_escalated(
    municipality: Municipality, today: datetime.date
) -> Iterator[Reminder]:
    """P9.6: a notice nobody acknowledged within the escalation period (14 days by default)
    goes to the executive board readers and the IT coordinator.

    This is where the daily job escalates: `shortfall_notice_escalate` marks each such notice
    escalated, once, and notifies them at once. The source then yields the escalation of every
    escalated notice still unacknowledged, under the same key: those already told are not told
    again, while someone who took up the role since is. Five queries for the reading, whatever
    the number of notices; escalating writes once per notice escalated.
    """
    shortfall_notice_escalate(municipality=municipality, today=today)
    notices = list(
        ShortfallNotice.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            status=NoticeStatus.OPEN,
            acknowledged_at__isnull=True,
            escalated_at__isnull=False,
        )
        .select_related("municipality", "written_by", "department", "board")
        .order_by("created_at", "pk")
    )
    if not notices:
        return
    recipients = escalation_recipients(municipality)
    days = escalation_days(municipality)
    for notice in notices:
        text = escalation_text(notice, days)
        for person in recipients:
            yield Reminder(
                recipient=person,
                key=escalation_key(notice),
                subject=text["subject"],
                body=text["body"],
                link=notice.get_absolute_url(),
            )


# --- Cybersecurity Act: incident deadlines ------------------------------------------------------


@reminder_source("security.incident_deadlines")
def incident_deadlines_due(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """The Cybersecurity Act's deadlines of a significant incident that has not been closed: the
    IT coordinator(s) and the reporter are reminded of the early warning (24 hours) and the
    notification (72 hours) as long as they are not recorded as sent, and of the final report a
    week before its month runs out.

    Reporting a significant incident tells them at once under the same keys (one per incident,
    deadline and due day), so this catches what changed since. Two queries, whatever the number
    of incidents.
    """
    local_now = timezone.localtime()
    now = (
        local_now
        if today == local_now.date()
        else (timezone.make_aware(datetime.datetime.combine(today, local_now.time())))
    )
    open_incidents = list(
        Incident.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            significant=True,
            closed_at__isnull=True,
        )
        .filter(
            Q(early_warning_sent_at__isnull=True)
            | Q(notification_sent_at__isnull=True)
            | Q(final_report_sent_at__isnull=True)
        )
        .select_related("municipality", "reported_by")
        .order_by("discovered_at", "pk")
    )
    if not open_incidents:
        return
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    for incident in open_incidents:
        recipients = list(coordinators)
        reporter = _current(incident.reported_by)
        if reporter is not None and reporter.pk not in {p.pk for p in recipients}:
            recipients.append(reporter)
        for deadline in incidents.deadlines_to_remind(incident, now=now):
            text = incidents.deadline_text(incident, deadline)
            for person in recipients:
                yield Reminder(
                    recipient=person,
                    key=incidents.deadline_key(incident, deadline),
                    subject=text["subject"],
                    body=text["body"],
                    link=incident.get_absolute_url(),
                    due_date=deadline.due_date,
                )
