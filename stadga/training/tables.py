from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import Course, TrainingSession


class CourseTable(ScopedTable):
    name = tables.Column(linkify=lambda record: record.get_absolute_url())
    given_by = tables.Column(order_by=("given_by__name", "provider"))
    basic_training = tables.BooleanColumn(yesno=(_("Yes"), _("No")))

    class Meta(ScopedTable.Meta):
        model = Course
        fields = ("name", "kind", "basic_training", "given_by", "validity_months")

    def render_given_by(self, record: Course, value: Any) -> str:
        return str(value or record.provider or "–")


class TrainingSessionTable(ScopedTable):
    """Sessions ahead first; places taken of the capacity and the waiting list; a joint
    session (for several departments, P6.2) is marked as such."""

    starts_at = tables.DateTimeColumn(
        linkify=lambda record: record.get_absolute_url(), format="Y-m-d H:i"
    )
    course = tables.Column(order_by=("course__name",))
    departments = tables.Column(verbose_name=_("For departments"), empty_values=(), orderable=False)
    places = tables.Column(verbose_name=_("Places taken"), empty_values=(), orderable=False)
    waiting_count = tables.Column(verbose_name=_("Waiting"), orderable=False)

    class Meta(ScopedTable.Meta):
        model = TrainingSession
        fields = ("starts_at", "course", "mode", "place", "departments", "places", "waiting_count")
        order_by = ()

    def render_departments(self, record: TrainingSession) -> Any:
        return render_to_string(
            "training/_session_departments.html",
            {"session": record, "departments": list(record.departments.all())},
        )

    def render_places(self, record: TrainingSession) -> str:
        text = f"{record.places_taken} / {record.capacity}"  # type: ignore[attr-defined]
        if record.cancelled_at is not None:
            return f"{text} ({_('cancelled')})"
        return text
