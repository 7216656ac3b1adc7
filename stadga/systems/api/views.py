"""API endpoints for the register of IT systems, with the UI's access rules.

Who reads a system: the IT department, executive board and auditors all of them; board members
their board's, department heads their department's, system owners their own. Who writes: the IT
department creates and archives (P3.2); whoever may edit a system changes it; only the department
head or the IT department appoints its system owner or moves it (P9.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import PermissionDenied
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request

from stadga.api.base import GovernedViewSet
from stadga.catalogue.selectors import runs_on_flagged_product, runs_on_product_named
from stadga.organisation.models import Municipality
from stadga.systems import services
from stadga.systems.choices import Aspect, LifecyclePhase, ResponsibilityKind, SystemType
from stadga.systems.models import ExternalResponsibility, System
from stadga.systems.selectors import (
    external_responsibility_get,
    external_responsibility_list,
    system_get,
    system_list,
)

from .serializers import (
    ExternalResponsibilitySerializer,
    ExternalResponsibilityUpdateSerializer,
    SystemSerializer,
    SystemUpdateSerializer,
    product_links_prefetch,
)

# The fields that say who answers for a system (P9.3).
APPOINTMENT_FIELDS = ("system_owner", "board", "department")


class SystemFilter(django_filters.FilterSet):
    # Related objects by plain number: a choice filter would tell another municipality's ids
    # (200, empty) from ids that do not exist (400).
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )
    board = django_filters.NumberFilter(field_name="board_id")
    department = django_filters.NumberFilter(field_name="department_id")
    system_owner = django_filters.NumberFilter(field_name="system_owner_id")
    has_owner = django_filters.BooleanFilter(
        field_name="system_owner", lookup_expr="isnull", exclude=True, label=_("Has a system owner")
    )
    lifecycle_phase = django_filters.MultipleChoiceFilter(choices=LifecyclePhase.choices)
    system_type = django_filters.MultipleChoiceFilter(choices=SystemType.choices)
    classified = django_filters.BooleanFilter(
        method="filter_classified", label=_("Classified on every aspect (P9.1)")
    )
    flagged_product = django_filters.BooleanFilter(
        method="filter_flagged_product",
        label=_("Runs on a product that is not approved or past its support (P5.4)"),
    )

    class Meta:
        model = System
        fields = {
            "personal_data": ["exact"],
            "is_public": ["exact"],
            **{aspect: ["exact", "gte", "lte"] for aspect in Aspect.values},
        }

    def filter_classified(self, queryset: QuerySet[System], name: str, value: bool) -> QuerySet:
        every_aspect = Q(**{f"{aspect}__isnull": False for aspect in Aspect.values})
        return queryset.filter(every_aspect) if value else queryset.exclude(every_aspect)

    def filter_flagged_product(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        flagged = runs_on_flagged_product(timezone.localdate())
        return queryset.filter(flagged) if value else queryset.exclude(flagged)


class SystemSearchFilter(SearchFilter):
    """`?search=`: each word in the name, ID or purpose, or in the name or vendor of a product
    the system runs on (a subquery per word, so no system is listed twice)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        fields = getattr(view, "search_fields", None)
        terms = self.get_search_terms(request)
        if not fields or not terms:
            return queryset
        for term in terms:
            condition = Q(runs_on_product_named(term))
            for field in fields:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset


