"""Forms of classification (P9.1) and the security settings."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet, ScopedModelForm
from stadga.organisation.models import Municipality
from stadga.systems.choices import Aspect
from stadga.systems.models import System

from .models import DEFAULT_FOLLOW_UP_MONTHS, InformationType, SecuritySettings


def level_choices(municipality: Municipality) -> list[tuple[Any, str]]:
    """The municipality's consequence scale as choices: "2 Betydande"."""
    return [(lv.level, str(lv)) for lv in municipality.consequence_levels.all()]


class InformationTypeForm(ScopedModelForm):
    """An information type and its classification. The system is fixed: from the URL for a new
    type (`system=`), the type's own when editing; otherwise one of the systems the user may
    edit."""

    class Meta:
        model = InformationType
        fields = [
            "system",
            "name",
            "description",
            "personal_data",
            "sensitive_personal_data",
            *Aspect.values,
            "justification",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": _("E.g. “case files about children and young people” or “invoices”."),
            "personal_data": _("The information includes personal data."),
            "sensitive_personal_data": _(
                "Special categories (GDPR art. 9: health, ethnic origin, religion …), "
                "offences (art. 10) or other data that calls for particular protection, such as "
                "protected identity."
            ),
            "justification": _(
                "Why the information gets these levels: what would happen if it leaked, were "
                "wrong, could not be reached, or could not be traced (P9.1)."
            ),
        }

    def __init__(self, *args: Any, system: System | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a level")), *level_choices(self.municipality)]
        for aspect in Aspect.values:
            self.fields[aspect] = forms.TypedChoiceField(
                label=self.fields[aspect].label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=True,
            )
        field = self.fields["system"]
        assert isinstance(field, forms.ModelChoiceField)
        fixed = self.instance.system if self.instance.pk else system
        if fixed is not None:
            # Only the one system: the page must not list the names of systems the user
            # may not read, even in a disabled field.
            field.queryset = System.objects.filter(pk=fixed.pk)
            field.initial = fixed.pk
            field.disabled = True
            self.instance.system = fixed
        else:
            field.queryset = System.objects.filter(
                self.access.system_edit_q(),
                municipality=self.municipality,
                archived_at__isnull=True,
            ).order_by("name", "pk")


class InformationTypeFilterSet(ScopedFilterSet):
    """The filters of the list of information types and of its export. There is no filter by
    system: its choices would name systems the user may not read; the search finds a system by
    name or ID."""

    search_fields = ("name", "description", "system__name", "system__identifier")

    personal_data = django_filters.BooleanFilter(label=_("Personal data"))
    sensitive_personal_data = django_filters.BooleanFilter(label=_("Sensitive personal data"))
    level = django_filters.ChoiceFilter(
        method="filter_level",
        label=_("Classification"),
        choices=[("high", _("Some aspect at level 3 or higher"))],
    )

    class Meta:
        model = InformationType
        fields = ["q", "personal_data", "sensitive_personal_data"]

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "high":
            condition = Q()
            for aspect in Aspect.values:
                condition |= Q(**{f"{aspect}__gte": 3})
            return queryset.filter(condition)
        return queryset


class SecuritySettingsForm(forms.Form):
    """The municipality's review interval (P9.1), follow-up intervals per level (P9.5) and
    escalation of unacknowledged shortfall notices (P9.6)."""

    classification_review_months = forms.IntegerField(
        label=SecuritySettings._meta.get_field("classification_review_months").verbose_name,
        min_value=1,
        max_value=120,
        help_text=_("A classification older than this is due for review (P9.1)."),
    )
    shortfall_escalation_days = forms.IntegerField(
        label=SecuritySettings._meta.get_field("shortfall_escalation_days").verbose_name,
        min_value=1,
        max_value=365,
        help_text=_(
            "A shortfall notice nobody has acknowledged after this many days is escalated (P9.6)."
        ),
    )

    def __init__(self, *args: Any, settings: SecuritySettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.fields["classification_review_months"].initial = settings.classification_review_months
        self.fields["shortfall_escalation_days"].initial = settings.shortfall_escalation_days
        configured = (
            settings.follow_up_months if isinstance(settings.follow_up_months, dict) else {}
        )
        self.levels = list(settings.municipality.consequence_levels.all())
        for level in self.levels:
            default = DEFAULT_FOLLOW_UP_MONTHS.get(
                level.level, DEFAULT_FOLLOW_UP_MONTHS[max(DEFAULT_FOLLOW_UP_MONTHS)]
            )
            self.fields[f"follow_up_{level.level}"] = forms.IntegerField(
                label=_("Follow up measures at level %(level)s every (months)")
                % {"level": str(level)},
                min_value=1,
                max_value=120,
                initial=configured.get(str(level.level), default),
            )

    def general_fields(self) -> list[forms.BoundField]:
        return [self["classification_review_months"], self["shortfall_escalation_days"]]

    def follow_up_fields(self) -> list[forms.BoundField]:
        return [self[f"follow_up_{level.level}"] for level in self.levels]

    def settings_data(self) -> dict[str, Any]:
        return {
            "classification_review_months": self.cleaned_data["classification_review_months"],
            "shortfall_escalation_days": self.cleaned_data["shortfall_escalation_days"],
            "follow_up_months": {
                str(level.level): self.cleaned_data[f"follow_up_{level.level}"]
                for level in self.levels
            },
        }
