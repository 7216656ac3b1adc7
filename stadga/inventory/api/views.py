"""API endpoints of the installed-software inventory (P5.4, P5.5), with the UI's access rules:
the inventory is read by those who read everything in a municipality (the IT department, the
executive board's reader, the auditor); anyone else, and every user of another municipality,
finds nothing there (never listed, a 404). The IT department (those who keep the register)
writes the software dictionary; the rules are archived, never deleted.

Sources, snapshots, titles and installations come from imports and are read-only. The
installations are the current snapshots' (a municipality may have a million): they are listed
for one municipality at a time, a page at a time by cursor, in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import IntegerField, Max, Model, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from stadga.api.base import (
    ID_PATTERN,
    ApiAutoSchema,
    GovernedViewSet,
    Pagination,
    flag_archived,
)
from stadga.inventory.choices import (
    Reconciliation,
    RuleAction,
    RuleField,
    RuleMatch,
    SnapshotStatus,
)
from stadga.inventory.models import (
    Installation,
    InventorySource,
    NormalisationRule,
    Snapshot,
    SoftwareTitle,
    Tally,
)
from stadga.inventory.reconciliation import current_installations, status_case
from stadga.inventory.services_rules import (
    normalisation_rule_archive,
    normalisation_rule_create,
    normalisation_rule_restore,
    normalisation_rule_update,
)
from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import municipality_list

from . import serializers as s

KEEPER_ONLY = _("Only the IT department edits the software dictionary.")


def inventory_q(access: Access, prefix: str = "") -> Q:
    """Rows of the municipalities whose inventory the user reads: every page of the inventory
    needs the right to read everything there."""
    if access.is_operator:
        return Q()
    readable = {m for m in access.member_of if access.reads_all(m)}
    return Q(**{f"{prefix}municipality_id__in": readable})


def inventory_municipality(*, access: Access, slug: str) -> Municipality:
    """The municipality whose installations are asked for; a 404 unless the user reads its
    inventory (a member without the right learns no more than an outsider)."""
    municipality = get_object_or_404(municipality_list(access=access), slug=slug)
    if not access.reads_all(municipality.pk):
        raise Http404
    return municipality


# --- filters -------------------------------------------------------------------------------------


class MunicipalityScopedFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (short name)")
    )


class InventorySourceFilter(MunicipalityScopedFilter):
    class Meta:
        model = InventorySource
        fields = ("municipality",)


class SnapshotFilter(MunicipalityScopedFilter):
    source = django_filters.NumberFilter(field_name="source_id")
    status = django_filters.MultipleChoiceFilter(choices=SnapshotStatus.choices)

    class Meta:
        model = Snapshot
        fields = {"started_at": ["gte", "lte"]}


class SoftwareTitleFilter(MunicipalityScopedFilter):
    outcome = django_filters.MultipleChoiceFilter(
        choices=s.TitleOutcome.choices,
        method="filter_outcome",
        label=_("What the dictionary made of the title"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Reconciliation.choices, label=_("Reconciliation status today")
    )
    product = django_filters.NumberFilter(field_name="product_id")
    rule = django_filters.NumberFilter(field_name="rule_id")

    class Meta:
        model = SoftwareTitle
        fields = ("municipality",)

    def filter_outcome(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        outcomes = {
            s.TitleOutcome.IGNORED: Q(ignored=True),
            s.TitleOutcome.MAPPED: Q(ignored=False, product__isnull=False),
            s.TitleOutcome.UNKNOWN: Q(ignored=False, product__isnull=True),
        }
        wanted = Q()
        for outcome in value:
            wanted |= outcomes[s.TitleOutcome(outcome)]
        return queryset.filter(wanted)


class NormalisationRuleFilter(MunicipalityScopedFilter):
    field = django_filters.MultipleChoiceFilter(choices=RuleField.choices)
    match = django_filters.MultipleChoiceFilter(choices=RuleMatch.choices)
    action = django_filters.MultipleChoiceFilter(choices=RuleAction.choices)
    product = django_filters.NumberFilter(field_name="product_id")

    class Meta:
        model = NormalisationRule
        fields = ("municipality",)


class InstallationFilter(django_filters.FilterSet):
    """The municipality is chosen by the viewset (`?municipality=`, required); these narrow its
    installations. `status` is applied by the viewset too, through the titles."""

    source = django_filters.NumberFilter(field_name="snapshot__source_id")
    department = django_filters.NumberFilter(field_name="device__department_id")
    device = django_filters.NumberFilter(field_name="device_id")
    product = django_filters.NumberFilter(field_name="title__product_id")
    title = django_filters.NumberFilter(field_name="title_id")

    class Meta:
        model = Installation
        fields: tuple[str, ...] = ()


# --- read-only resources -------------------------------------------------------------------------


class InventoryReadViewSet(viewsets.ReadOnlyModelViewSet):
    """List and read what the user's municipalities' imports brought in; a 404 for what the
    user may not see."""

    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_object(self) -> Any:
        instance = get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, instance)
        return instance


class InventorySourceViewSet(InventoryReadViewSet):
    """The sources of a municipality's inventories (GLPI, Intune, a spreadsheet) and the
    snapshot of each that is current. Archived sources are listed with `?archived=true`."""

    model = InventorySource
    serializer_class = s.InventorySourceSerializer
    filterset_class = InventorySourceFilter
    search_fields = ("name", "notes")
    ordering_fields = ("name", "updated_at")
    archivable = True

    def get_queryset(self) -> QuerySet[InventorySource]:
        sources = InventorySource.objects.filter(inventory_q(self.access))
        if self.action == "list":
            sources = sources.filter(archived_at__isnull=not flag_archived(self.request))
        return sources.select_related("municipality").order_by("municipality_id", "name")


class SnapshotViewSet(InventoryReadViewSet):
    """Every import of a municipality's sources, newest first: the current one, those it
    superseded (their counts and figures, the trend), failed and loading ones."""

    model = Snapshot
    serializer_class = s.SnapshotSerializer
    filterset_class = SnapshotFilter
    search_fields = ("file_name", "source__name")
    ordering_fields = ("started_at", "finished_at", "rows_imported")

    def get_queryset(self) -> QuerySet[Snapshot]:
        return (
            Snapshot.objects.filter(inventory_q(self.access))
            .select_related("municipality", "source", "imported_by")
            .order_by("-started_at", "-pk")
        )


def _current_tally_sum(column: str) -> Coalesce:
    """A title's `column` summed over the tallies of the current snapshots (a complete snapshot
    is always its source's current one), as a correlated subquery."""
    sums = (
        Tally.objects.filter(
            title=OuterRef("pk"),
            snapshot__status=SnapshotStatus.COMPLETE,
            snapshot__source__archived_at__isnull=True,
        )
        .order_by()
        .values("title")
        .annotate(n=Sum(column))
        .values("n")
    )
    return Coalesce(Subquery(sums, output_field=IntegerField()), 0)


