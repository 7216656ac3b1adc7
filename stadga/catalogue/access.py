"""Who may read and change the catalogue and the product requests, built on the user's `Access`.

The catalogue is for everyone: every member of a municipality may look up whether a product is
approved (P5.4); the IT department keeps it. A product request is read by its requester, the head
of its department, and those who read everything (the IT department, the executive board,
auditors); any member may write one. The IT department assesses and takes the first decision;
later steps are signed by whom the step names. Coordination inquiries are the asking
municipality's IT department's; a partner municipality's IT department answers the rows addressed
to it (P8.2).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stadga.organisation.access import Access
from stadga.organisation.choices import EDIT_ALL_SYSTEMS_ROLES, READ_ALL_ROLES, Role

from .choices import Approver, RequestStatus, StepStatus


def _municipalities(access: Access, roles: frozenset[str]) -> set[int]:
    return {m for m, held in access.roles.items() if held & roles}


# --- The catalogue --------------------------------------------------------------------------------


def catalogue_q(access: Access) -> Q:
    """Vendors, categories, products and their versions and decisions: every member reads them."""
    return access.organisation_q()


def keeps_catalogue(access: Access, municipality_id: int) -> bool:
    """The IT department keeps the catalogue and decides on products (P5.4)."""
    return access.keeps_register(municipality_id)


def manages_catalogue_settings(access: Access, municipality_id: int) -> bool:
    """Approval steps, reminder periods and neighbours: the IT coordinator's settings."""
    return access.manages_organisation(municipality_id)


# --- Product requests ---------------------------------------------------------------------------


def request_q(access: Access) -> Q:
    """Requests the user reads: their own, their department's (as its head), or all of a
    municipality where they read everything."""
    if access.is_operator:
        return Q()
    return (
        Q(municipality_id__in=_municipalities(access, READ_ALL_ROLES))
        | Q(requested_by_id__in=access.person_ids)
        | Q(department_id__in=access.department_head_of)
    )


def can_request(access: Access, municipality_id: int) -> bool:
    """Any member of the municipality (someone with a person there) may request a product."""
    return municipality_id in access.persons


def can_edit_request(access: Access, request: Any) -> bool:
    """The requester edits their draft; the IT department edits any request until it is decided
    (e.g. to mark it as in-house development, P5.6)."""
    if request.status in (RequestStatus.DECIDED, RequestStatus.WITHDRAWN):
        return False
    if keeps_catalogue(access, request.municipality_id):
        return True
    return request.status == RequestStatus.DRAFT and request.requested_by_id in access.person_ids


def can_withdraw_request(access: Access, request: Any) -> bool:
    """The requester (or the IT department) withdraws a request that is not yet decided."""
    if request.status not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
        return False
    return request.requested_by_id in access.person_ids or keeps_catalogue(
        access, request.municipality_id
    )


def can_assess(access: Access, request: Any) -> bool:
    """The IT department assesses a submitted request against the policy's criteria (P5)."""
    return request.status == RequestStatus.SUBMITTED and keeps_catalogue(
        access, request.municipality_id
    )


# Who signs a step named by role across the municipality; the department head's step is signed
# by the head of the request's department.
SIGNER_ROLES: dict[str, tuple[str, ...]] = {
    Approver.IT_DEPARTMENT: (Role.IT_COORDINATOR, Role.IT_TECHNICIAN),
    Approver.EXECUTIVE_BOARD: (Role.EXECUTIVE_BOARD_READER,),
}


def can_sign_step(access: Access, step: Any) -> bool:
    """Who signs a pending step: the IT department its own, the requesting department's head
    theirs, the executive board (its read role) its own."""
    if step.status != StepStatus.PENDING:
        return False
    municipality_id = step.municipality_id
    if access.is_operator:
        return True
    if step.approver == Approver.IT_DEPARTMENT:
        return keeps_catalogue(access, municipality_id)
    if step.approver == Approver.DEPARTMENT_HEAD:
        return step.request.department_id in access.department_head_of
    if step.approver == Approver.EXECUTIVE_BOARD:
        return access.has_role(municipality_id, Role.EXECUTIVE_BOARD_READER)
    return False


# --- Coordination inquiries (P8.2) -------------------------------------------------------------


def answers_for(access: Access) -> set[int]:
    """The municipalities whose received inquiries the user answers: where they are in the IT
    department."""
    if access.is_operator:
        return set()
    return _municipalities(access, EDIT_ALL_SYSTEMS_ROLES)


def received_inquiry_q(access: Access, municipality_id: int) -> Q:
    """Rows of other municipalities' inquiries addressed to `municipality_id`, for its IT
    department (or the operator): the only thing of another municipality they see."""
    if access.is_operator or municipality_id in answers_for(access):
        return Q(partner_id=municipality_id)
    return Q(pk__in=[])


def can_manage_inquiry(access: Access, inquiry: Any) -> bool:
    """The asking municipality's IT department adds recipients, records the answers of
    municipalities outside Stadga, closes and waives its inquiries (P8.2)."""
    return keeps_catalogue(access, inquiry.municipality_id)


def can_answer_recipient(access: Access, recipient: Any) -> bool:
    """A partner's row is answered by the partner's IT department in Stadga; another
    municipality's answer is recorded by the asking municipality's IT department (P8.2)."""
    if recipient.partner_id:
        return access.is_operator or recipient.partner_id in answers_for(access)
    return keeps_catalogue(access, recipient.municipality_id)


# --- Exceptions (P5.6) ---------------------------------------------------------------------------


def can_record_exception(access: Access, municipality_id: int) -> bool:
    """The IT department records the executive board's exceptions from the policy (P5.6)."""
    return keeps_catalogue(access, municipality_id)


def exception_q(access: Access) -> Q:
    """The executive board's exceptions: read by those who read everything in a municipality
    (the IT department, the executive board, auditors)."""
    if access.is_operator:
        return Q()
    return Q(municipality_id__in=_municipalities(access, READ_ALL_ROLES))
