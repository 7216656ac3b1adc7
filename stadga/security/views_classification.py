"""Classification pages (P9.1): a system's information types and the levels and requirements
they give it, the information types themselves, their import, and the security settings.

Information types follow their system (`stadga.security.access`): whoever reads the system reads
its classification, whoever may edit the system classifies it (its system owner, P9.3).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.core.tables import ScopedTable
from stadga.core.tabular import views as tabular_views
from stadga.core.views import MunicipalityView, ObjectListView, Registration
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.systems.choices import Aspect
from stadga.systems.models import System
from stadga.systems.views import SystemSectionCreateView

from . import services_classification as services
from .access import system_bound_q
from .forms_classification import (
    InformationTypeFilterSet,
    InformationTypeForm,
    SecuritySettingsForm,
)
from .models import InformationType, SecuritySettings
from .requirements import by_category, triggered_with_measures
from .tabular import ClassificationTabular

NAV_SECTION = "security"


# --- Reads -----------------------------------------------------------------------------------


def information_type_list(
    *, access: Access, municipality: Municipality, archived: bool = False
) -> QuerySet[InformationType]:
    """The information types of the systems the user reads."""
    return InformationType.objects.filter(
        system_bound_q(access),
        municipality=municipality,
        archived_at__isnull=not archived,
    ).select_related("municipality", "system", "classified_by")


def information_type_get(*, access: Access, municipality: Municipality, pk: int) -> InformationType:
    """One information type, archived or not; another municipality's or an unseen one is a 404."""
    queryset = InformationType.objects.filter(
        system_bound_q(access), municipality=municipality
    ).select_related("municipality", "system__municipality", "classified_by", "archived_by")
    return get_object_or_404(queryset, pk=pk)


def classification_system_get(*, access: Access, municipality: Municipality, pk: int) -> System:
    """The system whose classification is shown: one the user reads, else a 404."""
    queryset = System.objects.filter(access.system_q(), municipality=municipality)
    return get_object_or_404(
        queryset.select_related("municipality", "board", "department", "system_owner"), pk=pk
    )


def _levels(municipality: Municipality) -> dict[int, Any]:
    return {lv.level: lv for lv in municipality.consequence_levels.all()}


# --- Information types -----------------------------------------------------------------------


class InformationTypeTable(ScopedTable):
    name = tables.Column(linkify=True)
    system = tables.Column(order_by=("system__name",))
    classification = tables.Column(
        verbose_name=gettext_lazy("C/I/A/T"),
        empty_values=(),
        order_by=tuple(f"-{a}" for a in Aspect.values),
        attrs={
            "th": {"title": gettext_lazy("Confidentiality, integrity, availability, traceability")},
            "td": {"class": "nowrap"},
        },
    )
    personal_data = tables.BooleanColumn()
    sensitive_personal_data = tables.BooleanColumn()
    classified_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "nowrap"}})

    class Meta(ScopedTable.Meta):
        model = InformationType
        fields = ("name", "system", "personal_data", "sensitive_personal_data", "classified_on")
        sequence = ("name", "system", "classification", "...")
        order_by = ("system", "name")

    def render_classification(self, record: InformationType) -> str:
        return " / ".join("–" if level is None else str(level) for level in record.levels.values())


def _can_edit(access: Access, information_type: InformationType) -> bool:
    return access.can_edit_system(information_type.system)


def _can_create(access: Access, municipality: Municipality) -> bool:
    """Whether the user may classify some system of the municipality."""
    if access.keeps_register(municipality.pk):
        return True
    return System.objects.filter(
        access.system_edit_q(), municipality=municipality, archived_at__isnull=True
    ).exists()


