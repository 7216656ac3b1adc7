"""Pages of the resource-shortfall notices (P9.6) and of the incident register.

Both are records: neither offers an archive, and a notice offers no edit either: once filed, its
need and risk stand as written; the addressees acknowledge and decide on it.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.tables import ScopedTable
from stadga.core.views import ObjectEditView, RegisteredView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality

from . import services_incidents, services_notices
from .access import can_decide_notice, incident_q, notice_q
from .choices import DECIDED_NOTICE_STATUSES, NoticeStatus
from .forms_notices import (
    AcknowledgeForm,
    CloseForm,
    DecideForm,
    IncidentFilterSet,
    IncidentForm,
    MarkSentForm,
    ShortfallNoticeFilterSet,
    ShortfallNoticeForm,
)
from .models import Incident, ShortfallNotice

NAV_SECTION = "security"


def _never(*args: Any, **kwargs: Any) -> Any:
    """For the generic actions these records do not offer (archive; a notice's edit)."""
    raise PermissionDenied


# --- selectors ----------------------------------------------------------------------------------


def shortfall_notice_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[ShortfallNotice]:
    """The notices the user reads, the undecided ones first, newest first."""
    qs = ShortfallNotice.objects.filter(notice_q(access), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return (
        qs.select_related("municipality", "written_by", "department", "board")
        .annotate(
            decided=Case(
                When(status__in=DECIDED_NOTICE_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("decided", "-created_at", "-pk")
    )


def shortfall_notice_get(*, access: Access, municipality: Municipality, pk: int) -> ShortfallNotice:
    """One notice the user reads; another municipality's or an unseen one is a 404."""
    qs = ShortfallNotice.objects.filter(notice_q(access), municipality=municipality)
    qs = qs.select_related(
        "municipality", "written_by", "department", "board", "acknowledged_by", "decided_by"
    ).prefetch_related("systems", "measures__system")
    return get_object_or_404(qs, pk=pk)


def _incidents_visible(access: Access) -> Q:
    """incident_q (the IT department, readers of everything, readers of an affected system),
    and the reporter, as a subquery: the join over systems would repeat rows."""
    q = incident_q(access)
    if access.is_operator:
        return q
    return Q(pk__in=Incident.objects.filter(q).values("pk")) | Q(
        reported_by_id__in=access.person_ids
    )


def incident_list(
    *, access: Access, municipality: Municipality | None = None, archived: bool = False
) -> QuerySet[Incident]:
    qs = Incident.objects.filter(_incidents_visible(access), archived_at__isnull=not archived)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("municipality", "reported_by").prefetch_related("systems")


def incident_get(*, access: Access, municipality: Municipality, pk: int) -> Incident:
    qs = Incident.objects.filter(_incidents_visible(access), municipality=municipality)
    qs = qs.select_related("municipality", "reported_by").prefetch_related(
        "systems", "information_types__system", "measures__system"
    )
    return get_object_or_404(qs, pk=pk)


# --- tables -------------------------------------------------------------------------------------


class ShortfallNoticeTable(ScopedTable):
    title = tables.Column(linkify=True)
    status = tables.Column()
    department = tables.Column(order_by=("department__name",))
    board = tables.Column(order_by=("board__name",))
    written_by = tables.Column(order_by=("written_by__name",))
    created_at = tables.DateColumn(verbose_name=gettext_lazy("Filed"), format="Y-m-d")
    escalated_at = tables.DateColumn(verbose_name=gettext_lazy("Escalated"), format="Y-m-d")

    class Meta(ScopedTable.Meta):
        model = ShortfallNotice
        fields = (
            "title",
            "status",
            "department",
            "board",
            "written_by",
            "created_at",
            "escalated_at",
        )


class IncidentTable(ScopedTable):
    title = tables.Column(linkify=True)
    discovered_at = tables.DateTimeColumn(format="Y-m-d H:i")
    significant = tables.BooleanColumn(yesno=(gettext_lazy("Yes"), gettext_lazy("No")))
    systems = tables.Column(verbose_name=gettext_lazy("Systems"), orderable=False, empty_values=())
    next_deadline = tables.Column(
        verbose_name=gettext_lazy("Next deadline"), orderable=False, empty_values=()
    )
    closed_at = tables.DateColumn(verbose_name=gettext_lazy("Closed"), format="Y-m-d")

    class Meta(ScopedTable.Meta):
        model = Incident
        fields = ("title", "discovered_at", "significant", "closed_at")
        sequence = ("title", "discovered_at", "significant", "systems", "next_deadline")

    def render_systems(self, record: Incident) -> str:
        return ", ".join(s.name for s in record.systems.all()) or "–"

    def render_next_deadline(self, record: Incident) -> Any:
        if record.closed_at is not None:
            return "–"
        pending = [d for d in services_incidents.incident_deadlines(record) if d.sent_at is None]
        if not pending:
            return "–"
        first = pending[0]
        due = timezone.localtime(first.due_at, services_incidents.LEGAL_TIMEZONE)
        text = f"{first.label} {due:%Y-%m-%d %H:%M}"
        if first.overdue:
            return format_html_join(
                "", '<span class="badge badge--gap">{}</span> {}', [(_("Overdue"), text)]
            )
        return text


# --- shortfall notices --------------------------------------------------------------------------


def _notice_list(*, access: Access, municipality: Municipality, archived: bool) -> QuerySet:
    return shortfall_notice_list(access=access, municipality=municipality, archived=archived)


def _notice_timeline(notice: ShortfallNotice) -> list[tuple[str, Any, Any, str]]:
    """(what, when, who, note) for each step the notice has taken, in order."""
    steps: list[tuple[str, Any, Any, str]] = [
        (_("Filed"), notice.created_at, notice.written_by, "")
    ]
    if notice.acknowledged_at:
        steps.append((_("Acknowledged"), notice.acknowledged_at, notice.acknowledged_by, ""))
    if notice.escalated_at:
        steps.append(
            (
                _("Escalated to the executive board and the IT coordinator"),
                notice.escalated_at,
                None,
                "",
            )
        )
    if notice.decided_at:
        decision = _("Decided: %(status)s") % {"status": notice.get_status_display()}
        steps.append((decision, notice.decided_at, notice.decided_by, notice.decision_reason))
    return sorted(steps, key=lambda step: step[1])


def _notice_context(
    access: Access,
    notice: ShortfallNotice,
    decide_form: DecideForm | None = None,
    error_form: forms.Form | None = None,
) -> dict[str, Any]:
    """The addressees, the timeline and the addressees' forms; `error_form` is a refused
    step's form, for the error summary."""
    may_decide = can_decide_notice(access, notice)
    return {
        "addressees": services_notices.shortfall_notice_addressees(notice),
        "timeline": _notice_timeline(notice),
        "can_acknowledge": may_decide and notice.acknowledged_at is None,
        "can_decide": may_decide and notice.status not in DECIDED_NOTICE_STATUSES,
        "acknowledge_form": AcknowledgeForm(),
        "decide_form": decide_form or DecideForm(),
        "form": error_form,  # the error summary's
        "is_open": notice.status in (NoticeStatus.OPEN, NoticeStatus.ACKNOWLEDGED),
    }


notice_views = Registration(
    model=ShortfallNotice,
    nav_section=NAV_SECTION,
    list_queryset=_notice_list,
    get_object=shortfall_notice_get,
    table=ShortfallNoticeTable,
    filterset=ShortfallNoticeFilterSet,
    form=ShortfallNoticeForm,
    create=services_notices.shortfall_notice_file,
    update=_never,
    archive=_never,
    restore=_never,
    can_create=services_notices.can_file_notice,
    can_edit=lambda access, notice: False,
    can_archive=lambda access, notice: False,
    detail_template="security/shortfallnotice_detail.html",
    list_template="security/shortfallnotice_list.html",
    detail_context=_notice_context,
)


class NoticeFileView(ObjectEditView):
    """The form a system owner or the IT coordinator writes the need in (create only)."""

    template = "security/shortfallnotice_form.html"


class NoticePageView(RegisteredView):
    """The notice's page: what it says, its timeline, and the addressees' forms. The generic
    detail page would link an edit and an archive that a notice does not have."""

    registration = notice_views

    def render_detail(
        self, notice: ShortfallNotice, form: forms.Form | None = None, status: int = 200
    ) -> HttpResponse:
        return TemplateResponse(
            self.request,
            notice_views.detail_template,
            self.context(
                object=notice,
                can_edit=False,
                can_archive=False,
                history_url=self.url("history", pk=notice.pk),
                **_notice_context(
                    self.access,
                    notice,
                    decide_form=form if isinstance(form, DecideForm) else None,
                    error_form=form,
                ),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        return self.render_detail(self.get_object(pk))


class NoticeActionView(NoticePageView):
    """A POST by an addressee: acknowledge or decide. Errors re-render the notice's page."""

    http_method_names = ["post"]

    def setup_notice(self, pk: int) -> ShortfallNotice:
        notice = self.get_object(pk)
        if not can_decide_notice(self.access, notice):
            raise PermissionDenied
        return notice


class NoticeAcknowledgeView(NoticeActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        notice = self.setup_notice(pk)
        try:
            services_notices.shortfall_notice_acknowledge(notice=notice, actor=request.user)
        except ValidationError as error:
            notice.refresh_from_db()
            form = AcknowledgeForm(request.POST)
            form.is_valid()
            form.add_error(None, error.messages)
            return self.render_detail(notice, form, status=400)
        messages.success(request, _("The notice was acknowledged."))
        return HttpResponseRedirect(notice.get_absolute_url())


class NoticeDecideView(NoticeActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        notice = self.setup_notice(pk)
        form = DecideForm(request.POST)
        if form.is_valid():
            try:
                services_notices.shortfall_notice_decide(
                    notice=notice,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                notice.refresh_from_db()
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The decision was recorded."))
                return HttpResponseRedirect(notice.get_absolute_url())
        return self.render_detail(notice, form, status=400)


# --- incidents ----------------------------------------------------------------------------------


def _incident_list(*, access: Access, municipality: Municipality, archived: bool) -> QuerySet:
    return incident_list(access=access, municipality=municipality, archived=archived)


def _incident_context(
    access: Access,
    incident: Incident,
    sent_forms: dict[str, MarkSentForm] | None = None,
    close_form: CloseForm | None = None,
) -> dict[str, Any]:
    """The deadlines with a form each to record when the report was sent, and closing."""
    may_edit = services_incidents.can_edit_incident(access, incident)
    now = timezone.localtime().replace(second=0, microsecond=0)
    sent_forms = sent_forms or {}
    rows = [
        (
            deadline,
            sent_forms.get(deadline.name)
            or MarkSentForm(initial={"at": deadline.sent_at or now}, prefix=deadline.name),
        )
        for deadline in services_incidents.incident_deadlines(incident)
    ]
    failed = [f for f in (*sent_forms.values(), close_form) if f is not None and f.errors]
    return {
        "deadlines": rows,
        "can_report": may_edit and not incident.is_archived,
        "can_close": may_edit and incident.closed_at is None and not incident.is_archived,
        "close_form": close_form or CloseForm(),
        "form": failed[0] if failed else None,  # the error summary's
    }


incident_views = Registration(
    model=Incident,
    nav_section=NAV_SECTION,
    list_queryset=_incident_list,
    get_object=incident_get,
    table=IncidentTable,
    filterset=IncidentFilterSet,
    form=IncidentForm,
    create=services_incidents.incident_report,
    update=lambda incident, data, actor: services_incidents.incident_update(
        incident=incident, data=data, actor=actor
    ),
    archive=_never,
    restore=_never,
    can_create=services_incidents.can_report_incident,
    can_edit=services_incidents.can_edit_incident,
    can_archive=lambda access, incident: False,  # a record: closed, never archived
    detail_template="security/incident_detail.html",
    list_template="security/incident_list.html",
    detail_context=_incident_context,
)


class IncidentActionView(RegisteredView):
    """A POST on an incident's page: a report sent, or closing. Errors re-render the page."""

    registration = incident_views

    def setup_incident(self, pk: int) -> Incident:
        incident = self.get_object(pk)
        if incident.is_archived or not services_incidents.can_edit_incident(self.access, incident):
            raise PermissionDenied
        return incident

    def render_detail(self, incident: Incident, **forms: Any) -> HttpResponse:
        return TemplateResponse(
            self.request,
            incident_views.detail_template,
            self.context(
                object=incident,
                can_edit=True,
                can_archive=False,
                edit_url=self.url("edit", pk=incident.pk),
                history_url=self.url("history", pk=incident.pk),
                **_incident_context(self.access, incident, **forms),
            ),
            status=400,
        )


class IncidentMarkSentView(IncidentActionView):
    def post(
        self, request: HttpRequest, *args: Any, pk: int, which: str, **kwargs: Any
    ) -> HttpResponse:
        if which not in services_incidents.DEADLINE_NAMES:
            raise Http404
        incident = self.setup_incident(pk)
        form = MarkSentForm(request.POST, prefix=which)
        if form.is_valid():
            try:
                services_incidents.incident_mark_sent(
                    incident=incident, which=which, at=form.cleaned_data["at"], actor=request.user
                )
            except ValidationError as error:
                incident.refresh_from_db()
                form.add_error("at", error.messages)
            else:
                messages.success(request, _("The time it was sent was recorded."))
                return HttpResponseRedirect(incident.get_absolute_url())
        return self.render_detail(incident, sent_forms={which: form})


class IncidentCloseView(IncidentActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        incident = self.setup_incident(pk)
        form = CloseForm(request.POST)
        try:
            services_incidents.incident_close(incident=incident, actor=request.user)
        except ValidationError as error:
            form.is_valid()
            form.add_error(None, error.messages)
            return self.render_detail(incident, close_form=form)
        messages.success(request, _("The incident was closed."))
        return HttpResponseRedirect(incident.get_absolute_url())
