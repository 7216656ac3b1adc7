"""The organisation's pages (P3) and the municipality's start page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.core.services import object_archive, object_restore
from stadga.core.views import MunicipalityView, Registration
from stadga.systems.choices import Aspect, LifecyclePhase, SystemType
from stadga.systems.selectors import system_list

from . import filters, forms, services, tables
from .access import Access
from .models import Board, Department, ExternalOrganisation, Municipality, Person, RoleAssignment
from .selectors import organisation_get, organisation_list


def _manages(access: Access, obj: Any) -> bool:
    return access.manages_organisation(obj.municipality_id)


def _registration(
    model: type[Model],
    *,
    create: Callable[..., Any],
    update: Callable[..., Any],
    detail_fields: tuple[str, ...],
    instance_kwarg: str = "",
    **kwargs: Any,
) -> Registration:
    """Organisation objects share their rules: every member reads, the IT coordinator keeps."""
    name = instance_kwarg or model._meta.model_name
    return Registration(
        model=model,
        nav_section="organisation",
        list_queryset=partial(organisation_list, model=model),
        get_object=partial(organisation_get, model=model),
        table=getattr(tables, f"{model.__name__}Table"),
        filterset=getattr(filters, f"{model.__name__}FilterSet"),
        form=getattr(forms, f"{model.__name__}Form"),
        create=create,
        update=lambda obj, data, actor: update(**{str(name): obj, "data": data, "actor": actor}),
        archive=lambda obj, actor: object_archive(instance=obj, actor=actor),
        restore=lambda obj, actor: object_restore(instance=obj, actor=actor),
        can_create=lambda access, municipality: access.manages_organisation(municipality.pk),
        can_edit=_manages,
        can_archive=_manages,
        detail_fields=detail_fields,
        **kwargs,
    )


def _board_context(access: Access, board: Board) -> dict[str, Any]:
    return {
        "departments": board.departments.filter(archived_at__isnull=True),
        "systems": system_list(access=access, municipality=board.municipality).filter(board=board),
    }


def _department_context(access: Access, department: Department) -> dict[str, Any]:
    return {
        "people": department.people.filter(archived_at__isnull=True),
        "systems": system_list(access=access, municipality=department.municipality).filter(
            department=department
        ),
    }


def _person_context(access: Access, person: Person) -> dict[str, Any]:
    return {
        "roles": person.roles.filter(archived_at__isnull=True).select_related(
            "board", "department", "system"
        ),
        "systems": system_list(access=access, municipality=person.municipality).filter(
            system_owner=person
        ),
    }


board_views = _registration(
    Board,
    create=services.board_create,
    update=services.board_update,
    detail_fields=("name", "short_name", "kind"),
    detail_template="organisation/board_detail.html",
    detail_context=_board_context,
)
department_views = _registration(
    Department,
    create=services.department_create,
    update=services.department_update,
    detail_fields=("name", "board"),
    detail_template="organisation/department_detail.html",
    detail_context=_department_context,
)
person_views = _registration(
    Person,
    create=services.person_create,
    update=services.person_update,
    detail_fields=("name", "title", "email", "phone", "department", "user"),
    detail_template="organisation/person_detail.html",
    detail_context=_person_context,
)


def _external_organisation_context(
    access: Access, organisation: ExternalOrganisation
) -> dict[str, Any]:
    """What the organisation answers for (P3.11): in the systems the user may read, and in the
    plan items of the plans they may read. Two queries, however many rows."""
    from stadga.plans.access import plan_q
    from stadga.plans.models import PlanItem
    from stadga.systems.models import ExternalResponsibility

    municipality = organisation.municipality
    responsibilities = list(
        ExternalResponsibility.objects.filter(
            access.system_q(prefix="system__"), organisation=organisation, archived_at__isnull=True
        )
        .select_related("system")
        .order_by("system__name", "kind", "pk")
    )
    items = list(
        PlanItem.objects.filter(
            plan_q(access, "plan__"), external_organisations=organisation, archived_at__isnull=True
        )
        .select_related("plan__board")
        .order_by("-plan__year", "plan__board__name", "title", "pk")
    )
    for row in (*responsibilities, *items):
        row.municipality = municipality
    for responsibility in responsibilities:
        responsibility.system.municipality = municipality
    return {"system_responsibilities": responsibilities, "plan_items": items}


external_organisation_views = _registration(
    ExternalOrganisation,
    create=services.external_organisation_create,
    update=services.external_organisation_update,
    instance_kwarg="external_organisation",
    detail_fields=("name", "organisation_number", "responsibilities", "website", "contact"),
    detail_template="organisation/externalorganisation_detail.html",
    detail_context=_external_organisation_context,
)
role_assignment_views = _registration(
    RoleAssignment,
    create=services.role_assign,
    update=services.role_assignment_update,
    instance_kwarg="role_assignment",
    detail_fields=("person", "role", "board", "department", "system"),
)


class OverviewView(MunicipalityView):
    """The start page: the user's own systems first, then the register's state in figures."""

    nav_section = "start"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality: Municipality = self.municipality
        visible = system_list(access=self.access, municipality=municipality)
        unclassified = Q()
        for aspect in Aspect.values:
            unclassified |= Q(**{f"{aspect}__isnull": True})
        figures = visible.aggregate(
            total=Count("pk"),
            in_production=Count("pk", filter=Q(lifecycle_phase=LifecyclePhase.IN_PRODUCTION)),
            without_owner=Count("pk", filter=Q(system_owner__isnull=True)),
            unclassified=Count(
                "pk", filter=unclassified & ~Q(lifecycle_phase=LifecyclePhase.RETIRED)
            ),
            in_house=Count("pk", filter=Q(system_type=SystemType.IN_HOUSE)),
            public=Count("pk", filter=Q(is_public=True)),
        )
        person_ids = self.access.persons.get(municipality.pk, set())
        own = visible.filter(
            Q(system_owner_id__in=person_ids) | Q(pk__in=self.access.system_owner_of)
        )
        roles = RoleAssignment.objects.filter(
            person_id__in=person_ids, archived_at__isnull=True
        ).select_related("board", "department", "system")
        return TemplateResponse(
            request,
            "organisation/overview.html",
            self.context(
                figures=figures,
                own_systems=own,
                my_roles=[(municipality.role_label(r.role), r.scope_object) for r in roles],
                keeps_register=self.access.keeps_register(municipality.pk),
            ),
        )


class SettingsView(MunicipalityView):
    """The municipality's own names for roles and its consequence scale (P9.1); members read,
    the IT coordinator changes them."""

    nav_section = "organisation"

    def render(self, form: forms.MunicipalitySettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "organisation/settings.html",
            self.context(
                form=form, can_edit=self.access.manages_organisation(self.municipality.pk)
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(forms.MunicipalitySettingsForm(municipality=self.municipality))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access.manages_organisation(self.municipality.pk):
            raise PermissionDenied
        form = forms.MunicipalitySettingsForm(request.POST, municipality=self.municipality)
        if not form.is_valid():
            return self.render(form, status=400)
        services.municipality_settings_update(
            municipality=self.municipality,
            role_labels=form.role_labels(),
            levels=form.level_values(),
            actor=request.user,
        )
        messages.success(request, _("The settings were saved."))
        return HttpResponseRedirect(request.path)
