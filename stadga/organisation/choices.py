from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles the policy names (P3, P9). Labels are defaults; a municipality may rename them."""

    IT_COORDINATOR = "it_coordinator", _("IT coordinator")
    IT_TECHNICIAN = "it_technician", _("IT technician")
    EXECUTIVE_BOARD_READER = "executive_board_reader", _("Executive board (read)")
    AUDITOR = "auditor", _("Auditor")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    BOARD_MEMBER = "board_member", _("Board member")
    # The nämndsekreterare: an official who prepares the board's business, not a member of it.
    BOARD_SECRETARY = "board_secretary", _("Board secretary")
    SYSTEM_OWNER = "system_owner", _("System owner")
    EMPLOYEE = "employee", _("Employee")


class Scope(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    BOARD = "board", _("Board")
    DEPARTMENT = "department", _("Department")
    SYSTEM = "system", _("System")


# Each role is held over one kind of scope: a board member sits on a board and a board secretary
# serves one, a department head leads a department, a system owner answers for a system (P9.3);
# the rest span the municipality.
ROLE_SCOPE: dict[str, str] = {
    Role.IT_COORDINATOR: Scope.MUNICIPALITY,
    Role.IT_TECHNICIAN: Scope.MUNICIPALITY,
    Role.EXECUTIVE_BOARD_READER: Scope.MUNICIPALITY,
    Role.AUDITOR: Scope.MUNICIPALITY,
    Role.DEPARTMENT_HEAD: Scope.DEPARTMENT,
    Role.BOARD_MEMBER: Scope.BOARD,
    Role.BOARD_SECRETARY: Scope.BOARD,
    Role.SYSTEM_OWNER: Scope.SYSTEM,
    Role.EMPLOYEE: Scope.MUNICIPALITY,
}

# Roles that read everything in their municipality (P3.1, P9.2: the executive board and auditors).
READ_ALL_ROLES = frozenset(
    {Role.IT_COORDINATOR, Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR}
)
# Roles that keep the register for the whole municipality (P3.2: the IT department).
EDIT_ALL_SYSTEMS_ROLES = frozenset({Role.IT_COORDINATOR, Role.IT_TECHNICIAN})
# The role that keeps the organisation itself: boards, departments, people and role assignments.
MANAGE_ORGANISATION_ROLES = frozenset({Role.IT_COORDINATOR})


class BoardKind(models.TextChoices):
    EXECUTIVE_BOARD = "executive_board", _("Executive board")
    BOARD = "board", _("Board")
    COMPANY_BOARD = "company_board", _("Company board")
