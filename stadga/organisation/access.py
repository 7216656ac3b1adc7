"""What a user may see and do, decided by role assignments scoped to a municipality.

One `Access` is built per request from the user's role assignments in every municipality (one
query) and answers every question views, selectors and the API ask. Nothing is visible by default:
a user sees a municipality's objects only through a person linked to their login there.

A board's share is read by those who work for the board: its members (`board_member_of`) and its
secretary (`board_secretary_of`, the nämndsekreterare who prepares its business); `board_of` is
both. The secretary reads what a member reads of the board (its systems, its part of the register
of processing, its shortfall notices, its compliance view) and draws up and records the adoption
of the board's IT plan (`stadga.plans.access`), but decides nothing else for the board: a
shortfall notice is acknowledged and decided by a member, and an executive board's secretary
does not count as its oversight (P3.1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from .choices import (
    EDIT_ALL_SYSTEMS_ROLES,
    MANAGE_ORGANISATION_ROLES,
    READ_ALL_ROLES,
    Role,
)


@dataclass
class Access:
    """The rights of one user, across every municipality they belong to."""

    user_id: int | None
    is_operator: bool = False
    # municipality id -> the person ids linked to the user there
    persons: dict[int, set[int]] = field(default_factory=dict)
    # municipality id -> roles held municipality-wide
    roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    board_member_of: set[int] = field(default_factory=set)
    board_secretary_of: set[int] = field(default_factory=set)
    department_head_of: set[int] = field(default_factory=set)
    system_owner_of: set[int] = field(default_factory=set)

    @classmethod
    def for_user(cls, user: Any) -> Access:
        from .models import Person, RoleAssignment

        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user_id=None)
        access = cls(user_id=user.pk, is_operator=user.is_superuser)
        for person_id, municipality_id in Person.objects.filter(
            user=user, archived_at__isnull=True, municipality__archived_at__isnull=True
        ).values_list("pk", "municipality_id"):
            access.persons.setdefault(municipality_id, set()).add(person_id)
        person_ids = access.person_ids
        if not person_ids:
            return access
        for m_id, role, board_id, department_id, system_id in RoleAssignment.objects.filter(
            person_id__in=person_ids, archived_at__isnull=True
        ).values_list("municipality_id", "role", "board_id", "department_id", "system_id"):
            access.roles[m_id].add(role)
            if role == Role.BOARD_MEMBER and board_id:
                access.board_member_of.add(board_id)
            elif role == Role.BOARD_SECRETARY and board_id:
                access.board_secretary_of.add(board_id)
            elif role == Role.DEPARTMENT_HEAD and department_id:
                access.department_head_of.add(department_id)
            elif role == Role.SYSTEM_OWNER and system_id:
                access.system_owner_of.add(system_id)
        return access

    # --- membership -------------------------------------------------------------------------

    @property
    def person_ids(self) -> set[int]:
        return set().union(*self.persons.values()) if self.persons else set()

    @property
    def member_of(self) -> set[int]:
        """Municipalities where the user is someone (has a linked person)."""
        return set(self.persons)

    @property
    def board_of(self) -> set[int]:
        """Boards the user works for, as a member or as its secretary: they read its share."""
        return self.board_member_of | self.board_secretary_of

    def is_member(self, municipality_id: int) -> bool:
        return self.is_operator or municipality_id in self.persons

    def has_role(self, municipality_id: int, *roles: str) -> bool:
        return bool(self.roles.get(municipality_id, set()) & set(roles))

    def _municipalities_with(self, roles: frozenset[str]) -> set[int]:
        return {m for m, held in self.roles.items() if held & roles}

    def reads_all(self, municipality_id: int) -> bool:
        return self.is_operator or self.has_role(municipality_id, *READ_ALL_ROLES)

    def manages_organisation(self, municipality_id: int) -> bool:
        return self.is_operator or self.has_role(municipality_id, *MANAGE_ORGANISATION_ROLES)

    def keeps_register(self, municipality_id: int) -> bool:
        """May create, archive and import systems for the whole municipality (P3.2)."""
        return self.is_operator or self.has_role(municipality_id, *EDIT_ALL_SYSTEMS_ROLES)

    # --- querysets ----------------------------------------------------------------------------

    def organisation_q(self, prefix: str = "") -> Q:
        """Organisation data (boards, departments, people) is visible to every member."""
        if self.is_operator:
            return Q()
        return Q(**{f"{prefix}municipality_id__in": self.member_of})

    def system_q(self, prefix: str = "") -> Q:
        """Systems the user may read: all (IT, executive board, auditor) or their own share."""
        if self.is_operator:
            return Q()
        p = prefix
        return (
            Q(**{f"{p}municipality_id__in": self._municipalities_with(READ_ALL_ROLES)})
            | Q(**{f"{p}board_id__in": self.board_of})
            | Q(**{f"{p}department_id__in": self.department_head_of})
            | Q(**{f"{p}id__in": self.system_owner_of})
            | Q(**{f"{p}system_owner_id__in": self.person_ids})
        )

    def system_edit_q(self, prefix: str = "") -> Q:
        """Systems the user may edit: the IT department all, a department head the department's
        (they appoint owners, P9.3), a system owner their own."""
        if self.is_operator:
            return Q()
        p = prefix
        return (
            Q(**{f"{p}municipality_id__in": self._municipalities_with(EDIT_ALL_SYSTEMS_ROLES)})
            | Q(**{f"{p}department_id__in": self.department_head_of})
            | Q(**{f"{p}id__in": self.system_owner_of})
            | Q(**{f"{p}system_owner_id__in": self.person_ids})
        )

    def can_edit_system(self, system: Any) -> bool:
        if self.is_operator or self.keeps_register(system.municipality_id):
            return True
        return (
            system.department_id in self.department_head_of
            or system.pk in self.system_owner_of
            or system.system_owner_id in self.person_ids
        )

    def can_appoint_owner(self, system: Any) -> bool:
        """P9.3: the department appoints the system owner; the IT department keeps the register."""
        return self.keeps_register(system.municipality_id) or (
            system.department_id in self.department_head_of
        )


def access_for(request: Any) -> Access:
    """The user's Access, built once per request (one query for roles, one for people)."""
    access = getattr(request, "_stadga_access", None)
    if access is None:
        access = Access.for_user(getattr(request, "user", None))
        request._stadga_access = access
    return access
