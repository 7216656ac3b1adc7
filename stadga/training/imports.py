"""Attendance lists as a spreadsheet (P6): who completed which course on which date, imported as
competence records in one go — from a course given outside the municipality, or a session whose
attendance was kept on paper.

A row is a person (e-mail or name), a course (its name), the date completed and a note. Each row
becomes a competence record through `services_records.record_create` with the source "imported
attendance list", so its validity follows the course. The file is checked whole before anything
is written, and written whole or not at all (`stadga.core.tabular`): an unknown person or course,
a date that is not a date or lies ahead, a row repeated in the file, each stops the import with
its row number. A row for a completion already recorded, with the same note, is left unchanged,
so importing the same list twice changes nothing; one with another note is refused, as the
record is corrected by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadga.core import tabular
from stadga.core.tabular import CellError, Column, Date, Lookup, Text
from stadga.organisation.models import Person

from .choices import RecordSource
from .models import CompetenceRecord, Course
from .services_records import record_create

KEY_FIELD = "import_key"


def record_key(person: Person, course: Course, completed_on: datetime.date) -> str:
    """What identifies a completion in the file and in the register (the person's id too: two
    people may share a name)."""
    return f"{person.name} (id {person.pk}) – {course.name} – {completed_on.isoformat()}"


class CompletedOn(Date):
    """The day the course was completed: a date, not in the future."""

    def parse_value(self, value: Any, ctx: Any) -> datetime.date:
        day = super().parse_value(value, ctx)
        if day > timezone.localdate():
            raise CellError(
                gettext("%(date)s lies ahead; record a completion after it.")
                % {"date": day.isoformat()}
            )
        return day


def _people(spec: tabular.TabularSpec) -> QuerySet[Person]:
    return Person.objects.filter(municipality=spec.municipality)


def _courses(spec: tabular.TabularSpec) -> QuerySet[Course]:
    return Course.objects.filter(municipality=spec.municipality)


_KEY_COLUMN = Column("Person + Kurs + Datum", KEY_FIELD, Text())


@tabular.register
class AttendanceTabular(tabular.TabularSpec):
    """Completed courses, one per row, keyed by person, course and date."""

    kind = "attendance"
    model = CompetenceRecord
    key = KEY_FIELD
    label_field = "person"
    sheet_title = "Närvarolista"
    filename = "narvarolista"
    title = _("Attendance lists")
    columns = [
        Column(
            "Person",
            "person",
            Lookup(
                _people,
                by=("email", "name"),
                required=True,
                not_found=_("There is nobody with the e-mail address or name “%(value)s”."),
                ambiguous=_("More than one person is called “%(value)s”; give the e-mail address."),
            ),
            aliases=("Deltagare", "E-post", "Namn", "Participant", "E-mail", "Name"),
            required=True,
            help_text=_("The person's e-mail address, or name if it is unique."),
            width=30,
        ),
        Column(
            "Kurs",
            "course",
            Lookup(
                _courses,
                required=True,
                not_found=_("There is no course named “%(value)s”."),
            ),
            aliases=("Utbildning", "Course"),
            required=True,
            width=30,
        ),
        Column(
            "Genomförd",
            "completed_on",
            CompletedOn(required=True),
            aliases=("Datum", "Genomförd datum", "Completed", "Date"),
            required=True,
            width=12,
        ),
        Column("Anteckning", "note", Text(max_length=300), aliases=("Note",), width=30),
    ]

    @classmethod
    def key_column(cls) -> Column:
        return _KEY_COLUMN

    def get_queryset(self) -> QuerySet[CompetenceRecord]:
        """The current records: an archived one does not stop the completion being imported."""
        return CompetenceRecord.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        )

    def optimise(self, queryset: QuerySet) -> Iterable[CompetenceRecord]:  # type: ignore[override]
        """The records with their key, read in one query."""
        for record in queryset.select_related("person", "course"):
            setattr(
                record, KEY_FIELD, record_key(record.person, record.course, record.completed_on)
            )
            yield record

    def complete_row(self, values: dict[str, Any]) -> None:
        person, course, day = values.get("person"), values.get("course"), values.get("completed_on")
        if person is not None and course is not None and day is not None:
            values[KEY_FIELD] = record_key(person, course, day)

    def create(self, data: dict[str, Any]) -> CompetenceRecord:
        values = {k: v for k, v in data.items() if k != KEY_FIELD}
        values["source"] = RecordSource.IMPORT
        return record_create(municipality=self.municipality, data=values, actor=self.actor)

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[CompetenceRecord, bool]:
        raise ValidationError(
            gettext(
                "The completion is already recorded, with another note; correct the record "
                "by hand or leave the row out."
            )
        )
