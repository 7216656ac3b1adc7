"""Who may do what with cooperation groups (P8.1).

The operator forms groups and adds or removes members; a member municipality's IT coordinator
chooses what it shares and may leave; every member of the municipality reads its groups."""

from __future__ import annotations

from typing import Any

from stadga.organisation.access import Access


def forms_groups(user: Any) -> bool:
    """The operator of the installation (a superuser) forms groups and places members."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def manages_sharing(access: Access, municipality_id: int) -> bool:
    """The municipality's IT coordinator decides what it shares and whether it stays."""
    return access.manages_organisation(municipality_id)
