"""The forms of the portal's settings and of its accessibility statement (the IT coordinator's)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .models import AccessibilityStatement, PortalSettings


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PortalSettingsForm(ScopedModelForm):
    """Publish or withdraw the portal, its introduction, how residents reach the municipality,
    the answer target and the open data's licence (P7.1)."""

    class Meta:
        model = PortalSettings
        fields = [
            "is_published",
            "introduction",
            "contact_email",
            "contact_phone",
            "answer_target_days",
            "data_licence",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # P7.1: it must be easy to reach the municipality from the portal.
        if (
            data.get("is_published")
            and not data.get("contact_email")
            and not data.get("contact_phone")
            and "contact_email" not in self.errors
        ):
            self.add_error(
                "contact_email",
                _("Give a contact e-mail or phone before the portal is published."),
            )
        return data


class AccessibilityStatementForm(ScopedModelForm):
    """The accessibility statement's compliance status, known shortcomings, disproportionate
    burden, assessment, dates and feedback contact (lag 2018:1937, MDFFS 2019:2)."""

    class Meta:
        model = AccessibilityStatement
        fields = [
            "compliance",
            "shortcomings",
            "disproportionate_burden",
            "assessment_method",
            "assessed_on",
            "prepared_on",
            "feedback_email",
            "feedback_phone",
        ]
        widgets = {
            "shortcomings": forms.Textarea(attrs={"rows": 6}),
            "disproportionate_burden": forms.Textarea(attrs={"rows": 4}),
            "assessment_method": forms.Textarea(attrs={"rows": 4}),
            "assessed_on": _date(),
            "prepared_on": _date(),
        }
        help_texts = {
            "compliance": _(
                "As the law words it: fully, partially or not compliant with the accessibility "
                "requirements."
            ),
            "assessed_on": _("When the pages' compliance was last assessed."),
            "prepared_on": _("When the statement was first prepared."),
            "feedback_email": _("Empty: the portal's contact e-mail."),
            "feedback_phone": _("Empty: the portal's contact phone."),
        }

    def _not_future(self, name: str, value: datetime.date | None) -> None:
        if value is not None and value > timezone.localdate():
            self.add_error(name, _("The date cannot be in the future."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_future("assessed_on", data.get("assessed_on"))
        self._not_future("prepared_on", data.get("prepared_on"))
        return data
