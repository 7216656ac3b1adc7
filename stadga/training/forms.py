"""Forms of courses, sessions, booking, attendance, competence records by hand and the
settings (P6)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm
from stadga.organisation.models import Department, Person

from .choices import RegistrationStatus
from .models import CompetenceRecord, Course, Registration, TrainingSession, TrainingSettings


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = [
            "name",
            "kind",
            "description",
            "systems",
            "basic_training",
            "given_by",
            "provider",
            "validity_months",
            "duration_hours",
            "cost_per_participant",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class TrainingSessionForm(ScopedModelForm):
    """When, where, by whom, how many places, and for which departments: ticking several is a
    joint session (P6.2); open to partners, the staff of the partners the municipality shares
    its training with may book places too (P8.1)."""

    class Meta:
        model = TrainingSession
        fields = [
            "course",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "trainer",
            "capacity",
            "departments",
            "open_to_partners",
        ]
        widgets = {
            "starts_at": _datetime(),
            "ends_at": _datetime(),
            "departments": forms.CheckboxSelectMultiple,
        }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to those booked"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the notice that the session is cancelled."),
    )


class BookingForm(forms.Form):
    """A department head's (or the IT department's) booking of several people at once: one
    checkbox per person, no script needed."""

    people = forms.ModelMultipleChoiceField(
        label=_("Book"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person to book.")},
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        # The choices as listed (by department and name), without another query to label them.
        field.choices = [
            (p.pk, f"{p.name} ({p.department})" if p.department_id else p.name) for p in people
        ]


class DepartmentChoiceForm(forms.Form):
    """For the IT department: whose staff to list for booking (a GET form)."""

    department = forms.ModelChoiceField(
        label=_("Staff of department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class AttendanceForm(forms.Form):
    """One checkbox per person holding a place: ticked, they attended; unticked, absent."""

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[self.field_name(registration.pk)] = forms.BooleanField(
                label=str(registration.person),
                required=False,
                initial=registration.status == RegistrationStatus.ATTENDED,
            )

    @staticmethod
    def field_name(registration_id: int) -> str:
        return f"attended_{registration_id}"

    def attended(self) -> dict[int, bool]:
        return {
            r.pk: bool(self.cleaned_data.get(self.field_name(r.pk))) for r in self.registrations
        }


class CompetenceRecordForm(ScopedModelForm):
    """A completion recorded by hand (e.g. a course taken elsewhere); the validity follows
    from the course unless given."""

    class Meta:
        model = CompetenceRecord
        fields = ["course", "completed_on", "valid_until", "note"]
        widgets = {"completed_on": _date(), "valid_until": _date()}
        help_texts = {"valid_until": _("Empty: from the course's validity.")}


class TrainingSettingsForm(ScopedModelForm):
    class Meta:
        model = TrainingSettings
        fields = ["expiry_notice_days", "new_user_grace_days", "watch_interval_months"]