class SystemViewSet(GovernedViewSet):
    """The register of IT systems (P9.3)."""

    model = System
    serializer_class = SystemSerializer
    update_serializer_class = SystemUpdateSerializer
    filterset_class = SystemFilter
    filter_backends = [DjangoFilterBackend, SystemSearchFilter, OrderingFilter]
    search_fields = ("name", "identifier", "purpose")
    ordering_fields = (
        "name",
        "identifier",
        "lifecycle_phase",
        "system_type",
        "board__name",
        "department__name",
        "system_owner__name",
        "updated_at",
        *Aspect.values,
    )

    create_denied = _("Only the IT department registers systems (P3.2).")
    change_denied = _("You may read this system but not change it.")
    archive_denied = _("Only the IT department archives and restores systems (P3.2).")
    appoint_denied = _(
        "The department appoints the system owner (P9.3): only the department head or the IT "
        "department may change the system owner, board or department."
    )

    def visible(self, *, archived: bool) -> QuerySet[System]:
        return system_list(access=self.access, archived=archived).prefetch_related(
            "contacts", "depends_on", product_links_prefetch()
        )

    def visible_object(self, *, municipality: Municipality, pk: int) -> System:
        return system_get(access=self.access, municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return self.access.keeps_register(municipality.pk)

    def may_change(self, instance: System) -> bool:
        return self.access.can_edit_system(instance)

    def may_archive(self, instance: System) -> bool:
        return self.access.keeps_register(instance.municipality_id)

    def check_changes(self, *, instance: System, data: Mapping[str, Any]) -> None:
        """P9.3: a system owner keeps their system's data but is not the one who appoints."""
        if self.access.can_appoint_owner(instance):
            return
        refused = {
            name: [self.appoint_denied]
            for name in APPOINTMENT_FIELDS
            if name in data and getattr(data[name], "pk", None) != getattr(instance, f"{name}_id")
        }
        if refused:
            raise PermissionDenied(refused)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> System:
        return services.system_create(municipality=municipality, data=data, actor=self.request.user)

    def service_update(self, *, instance: System, data: dict[str, Any]) -> System:
        return services.system_update(system=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: System) -> System:
        return services.system_archive(system=instance, actor=self.request.user)

    def service_restore(self, *, instance: System) -> System:
        return services.system_restore(system=instance, actor=self.request.user)


class ExternalResponsibilityFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )
    system = django_filters.NumberFilter(field_name="system_id")
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    kind = django_filters.MultipleChoiceFilter(choices=ResponsibilityKind.choices)

    class Meta:
        model = ExternalResponsibility
        fields = {"contract_ends_on": ["gte", "lte"]}


class ExternalResponsibilityViewSet(GovernedViewSet):
    """What external organisations answer for in the systems (P3.11, P8). They follow their
    system: whoever reads the system reads them, whoever may edit it keeps them."""

    model = ExternalResponsibility
    serializer_class = ExternalResponsibilitySerializer
    update_serializer_class = ExternalResponsibilityUpdateSerializer
    filterset_class = ExternalResponsibilityFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ("organisation__name", "system__name", "description")
    ordering_fields = (
        "organisation__name",
        "system__name",
        "kind",
        "contract_ends_on",
        "updated_at",
    )

    create_denied = _("Only whoever may edit a system records who answers for what in it.")
    change_denied = _("You may read this responsibility but not change it.")
    archive_denied = change_denied

    def visible(self, *, archived: bool) -> QuerySet[ExternalResponsibility]:
        return external_responsibility_list(access=self.access, archived=archived)

    def visible_object(self, *, municipality: Municipality, pk: int) -> ExternalResponsibility:
        return external_responsibility_get(access=self.access, municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return self.access.keeps_register(municipality.pk) or (
            System.objects.filter(
                self.access.system_edit_q(), municipality=municipality, archived_at__isnull=True
            ).exists()
        )

    def may_change(self, instance: ExternalResponsibility) -> bool:
        return not instance.system.is_archived and self.access.can_edit_system(instance.system)

    def may_archive(self, instance: ExternalResponsibility) -> bool:
        return self.may_change(instance)

    def service_create(
        self, *, municipality: Municipality, data: dict[str, Any]
    ) -> ExternalResponsibility:
        system = data.pop("system")
        return services.external_responsibility_create(
            system=system, data=data, actor=self.request.user
        )

    def service_update(
        self, *, instance: ExternalResponsibility, data: dict[str, Any]
    ) -> ExternalResponsibility:
        return services.external_responsibility_update(
            responsibility=instance, data=data, actor=self.request.user
        )[0]

    def service_archive(self, *, instance: ExternalResponsibility) -> ExternalResponsibility:
        return services.external_responsibility_archive(
            responsibility=instance, actor=self.request.user
        )

    def service_restore(self, *, instance: ExternalResponsibility) -> ExternalResponsibility:
        return services.external_responsibility_restore(
            responsibility=instance, actor=self.request.user
        )
