"""The IT group's pages (P3.12): the group, its members and meetings, attendance, minutes,
decisions, the meeting as a PDF, and the settings.

Who may see and do what is in `access.py`: one who may not read the group gets a 404 for its
pages and objects; a reader who may not keep it gets a 403 for a write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.pdf import pdf_response
from stadga.core.views import MunicipalityView, Registration
from stadga.organisation.access import Access

from . import forms, selectors, services
from .access import manages_group, reads_group
from .filters import ITGroupMeetingFilterSet, ITGroupMemberFilterSet
from .models import ITGroupMeeting, ITGroupMember, MeetingDecision
from .tables import ITGroupMeetingTable, ITGroupMemberTable

NAV_SECTION = "organisation"


def _manages(access: Access, obj: Any) -> bool:
    return manages_group(access, obj.municipality_id)


def _meeting_context(access: Access, meeting: ITGroupMeeting) -> dict[str, Any]:
    manages = manages_group(access, meeting.municipality_id)
    open_record = manages and not meeting.is_archived and not meeting.minutes_approved
    return {
        "attendance": selectors.meeting_attendance(meeting),
        "decisions": selectors.meeting_decisions(meeting),
        "manages": manages and not meeting.is_archived,
        "open_record": open_record,
        "may_convene": open_record
        and meeting.status == "planned"
        and meeting.starts_at >= timezone.now(),
        "may_approve": open_record and meeting.status == "held" and bool(meeting.minutes.strip()),
    }


member_views = Registration(
    model=ITGroupMember,
    nav_section=NAV_SECTION,
    list_queryset=selectors.member_list,
    get_object=selectors.member_get,
    table=ITGroupMemberTable,
    filterset=ITGroupMemberFilterSet,
    form=forms.ITGroupMemberForm,
    create=services.member_create,
    update=lambda obj, data, actor: services.member_update(member=obj, data=data, actor=actor),
    archive=lambda obj, actor: services.member_archive(member=obj, actor=actor),
    restore=lambda obj, actor: services.member_restore(member=obj, actor=actor),
    can_create=lambda access, municipality: manages_group(access, municipality.pk),
    can_edit=_manages,
    can_archive=_manages,
    detail_fields=("person", "department", "role", "since", "until"),
)

meeting_views = Registration(
    model=ITGroupMeeting,
    nav_section=NAV_SECTION,
    list_queryset=selectors.meeting_list,
    get_object=selectors.meeting_get,
    table=ITGroupMeetingTable,
    filterset=ITGroupMeetingFilterSet,
    form=forms.ITGroupMeetingForm,
    create=services.meeting_create,
    update=lambda obj, data, actor: services.meeting_update(meeting=obj, data=data, actor=actor),
    archive=lambda obj, actor: services.meeting_archive(meeting=obj, actor=actor),
    restore=lambda obj, actor: services.meeting_restore(meeting=obj, actor=actor),
    can_create=lambda access, municipality: manages_group(access, municipality.pk),
    can_edit=lambda access, obj: _manages(access, obj) and not obj.minutes_approved,
    can_archive=_manages,
    detail_template="itgroup/meeting_detail.html",
    detail_context=_meeting_context,
)


class GroupView(MunicipalityView):
    """The group: members per department (departments without one flagged), the coordinator,
    the meetings ahead and behind. A fixed number of queries."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_group(self.access, self.municipality.pk):
            raise Http404
        return TemplateResponse(
            request,
            "itgroup/group.html",
            self.context(
                overview=selectors.group_overview(self.municipality),
                manages=manages_group(self.access, self.municipality.pk),
            ),
        )


class MeetingActionView(MunicipalityView):
    """A page or action on one meeting that only the group's keepers use, while its record is
    open (minutes not approved)."""

    nav_section = NAV_SECTION
    meeting: ITGroupMeeting

    def setup_meeting(self, pk: int) -> ITGroupMeeting:
        meeting = selectors.meeting_get(access=self.access, municipality=self.municipality, pk=pk)
        if not manages_group(self.access, self.municipality.pk) or meeting.is_archived:
            raise PermissionDenied
        self.meeting = meeting
        return meeting

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def refused(self, error: ValidationError) -> HttpResponseRedirect:
        for message in error.messages:
            messages.error(self.request, message)
        return self.back()


