"""The operator's forms for cooperation groups (P8.1): forming a group and adding a member. The
services check what needs the database; their errors come back onto these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stadga.organisation.models import Municipality

from .models import CooperationGroup


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("E.g. the region's name: Östra Skaraborg.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the municipalities cooperate on; the members read it."),
    )

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class MemberAddForm(forms.Form):
    """A municipality of the installation that is not a current member of the group."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        empty_label=_("Choose a municipality"),
        help_text=_("It shares nothing until its IT coordinator chooses what to share."),
    )

    def __init__(self, *args: Any, group: CooperationGroup, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        current = group.memberships.filter(archived_at__isnull=True).values("municipality_id")
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(archived_at__isnull=True).exclude(
            pk__in=current
        )

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error, default="municipality")


def add_service_errors(
    form: forms.Form, error: ValidationError, default: str | None = None
) -> None:
    """Put a service's errors on the fields they name; the rest on `default` (or the form)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(default, message)
        return
    for key, messages in error.message_dict.items():
        for message in messages:
            form.add_error(key if key in form.fields else default, message)
