"""Competence records (P6): a person completed a course on a date. Every path that records a
completion — attendance at a session, an imported attendance list, a record by hand — goes
through `record_create`, which sets how long it is valid from the course.

The views and the API decide who may write (`training.access`); these services decide what may
be written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from stadga.core.services import object_archive, object_create, object_restore, object_update
from stadga.organisation.models import Municipality

from .choices import RecordSource
from .models import CompetenceRecord, Course


def _valid_until(course: Course | None, completed_on: Any) -> datetime.date | None:
    if course is None or not isinstance(completed_on, datetime.date):
        return None
    return course.valid_until(completed_on)


def record_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> CompetenceRecord:
    """Record that `data["person"]` completed `data["course"]` on `data["completed_on"]`.
    Unless `data` says otherwise, the record is valid for the course's validity and its source
    is a record by hand."""
    values = dict(data)
    values.setdefault("source", RecordSource.MANUAL)
    if values.get("valid_until") is None:
        values["valid_until"] = _valid_until(values.get("course"), values.get("completed_on"))
    return object_create(
        model=CompetenceRecord, data=values, actor=actor, municipality=municipality
    )


def record_update(
    *, record: CompetenceRecord, data: Mapping[str, Any], actor: Any
) -> tuple[CompetenceRecord, bool]:
    """Correct a record. A changed date or course moves its validity with it unless `data`
    sets `valid_until` itself."""
    values = dict(data)
    if "valid_until" not in values and ("completed_on" in values or "course" in values):
        values["valid_until"] = _valid_until(
            values.get("course", record.course), values.get("completed_on", record.completed_on)
        )
    return object_update(instance=record, data=values, actor=actor)


def record_archive(*, record: CompetenceRecord, actor: Any) -> CompetenceRecord:
    """Archive a record made by mistake: it no longer counts towards any requirement."""
    return object_archive(instance=record, actor=actor)


def record_restore(*, record: CompetenceRecord, actor: Any) -> CompetenceRecord:
    return object_restore(instance=record, actor=actor)
