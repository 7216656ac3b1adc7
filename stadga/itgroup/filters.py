from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedFilterSet
from stadga.organisation.models import Department

from .choices import GroupRole, MeetingStatus
from .models import ITGroupMeeting, ITGroupMember


class ITGroupMemberFilterSet(ScopedFilterSet):
    search_fields = ("person__name",)
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )
    role = django_filters.ChoiceFilter(choices=GroupRole.choices, label=_("Role in the group"))

    class Meta:
        model = ITGroupMember
        fields = ["q", "department", "role"]


class ITGroupMeetingFilterSet(ScopedFilterSet):
    search_fields = ("place", "agenda", "minutes")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))

    class Meta:
        model = ITGroupMeeting
        fields = ["q", "status"]
