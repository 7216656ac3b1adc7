"""Security incidents and the Cybersecurity Act's (2025:1506) reporting deadlines.

For a significant incident the municipality sends an early warning within 24 hours, an incident
notification within 72 hours and a final report within one month, counted here from the time
the incident was discovered.

How the deadlines are counted:

- The 24 and 72 hours are hours: exact elapsed time, added in UTC. Across a change to or from
  summer time the wall clock shows it: discovered 2026-03-28 12:00 in Stockholm, the early
  warning is due 2026-03-29 13:00 local time (the clocks went forward that night), and
  discovered 2026-10-24 12:00, it is due 2026-10-25 11:00 (they went back).
- The month is a calendar month in Swedish local time (Europe/Stockholm, whatever the server's
  time zone): the same local time on the same day of the next month, or on its last day when the
  month is shorter (discovered 2026-01-31, due 2026-02-28), as dateutil's relativedelta counts.
  A month is a date, not a number of hours, so it is counted on the calendar the law is read on.
  If that local time does not exist (the hour skipped in spring) it is read as the time before
  the change, i.e. one hour later on the clock.
- NIS2 (art. 23) counts the final report from the incident notification; counting it from the
  discovery, as here, is never later than that, so keeping this deadline keeps the law's.

Who reports and edits: the IT department (P3.2, P9.4), and the system owner of an affected
system (P9.3). An incident is a record: it is never archived or deleted; it is closed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.services import governed_write, object_create, object_update
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import person_of, role_holders
from stadga.systems.models import System

from .models import Incident
from .services_notices import owned_systems_q

# The law's calendar: the month is counted in Swedish local time.
LEGAL_TIMEZONE = ZoneInfo("Europe/Stockholm")

EARLY_WARNING = "early_warning"
NOTIFICATION = "notification"
FINAL_REPORT = "final_report"
DEADLINE_NAMES = (EARLY_WARNING, NOTIFICATION, FINAL_REPORT)
DEADLINE_LABELS = {
    EARLY_WARNING: gettext_lazy("Early warning"),
    NOTIFICATION: gettext_lazy("Incident notification"),
    FINAL_REPORT: gettext_lazy("Final report"),
}
# How many days before its due day a deadline is reminded of; None: as soon as it runs.
REMIND_AHEAD: dict[str, datetime.timedelta | None] = {
    EARLY_WARNING: None,
    NOTIFICATION: None,
    FINAL_REPORT: datetime.timedelta(days=7),
}
# What the reporter fills in (and edits); the sent times and closing have their own services.
INCIDENT_FIELDS = (
    "title",
    "description",
    "discovered_at",
    "significant",
    "systems",
    "information_types",
    "measures",
    "lessons_learned",
)
# A clock a few minutes fast on the user's side is not a time in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


# --- deadlines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One reporting deadline of a significant incident and whether it has been kept."""

    name: str  # early_warning | notification | final_report
    due_at: datetime.datetime
    sent_at: datetime.datetime | None
    overdue: bool  # not sent, and the due time has passed

    @property
    def label(self) -> str:
        return str(DEADLINE_LABELS[self.name])

    @property
    def sent_late(self) -> bool:
        return self.sent_at is not None and self.sent_at > self.due_at

    @property
    def due_date(self) -> datetime.date:
        """The local day it falls on, e.g. for a calendar."""
        return self.due_at.astimezone(LEGAL_TIMEZONE).date()


def deadline_due_at(discovered_at: datetime.datetime, name: str) -> datetime.datetime:
    """When a deadline falls, counted from the discovery (see the module's docstring)."""
    if timezone.is_naive(discovered_at):
        raise ValueError("The time of discovery must be aware.")
    utc = discovered_at.astimezone(datetime.UTC)
    if name == EARLY_WARNING:
        return utc + datetime.timedelta(hours=24)
    if name == NOTIFICATION:
        return utc + datetime.timedelta(hours=72)
    if name == FINAL_REPORT:
        local = discovered_at.astimezone(LEGAL_TIMEZONE)
        # Wall-clock arithmetic in the local zone, then back to a real instant.
        return (local + relativedelta(months=1)).astimezone(datetime.UTC)
    raise ValueError(f"No such deadline: {name!r}")


