"""What the public portal shows, and nothing more (P7.1). Every read of a public page and of
the open data goes through here, so that what is public is decided in one place.

Only public records that secrecy law (offentlighets- och sekretesslagen) cannot cover are read:
a system's classification, its security measures, incidents, shortfall notices and anything
about how the municipality protects itself are never selected here. Systems appear only when
marked public; plans once adopted; status reports once issued; products once decided.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision, Product
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, RoleAssignment
from stadga.plans.choices import ADOPTED_STATUSES
from stadga.plans.models import ITPlan, PlanItem
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.systems.models import System

from .choices import MessageStatus
from .models import PortalSettings, ResidentMessage

# The fields of a system that are public records, in the order the register and its open data
# show them. Never: classification, its justification, notes, measures or incidents.
SYSTEM_PUBLIC_FIELDS = (
    "identifier",
    "name",
    "purpose",
    "board",
    "department",
    "system_owner",
    "lifecycle_phase",
    "in_production_from",
    "phase_out_from",
    "retired_on",
    "system_type",
    "personal_data",
)

# The roles residents may want to reach, and that the contacts page lists (P7.1: it is easy to
# reach officials).
CONTACT_ROLES = (
    Role.IT_COORDINATOR,
    Role.IT_TECHNICIAN,
    Role.DEPARTMENT_HEAD,
    Role.BOARD_SECRETARY,
    Role.SYSTEM_OWNER,
)


def published_municipality(slug: str) -> tuple[Municipality, PortalSettings]:
    """The municipality whose portal is published, with its settings; otherwise a 404 (an
    unpublished portal is indistinguishable from none). One query."""
    settings_row = (
        PortalSettings.objects.filter(
            municipality__slug=slug, municipality__archived_at__isnull=True, is_published=True
        )
        .select_related("municipality")
        .first()
    )
    if settings_row is None:
        raise Http404
    return settings_row.municipality, settings_row


def public_systems(municipality: Municipality) -> QuerySet[System]:
    """The systems the municipality has marked public, with their board, department, owner and
    products."""
    return (
        System.objects.filter(municipality=municipality, is_public=True, archived_at__isnull=True)
        .select_related("board", "department", "system_owner")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(archived_at__isnull=True).select_related("vendor"),
            )
        )
        .only(
            *SYSTEM_PUBLIC_FIELDS,
            "municipality_id",
            "board__name",
            "department__name",
            "system_owner__name",
            "system_owner__title",
            "system_owner__email",
            "system_owner__phone",
            "system_owner__archived_at",
        )
        .order_by("name", "pk")
    )


def public_system(municipality: Municipality, pk: int) -> System:
    return get_object_or_404(public_systems(municipality), pk=pk)


def public_decisions(municipality: Municipality) -> QuerySet[PhaseDecision]:
    """Every dated decision on a product's phase, with its reasons, newest first (P5)."""
    return (
        PhaseDecision.objects.filter(municipality=municipality, product__archived_at__isnull=True)
        .select_related("product", "product__vendor")
        .order_by("-effective_from", "-pk")
    )


def public_products(municipality: Municipality) -> QuerySet[Product]:
    """The products the IT department has decided on, with their current phase."""
    return (
        Product.objects.filter(municipality=municipality, archived_at__isnull=True)
        .exclude(phase=Phase.NOT_ASSESSED)
        .select_related("vendor", "category")
        .order_by("name", "pk")
    )


def public_product(municipality: Municipality, pk: int) -> Product:
    return get_object_or_404(
        public_products(municipality).prefetch_related(
            Prefetch("decisions", queryset=PhaseDecision.objects.order_by("-effective_from", "-pk"))
        ),
        pk=pk,
    )


def public_plans(municipality: Municipality) -> QuerySet[ITPlan]:
    """The boards' adopted IT plans (P3.4), newest year first."""
    return (
        ITPlan.objects.filter(
            municipality=municipality, status__in=ADOPTED_STATUSES, archived_at__isnull=True
        )
        .select_related("board")
        .order_by("-year", "board__name", "pk")
    )


def public_plan(municipality: Municipality, pk: int) -> ITPlan:
    return get_object_or_404(public_plans(municipality), pk=pk)


def public_plan_items(municipality: Municipality, plan: ITPlan | None = None) -> QuerySet[PlanItem]:
    """The items of adopted plans, with their goals (P2), costs per year (P3.5) and the public
    systems among those they concern."""
    items = PlanItem.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        plan__status__in=ADOPTED_STATUSES,
        plan__archived_at__isnull=True,
    )
    if plan is not None:
        items = items.filter(plan=plan)
    return (
        items.select_related("plan", "plan__board", "department", "responsible")
        .prefetch_related(
            "goals",
            "costs",
            Prefetch(
                "systems",
                queryset=System.objects.filter(is_public=True, archived_at__isnull=True),
                to_attr="public_systems",
            ),
        )
        .order_by("plan__year", "plan__board__name", "title", "pk")
    )


def public_reports(municipality: Municipality) -> QuerySet[StatusReport]:
    """The IT coordinator's issued status reports to management (P3.13), newest first."""
    return StatusReport.objects.filter(
        municipality=municipality, status=ReportStatus.ISSUED, archived_at__isnull=True
    ).order_by("-issued_at", "-pk")


def public_report(municipality: Municipality, pk: int) -> StatusReport:
    return get_object_or_404(public_reports(municipality), pk=pk)


def public_contacts(municipality: Municipality) -> QuerySet[RoleAssignment]:
    """Who answers for what: the holders of the roles residents may want to reach, with what
    they hold the role over. A system owner is listed only for a public system."""
    from django.db.models import Q

    return (
        RoleAssignment.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            person__archived_at__isnull=True,
            role__in=CONTACT_ROLES,
        )
        .exclude(Q(role=Role.SYSTEM_OWNER) & ~Q(system__is_public=True))
        .select_related("person", "board", "department", "system")
        .order_by("role", "person__name", "pk")
    )


def published_messages(municipality: Municipality) -> QuerySet[ResidentMessage]:
    """Residents' views and questions that the resident agreed to publish and the municipality
    published with its answer. The resident's name and address are never shown."""
    return (
        ResidentMessage.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            published_at__isnull=False,
            status=MessageStatus.ANSWERED,
        )
        .select_related("system", "plan", "plan__board", "product", "status_report")
        .order_by("-published_at", "-pk")
    )
