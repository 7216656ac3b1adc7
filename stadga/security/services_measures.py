"""Every write to protective measures and their follow-ups (P9.5), and to the platform's and
data communication's measures that the IT coordinator keeps (P9.4): atomic, validated, logged."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.dates import add_months
from stadga.core.services import governed_write, object_archive, object_restore, object_update
from stadga.organisation.models import Municipality, Person

from .choices import MeasureStatus
from .models import DEFAULT_FOLLOW_UP_MONTHS, FollowUp, Measure, Requirement, SecuritySettings

# The model's own default, for a measure no level speaks for (e.g. a platform measure of its own).
FALLBACK_FOLLOW_UP_MONTHS = Measure._meta.get_field("follow_up_months").default


def follow_up_months_for_level(*, municipality: Municipality, level: int | None) -> int:
    """The municipality's follow-up interval for a consequence level (P9.5): the higher the
    level, the more often. Read from its security settings, else the shipped defaults."""
    if level is None:
        return FALLBACK_FOLLOW_UP_MONTHS
    configured = SecuritySettings.for_municipality(municipality).follow_up_months
    # JSON keys are strings; accept ints too, should a settings form store them so.
    for key in (str(level), level):
        value = configured.get(key) if isinstance(configured, dict) else None
        if isinstance(value, int) and value >= 1:
            return value
    if level in DEFAULT_FOLLOW_UP_MONTHS:
        return DEFAULT_FOLLOW_UP_MONTHS[level]
    # A scale with more steps than the defaults: beyond the top, as often as the top.
    top = max(DEFAULT_FOLLOW_UP_MONTHS)
    return DEFAULT_FOLLOW_UP_MONTHS[top if level > top else min(DEFAULT_FOLLOW_UP_MONTHS)]


def default_follow_up_months(
    *, municipality: Municipality, system: Any, requirement: Requirement | None
) -> int:
    """The interval a measure gets unless one is given (P9.5, "set by the level").

    For a requirement: the system's level of the requirement's aspect (at least the level the
    requirement applies from, which is also what a platform measure uses). For a measure added
    by hand to a system: the system's highest level of any aspect.
    """
    level: int | None = None
    if requirement is not None:
        level = requirement.level
        if system is not None:
            system_level = getattr(system, requirement.aspect, None)
            if system_level is not None:
                level = max(level, system_level)
    elif system is not None:
        levels = [lv for lv in system.classification.values() if lv is not None]
        level = max(levels) if levels else None
    return follow_up_months_for_level(municipality=municipality, level=level)


def actor_person(*, municipality: Municipality, actor: Any) -> Person | None:
    """The person the logged-in user is in the municipality, if any."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    return Person.objects.filter(
        municipality=municipality, user=actor, archived_at__isnull=True
    ).first()


def _prepare(
    *, municipality: Municipality, data: Mapping[str, Any], current: Measure | None
) -> dict[str, Any]:
    """Fill in the interval where it is left blank ("the default for the level"): on create
    when none is given, on update when the form sends it empty. A cleared evidence file is
    stored as no file."""
    data = dict(data)
    blank = data.get("follow_up_months") in (None, "")
    if blank and (current is None or "follow_up_months" in data):
        system = data.get("system", current.system if current else None)
        requirement = data.get("requirement", current.requirement if current else None)
        data["follow_up_months"] = default_follow_up_months(
            municipality=municipality, system=system, requirement=requirement
        )
    if "evidence_file" in data and not data["evidence_file"]:
        data["evidence_file"] = ""
    return data


def _schedule_from(measure: Measure, start: datetime.date) -> datetime.date | None:
    """The next follow-up, or none for a measure that does not apply (nothing to follow up)."""
    if measure.status == MeasureStatus.NOT_APPLICABLE:
        return None
    return add_months(start, measure.follow_up_months)


def _last_follow_up_on(measure: Measure) -> datetime.date | None:
    return (
        measure.follow_ups.filter(archived_at__isnull=True)
        .order_by("-performed_on")
        .values_list("performed_on", flat=True)
        .first()
    )


def measure_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Measure:
    """Document a protective measure (P9.5) for a system, or with no system for the platform and
    data communication (P9.4). The first follow-up is due one interval from today."""
    data = _prepare(municipality=municipality, data=data, current=None)
    measure = Measure(municipality=municipality, **data)
    measure.next_follow_up = _schedule_from(measure, timezone.localdate())
    with governed_write(actor):
        measure.full_clean()
        measure.save()
    return measure


def measure_update(
    *, measure: Measure, data: Mapping[str, Any], actor: Any
) -> tuple[Measure, bool]:
    """Change a measure; returns whether anything changed. A new interval, or a measure that
    starts or stops applying, is rescheduled from its last follow-up (or from today)."""
    data = _prepare(municipality=measure.municipality, data=data, current=measure)
    before = (measure.follow_up_months, measure.status == MeasureStatus.NOT_APPLICABLE)
    with transaction.atomic():
        measure, changed = object_update(instance=measure, data=data, actor=actor)
        after = (measure.follow_up_months, measure.status == MeasureStatus.NOT_APPLICABLE)
        if before != after:
            start = _last_follow_up_on(measure) or timezone.localdate()
            next_follow_up = _schedule_from(measure, start)
            if next_follow_up != measure.next_follow_up:
                with governed_write(actor):
                    measure.next_follow_up = next_follow_up
                    measure.save(update_fields=["next_follow_up", "updated_at"])
                changed = True
    return measure, changed


def measure_archive(*, measure: Measure, actor: Any) -> Measure:
    return object_archive(instance=measure, actor=actor)


def measure_restore(*, measure: Measure, actor: Any) -> Measure:
    return object_restore(instance=measure, actor=actor)


def follow_up_record(*, measure: Measure, data: Mapping[str, Any], actor: Any) -> FollowUp:
    """Record a check of the measure's effect (P9.5) and schedule the next one: the latest
    check's date plus the measure's interval, in calendar months. One transaction.

    `performed_by` defaults to the actor's person in the municipality. A follow-up whose effect
    falls short must say what will be done (the model's validation).
    """
    if measure.is_archived:
        raise ValidationError(_("An archived measure is not followed up; restore it first."))
    data = dict(data)
    if not data.get("performed_by"):
        data["performed_by"] = actor_person(municipality=measure.municipality, actor=actor)
        if data["performed_by"] is None:
            raise ValidationError({"performed_by": _("Say who performed the follow-up.")})
    performed_on = data.get("performed_on")
    if isinstance(performed_on, datetime.date) and performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("A follow-up is recorded once it is done.")})
    follow_up = FollowUp(municipality=measure.municipality, measure=measure, **data)
    with governed_write(actor):
        follow_up.full_clean()
        follow_up.save()
        # A follow-up recorded afterwards for an earlier date does not pull the schedule back.
        latest = _last_follow_up_on(measure) or follow_up.performed_on
        next_follow_up: datetime.date | None = add_months(
            max(latest, follow_up.performed_on), measure.follow_up_months
        )
        if measure.status == MeasureStatus.NOT_APPLICABLE:
            next_follow_up = None
        if next_follow_up != measure.next_follow_up:
            measure.next_follow_up = next_follow_up
            measure.save(update_fields=["next_follow_up", "updated_at"])
    return follow_up
