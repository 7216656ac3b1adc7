"""Forms and filters of the shortfall notices (P9.6) and the incident register."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet, ScopedModelForm
from stadga.organisation.models import Board, Department
from stadga.systems.models import System

from .access import system_bound_q
from .choices import NoticeStatus
from .models import Incident, InformationType, Measure, ShortfallNotice
from .services_incidents import INCIDENT_FIELDS
from .services_notices import FILE_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _limit(form: ScopedModelForm, name: str, queryset: QuerySet) -> None:
    """Offer only the rows the user can see (and keep those already chosen)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    assert field.queryset is not None
    visible = Q(pk__in=queryset.values("pk"))
    current = [getattr(i, "pk", i) for i in form.initial.get(name) or []]
    # The municipality's choices (ScopedModelForm), narrowed to the visible ones.
    field.queryset = field.queryset.filter(visible | Q(pk__in=current))


def _by_system(form: ScopedModelForm, name: str) -> None:
    """Name each choice with its system (two systems' measures may share a title), fetched in
    the same query."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    assert field.queryset is not None
    field.queryset = field.queryset.select_related("system")
    platform = _("Platform")

    def label(obj: Any) -> str:
        return f"{obj.system.name if obj.system_id else platform}: {obj}"

    field.label_from_instance = label  # type: ignore[method-assign]


# --- shortfall notices (P9.6) -------------------------------------------------------------------


class ShortfallNoticeForm(ScopedModelForm):
    """The written need. Filed once; what it says is never changed afterwards."""

    class Meta:
        model = ShortfallNotice
        fields = list(FILE_FIELDS)
        widgets = {
            "need": forms.Textarea(attrs={"rows": 5}),
            "risk": forms.Textarea(attrs={"rows": 5}),
            "systems": forms.SelectMultiple(attrs={"size": 6}),
            "measures": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "need": _(
                "What is missing to keep IT security acceptable, and why the money is not enough."
            ),
            "risk": _("What can happen while the need is not met, and to whom."),
            "department": _("Its head is notified. Choose the department, the board, or both."),
            "board": _("Its members are notified."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "systems", System.objects.filter(self.access.system_q()))
        _limit(self, "measures", Measure.objects.filter(system_bound_q(self.access)))
        _by_system(self, "measures")


class AcknowledgeForm(forms.Form):
    """An addressee confirms the notice has reached them; nothing to fill in."""


class DecideForm(forms.Form):
    """The addressees' decision (P9.6): funded, risk accepted or rejected, with the reason."""

    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (NoticeStatus.FUNDED, NoticeStatus.FUNDED.label),
            (NoticeStatus.RISK_ACCEPTED, NoticeStatus.RISK_ACCEPTED.label),
            (NoticeStatus.REJECTED, NoticeStatus.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the risk is accepted or the need is rejected."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") in (NoticeStatus.RISK_ACCEPTED, NoticeStatus.REJECTED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for the decision."))
        return data


class ShortfallNoticeFilterSet(ScopedFilterSet):
    search_fields = ("title", "need", "risk")

    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("Status"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )
    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label=_("Board"))

    class Meta:
        model = ShortfallNotice
        fields = ["q", "status", "department", "board"]


# --- incidents ----------------------------------------------------------------------------------


class IncidentForm(ScopedModelForm):
    """What is known of an incident. The sent reports and closing have their own forms."""

    class Meta:
        model = Incident
        fields = list(INCIDENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "lessons_learned": forms.Textarea(attrs={"rows": 5}),
            "discovered_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "systems": forms.SelectMultiple(attrs={"size": 6}),
            "information_types": forms.SelectMultiple(attrs={"size": 6}),
            "measures": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "discovered_at": _("Swedish time. The reporting deadlines are counted from it."),
            "measures": _("Measures taken or changed because of the incident (lessons learned)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = System.objects.filter(self.access.system_q())
        _limit(self, "systems", visible)
        _limit(self, "information_types", InformationType.objects.filter(system__in=visible))
        _limit(self, "measures", Measure.objects.filter(system_bound_q(self.access)))
        _by_system(self, "information_types")
        _by_system(self, "measures")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault(
                "discovered_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class MarkSentForm(forms.Form):
    """When a report to the authority was sent."""

    at = forms.DateTimeField(
        label=_("Sent at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Swedish time."),
    )


class CloseForm(forms.Form):
    """Closing an incident; nothing to fill in."""


class IncidentFilterSet(ScopedFilterSet):
    search_fields = ("title", "description", "lessons_learned")

    significant = django_filters.BooleanFilter(
        label=_("Significant incident"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    state = django_filters.ChoiceFilter(
        method="filter_state",
        label=_("State"),
        choices=[("open", _("Open")), ("closed", _("Closed"))],
    )

    class Meta:
        model = Incident
        fields = ["q", "significant", "state"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(closed_at__isnull=True)
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset
