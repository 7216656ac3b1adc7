"""Who may read and change the security records, built on the user's `Access`.

System-bound records (information types, measures, follow-ups) follow the system: whoever reads
the system reads them, whoever may edit the system keeps them (P9.3, P9.5). Platform measures
(no system) are the IT department's (P9.4). Shortfall notices are read by their writer, their
addressees and those who read everything (the executive board sees open notices, P9.6).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stadga.organisation.access import Access
from stadga.organisation.choices import EDIT_ALL_SYSTEMS_ROLES, READ_ALL_ROLES


def _municipalities(access: Access, roles: frozenset[str]) -> set[int]:
    return {m for m, held in access.roles.items() if held & roles}


def system_bound_q(access: Access, system: str = "system") -> Q:
    """Rows tied to a system the user reads; rows with no system (the platform's) for those
    who read everything."""
    if access.is_operator:
        return Q()
    p = f"{system}__"
    platform = Q(**{f"{system}__isnull": True}) & Q(
        municipality_id__in=_municipalities(access, READ_ALL_ROLES)
    )
    return (Q(**{f"{system}__isnull": False}) & access.system_q(prefix=p)) | platform


def system_bound_edit_q(access: Access, system: str = "system") -> Q:
    """Rows the user may change: those of systems they may edit, and the platform's for the IT
    department (P9.4)."""
    if access.is_operator:
        return Q()
    p = f"{system}__"
    platform = Q(**{f"{system}__isnull": True}) & Q(
        municipality_id__in=_municipalities(access, EDIT_ALL_SYSTEMS_ROLES)
    )
    return (Q(**{f"{system}__isnull": False}) & access.system_edit_q(prefix=p)) | platform


def can_edit_system_bound(access: Access, municipality_id: int, system: Any) -> bool:
    if system is None:
        return access.keeps_register(municipality_id)
    return access.can_edit_system(system)


def notice_q(access: Access) -> Q:
    """Shortfall notices the user reads: written by them, addressed to their department or
    board (its members and secretary), or all of the municipality's for those who read
    everything."""
    if access.is_operator:
        return Q()
    return (
        Q(municipality_id__in=_municipalities(access, READ_ALL_ROLES))
        | Q(written_by_id__in=access.person_ids)
        | Q(department_id__in=access.department_head_of)
        | Q(board_id__in=access.board_of)
    )


def can_decide_notice(access: Access, notice: Any) -> bool:
    """The addressees acknowledge and decide: the department head, or a member of the board
    (not its secretary, who reads the notice but decides nothing for the board)."""
    return (
        access.is_operator
        or (notice.department_id is not None and notice.department_id in access.department_head_of)
        or (notice.board_id is not None and notice.board_id in access.board_member_of)
    )


def incident_q(access: Access) -> Q:
    """Incidents are read by the IT department, the executive board and auditors, and by
    those who read an affected system."""
    if access.is_operator:
        return Q()
    from stadga.systems.models import System

    visible_systems = System.objects.filter(access.system_q()).values("pk")
    return Q(municipality_id__in=_municipalities(access, READ_ALL_ROLES)) | Q(
        systems__in=visible_systems
    )


def processing_q(access: Access) -> Q:
    """The register of processing activities: those who read everything, and each board's
    members and secretary and its departments' heads for the board's entries (the board is
    controller)."""
    if access.is_operator:
        return Q()
    return (
        Q(municipality_id__in=_municipalities(access, READ_ALL_ROLES))
        | Q(board_id__in=access.board_of)
        | Q(board__departments__in=access.department_head_of)
    )


def can_keep_processing(access: Access, board: Any) -> bool:
    """The IT department keeps the register with the board; a department head of one of the
    board's departments keeps the board's entries."""
    if access.keeps_register(board.municipality_id):
        return True
    return board.departments.filter(pk__in=access.department_head_of).exists()