def _detail_context(access: Access, information_type: InformationType) -> dict[str, Any]:
    levels = _levels(information_type.municipality)
    settings = SecuritySettings.for_municipality(information_type.municipality)
    return {
        "level_rows": [
            (Aspect(aspect).label, levels.get(level) if level is not None else None)
            for aspect, level in information_type.levels.items()
        ],
        "review_due": services.review_due_on(
            information_type.classified_on, months=settings.classification_review_months
        ),
        "today": timezone.localdate(),
        "classification_url": _classification_url(information_type.system),
    }


def _classification_url(system: System) -> str:
    return reverse(
        "security:system_classification",
        kwargs={"municipality": system.municipality.slug, "system_pk": system.pk},
    )


information_type_views = Registration(
    model=InformationType,
    nav_section=NAV_SECTION,
    list_queryset=information_type_list,
    get_object=information_type_get,
    table=InformationTypeTable,
    filterset=InformationTypeFilterSet,
    form=InformationTypeForm,
    create=lambda municipality, data, actor: services.information_type_create(
        system=data["system"], data=data, actor=actor
    ),
    update=lambda information_type, data, actor: services.information_type_update(
        information_type=information_type, data=data, actor=actor
    ),
    archive=lambda information_type, actor: services.information_type_archive(
        information_type=information_type, actor=actor
    ),
    restore=lambda information_type, actor: services.information_type_restore(
        information_type=information_type, actor=actor
    ),
    can_create=_can_create,
    can_edit=_can_edit,
    can_archive=_can_edit,
    detail_template="security/informationtype_detail.html",
    detail_context=_detail_context,
    list_template="security/informationtype_list.html",
)


class InformationTypeCreateView(SystemSectionCreateView):
    """A new information type, from a system's classification page (the system fixed, and back
    there) or choosing one of the systems the user may edit."""

    section_form = InformationTypeForm

    def section_system(self, pk: int) -> System:
        return classification_system_get(access=self.access, municipality=self.municipality, pk=pk)

    def section_url(self, system: System) -> str:
        return _classification_url(system)


class InformationTypeListView(ObjectListView):
    """The generic list, with the import for those who may classify every system."""

    def context(self, **extra: Any) -> dict[str, Any]:
        return super().context(may_import=self.access.keeps_register(self.municipality.pk), **extra)


def information_type_urls() -> list:
    """The generic pages of information types, with the list that offers the import and the
    create page that knows its system."""
    registration = information_type_views
    replaced = {registration.url_name("list"), registration.url_name("create")}
    return [
        path(
            "",
            InformationTypeListView.as_view(registration=registration),
            name="informationtype_list",
        ),
        path(
            "new/",
            InformationTypeCreateView.as_view(registration=registration),
            name="informationtype_create",
        ),
        *[p for p in registration.urls() if p.name not in replaced],
    ]


# --- A system's classification ---------------------------------------------------------------


@dataclass
class TypeRow:
    """An information type as the classification page shows it."""

    object: InformationType
    levels: list[Any]  # the ConsequenceLevel of each aspect, or None
    review_due: datetime.date | None
    overdue: bool

    @classmethod
    def of(
        cls,
        information_type: InformationType,
        *,
        levels: dict[int, Any],
        months: int,
        today: datetime.date,
    ) -> TypeRow:
        due = services.review_due_on(information_type.classified_on, months=months)
        return cls(
            object=information_type,
            levels=[
                levels.get(level) if level is not None else None
                for level in information_type.levels.values()
            ],
            review_due=due,
            overdue=due is None or due <= today,
        )


