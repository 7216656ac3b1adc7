"""Who may read and change the IT plans, built on the user's `Access`.

A board's plan is the board's (P3.4): its members and its secretary (the nämndsekreterare, who
prepares the board's business) read it, draw it up and record the board's adoption, and the IT
coordinator, who supports every board, does too. Those who read everything (the IT department,
the executive board, auditors) read every plan. The goals, cost categories and plan settings are
read by every member and kept by the IT coordinator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stadga.organisation.access import Access
from stadga.organisation.choices import READ_ALL_ROLES, Role


def plan_q(access: Access, prefix: str = "") -> Q:
    """Plans the user reads: all of a municipality where they read everything, or their
    boards'. `prefix` reaches the plan from another model, e.g. "plan__" from an item."""
    if access.is_operator:
        return Q()
    everything = {m for m, held in access.roles.items() if held & READ_ALL_ROLES}
    return Q(**{f"{prefix}municipality_id__in": everything}) | Q(
        **{f"{prefix}board_id__in": access.board_of}
    )


def is_coordinator(access: Access, municipality_id: int) -> bool:
    return access.is_operator or access.has_role(municipality_id, Role.IT_COORDINATOR)


def can_write_board_plan(access: Access, municipality_id: int, board_id: int | None) -> bool:
    """The IT coordinator, or a member or the secretary of the board, draws up and changes the
    board's plan."""
    return is_coordinator(access, municipality_id) or board_id in access.board_of


def can_create_plan(access: Access, municipality_id: int) -> bool:
    """Someone who may write some board's plan: the IT coordinator, or a board member or board
    secretary there."""
    if is_coordinator(access, municipality_id):
        return True
    return access.has_role(municipality_id, Role.BOARD_MEMBER, Role.BOARD_SECRETARY) and bool(
        access.board_of
    )


def can_write_plan(access: Access, plan: Any) -> bool:
    return can_write_board_plan(access, plan.municipality_id, plan.board_id)


def keeps_plan_data(access: Access, municipality_id: int) -> bool:
    """Goals, cost categories and the plan settings: the IT coordinator's."""
    return is_coordinator(access, municipality_id)
