from __future__ import annotations

from stadga.core.forms import ScopedModelForm

from .models import Board, Department, ExternalOrganisation, Person, RoleAssignment


class BoardForm(ScopedModelForm):
    class Meta:
        model = Board
        fields = ["name", "short_name", "kind"]


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["name", "board"]


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email", "phone", "department"]


class ExternalOrganisationForm(ScopedModelForm):
    class Meta:
        model = ExternalOrganisation
        fields = ["name", "organisation_number", "responsibilities", "website", "contact"]


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "board", "department", "system"]