class SystemClassificationView(MunicipalityView):
    """A system's information types with their levels and justification, the levels they give
    the system, when the classification is due for review, and the baseline requirements it
    triggers, each with whether a measure answers it (P9.1 → P9.5). A fixed number of queries."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, system_pk: int, **kwargs: Any) -> HttpResponse:
        system = classification_system_get(
            access=self.access, municipality=self.municipality, pk=system_pk
        )
        system.municipality = self.municipality
        settings = SecuritySettings.for_municipality(self.municipality)
        months = settings.classification_review_months
        levels = _levels(self.municipality)
        today = timezone.localdate()
        types = list(
            InformationType.objects.filter(system=system)
            .select_related("classified_by")
            .order_by("name", "pk")
        )
        for information_type in types:
            information_type.municipality = self.municipality  # for its links, without a query
        current = [t for t in types if not t.is_archived]
        rows = [
            TypeRow.of(information_type, levels=levels, months=months, today=today)
            for information_type in current
        ]
        dues = [row.review_due for row in rows]
        review_due = min(d for d in dues if d is not None) if None not in dues and dues else None
        triggered = triggered_with_measures([system]).get(system.pk, [])
        can_edit = not system.is_archived and self.access.can_edit_system(system)
        return TemplateResponse(
            request,
            "security/classification.html",
            self.context(
                system=system,
                rows=rows,
                archived_types=[t for t in types if t.is_archived],
                system_levels=[
                    (
                        Aspect(aspect).label,
                        levels.get(level) if level is not None else None,
                    )
                    for aspect, level in system.classification.items()
                ],
                review_months=months,
                review_due=review_due,
                review_overdue=bool(rows) and (review_due is None or review_due <= today),
                triggered_groups=by_category(triggered),
                triggered_count=len(triggered),
                handled_count=sum(1 for row in triggered if row.handled),
                can_edit=can_edit,
                may_add_measures=self.access.can_edit_system(system),
                create_url=reverse(
                    "security:informationtype_create",
                    kwargs={"municipality": self.municipality.slug},
                )
                + f"?system={system.pk}",
            ),
        )


# --- Security settings -----------------------------------------------------------------------


class SecuritySettingsView(MunicipalityView):
    """The municipality's intervals for classification review (P9.1), follow-ups per level
    (P9.5) and escalation of shortfall notices (P9.6): members read, the IT coordinator
    changes them."""

    nav_section = NAV_SECTION

    def render(self, form: SecuritySettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "security/settings.html",
            self.context(
                form=form, can_edit=self.access.manages_organisation(self.municipality.pk)
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = SecuritySettings.for_municipality(self.municipality)
        return self.render(SecuritySettingsForm(settings=settings))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access.manages_organisation(self.municipality.pk):
            raise PermissionDenied
        settings = services.security_settings_for(self.municipality)
        form = SecuritySettingsForm(request.POST, settings=settings)
        if not form.is_valid():
            return self.render(form, status=400)
        services.security_settings_update(
            municipality=self.municipality, data=form.settings_data(), actor=request.user
        )
        messages.success(request, _("The settings were saved."))
        return HttpResponseRedirect(request.path)


# --- Import and export of classifications ------------------------------------------------------


class _ClassificationTabular(tabular_views.TabularView):
    spec_class = ClassificationTabular
    nav_section = NAV_SECTION
    url_names = {
        "list": "security:informationtype_list",
        "import": "security:classification_import",
        "confirm": "security:classification_import_confirm",
        "template": "security:classification_import_template",
        "export": "security:classification_export",
    }
    import_template = "security/classification_import.html"
    preview_template = "security/classification_import_preview.html"

    def may_import(self) -> bool:
        # An import may classify any system of the municipality: the IT department's (P3.2).
        return self.access.keeps_register(self.municipality.pk)

    def export_queryset(self) -> Any:
        queryset = information_type_list(
            access=self.access,
            municipality=self.municipality,
            archived=self.request.GET.get("archived") == "1",
        )
        filterset = InformationTypeFilterSet(
            self.request.GET or None, queryset=queryset, municipality=self.municipality
        )
        return filterset.qs


class ClassificationImportView(_ClassificationTabular, tabular_views.ImportView):
    pass


class ClassificationImportConfirmView(_ClassificationTabular, tabular_views.ImportConfirmView):
    pass


class ClassificationImportTemplateView(_ClassificationTabular, tabular_views.TemplateDownloadView):
    pass


class ClassificationExportView(_ClassificationTabular, tabular_views.ExportView):
    pass
