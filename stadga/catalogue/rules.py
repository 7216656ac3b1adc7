"""The compliance rules the product catalogue and the product requests answer (P4.1, P5.1–P5.4,
P5.6, P5.7, P8.2).

Each rule counts in one aggregate query per kind of row and, only when something offends, lists
the first offenders, with what their reasons read, in one or two more: a fixed number of queries
(at most four), however many systems, products or requests there are. Archived rows count for
nothing: an archived system, request, category, exception or inquiry, and a system's link to an
archived product (a product archived out of the catalogue is no longer recorded for the system).

The board/department narrowing applies to what belongs to a board: systems (by their board and
department) and product requests (by their department and its board). Categories and products
are the municipality's; narrowed, a category is read through the narrowed systems that use its
products.

"Today" is the server's local date. A phase-out ending today, or support ending today, still
counts as supported today; from tomorrow it does not (as `Product.flags_on` says).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule
from stadga.security.rules import counted
from stadga.systems.choices import SystemType
from stadga.systems.models import System
from stadga.systems.rules import CURRENT, IN_USE, systems_in

from .choices import (
    APPROVED_PHASES,
    SUPPORTED_PHASES,
    Criterion,
    InquiryStatus,
    Outcome,
    Phase,
    ProductFlag,
    RequestStatus,
    Verdict,
)
from .models import (
    Assessment,
    CoordinationInquiry,
    PolicyException,
    Product,
    ProductCategory,
    ProductRequest,
    SystemProduct,
)

APPROVED_OUTCOMES = (Outcome.APPROVED, Outcome.APPROVED_WITH_CONSTRAINTS)
SETTLED = (InquiryStatus.CLOSED, InquiryStatus.WAIVED)


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "Y-m-d")


def current_requests(ctx: RuleContext) -> QuerySet[ProductRequest]:
    """The municipality's current (not archived) product requests, narrowed to the context's
    board or department by the requesting department."""
    return ctx.narrow(
        ProductRequest.objects.filter(municipality=ctx.municipality, archived_at__isnull=True),
        board="department__board",
        department="department",
    )


def decided_approved(ctx: RuleContext) -> QuerySet[ProductRequest]:
    """Requests decided with an approval (with or without constraints)."""
    return current_requests(ctx).filter(status=RequestStatus.DECIDED, outcome__in=APPROVED_OUTCOMES)


# --- P5.4 (and P4.1): systems on approved products --------------------------------------------


def unsupported_link_q(today: datetime.date) -> Q:
    """A system's link to a product (`SystemProduct`) that the IT department does not support
    today (P5.4, P5.5): the product is neither approved, approved with constraints, nor in a
    phase-out that has not ended; or the vendor's support of the product, or of the linked
    version, has ended."""
    return (
        ~Q(product__phase__in=SUPPORTED_PHASES)
        | Q(product__phase=Phase.PHASE_OUT, product__phase_ends_on__lt=today)
        | Q(product__end_of_support__lt=today)
        | Q(version__end_of_support__lt=today)
    )


def current_links() -> QuerySet[SystemProduct]:
    """Links of systems to products still in the catalogue (not archived)."""
    return SystemProduct.objects.filter(product__archived_at__isnull=True)


def approved_systems(ctx: RuleContext, today: datetime.date) -> tuple[QuerySet[System], Q, Q]:
    """The systems P5.4 measures, and the filters for those that keep it and those that do not
    (the uniformity page reads the same three).

    The systems are those in production or phase-out that are not in-house developments (P5.6
    measures those), narrowed as the context says. One keeps the rule when at least one product
    of the catalogue is recorded for it and none it runs on is unsupported today."""
    links = current_links().filter(system=OuterRef("pk"))
    has_product = Exists(links)
    unsupported = Exists(links.filter(unsupported_link_q(today)))
    systems = systems_in(ctx, IN_USE).exclude(system_type=SystemType.IN_HOUSE)
    return systems, Q(has_product) & ~Q(unsupported), ~Q(has_product) | Q(unsupported)


def link_reasons(link: SystemProduct, today: datetime.date) -> list[str]:
    """Why a system's link to a product is not supported today, naming the product (and
    version) and the date that passed."""
    product = link.product
    version = link.version
    values = {"product": f"{product.name} {version.version}" if version else product.name}
    reasons: list[str] = []
    for flag in product.flags_on(today, version):
        if flag == ProductFlag.NEVER_APPROVED:
            reasons.append(_("%(product)s was never approved") % values)
        elif flag == ProductFlag.REJECTED:
            reasons.append(_("%(product)s is rejected") % values)
        elif flag == ProductFlag.RETIRED:
            reasons.append(_("%(product)s is retired") % values)
        elif flag == ProductFlag.PHASE_OUT_ENDED:
            reasons.append(
                _("%(product)s: phase-out ended on %(date)s")
                % {**values, "date": _day(product.phase_ends_on)}
            )
        elif flag == ProductFlag.PAST_END_OF_SUPPORT:
            ended = [
                d
                for d in (product.end_of_support, version.end_of_support if version else None)
                if d is not None and d < today
            ]
            reasons.append(
                _("%(product)s: support ended on %(date)s") % {**values, "date": _day(min(ended))}
            )
    return reasons


@rule(
    "catalogue.system_products_approved",
    clauses=["P5.4", "P4.1"],
    title=gettext_lazy(
        "Every system in production or phase-out runs only on products the IT department has "
        "approved and the vendor still supports"
    ),
)
def system_products_approved(ctx: RuleContext) -> RuleResult:
    """P5.4: all hardware and software is approved by the IT department before it is procured
    and installed (and, P5.5, what is not approved is not supported); P4.1: a limited selection
    of products. Every system in production or phase-out that is not an in-house development
    (P5.6's, `catalogue.in_house_exception`) keeps the rule when at least one product of the
    catalogue is recorded for it and every product it runs on is approved, approved with
    constraints, or in a phase-out whose end date has not passed, with neither the product nor
    the linked version past the vendor's end of support. A system with no product recorded
    offends: nobody can say its products were approved.

    Three queries at most: the count, the first offenders, and their unsupported products."""
    today = timezone.localdate()
    systems, kept, offending = approved_systems(ctx, today)
    counts = systems.aggregate(total=Count("pk"), kept=Count("pk", filter=kept))
    total, kept_count = counts["total"], counts["kept"]
    offenders: list[Offender] = []
    if kept_count < total:
        rows = list(
            systems.filter(offending)
            .select_related("municipality")
            .only("name", "municipality__slug")[:OFFENDER_LIMIT]
        )
        reasons: dict[int, list[str]] = defaultdict(list)
        links = (
            current_links()
            .filter(unsupported_link_q(today), system__in=[s.pk for s in rows])
            .select_related("product", "version")
            .order_by("product__name", "pk")
        )
        for link in links:
            reasons[link.system_id].extend(link_reasons(link, today))
        offenders = [
            Offender.of(
                system,
                "; ".join(reasons[system.pk]) or _("No product recorded in the catalogue"),
            )
            for system in rows
        ]
    return RuleResult.from_counts(
        kept=kept_count,
        total=total,
        summary=_(
            "%(kept)s of %(total)s systems in production or phase-out run only on approved products"
        )
        % {"kept": kept_count, "total": total},
        offenders=offenders,
    )


# --- P4.1: overlapping business systems ---------------------------------------------------------


def business_categories(ctx: RuleContext) -> QuerySet[ProductCategory]:
    """The municipality's current categories of business systems, each annotated with
    `approved_in_use`: how many approved products of it the (narrowed) systems in use run on;
    only categories with some product in use by them, whatever its phase."""
    in_use = current_links().filter(system__in=systems_in(ctx, IN_USE)).values("product")
    products = Product.objects.filter(
        category=OuterRef("pk"), archived_at__isnull=True, pk__in=in_use
    )
    approved = (
        products.filter(phase__in=APPROVED_PHASES)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ProductCategory.objects.filter(
            municipality=ctx.municipality, archived_at__isnull=True, is_business_system=True
        )
        .filter(Exists(products))
        .annotate(
            approved_in_use=Coalesce(Subquery(approved, output_field=IntegerField()), 0),
        )
    )


@rule(
    "catalogue.no_overlapping_business_systems",
    clauses=["P4.1"],
    title=gettext_lazy(
        "No two approved products of the same kind of business system are in use at once"
    ),
)
def no_overlapping_business_systems(ctx: RuleContext) -> RuleResult:
    """P4.1: a uniform operating environment, a limited selection of products and a limited
    number of systems. In each current product category marked as business systems
    (`ProductCategory.is_business_system`) that has some product in use by a system in
    production or phase-out, at most one approved product (approved, or approved with
    constraints) is in use: two finance systems approved side by side is the overlap P4.1 is
    against. A product in phase-out beside its successor is a migration, not an overlap.
    Narrowed to a board or department, "in use" means by its systems.

    Three queries at most: the count, the first offending categories, their products."""
    categories = business_categories(ctx)
    counts = categories.aggregate(
        total=Count("pk"), kept=Count("pk", filter=Q(approved_in_use__lte=1))
    )
    total, kept_count = counts["total"], counts["kept"]
    offenders: list[Offender] = []
    if kept_count < total:
        rows = list(
            categories.filter(approved_in_use__gt=1)  # type: ignore[misc]  # an annotation
            .select_related("municipality")
            .only("name", "municipality__slug")
            .order_by("name", "pk")[:OFFENDER_LIMIT]
        )
        in_use = current_links().filter(system__in=systems_in(ctx, IN_USE)).values("product")
        names: dict[int, list[str]] = defaultdict(list)
        for category_id, name in (
            Product.objects.filter(
                category__in=[c.pk for c in rows],
                archived_at__isnull=True,
                phase__in=APPROVED_PHASES,
                pk__in=in_use,
            )
            .order_by("name", "pk")
            .values_list("category_id", "name")
        ):
            names[category_id].append(name)
        offenders = [
            Offender.of(
                category,
                ngettext(
                    "%(count)s approved product in use: %(products)s",
                    "%(count)s approved products in use: %(products)s",
                    len(names[category.pk]),
                )
                % {"count": len(names[category.pk]), "products": ", ".join(names[category.pk])},
            )
            for category in rows
        ]
    return RuleResult.from_counts(
        kept=kept_count,
        total=total,
        summary=_(
            "%(kept)s of %(total)s kinds of business system in use have one approved product, "
            "not several"
        )
        % {"kept": kept_count, "total": total},
        offenders=offenders,
    )


# --- P5.1, P5.2, P5.3, P5.7: requests assessed --------------------------------------------------


@rule(
    "catalogue.requests_assessed",
    clauses=["P5.1", "P5.2", "P5.3", "P5.7"],
    title=gettext_lazy(
        "Every approved product request was assessed against each of the policy's criteria, "
        "with a note"
    ),
)
def requests_assessed(ctx: RuleContext) -> RuleResult:
    """P5.1 (established, well-proven), P5.2 (the vendor's standing and survival), P5.3
    (coexistence with the systems and the platform), P5.7 (financing per the investment policy):
    every choice of a product weighs them. Every current request decided with an approval (with
    or without constraints) keeps the rule when each of the five criteria (`Criterion`, P5.6's
    too) has an assessment whose note is not empty. A rejection needs no full assessment: one
    failed criterion is reason enough.

    Three queries at most: the count, the first offenders, their noted assessments."""
    noted = (
        Assessment.objects.filter(request=OuterRef("pk"))
        .alias(trimmed=Trim("note"))
        .exclude(trimmed="")
        .order_by()
        .values("request")
        .annotate(n=Count("criterion", distinct=True))
        .values("n")
    )
    requests = decided_approved(ctx).annotate(
        noted_criteria=Coalesce(Subquery(noted, output_field=IntegerField()), 0)
    )
    every = len(Criterion.values)
    counts = requests.aggregate(
        total=Count("pk"), kept=Count("pk", filter=Q(noted_criteria__gte=every))
    )
    total, kept_count = counts["total"], counts["kept"]
    offenders: list[Offender] = []
    if kept_count < total:
        rows = list(
            requests.filter(noted_criteria__lt=every)
            .select_related("municipality")
            .only("title", "municipality__slug")
            .order_by("-decided_at", "-pk")[:OFFENDER_LIMIT]
        )
        done: dict[int, set[str]] = defaultdict(set)
        for request_id, criterion in (
            Assessment.objects.filter(request__in=[r.pk for r in rows])
            .alias(trimmed=Trim("note"))
            .exclude(trimmed="")
            .values_list("request_id", "criterion")
        ):
            done[request_id].add(criterion)
        offenders = [
            Offender.of(
                request,
                _("Not assessed with a note: %(criteria)s")
                % {
                    "criteria": "; ".join(
                        str(label)
                        for value, label in Criterion.choices
                        if value not in done[request.pk]
                    )
                },
            )
            for request in rows
        ]
    return RuleResult.from_counts(
        kept=kept_count,
        total=total,
        summary=_(
            "%(kept)s of %(total)s approved product requests were assessed against every "
            "criterion of the policy"
        )
        % {"kept": kept_count, "total": total},
        offenders=offenders,
    )


# --- P5.6: in-house development only by exception -----------------------------------------------


def current_exceptions(**filters: object) -> QuerySet[PolicyException]:
    return PolicyException.objects.filter(clause="P5.6", archived_at__isnull=True, **filters)


def _in_house_reason(request: ProductRequest) -> str:
    if request.is_in_house_development:
        return _("Approved as in-house development without an exception of the executive board")
    if request.is_unfinished:
        return _(
            "Approved as a business system that is not fully developed, without an exception "
            "of the executive board"
        )
    return _(
        "Approved although assessed as in-house development or not fully developed, without an "
        "exception of the executive board"
    )


@rule(
    "catalogue.in_house_exception",
    clauses=["P5.6"],
    title=gettext_lazy(
        "No in-house system and no approved in-house or unfinished business system without an "
        "exception decided by the executive board"
    ),
)
def in_house_exception(ctx: RuleContext) -> RuleResult:
    """P5.6: in-house development, or buying a business system that is not fully developed, is
    not allowed; only the executive board can make an exception. Counted are the current systems
    that are in-house developments, planned, in production or in phase-out (a planned one is the
    breach to stop before it happens; a retired one is history), and the current requests
    decided with an approval that are marked as in-house development or as a business system
    that is not fully developed, or whose P5.6 criterion the IT department assessed as not met
    (as the request services read it). Each keeps the rule when a current (not archived) P5.6
    exception of the executive board is recorded for it.

    Four queries at most: a count of each kind and, when some offend, the first of each."""
    systems = systems_in(ctx, CURRENT).filter(system_type=SystemType.IN_HOUSE)
    excepted_system = Exists(current_exceptions(system=OuterRef("pk")))
    assessed_in_house = Exists(
        Assessment.objects.filter(
            request=OuterRef("pk"), criterion=Criterion.NOT_IN_HOUSE, verdict=Verdict.NOT_MET
        )
    )
    requests = decided_approved(ctx).filter(
        Q(is_in_house_development=True) | Q(is_unfinished=True) | Q(assessed_in_house)
    )
    excepted_request = Exists(current_exceptions(request=OuterRef("pk")))

    by_system = counted(
        systems,
        kept=Q(excepted_system),
        offending=~Q(excepted_system),
        summary=lambda kept, total: "",
        fetch=lambda rows: rows.select_related("municipality").only("name", "municipality__slug"),
        offender=lambda system: Offender.of(
            system, _("In-house development without an exception decided by the executive board")
        ),
    )
    by_request = counted(
        requests,
        kept=Q(excepted_request),
        offending=~Q(excepted_request),
        summary=lambda kept, total: "",
        fetch=lambda rows: rows.select_related("municipality").only(
            "title", "is_in_house_development", "is_unfinished", "municipality__slug"
        ),
        offender=lambda request: Offender.of(request, _in_house_reason(request)),
    )
    kept = (by_system.numerator or 0) + (by_request.numerator or 0)
    total = (by_system.denominator or 0) + (by_request.denominator or 0)
    return RuleResult.from_counts(
        kept=kept,
        total=total,
        summary=_(
            "%(kept)s of %(total)s in-house systems and approved in-house or unfinished business "
            "systems have an exception decided by the executive board"
        )
        % {"kept": kept, "total": total},
        offenders=[*by_system.offenders, *by_request.offenders],
    )


# --- P8.2: coordination before the decision -----------------------------------------------------


def business_system_q() -> Q:
    """A request for a new business system. Submitting a request records the mark from its
    category (`services_requests.is_new_business_system`, which also knows that more of an
    approved product brings no new system), so a decided request's mark is the answer; its
    category is not read again, as the catalogue product's phase has moved since."""
    return Q(is_business_system=True)


def _coordination_reason(request: ProductRequest) -> str:
    inquiry: CoordinationInquiry | None = getattr(request, "inquiry", None)
    decided = _day(request.decided_at)
    if inquiry is None or inquiry.archived_at is not None:
        return _("Decided %(date)s without asking the neighbouring municipalities") % {
            "date": decided
        }
    if inquiry.status not in SETTLED or inquiry.closed_at is None:
        return _("Decided %(date)s while the coordination inquiry was still open") % {
            "date": decided
        }
    return _("Decided %(date)s; the coordination inquiry was closed only on %(closed)s") % {
        "date": decided,
        "closed": _day(inquiry.closed_at),
    }


@rule(
    "catalogue.coordination_before_decision",
    clauses=["P8.2"],
    title=gettext_lazy(
        "Every decision on a new business system came after the neighbouring municipalities "
        "were asked"
    ),
)
def coordination_before_decision(ctx: RuleContext) -> RuleResult:
    """P8.2: before new systems are acquired, interest in coordination is checked with the
    neighbouring municipalities, before the decision is taken. Every current request for a new
    business system (marked so, or of a category of business systems: its own, or else its
    catalogue product's) that has been decided,
    whatever the outcome, keeps the rule when its coordination inquiry (current) was closed or
    waived before or at the moment of the decision.

    Two queries at most: the count and the first offenders with their inquiries."""
    settled = Exists(
        CoordinationInquiry.objects.filter(
            request=OuterRef("pk"),
            archived_at__isnull=True,
            status__in=SETTLED,
            closed_at__isnull=False,
            closed_at__lte=OuterRef("decided_at"),
        )
    )
    requests = (
        current_requests(ctx).filter(status=RequestStatus.DECIDED).filter(business_system_q())
    )
    return counted(
        requests,
        kept=Q(settled),
        offending=~Q(settled),
        summary=lambda kept, total: (
            _(
                "%(kept)s of %(total)s decisions on new business systems came after the "
                "neighbouring municipalities were asked"
            )
            % {"kept": kept, "total": total}
        ),
        fetch=lambda rows: (
            rows.select_related("municipality", "inquiry")
            .only(
                "title",
                "decided_at",
                "municipality__slug",
                "inquiry__status",
                "inquiry__closed_at",
                "inquiry__archived_at",
            )
            .order_by("-decided_at", "-pk")
        ),
        offender=lambda request: Offender.of(request, _coordination_reason(request)),
    )