class AttendanceView(MeetingActionView):
    """One form listing every member (and anyone already recorded) with present, excused and
    absent: radio buttons, no script needed."""

    def render(self, form: forms.AttendanceForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "itgroup/attendance.html",
            self.context(meeting=self.meeting, form=form),
            status=status,
        )

    def make_form(self, data: Any = None) -> forms.AttendanceForm:
        return forms.AttendanceForm(data, lines=selectors.attendance_lines(self.meeting))

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        if self.meeting.minutes_approved:
            raise PermissionDenied
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.attendance_record(
                meeting=self.meeting, presences=form.presences(), actor=request.user
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The attendance was saved."))
        return self.back()


class MinutesView(MeetingActionView):
    def render(self, form: forms.MinutesForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "itgroup/form.html",
            self.context(
                meeting=self.meeting,
                form=form,
                title=_("Minutes of %(meeting)s") % {"meeting": self.meeting},
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        if self.meeting.minutes_approved:
            raise PermissionDenied
        return self.render(forms.MinutesForm(initial={"minutes": self.meeting.minutes}))

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        form = forms.MinutesForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.meeting_record_minutes(
                meeting=self.meeting, minutes=form.cleaned_data["minutes"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("The minutes were saved."))
        return self.back()


class DecisionView(MeetingActionView):
    """Add a decision to a meeting, or change one (after approval: only whether it is done)."""

    def setup_decision(self, pk: int, decision: int | None) -> MeetingDecision | None:
        self.setup_meeting(pk)
        if decision is None:
            if self.meeting.minutes_approved:
                raise PermissionDenied
            return None
        return get_object_or_404(
            MeetingDecision.objects.filter(meeting=self.meeting, archived_at__isnull=True),
            pk=decision,
        )

    def make_form(self, obj: MeetingDecision | None, data: Any = None) -> Any:
        instance = MeetingDecision.objects.get(pk=obj.pk) if obj is not None else None
        form = forms.MeetingDecisionForm(
            data, instance=instance, municipality=self.municipality, access=self.access
        )
        if self.meeting.minutes_approved:
            for name, field in form.fields.items():
                field.disabled = name != "done"
        return form

    def render(self, form: Any, obj: MeetingDecision | None, status: int = 200) -> HttpResponse:
        title = _("Change decision") if obj is not None else _("New decision")
        return TemplateResponse(
            self.request,
            "itgroup/form.html",
            self.context(meeting=self.meeting, form=form, title=title),
            status=status,
        )

    def get(
        self, request: HttpRequest, *args: Any, pk: int, decision: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_decision(pk, decision)
        return self.render(self.make_form(obj), obj)

    def post(
        self, request: HttpRequest, *args: Any, pk: int, decision: int | None = None, **kw: Any
    ) -> HttpResponse:
        obj = self.setup_decision(pk, decision)
        form = self.make_form(obj, request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                if obj is None:
                    services.decision_create(meeting=self.meeting, data=data, actor=request.user)
                else:
                    services.decision_update(decision=obj, data=data, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The decision was saved."))
                return self.back()
        return self.render(form, obj, status=400)


class ApproveMinutesView(MeetingActionView):
    """POST: approve the minutes; from then on the meeting is a record."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        try:
            services.meeting_approve_minutes(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The minutes were approved."))
        return self.back()


class ConveneView(MeetingActionView):
    """POST: send the notice, with the agenda, to every current member (P3.12)."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_meeting(pk)
        try:
            sent = services.meeting_convene(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        if sent:
            message = _("The notice was sent to %(count)s members.") % {"count": len(sent)}
        else:
            message = _("Every member had already been sent the notice for this time.")
        messages.success(request, message)
        return self.back()


class MeetingPdfView(MunicipalityView):
    """The meeting as a PDF: the notice with its agenda before it is held, the minutes with
    attendance and decisions after."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        meeting = selectors.meeting_get(access=self.access, municipality=self.municipality, pk=pk)
        local = timezone.localtime(meeting.starts_at)
        return pdf_response(
            "itgroup/meeting_pdf.html",
            {
                "municipality": self.municipality,
                "meeting": meeting,
                "attendance": selectors.meeting_attendance(meeting),
                "decisions": selectors.meeting_decisions(meeting),
                "as_minutes": meeting.status == "held",
            },
            f"it-group-{local:%Y-%m-%d}.pdf",
        )


class SettingsView(MunicipalityView):
    """How often the group must at least meet; readers of the group see it, keepers change it."""

    nav_section = NAV_SECTION

    def make_form(self, data: Any = None) -> forms.ITGroupSettingsForm:
        row = selectors.settings_for(self.municipality)
        return forms.ITGroupSettingsForm(
            data,
            instance=row if row.pk else None,
            municipality=self.municipality,
            access=self.access,
        )

    def render(self, form: forms.ITGroupSettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "itgroup/settings.html",
            self.context(form=form, can_edit=manages_group(self.access, self.municipality.pk)),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_group(self.access, self.municipality.pk):
            raise Http404
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_group(self.access, self.municipality.pk):
            raise Http404
        if not manages_group(self.access, self.municipality.pk):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        services.settings_update(
            municipality=self.municipality,
            data={"meeting_interval_months": form.cleaned_data["meeting_interval_months"]},
            actor=request.user,
        )
        messages.success(request, _("The settings were saved."))
        return HttpResponseRedirect(
            reverse("itgroup:settings", kwargs={"municipality": self.municipality.slug})
        )
