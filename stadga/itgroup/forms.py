"""The IT group's forms (P3.12): seats, meetings, minutes, decisions, attendance, settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm
from stadga.organisation.choices import Role
from stadga.organisation.models import Person

from .choices import Presence
from .models import ITGroupMeeting, ITGroupMember, ITGroupSettings, MeetingDecision
from .selectors import AttendanceLine


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ITGroupMemberForm(ScopedModelForm):
    class Meta:
        model = ITGroupMember
        fields = ["person", "department", "role", "since", "until"]
        widgets = {"since": _date(), "until": _date()}


class ITGroupMeetingForm(ScopedModelForm):
    """Time, place, who convenes (the IT coordinators to choose from) and the agenda."""

    class Meta:
        model = ITGroupMeeting
        fields = ["starts_at", "place", "convened_by", "status", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["convened_by"]
        assert isinstance(field, forms.ModelChoiceField)
        coordinators = Person.objects.filter(
            municipality=self.municipality,
            archived_at__isnull=True,
            roles__role=Role.IT_COORDINATOR,
            roles__archived_at__isnull=True,
        )
        current = self.instance.convened_by_id
        field.queryset = Person.objects.filter(pk__in=coordinators.values("pk")) | (
            Person.objects.filter(pk=current) if current else Person.objects.none()
        )
        field.help_text = _(
            "The IT coordinator, who convenes and leads the group (P3.12). Left empty, the "
            "person of your login."
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Saving the minutes marks the meeting as held."),
    )


class MeetingDecisionForm(ScopedModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["text", "responsible", "due_date", "done"]
        widgets = {"due_date": _date(), "text": forms.Textarea(attrs={"rows": 4})}


class ITGroupSettingsForm(ScopedModelForm):
    class Meta:
        model = ITGroupSettings
        fields = ["meeting_interval_months"]


class AttendanceForm(forms.Form):
    """One radio group per person: everyone who was a member on the meeting's day, and anyone
    already recorded. Nothing chosen leaves the person unrecorded."""

    def __init__(self, *args: Any, lines: list[AttendanceLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            label = str(line.person)
            if line.member is not None:
                label = f"{line.person} ({line.member.department})"
            self.fields[self.field_name(line.person.pk)] = forms.ChoiceField(
                label=label,
                choices=Presence.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=line.presence or None,
            )

    @staticmethod
    def field_name(person_id: int) -> str:
        return f"person_{person_id}"

    def presences(self) -> dict[int, str]:
        return {
            line.person.pk: self.cleaned_data.get(self.field_name(line.person.pk)) or ""
            for line in self.lines
        }
