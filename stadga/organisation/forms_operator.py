"""The operator's form for adding a municipality; `municipality_onboard` does the checking that
needs the database, and its errors come back onto the fields of the same names."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stadga.policy.models import Policy


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Policy) -> str:  # type: ignore[override]
        return f"{obj.title} ({obj.key}, {obj.version})"


class MunicipalityOnboardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. Karlsborgs kommun."))
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens; used in addresses, e.g. karlsborg."),
    )
    code = forms.CharField(
        label=_("Municipality code"),
        max_length=4,
        help_text=_("The four-digit code from Statistics Sweden, e.g. 1446 for Karlsborg."),
    )
    policy = PolicyChoiceField(
        label=_("Policy to adopt"),
        queryset=Policy.objects.all(),
        required=False,
        empty_label=_("None for now"),
        help_text=_("A policy library already loaded into the installation."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        help_text=_("The date of the council's decision, YYYY-MM-DD; empty means today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        required=False,
        help_text=_("E.g. KF § 112, Dnr 2006/45."),
    )
    coordinator_name = forms.CharField(
        label=_("The IT coordinator's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    coordinator_email = forms.EmailField(
        label=_("The IT coordinator's e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    coordinator_username = forms.CharField(
        label=_("The IT coordinator's username"),
        max_length=150,
        required=False,
        help_text=_("Empty means the e-mail address."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    MUNICIPALITY_FIELDS = ("name", "slug", "code")
    POLICY_FIELDS = ("policy", "adopted_on", "decision_reference")
    COORDINATOR_FIELDS = ("coordinator_name", "coordinator_email", "coordinator_username")

    def fields_of(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def municipality_fields(self) -> list[forms.BoundField]:
        return self.fields_of(self.MUNICIPALITY_FIELDS)

    @property
    def policy_fields(self) -> list[forms.BoundField]:
        return self.fields_of(self.POLICY_FIELDS)

    @property
    def coordinator_fields(self) -> list[forms.BoundField]:
        return self.fields_of(self.COORDINATOR_FIELDS)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors on the fields they name; the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
