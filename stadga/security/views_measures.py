"""Protective measures and their follow-ups (P9.5), the platform's and data communication's
measures (P9.4), the gap to the classification's requirements, and the action plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from stadga.core.htmx import render_page
from stadga.core.pdf import pdf_response
from stadga.core.views import (
    PAGE_SIZE,
    MunicipalityView,
    ObjectEditView,
    ObjectListView,
    Registration,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.systems.models import System

from . import services_measures as services
from .access import can_edit_system_bound, system_bound_q
from .exports_measures import (
    action_plan,
    action_plan_pdf_context,
    action_plan_xlsx,
    gap_report,
    gap_systems,
    with_last_follow_up,
)
from .filters_measures import PLATFORM, GapFilterSet, MeasureFilterSet
from .forms_measures import FollowUpForm, MeasureForm
from .models import Measure, Requirement
from .tables_measures import MeasureTable, PlatformMeasureTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Above this many systems the gap page shows the summary; a chosen system shows its details.
GAP_DETAIL_LIMIT = 10

# --- reads ------------------------------------------------------------------------------------


def measure_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[Measure]:
    """Measures the user may read: those of the systems they read, and the platform's for those
    who read the whole municipality; with what a list row shows fetched up front."""
    qs = Measure.objects.filter(
        system_bound_q(access), municipality=municipality, archived_at__isnull=not archived
    ).select_related("municipality", "system__municipality", "requirement", "responsible")
    return with_last_follow_up(qs)


def measure_get(*, access: Access, municipality: Municipality, pk: int) -> Measure:
    """One measure, archived or not; one the user may not read (or another municipality's) is
    a 404."""
    qs = Measure.objects.filter(system_bound_q(access), municipality=municipality)
    return get_object_or_404(
        qs.select_related(
            "municipality",
            "system__municipality",
            "system__board",
            "requirement__catalogue",
            "responsible",
            "archived_by",
        ),
        pk=pk,
    )


# --- rights -----------------------------------------------------------------------------------


def can_create_measure(access: Access, municipality: Municipality) -> bool:
    """The IT department (platform and every system, P9.4), and whoever keeps a system (P9.5)."""
    if access.keeps_register(municipality.pk):
        return True
    if not access.is_member(municipality.pk):
        return False
    return (
        System.objects.filter(municipality=municipality, archived_at__isnull=True)
        .filter(access.system_edit_q())
        .exists()
    )


def can_edit_measure(access: Access, measure: Measure) -> bool:
    return can_edit_system_bound(access, measure.municipality_id, measure.system)


def _detail_context(access: Access, measure: Measure) -> dict[str, Any]:
    follow_ups = measure.follow_ups.filter(archived_at__isnull=True).select_related("performed_by")
    may_follow_up = not measure.is_archived and can_edit_measure(access, measure)
    today = timezone.localdate()
    return {
        "follow_ups": list(follow_ups),
        "can_follow_up": may_follow_up,
        "follow_up_form": (
            FollowUpForm(municipality=measure.municipality, access=access)
            if may_follow_up
            else None
        ),
        "overdue": measure.next_follow_up is not None and measure.next_follow_up < today,
    }


measure_views = Registration(
    model=Measure,
    nav_section="security",
    list_queryset=measure_list,
    get_object=measure_get,
    table=MeasureTable,
    filterset=MeasureFilterSet,
    form=MeasureForm,
    create=services.measure_create,
    update=lambda measure, data, actor: services.measure_update(
        measure=measure, data=data, actor=actor
    ),
    archive=lambda measure, actor: services.measure_archive(measure=measure, actor=actor),
    restore=lambda measure, actor: services.measure_restore(measure=measure, actor=actor),
    can_create=can_create_measure,
    can_edit=can_edit_measure,
    can_archive=can_edit_measure,
    detail_template="security/measure_detail.html",
    detail_context=_detail_context,
    list_template="security/measure_list.html",
)


# --- pages ------------------------------------------------------------------------------------


class MeasureListView(ObjectListView):
    """The systems' measures, and the platform's and data communication's in a section of
    their own (P9.4) for those who read them."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, queryset = self.filtered()
        assert isinstance(filterset, MeasureFilterSet)
        data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
        only_platform = data.get("scope") == PLATFORM
        show_platform = self.access.reads_all(self.municipality.pk) and not (
            filterset.narrows_to_systems
        )
        paginate = {"per_page": PAGE_SIZE}
        table = None
        if not only_platform:
            table = MeasureTable(
                queryset.filter(system__isnull=False), municipality=self.municipality
            )
            table.caption = _("Measures of IT systems")
            RequestConfig(request, paginate=paginate).configure(table)
        platform_table = None
        if show_platform:
            platform_table = PlatformMeasureTable(
                queryset.filter(system__isnull=True),
                municipality=self.municipality,
                prefix="platform-",
            )
            platform_table.caption = _("Measures of the platform and data communication")
            RequestConfig(request, paginate=paginate).configure(platform_table)
        context = self.context(
            filter=filterset,
            table=table,
            platform_table=platform_table,
            archived=request.GET.get("archived") == "1",
            can_create=self.registration.can_create(self.access, self.municipality),
            create_url=self.url("create"),
        )
        return render_page(
            request, self.registration.list_template, context, "security/measure_list_tables.html"
        )


class MeasureEditView(ObjectEditView):
    """The generic edit page with an evidence file, and with the system and requirement
    preselected from `?system=<pk>&requirement=<pk>` (from the gap page or a system's page)."""

    template = "security/measure_form.html"

    def make_form(self, obj: Any, data: Any = None) -> MeasureForm:
        instance = type(obj)._default_manager.get(pk=obj.pk) if obj is not None else None
        initial = self.preselected() if obj is None and data is None else {}
        return MeasureForm(
            data,
            self.request.FILES if data is not None else None,
            instance=instance,
            initial=initial,
            municipality=self.municipality,
            access=self.access,
        )

    def preselected(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        system = self.request.GET.get("system", "")
        if system.isdigit():
            initial["system"] = int(system)
        requirement_pk = self.request.GET.get("requirement", "")
        if requirement_pk.isdigit():
            requirement = Requirement.objects.filter(pk=int(requirement_pk)).first()
            if requirement is not None:
                initial["requirement"] = requirement.pk
                initial["title"] = Truncator(requirement.display_text).chars(120)
        return initial


class MeasureEvidenceView(MunicipalityView):
    """The evidence file, served only to those who read the measure."""

    nav_section = "security"

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> FileResponse:
        measure = measure_get(access=self.access, municipality=self.municipality, pk=pk)
        if not measure.evidence_file:
            raise Http404
        return FileResponse(
            measure.evidence_file.open("rb"),
            as_attachment=True,
            filename=str(measure.evidence_file.name).rsplit("/", 1)[-1],
        )


class FollowUpCreateView(MunicipalityView):
    """Record a follow-up of a measure (P9.5): whoever keeps the measure's system, or the IT
    department for the platform's (P9.4)."""

    nav_section = "security"
    template = "security/followup_form.html"

    def setup_measure(self, pk: int) -> Measure:
        measure = measure_get(access=self.access, municipality=self.municipality, pk=pk)
        if measure.is_archived or not can_edit_measure(self.access, measure):
            raise PermissionDenied
        return measure

    def render(self, measure: Measure, form: FollowUpForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(measure=measure, form=form),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        measure = self.setup_measure(pk)
        return self.render(
            measure, FollowUpForm(municipality=self.municipality, access=self.access)
        )

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        measure = self.setup_measure(pk)
        form = FollowUpForm(request.POST, municipality=self.municipality, access=self.access)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                services.follow_up_record(measure=measure, data=data, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                measure.refresh_from_db(fields=["next_follow_up"])
                messages.success(
                    request,
                    _("The follow-up was recorded. The next one is due %(date)s.")
                    % {"date": measure.next_follow_up or "–"},
                )
                return HttpResponseRedirect(measure.get_absolute_url())
        return self.render(measure, form)


class GapView(MunicipalityView):
    """The gap per system and per board (P9.1 → P9.5): the requirements the systems'
    classifications trigger against the measures documented for them."""

    nav_section = "security"

    def report(self) -> tuple[GapFilterSet, Any]:
        systems = gap_systems(self.access, self.municipality)
        filterset = GapFilterSet(
            self.request.GET or None, queryset=systems, municipality=self.municipality
        )
        report = gap_report(
            access=self.access,
            municipality=self.municipality,
            systems=filterset.qs,
            include_platform=filterset.includes_platform,
        )
        return filterset, report

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, report = self.report()
        for gap in report.systems:
            gap.can_edit = self.access.can_edit_system(gap.system)
        if report.platform is not None:
            report.platform.can_edit = self.access.keeps_register(self.municipality.pk)
        return TemplateResponse(
            request,
            "security/gap.html",
            self.context(
                filter=filterset,
                report=report,
                show_details=len(report.systems) <= GAP_DETAIL_LIMIT,
                detail_limit=GAP_DETAIL_LIMIT,
                query=request.GET.urlencode(),
            ),
        )


class ActionPlanView(GapView):
    """The action plan (handlingsplan): every open item per system, for the gap page's filters;
    `?format=xlsx` or `?format=pdf` downloads it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, report = self.report()
        plans = action_plan(report)
        fmt = request.GET.get("format", "")
        filename = f"handlingsplan-{self.municipality.slug}-{timezone.localdate():%Y-%m-%d}"
        if fmt == "xlsx":
            response = HttpResponse(action_plan_xlsx(report, plans), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        scope = self.scope_text(filterset)
        if fmt == "pdf":
            return pdf_response(
                "security/action_plan_pdf.html",
                action_plan_pdf_context(
                    municipality=self.municipality, report=report, plans=plans, scope=scope
                ),
                f"{filename}.pdf",
            )
        query = request.GET.copy()
        query.pop("format", None)
        return TemplateResponse(
            request,
            "security/action_plan.html",
            self.context(
                filter=filterset, report=report, plans=plans, scope=scope, query=query.urlencode()
            ),
        )

    def scope_text(self, filterset: GapFilterSet) -> str:
        """What the plan covers, in words, for the document's heading."""
        data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
        parts = [str(data[name]) for name in ("system", "board", "department") if data.get(name)]
        if data.get("q"):
            parts.append(_("systems matching “%(q)s”") % {"q": data["q"]})
        return ", ".join(parts) or _("All systems you can see")