class SoftwareTitleViewSet(InventoryReadViewSet):
    """The distinct software titles the inventories report, what the dictionary made of each
    (`outcome`: mapped, ignored, unknown), its reconciliation status today and how many times it
    is installed now."""

    model = SoftwareTitle
    serializer_class = s.SoftwareTitleSerializer
    filterset_class = SoftwareTitleFilter
    search_fields = ("name", "publisher", "version", "display_name", "product__name")
    ordering_fields = ("name", "publisher", "version", "installations")

    def get_queryset(self) -> QuerySet[SoftwareTitle]:
        return (
            SoftwareTitle.objects.filter(inventory_q(self.access))
            .select_related("municipality", "product", "product_version")
            .annotate(
                status=status_case(""),
                installations=_current_tally_sum("installations"),
                devices=_current_tally_sum("devices"),
            )
            .order_by("name", "publisher", "version", "pk")
        )


# --- the software dictionary ---------------------------------------------------------------------


class NormalisationRuleViewSet(GovernedViewSet):
    """The software dictionary: rules tried in order of `position`, the first that matches a
    title decides it. Every change is replayed over the municipality's titles at once."""

    model = NormalisationRule
    serializer_class = s.NormalisationRuleSerializer
    update_serializer_class = s.NormalisationRuleUpdateSerializer
    filterset_class = NormalisationRuleFilter
    search_fields = ("pattern", "new_name", "notes", "product__name")
    ordering_fields = ("position", "updated_at")
    create_denied = KEEPER_ONLY
    change_denied = KEEPER_ONLY
    archive_denied = KEEPER_ONLY

    def _rules(self) -> QuerySet[NormalisationRule]:
        return NormalisationRule.objects.filter(inventory_q(self.access)).select_related(
            "municipality", "product", "product_version"
        )

    def visible(self, *, archived: bool) -> QuerySet[NormalisationRule]:
        return (
            self._rules()
            .filter(archived_at__isnull=not archived)
            .order_by("municipality_id", "position")
        )

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        return get_object_or_404(self._rules(), municipality=municipality, pk=pk)

    def may_create(self, municipality: Municipality) -> bool:
        return self.access.keeps_register(municipality.pk)

    def may_change(self, instance: Any) -> bool:
        return self.access.keeps_register(instance.municipality_id)

    def may_archive(self, instance: Any) -> bool:
        return self.may_change(instance)

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        if data.get("position") is None:
            top = NormalisationRule.objects.filter(municipality=municipality).aggregate(
                top=Max("position")
            )["top"]
            data["position"] = (top or 0) + 1
        return normalisation_rule_create(
            municipality=municipality, data=data, actor=self.request.user
        )

    def service_update(self, *, instance: NormalisationRule, data: dict[str, Any]) -> Model:
        return normalisation_rule_update(rule=instance, data=data, actor=self.request.user)[0]

    def service_archive(self, *, instance: NormalisationRule) -> Model:
        return normalisation_rule_archive(rule=instance, actor=self.request.user)

    def service_restore(self, *, instance: NormalisationRule) -> Model:
        return normalisation_rule_restore(rule=instance, actor=self.request.user)


