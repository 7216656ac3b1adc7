from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Department

from .choices import CourseKind
from .models import Course, TrainingSession


class CourseFilterSet(ScopedFilterSet):
    search_fields = ("name", "description", "provider")
    kind = django_filters.ChoiceFilter(choices=CourseKind.choices, label=_("Kind"))
    basic_training = django_filters.BooleanFilter(label=_("Basic training (P6.3)"))

    class Meta:
        model = Course
        fields = ["q", "kind", "basic_training"]


WHEN_CHOICES = (("upcoming", _("Ahead")), ("past", _("Held or passed")))


class TrainingSessionFilterSet(ScopedFilterSet):
    search_fields = ("course__name", "place", "trainer")
    when = django_filters.ChoiceFilter(choices=WHEN_CHOICES, method="filter_when", label=_("When"))
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all(), label=_("Course"))
    kind = django_filters.ChoiceFilter(
        field_name="course__kind", choices=CourseKind.choices, label=_("Kind")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        method="filter_department",
        label=_("Open to department"),
    )

    class Meta:
        model = TrainingSession
        fields = ["q", "when", "course", "kind", "department"]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now, cancelled_at__isnull=True)
        if value == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset

    def filter_department(self, queryset: QuerySet, name: str, value: Department) -> QuerySet:
        """Sessions the department's staff may book: those for it and those open to all."""
        # Subqueries, not joins: a join would multiply the places counted per session.
        through = TrainingSession.departments.through.objects
        return queryset.filter(
            Q(pk__in=through.filter(department=value).values("trainingsession_id"))
            | ~Q(pk__in=through.values("trainingsession_id"))
        )
