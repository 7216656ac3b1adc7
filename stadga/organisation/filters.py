from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet

from .choices import BoardKind, Role
from .models import Board, Department, ExternalOrganisation, Person, RoleAssignment


class BoardFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=BoardKind.choices, label=_("Kind"))

    class Meta:
        model = Board
        fields = ["q", "kind"]


class DepartmentFilterSet(ScopedFilterSet):
    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label=_("Board"))

    class Meta:
        model = Department
        fields = ["q", "board"]


class PersonFilterSet(ScopedFilterSet):
    search_fields = ("name", "title", "email")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )

    class Meta:
        model = Person
        fields = ["q", "department"]


class ExternalOrganisationFilterSet(ScopedFilterSet):
    search_fields = ("name", "responsibilities")

    class Meta:
        model = ExternalOrganisation
        fields = ["q"]


class RoleAssignmentFilterSet(ScopedFilterSet):
    search_fields = ("person__name",)
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Person"))

    class Meta:
        model = RoleAssignment
        fields = ["q", "role", "person"]
