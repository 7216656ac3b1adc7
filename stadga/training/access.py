"""Who may see and keep training and competence (P6), built on the user's `Access`.

- **Courses, sessions and requirements** are read by every member of the municipality (an
  employee sees which courses there are and books a place) and kept by the IT department
  (`Access.keeps_register`), which coordinates the training.
- **A person's competence** (records, registrations, systems they use) is read by the person,
  by the head of the person's department and by those who read everything (the IT department,
  the executive board, auditors). It is kept by the IT department; a department head records
  which systems their staff use and books their staff on sessions (P6.2).
- **Coverage** (who lacks required training) is read per department by its head and whole by
  those who read everything.
- **Training plans** are read by every member and kept by the department's head and the IT
  department; the **watch log** (P6.4) by every member, kept by the IT department.

Every helper here answers without a query: `Access` already holds the roles.
"""

from __future__ import annotations

from django.db.models import Q

from stadga.organisation.access import Access
from stadga.organisation.choices import READ_ALL_ROLES


def keeps_training(access: Access, municipality_id: int) -> bool:
    """May create and change courses, sessions, requirements, records and the settings, and
    record attendance: the IT department."""
    return access.keeps_register(municipality_id)


def reads_training(access: Access, municipality_id: int) -> bool:
    """May read courses, sessions, requirements, plans and the watch log: every member."""
    return access.is_member(municipality_id)


def heads_department(access: Access, department_id: int | None) -> bool:
    return department_id is not None and department_id in access.department_head_of


def reads_everyone(access: Access, municipality_id: int) -> bool:
    """Reads every person's competence and the whole coverage."""
    return access.reads_all(municipality_id)


def person_q(access: Access, prefix: str = "") -> Q:
    """People whose competence the user reads: everyone where they read everything, the staff
    of departments they head, and themselves. `prefix` reaches the person from another model,
    e.g. "person__" from a competence record."""
    if access.is_operator:
        return Q()
    p = prefix
    everything = {m for m, held in access.roles.items() if held & READ_ALL_ROLES}
    return (
        Q(**{f"{p}municipality_id__in": everything})
        | Q(**{f"{p}department_id__in": access.department_head_of})
        | Q(**{f"{p}id__in": access.person_ids})
    )


def may_book(access: Access, municipality_id: int, person_department_id: int | None) -> bool:
    """May book a person on a session (or cancel their place): the IT department, the head of
    the person's department. Booking oneself is decided by the caller (`person_ids`)."""
    return keeps_training(access, municipality_id) or heads_department(access, person_department_id)


def keeps_system_use(
    access: Access, municipality_id: int, person_department_id: int | None
) -> bool:
    """May record which systems a person uses: the IT department, the person's department
    head."""
    return may_book(access, municipality_id, person_department_id)


def keeps_plan(access: Access, municipality_id: int, department_id: int | None) -> bool:
    """May draw up and change a department's training plan: its head, the IT department."""
    return keeps_training(access, municipality_id) or heads_department(access, department_id)


def reads_coverage(access: Access, municipality_id: int) -> bool:
    """May open the coverage page: those who read everything, department heads (their
    departments only, see `coverage_departments_q`)."""
    return reads_everyone(access, municipality_id) or bool(access.department_head_of)


def coverage_department_q(access: Access, municipality_id: int, prefix: str = "") -> Q:
    """Departments whose coverage the user reads."""
    if reads_everyone(access, municipality_id):
        return Q(**{f"{prefix}municipality_id": municipality_id})
    return Q(**{f"{prefix}id__in": access.department_head_of})
