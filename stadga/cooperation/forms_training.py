"""The booking of a place on a partner's training session for one of the municipality's own
staff (P8.1, P6.2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.organisation.models import Person


class PartnerBookingForm(forms.Form):
    """One of the people the user may book, chosen from a list. The page shows one per session,
    each with ids of its own; the choices are the list given, labelled without a query."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the person to book."),
            "invalid_choice": _("Choose one of the people listed."),
        },
    )

    def __init__(self, *args: Any, people: list[Person], session_pk: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_session-{session_pk}-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        field.choices = [
            ("", field.empty_label),
            *((p.pk, f"{p.name} ({p.department})" if p.department_id else p.name) for p in people),
        ]
