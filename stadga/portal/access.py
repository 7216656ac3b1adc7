"""Who may do what with the portal, built on the user's `Access` (no query).

- **The public pages** are read by anyone, once the municipality has published the portal.
- **Residents' messages** are personal data and incoming public records: read by the person
  responsible for the message (its recipient) and by those who read everything in the
  municipality (the IT department, the executive board, auditors). They are answered, published
  and closed by their recipient and by the IT department.
- **The portal's settings and the accessibility statement** are kept by the IT coordinator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from stadga.organisation.access import Access
from stadga.organisation.choices import READ_ALL_ROLES

if TYPE_CHECKING:
    from .models import ResidentMessage


def keeps_portal(access: Access, municipality_id: int) -> bool:
    """May change the portal's settings and its accessibility statement."""
    return access.manages_organisation(municipality_id)


def message_q(access: Access) -> Q:
    """Messages the user reads: all of a municipality where they read everything, and those
    addressed to them."""
    if access.is_operator:
        return Q()
    everything = {m for m, held in access.roles.items() if held & READ_ALL_ROLES}
    return Q(municipality_id__in=everything) | Q(recipient_id__in=access.person_ids)


def reads_messages(access: Access, municipality_id: int) -> bool:
    """May open the list of residents' messages (it shows only those `message_q` allows)."""
    return access.is_member(municipality_id)


def answers_message(access: Access, message: ResidentMessage) -> bool:
    """May answer, publish or close a message: its recipient, the IT department."""
    return access.keeps_register(message.municipality_id) or (
        message.recipient_id is not None and message.recipient_id in access.person_ids
    )