def incident_deadlines(
    incident: Incident, *, now: datetime.datetime | None = None
) -> list[Deadline]:
    """The reporting deadlines of a significant incident, in order; none for another."""
    if not incident.significant or incident.discovered_at is None:
        return []
    now = now or timezone.now()
    deadlines = []
    for name in DEADLINE_NAMES:
        due_at = deadline_due_at(incident.discovered_at, name)
        sent_at = getattr(incident, f"{name}_sent_at")
        deadlines.append(
            Deadline(
                name=name, due_at=due_at, sent_at=sent_at, overdue=not sent_at and now > due_at
            )
        )
    return deadlines


def deadlines_to_remind(
    incident: Incident, *, now: datetime.datetime | None = None
) -> list[Deadline]:
    """The deadlines not yet kept whose reminder is due: the 24 and 72 hours at once, the
    month a week ahead (REMIND_AHEAD). None for a closed incident."""
    if incident.closed_at is not None:
        return []
    now = now or timezone.now()

    today = now.astimezone(LEGAL_TIMEZONE).date()

    def reminder_due(deadline: Deadline) -> bool:
        # By the day, as the daily job runs: the final report from a week before its day.
        ahead = REMIND_AHEAD[deadline.name]
        return ahead is None or deadline.due_date - ahead <= today

    return [
        d for d in incident_deadlines(incident, now=now) if d.sent_at is None and reminder_due(d)
    ]


def deadline_key(incident: Incident, deadline: Deadline) -> str:
    """The notification key of a deadline: per incident, deadline and due day, so that a
    corrected time of discovery is reminded of anew."""
    return f"incident:{incident.pk}:{deadline.name}:{deadline.due_date.isoformat()}"


def deadline_text(incident: Incident, deadline: Deadline) -> dict[str, str]:
    """The subject and body of a deadline's reminder, in the active language."""
    due = timezone.localtime(deadline.due_at, LEGAL_TIMEZONE)
    values = {"title": incident.title, "what": deadline.label, "due": f"{due:%Y-%m-%d %H:%M}"}
    if deadline.overdue:
        subject = _("Overdue: %(what)s on the incident %(title)s") % values
    else:
        subject = _("%(what)s due %(due)s: %(title)s") % values
    body = (
        _(
            "%(what)s on the significant incident %(title)s is due %(due)s (Swedish time) "
            "under the Cybersecurity Act (2025:1506). Record it in Stadga when it has been sent."
        )
        % values
    )
    return {"subject": subject, "body": body}


def deadline_recipients(municipality: Municipality, incident: Incident) -> list[Person]:
    """Who is reminded of an incident's deadlines: the IT coordinator(s) and the reporter."""
    people = role_holders(municipality, (Role.IT_COORDINATOR,))
    reporter = incident.reported_by
    if reporter is not None and reporter.pk not in {p.pk for p in people}:
        people.append(reporter)
    return people


def _link(incident: Incident) -> str:
    return reverse(
        "security:incident_detail",
        kwargs={"municipality": incident.municipality.slug, "pk": incident.pk},
    )


def _remind_now(incident: Incident) -> None:
    """A significant incident's deadlines run in hours: tell the IT coordinator and the reporter
    at once, with the keys the daily reminders use (so they do not repeat it)."""
    from stadga.notifications.services import notify

    with translation.override(settings.LANGUAGE_CODE):
        recipients = None
        for deadline in deadlines_to_remind(incident):
            recipients = recipients or deadline_recipients(incident.municipality, incident)
            notify(
                municipality=incident.municipality,
                recipients=recipients,
                key=deadline_key(incident, deadline),
                link=_link(incident),
                due_date=deadline.due_date,
                **deadline_text(incident, deadline),
            )


# --- permissions --------------------------------------------------------------------------------


def can_report_incident(access: Access, municipality: Municipality) -> bool:
    """The IT department, or a system owner of one of the municipality's systems."""
    if access.keeps_register(municipality.pk):
        return True
    if not access.is_member(municipality.pk):
        return False
    return System.objects.filter(
        owned_systems_q(access), municipality=municipality, archived_at__isnull=True
    ).exists()


def _owns_any(access: Access, systems: Iterable[System]) -> bool:
    return any(
        s.pk in access.system_owner_of or s.system_owner_id in access.person_ids for s in systems
    )


def can_edit_incident(access: Access, incident: Incident) -> bool:
    """The IT department, or the system owner of an affected system."""
    if access.keeps_register(incident.municipality_id):
        return True
    return _owns_any(access, incident.systems.all())


# --- writes -------------------------------------------------------------------------------------


