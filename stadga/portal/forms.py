"""Forms of the portal as the municipality keeps it: residents' messages (P7.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.organisation.models import Municipality, Person

from .choices import MessageStatus, Subject
from .models import MESSAGE_MAX_LENGTH, ResidentMessage


class MessageFilterForm(forms.Form):
    """The inbox's filters; an unknown value is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *MessageStatus.choices]
    )
    subject = forms.ChoiceField(
        label=_("About"), required=False, choices=[("", _("All")), *Subject.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        """The valid filters given; invalid ones are dropped (the page says so by showing
        'All')."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class MessageAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "E-mailed to the resident in the language they wrote in, if they gave an "
            "address, and shown on their receipt page."
        ),
        error_messages={"required": _("Write the answer.")},
    )
    publish = forms.BooleanField(
        label=_("Publish the message and the answer on the portal"),
        required=False,
        help_text=_("The resident agreed to it. Their name and address are never published."),
    )

    def __init__(self, *args: Any, message: ResidentMessage, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"answer": message.answer, "publish": message.is_published})
        super().__init__(*args, **kwargs)
        if not message.publish_consent:
            del self.fields["publish"]


class MessageForwardForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Send on to"),
        queryset=Person.objects.none(),
        help_text=_("They get the message in their inbox and answer it."),
        error_messages={
            "required": _("Choose the person who should answer."),
            "invalid_choice": _("Choose a person in the municipality."),
        },
    )

    def __init__(
        self, *args: Any, municipality: Municipality, message: ResidentMessage, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Person.objects.filter(municipality=municipality, archived_at__isnull=True)
            .exclude(pk=message.recipient_id or 0)
            .order_by("name", "pk")
        )
