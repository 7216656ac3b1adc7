"""Every write of courses and of the training settings (P6.2, P6.3): atomic, validated, logged.

The views and the API decide who may write (`training.access.keeps_training`); these services
decide what may be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.services import object_archive, object_create, object_restore, object_update
from stadga.organisation.models import Municipality

from .models import Course, TrainingSettings


def course_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Course:
    """A course: general IT skills, security awareness or a system's training (P6.2); the
    central office's basic training in a cross-departmental system is marked as such (P6.3)."""
    return object_create(model=Course, data=data, actor=actor, municipality=municipality)


def course_update(*, course: Course, data: Mapping[str, Any], actor: Any) -> tuple[Course, bool]:
    """Change a course. A changed validity applies to completions recorded from now on; the
    records already made keep the validity they were given."""
    return object_update(instance=course, data=data, actor=actor)


def course_archive(*, course: Course, actor: Any) -> Course:
    """Archive a course no longer given. Its sessions ahead must be cancelled first: people
    booked on them would otherwise never hear that they are not held."""
    ahead = course.sessions.filter(
        archived_at__isnull=True, cancelled_at__isnull=True, starts_at__gte=timezone.now()
    )
    if ahead.exists():
        raise ValidationError(_("Cancel the course's sessions ahead before archiving it."))
    return object_archive(instance=course, actor=actor)


def course_restore(*, course: Course, actor: Any) -> Course:
    if course.archived_at is not None:
        # The name must still be free among the current courses.
        probe = Course.objects.get(pk=course.pk)
        probe.archived_at = None
        probe.full_clean()
    return object_restore(instance=course, actor=actor)


def settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> TrainingSettings:
    """Store the municipality's training settings, creating the row on the first save."""
    row = TrainingSettings.objects.filter(municipality=municipality).first()
    if row is None:
        return object_create(
            model=TrainingSettings, data=data, actor=actor, municipality=municipality
        )
    return object_update(instance=row, data=data, actor=actor)[0]
