"""What `stadga import` and `stadga export` share: finding the municipality and the actor."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from stadga.organisation.models import Municipality


def municipality_by_slug(slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug, archived_at__isnull=True)
    except Municipality.DoesNotExist:
        raise CommandError(_("There is no municipality “%(slug)s”.") % {"slug": slug}) from None


def user_by_name(username: str | None) -> Any:
    """The actor the change log names; None means the system itself."""
    if not username:
        return None
    user_model = get_user_model()
    try:
        return user_model.objects.get(username=username, is_active=True)
    except user_model.DoesNotExist:
        raise CommandError(_("There is no active user “%(user)s”.") % {"user": username}) from None