def _validate(
    municipality: Municipality,
    data: Mapping[str, Any],
    access: Access,
    incident: Incident | None = None,
) -> None:
    unknown = set(data) - set(INCIDENT_FIELDS)
    if unknown:
        raise ValueError(f"An incident is written with {INCIDENT_FIELDS}, not {sorted(unknown)}.")
    errors: dict[str, list[str]] = {}
    # What the incident will name once written: the given systems, or those it names now.
    if "systems" in data or incident is None:
        systems = list(data.get("systems") or [])
    else:
        systems = list(incident.systems.all())
    for name in ("systems", "information_types", "measures"):
        if any(o.municipality_id != municipality.pk for o in data.get(name) or []):
            errors[name] = [_("It belongs to another municipality.")]
    discovered_at = data.get("discovered_at")
    if discovered_at is not None and discovered_at > timezone.now() + CLOCK_SKEW:
        errors["discovered_at"] = [_("The time of discovery cannot be in the future.")]
    system_ids = {s.pk for s in systems}
    if any(t.system_id not in system_ids for t in data.get("information_types") or []):
        errors["information_types"] = [
            _("Choose information types of the affected systems (add the system too).")
        ]
    if not access.keeps_register(municipality.pk) and not _owns_any(access, systems):
        errors.setdefault("systems", []).append(
            _("Name at least one affected system that you are the system owner of.")
        )
    if errors:
        raise ValidationError(errors)


def incident_report(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Incident:
    """Register an incident; the reporter is the actor's person. The IT coordinator hears of it
    at once, and of a significant one's first deadlines (24 and 72 hours)."""
    access = Access.for_user(actor)
    if not can_report_incident(access, municipality):
        raise PermissionDenied
    _validate(municipality, data, access)
    reporter = person_of(municipality, actor)
    from stadga.notifications.services import notify

    with governed_write(actor):
        incident = object_create(
            model=Incident, data=data, actor=actor, municipality=municipality, reported_by=reporter
        )
        with translation.override(settings.LANGUAGE_CODE):
            coordinators = [
                p for p in role_holders(municipality, (Role.IT_COORDINATOR,)) if p != reporter
            ]
            values = {"title": incident.title, "by": reporter or _("the system")}
            notify(
                municipality=municipality,
                recipients=coordinators,
                key=f"incident:{incident.pk}:reported",
                subject=_("Security incident reported: %(title)s") % values,
                body=_("%(by)s has reported a security incident.") % values,
                link=_link(incident),
            )
        _remind_now(incident)
    return incident


def incident_update(*, incident: Incident, data: Mapping[str, Any], actor: Any) -> Incident:
    """Change what is known of an incident; a correction is logged like any change. If it has
    just become significant, or its time of discovery moved, its deadlines are reminded of."""
    access = Access.for_user(actor)
    if not can_edit_incident(access, incident):
        raise PermissionDenied
    _validate(incident.municipality, data, access, incident)
    with governed_write(actor):
        object_update(instance=incident, data=data, actor=actor)
        _remind_now(incident)
    return incident


def incident_mark_sent(
    *, incident: Incident, which: str, at: datetime.datetime, actor: Any
) -> Incident:
    """Record when the early warning, the notification or the final report was sent. Recording
    it again corrects the time (the change log keeps the first)."""
    if which not in DEADLINE_NAMES:
        raise ValueError(f"No such report: {which!r}")
    if not can_edit_incident(Access.for_user(actor), incident):
        raise PermissionDenied
    if timezone.is_naive(at):
        raise ValueError("The time sent must be aware.")
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": _("The time sent cannot be in the future.")})
    if at < incident.discovered_at:
        raise ValidationError({"at": _("It cannot have been sent before the discovery.")})
    field = f"{which}_sent_at"
    with governed_write(actor):
        object_update(instance=incident, data={field: at}, actor=actor)
    return incident


def incident_close(
    *, incident: Incident, actor: Any, at: datetime.datetime | None = None
) -> Incident:
    """Close the incident. A significant one is closed once its three reports are recorded as
    sent (if it proved not significant, say so first)."""
    if not can_edit_incident(Access.for_user(actor), incident):
        raise PermissionDenied
    if incident.closed_at is not None:
        raise ValidationError(_("The incident is already closed."))
    missing = [d.label for d in incident_deadlines(incident) if d.sent_at is None]
    if missing:
        raise ValidationError(
            _("Record when these were sent before closing: %(reports)s.")
            % {"reports": ", ".join(missing)}
        )
    with governed_write(actor):
        object_update(instance=incident, data={"closed_at": at or timezone.now()}, actor=actor)
    return incident
