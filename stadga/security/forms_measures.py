"""Forms for protective measures (P9.5, P9.4) and their follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm
from stadga.organisation.models import Person
from stadga.systems.models import System

from .models import FollowUp, Measure, Requirement
from .requirements import current_requirements

# Evidence is a document or a screenshot, not an archive of logs.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class _StoredFile:
    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class EvidenceFileInput(forms.ClearableFileInput):
    """Links the stored file to the page that serves it to the measure's readers; the media
    folder itself is not served (evidence may be sensitive)."""

    download_url = ""

    def format_value(self, value: Any) -> Any:
        if self.is_initial(value):
            return _StoredFile(self.download_url, str(value.name).rsplit("/", 1)[-1])
        return None


class RequirementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.display_text[:90]}"


class MeasureForm(ScopedModelForm):
    """A measure for one of the systems the user keeps or, for the IT department, for the
    platform and data communication (no system, P9.4)."""

    evidence_link = forms.URLField(
        label=capfirst(_("link to evidence")),
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = Measure
        fields = [
            "system",
            "requirement",
            "title",
            "description",
            "status",
            "planned_for",
            "not_applicable_reason",
            "responsible",
            "evidence",
            "evidence_link",
            "evidence_file",
            "follow_up_months",
        ]
        field_classes = {"requirement": RequirementChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "not_applicable_reason": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "planned_for": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evidence_file": EvidenceFileInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        m = self.municipality
        if self.instance.pk:
            widget = self.fields["evidence_file"].widget
            assert isinstance(widget, EvidenceFileInput)
            widget.download_url = reverse(
                "security:measure_evidence", kwargs={"municipality": m.slug, "pk": self.instance.pk}
            )
        keeps_platform = self.access.keeps_register(m.pk)
        system = self.fields["system"]
        assert isinstance(system, forms.ModelChoiceField)
        # P9.3/P9.5: a system owner documents measures for their own systems only.
        editable = Q(municipality=m, archived_at__isnull=True) & self.access.system_edit_q()
        if self.instance.system_id:
            editable |= Q(pk=self.instance.system_id)
        system.queryset = System.objects.filter(editable).order_by("name")
        system.required = not keeps_platform
        if keeps_platform:
            system.empty_label = str(_("None: the platform and data communication (P9.4)"))
            system.help_text = _(
                "Leave empty for a measure of the technical platform or data communication."
            )
        requirement = self.fields["requirement"]
        assert isinstance(requirement, forms.ModelChoiceField)
        # The current catalogue's requirements; a measure keeps one of an earlier version.
        current = Q(pk__in=current_requirements().values("pk"))
        if self.instance.requirement_id:
            current |= Q(pk=self.instance.requirement_id)
        requirement.queryset = (
            Requirement.objects.filter(current)
            .select_related("catalogue")
            .order_by("catalogue__key", "order")
        )
        requirement.help_text = _("The baseline requirement the measure meets, if any.")
        months = self.fields["follow_up_months"]
        assert isinstance(months, forms.IntegerField)
        months.required = False
        months.min_value = 1
        months.validators.append(MinValueValidator(1))
        months.widget.attrs["min"] = 1
        self.fields["follow_up_months"].help_text = _(
            "Leave empty for the interval the municipality sets for the classification level."
        )
        if not self.instance.pk:
            self.fields["follow_up_months"].initial = None
        self.fields["planned_for"].help_text = _("Required when the measure is planned.")
        self.fields["not_applicable_reason"].help_text = _(
            "Required when the measure does not apply."
        )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload and getattr(upload, "size", 0) > EVIDENCE_MAX_BYTES:
            raise ValidationError(
                _("The file is too big; the largest allowed is %(size)s.")
                % {"size": filesizeformat(EVIDENCE_MAX_BYTES)}
            )
        return upload


class FollowUpForm(ScopedModelForm):
    """A check of a measure's effect (P9.5); who did it defaults to the one recording it."""

    class Meta:
        model = FollowUp
        fields = ["performed_on", "performed_by", "effect", "checked", "action"]
        widgets = {
            "performed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "checked": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        m = self.municipality
        self.fields["performed_on"].initial = timezone.localdate()
        own = self.access.persons.get(m.pk, set())
        performed_by = self.fields["performed_by"]
        assert isinstance(performed_by, forms.ModelChoiceField)
        performed_by.queryset = Person.objects.filter(municipality=m, archived_at__isnull=True)
        if own:
            performed_by.required = False
            performed_by.initial = min(own)
            performed_by.help_text = _("Leave as it is if you did the follow-up yourself.")
        self.fields["action"].help_text = _(
            "Required when the measure is only partly effective or not effective."
        )

    def clean_performed_on(self) -> Any:
        performed_on = self.cleaned_data.get("performed_on")
        if performed_on and performed_on > timezone.localdate():
            raise ValidationError(_("A follow-up is recorded once it is done."))
        return performed_on
