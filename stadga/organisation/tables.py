from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import Board, Department, ExternalOrganisation, Person, RoleAssignment


class BoardTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Board
        fields = ("name", "short_name", "kind")


class DepartmentTable(ScopedTable):
    name = tables.Column(linkify=True)
    board = tables.Column(order_by=("board__name",))

    class Meta(ScopedTable.Meta):
        model = Department
        fields = ("name", "board")


class PersonTable(ScopedTable):
    name = tables.Column(linkify=True)
    department = tables.Column(order_by=("department__name",))
    email = tables.EmailColumn()
    has_login = tables.BooleanColumn(
        verbose_name=_("Login"), accessor="user_id", orderable=False, yesno=(_("Yes"), _("No"))
    )

    class Meta(ScopedTable.Meta):
        model = Person
        fields = ("name", "title", "department", "email", "phone")


class ExternalOrganisationTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = ExternalOrganisation
        fields = ("name", "organisation_number", "responsibilities")


class RoleAssignmentTable(ScopedTable):
    person = tables.Column(linkify=True, order_by=("person__name",))
    role = tables.Column()
    scope = tables.Column(verbose_name=_("Scope"), empty_values=(), orderable=False)
    detail = tables.Column(
        verbose_name=_("Details"),
        empty_values=(),
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )

    class Meta(ScopedTable.Meta):
        model = RoleAssignment
        fields = ("person", "role")

    def render_role(self, record: RoleAssignment) -> str:
        return self.municipality.role_label(record.role) if self.municipality else record.role

    def render_scope(self, record: RoleAssignment) -> str:
        return str(record.scope_object or (self.municipality or ""))

    def render_detail(self, record: RoleAssignment) -> str:
        return str(_("Show"))
