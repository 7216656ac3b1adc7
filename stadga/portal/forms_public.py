"""The residents' form on the public portal (P7.1): a question or a view, to the person
responsible. What it is about (the hidden subject field) is resolved by the view, from what the
portal publishes; the honeypot is checked by the view too (`spam.py`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import spam
from .choices import MessageKind
from .models import MESSAGE_MAX_LENGTH

# The ids of the form's fields on every public page: "ask-message", "ask-email", ... The template
# writes the fields out by hand (the same HTML on every cached page), with these ids.
AUTO_ID = "ask-%s"


class ResidentMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is it a question or a view?"),
        choices=MessageKind.choices,
        initial=MessageKind.QUESTION,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is a question or a view.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": _("Write your message."),
            "max_length": _(
                "Your message is %(show_value)d characters long; it may be at most "
                "%(limit_value)d. Shorten it, or send it in two parts."
            ),
        },
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Your name may be at most %(limit_value)d characters.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        error_messages={
            "invalid": _("Write the e-mail address in the form name@example.se, or leave it empty.")
        },
    )
    publish_consent = forms.BooleanField(
        label=_("You may publish my message and your answer on this portal"), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Write your message."), code="required")
        if spam.too_many_links(message):
            raise ValidationError(
                _(
                    "Your message has more than %(limit)s web addresses, which is how spam "
                    "looks. Remove some of them and send it again."
                ),
                code="too_many_links",
                params={"limit": spam.setting("PORTAL_MAX_LINKS")},
            )
        return message

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()
