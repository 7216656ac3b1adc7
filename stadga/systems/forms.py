from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .choices import Aspect
from .models import ExternalResponsibility, System

OWNER_FIELDS = ("system_owner", "board", "department")


class SystemForm(ScopedModelForm):
    class Meta:
        model = System
        fields = [
            "identifier",
            "name",
            "purpose",
            "board",
            "department",
            "system_owner",
            "contacts",
            "lifecycle_phase",
            "in_production_from",
            "phase_out_from",
            "retired_on",
            "system_type",
            "user_count",
            "depends_on",
            "personal_data",
            *Aspect.values,
            "classification_justification",
            "is_public",
            "notes",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "classification_justification": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "in_production_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phase_out_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "retired_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contacts": forms.SelectMultiple(attrs={"size": 6}),
            "depends_on": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identifier"].required = False
        self.fields["identifier"].help_text = _("Leave empty to get the next free ID.")
        levels = list(self.municipality.consequence_levels.all())
        level_choices = [("", _("Not classified")), *[(lv.level, str(lv)) for lv in levels]]
        for aspect in Aspect.values:
            self.fields[aspect] = forms.TypedChoiceField(
                label=self.fields[aspect].label,
                choices=level_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
        if self.instance.pk:
            depends_on = self.fields["depends_on"]
            assert isinstance(depends_on, forms.ModelMultipleChoiceField)
            assert depends_on.queryset is not None
            depends_on.queryset = depends_on.queryset.exclude(pk=self.instance.pk)
            # P9.3: the department appoints the system owner; a system owner cannot hand the
            # system to someone else or move it to another board.
            if not self.access.can_appoint_owner(self.instance):
                for name in OWNER_FIELDS:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Only the department head or the IT department can change this."
                    )


class ExternalResponsibilityForm(ScopedModelForm):
    """What an external organisation answers for in a system (P3.11, P8). The systems offered
    are those the user may edit; from a system's page the system is fixed, and an existing
    responsibility stays with its system."""

    class Meta:
        model = ExternalResponsibility
        fields = ["system", "organisation", "kind", "description", "contract_ends_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "contract_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, system: System | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["system"]
        assert isinstance(field, forms.ModelChoiceField)
        assert field.queryset is not None
        if self.instance.pk is not None:
            system = self.instance.system
        if system is not None:
            field.queryset = System.objects.filter(pk=system.pk)
            field.initial = system.pk
            field.disabled = True
        else:
            field.queryset = field.queryset.filter(self.access.system_edit_q())
