"""Reminders over training and competence (P6.1–P6.3), sent by the daily job
(stadga.notifications): a required competence about to run out, a system user still without the
system's required course after the grace period, and a session with free places for a department
whose staff lack its course.

Each works from the resolved coverage (`training.coverage.resolve`) and so runs a fixed number
of queries, whatever the number of people, requirements or records. A reminder's key names what
it is about and what would make it new (a later expiry, a later start as a user), so a daily run
does not repeat it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import current_assignments

from .choices import RegistrationStatus
from .coverage import CoverageStatus, resolve
from .links import course_sessions_url, person_url, session_url
from .models import Registration, TrainingSession, TrainingSettings

# A place is taken by a booking or, after the session, by attendance (an absent one was taken
# too, but the session is over by then).
TAKEN_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
# Someone booked or waiting for an upcoming session of the course is on their way.
ON_THEIR_WAY = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def department_heads(
    municipality: Municipality, department_ids: Iterable[int | None]
) -> dict[int, dict[int, Person]]:
    """The current heads of each department, by department id. One query."""
    ids = {d for d in department_ids if d is not None}
    heads: dict[int, dict[int, Person]] = defaultdict(dict)
    if not ids:
        return heads
    for assignment in current_assignments(
        municipality, Q(role=Role.DEPARTMENT_HEAD, department_id__in=ids)
    ):
        assert assignment.department_id is not None
        heads[assignment.department_id].setdefault(assignment.person_id, assignment.person)
    return heads


@reminder_source("training.competence_expiring")
def competence_expiring(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """A required competence runs out within the notice period (30 days by default): the person
    and the head of their department are reminded to book a session in time.

    The key names the person, the course and the day it runs out: a renewed competence that
    later runs out again is reminded of anew. Eight queries."""
    lines = resolve(municipality, day=today).lacking(CoverageStatus.EXPIRING)
    if not lines:
        return
    heads = department_heads(municipality, (ln.person.department_id for ln in lines))
    slug = municipality.slug
    for line in lines:
        assert line.valid_until is not None
        values = {
            "person": line.person.name,
            "course": line.course.name,
            "date": line.valid_until.isoformat(),
        }
        recipients = {line.person.pk: line.person}
        recipients.update(heads.get(line.person.department_id or 0, {}))
        for recipient in recipients.values():
            own = recipient.pk == line.person.pk
            yield Reminder(
                recipient=recipient,
                key=f"training-expiring:{line.person.pk}:{line.course.pk}:{values['date']}",
                subject=(
                    _("Your %(course)s runs out %(date)s")
                    if own
                    else _("%(person)s's %(course)s runs out %(date)s")
                )
                % values,
                body=_(
                    "The course %(course)s is required and the competence of %(person)s is "
                    "valid until %(date)s. Book a session before then."
                )
                % values,
                link=course_sessions_url(slug, line.course.pk)
                if own
                else person_url(slug, line.person.pk),
                due_date=line.valid_until,
            )


@reminder_source("training.new_user_without_course")
def new_user_without_course(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P6.3: a user of a system still lacks the course required of the system's users (its
    basic course) when the grace period since they became a user (90 days by default) has run
    out: the head of their department is reminded.

    The key names the person, the course and the day they became a user: someone who leaves
    the system and comes back is reminded of anew. Nine queries."""
    grace = TrainingSettings.for_municipality(municipality).new_user_grace_days
    cutoff = today - datetime.timedelta(days=grace)
    lines = [
        line
        for line in resolve(municipality, day=today).lacking(CoverageStatus.MISSING)
        if line.systems and line.user_since is not None and line.user_since <= cutoff
    ]
    if not lines:
        return
    heads = department_heads(municipality, (ln.person.department_id for ln in lines))
    slug = municipality.slug
    for line in lines:
        assert line.user_since is not None
        values = {
            "person": line.person.name,
            "course": line.course.name,
            "systems": ", ".join(s.name for s in line.systems),
            "date": line.user_since.isoformat(),
            "days": grace,
        }
        for head in heads.get(line.person.department_id or 0, {}).values():
            yield Reminder(
                recipient=head,
                key=f"training-new-user:{line.person.pk}:{line.course.pk}:{values['date']}",
                subject=_("%(person)s uses %(systems)s without %(course)s") % values,
                body=_(
                    "%(person)s has used %(systems)s since %(date)s and has not taken its "
                    "required course %(course)s (the grace period is %(days)s days). Book "
                    "them on a session."
                )
                % values,
                link=course_sessions_url(slug, line.course.pk),
            )


@reminder_source("training.free_places")
def free_places(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P6.2: a coming session has free places, and a department it is for (every department,
    if it names none) has staff who lack its course and are not booked on a coming session of
    it: the department's head is reminded, once per session.

    Five queries and the coverage's seven."""
    now = timezone.now()
    sessions = list(
        TrainingSession.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            cancelled_at__isnull=True,
            course__archived_at__isnull=True,
            starts_at__gte=now,
        )
        .annotate(
            taken=Count(
                "registrations",
                filter=Q(
                    registrations__status__in=TAKEN_STATUSES,
                    registrations__archived_at__isnull=True,
                ),
            )
        )
        .filter(taken__lt=F("capacity"))
        .select_related("course")
        .prefetch_related("departments")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return
    booked = set(
        Registration.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            status__in=ON_THEIR_WAY,
            session__archived_at__isnull=True,
            session__cancelled_at__isnull=True,
            session__starts_at__gte=now,
        ).values_list("person_id", "session__course_id")
    )
    # (course, department) -> how many of its staff lack the course
    lacking: dict[tuple[int, int], int] = defaultdict(int)
    for line in resolve(municipality, day=today).lacking():
        if line.person.department_id and (line.person.pk, line.course.pk) not in booked:
            lacking[(line.course.pk, line.person.department_id)] += 1
    if not lacking:
        return
    heads = department_heads(municipality, {d for _c, d in lacking})
    slug = municipality.slug
    for session in sessions:
        named = {d.pk for d in session.departments.all()}
        local = timezone.localtime(session.starts_at)
        for (course_id, department_id), count in sorted(lacking.items()):
            if course_id != session.course_id or (named and department_id not in named):
                continue
            values = {
                "course": session.course.name,
                "date": f"{local:%Y-%m-%d %H:%M}",
                "free": session.capacity - session.taken,  # type: ignore[attr-defined]
                "count": count,
            }
            for head in heads.get(department_id, {}).values():
                yield Reminder(
                    recipient=head,
                    key=f"training-free-places:{session.pk}:{department_id}",
                    subject=_("Free places on %(course)s %(date)s") % values,
                    body=_(
                        "%(free)s places are free on %(course)s %(date)s, and %(count)s of your "
                        "staff lack the course. Book them on the session."
                    )
                    % values,
                    link=session_url(slug, session.pk),
                    due_date=local.date(),
                )
