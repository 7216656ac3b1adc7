from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .models import Attestation

# An attestation is renewed yearly unless the person says otherwise.
DEFAULT_VALIDITY = datetime.timedelta(days=365)


class AttestationForm(ScopedModelForm):
    evidence_link = forms.URLField(
        label=_("link to evidence"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Attestation
        fields = [
            "statement",
            "evidence",
            "evidence_link",
            "evidence_file",
            "system",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + DEFAULT_VALIDITY
        self.fields["system"].help_text = _(
            "Only if the statement is about one system, e.g. its documented measures."
        )