# --- the installations ---------------------------------------------------------------------------


class InstallationCursor(CursorPagination):
    """Pages by id: the same cost on the last page of a million rows as on the first, and no
    count of them all."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                name="municipality",
                type=str,
                location=OpenApiParameter.QUERY,
                required=True,
                description=_("The municipality's short name."),
            ),
            OpenApiParameter(
                name="status",
                type=str,
                location=OpenApiParameter.QUERY,
                many=True,
                enum=Reconciliation.values,
                description=_("Only installations in these reconciliation statuses (repeat it)."),
            ),
        ]
    )
)
class InstallationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The installations of the current snapshots of one municipality's sources, each with its
    reconciliation status today: `?status=unapproved&status=retired` is the list of what may
    not be installed or supported (P5.5)."""

    model = Installation
    serializer_class = s.InstallationSerializer
    filterset_class = InstallationFilter
    # No search or ordering: the rows are paged by id through an index.
    filter_backends = [DjangoFilterBackend]
    pagination_class = InstallationCursor
    schema = ApiAutoSchema()

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def municipality(self) -> Municipality:
        slug = self.request.query_params.get("municipality")
        if not slug:
            raise ValidationError({"municipality": [_("Give the municipality's short name.")]})
        try:
            return inventory_municipality(access=self.access, slug=slug)
        except Http404:
            raise NotFound from None

    def statuses(self) -> list[str] | None:
        wanted = self.request.query_params.getlist("status")
        if not wanted:
            return None
        unknown = sorted(set(wanted) - set(Reconciliation.values))
        if unknown:
            raise ValidationError(
                {
                    "status": [
                        _("Unknown status %(status)s; use one of %(statuses)s.")
                        % {"status": unknown[0], "statuses": ", ".join(Reconciliation.values)}
                    ]
                }
            )
        return wanted

    def get_queryset(self) -> QuerySet[Installation]:
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return Installation.objects.none()
        return current_installations(self.municipality(), statuses=self.statuses())

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "municipality_slug": self.request.query_params.get("municipality", ""),
        }
