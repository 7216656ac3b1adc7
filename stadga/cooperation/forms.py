"""The member's sharing choices (P8.1) and the comparison's search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SHARING_CATEGORIES
from .models import Membership

# The model fields' help texts, by category (read once; the same words as the change log's).
SHARING_HELP = {
    name: field.help_text
    for name in SHARING_CATEGORIES
    if isinstance(field := Membership._meta.get_field(name), models.Field)
}


class SharingForm(forms.Form):
    """What the municipality shares with one group: one check box per category."""

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"group-{membership.group_id}")
        kwargs.setdefault(
            "initial", {name: getattr(membership, name) for name in SHARING_CATEGORIES}
        )
        super().__init__(*args, **kwargs)
        self.membership = membership
        for name, label in SHARING_CATEGORIES.items():
            self.fields[name] = forms.BooleanField(
                label=label,
                required=False,
                help_text=SHARING_HELP[name],
            )


class CompareForm(forms.Form):
    q = forms.CharField(
        label=_("Product or kind of system"),
        max_length=200,
        help_text=_(
            "All or part of a product's name, or of a kind of system as the partners' catalogues "
            "name their categories, e.g. case management."
        ),
    )
