"""Forms of the requirements, the system users and the coverage page's filters (P6)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet, ScopedModelForm
from stadga.organisation.models import Department, Person
from stadga.systems.models import System

from .choices import RequirementScope
from .coverage import CoverageStatus
from .models import Course, TrainingRequirement


class TrainingRequirementForm(ScopedModelForm):
    """A course required of a role's holders (optionally in one department) or of a system's
    users; the model's `clean` says which fields go with which."""

    class Meta:
        model = TrainingRequirement
        fields = ["course", "scope", "role", "department", "system", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].help_text = _("For a requirement on the holders of a role.")
        self.fields["system"].help_text = _("For a requirement on the users of a system.")
        self.fields["department"].help_text = _(
            "Empty: the requirement applies in every department."
        )


class TrainingRequirementFilterSet(ScopedFilterSet):
    search_fields = ("course__name", "note")
    scope = django_filters.ChoiceFilter(choices=RequirementScope.choices, label=_("Applies to"))
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all(), label=_("Course"))
    system = django_filters.ModelChoiceFilter(queryset=System.objects.all(), label=_("System"))

    class Meta:
        model = TrainingRequirement
        fields = ["q", "scope", "course", "system"]


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SystemUseForm(forms.Form):
    """Add a person as a user of the system: from the people the user may keep this for (all
    for the IT department, their staff for a department head)."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    since = forms.DateField(label=_("User since"), widget=_date())

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class CoverageFilterForm(forms.Form):
    """The coverage page's filters: a department, a system, a course, a status — GET, so a
    filtered page can be linked to and downloaded."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("Department")
    )
    system = forms.ModelChoiceField(
        queryset=System.objects.none(), required=False, label=_("System")
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(), required=False, label=_("Course")
    )
    status = forms.ChoiceField(
        choices=[("", _("Everything lacking")), *CoverageStatus.choices],
        required=False,
        label=_("Status"),
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        systems: QuerySet[System],
        courses: QuerySet[Course],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("department", departments),
            ("system", systems),
            ("course", courses),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
            field.empty_label = str(_("All"))

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None
