"""The compliance rule the installed-software inventory answers (P5.4, P5.5).

It reads the tallies of the current snapshots (a few thousand rows, whatever the number of
installations) and, only when something deviates, the installations of the deviating titles
through their (snapshot, title) index: five queries at most, however large the inventory.
Narrowed to a board or department, it counts the devices the sources report in that department
(`Tally.department`, and that department's board).

"Today" is the server's local date: a phase-out ending today still counts as supported today
(as `reconciliation.status_case` says).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.policy.choices import Status
from stadga.policy.registry import OFFENDER_LIMIT, Offender, RuleContext, RuleResult, rule

from .choices import NOT_SUPPORTED, SUPPORTED, Reconciliation
from .models import Installation, Tally
from .reconciliation import current_snapshot_ids, status_case, titles_with_status


def _narrowed_tallies(ctx: RuleContext, snapshot_ids: list[int]) -> QuerySet[Tally]:
    return ctx.narrow(
        Tally.objects.filter(snapshot_id__in=snapshot_ids),
        board="department__board",
        department="department",
    )


def _deviations_url(ctx: RuleContext, product_id: int) -> str:
    """The list of the product's deviating installations, in the context's department."""
    query: dict[str, object] = {"product": product_id}
    if ctx.department is not None:
        query["department"] = getattr(ctx.department, "pk", ctx.department)
    return (
        reverse("inventory:unapproved", kwargs={"municipality": ctx.municipality.slug})
        + "?"
        + urlencode(query)
    )


def _installations(count: int) -> str:
    return ngettext("%(count)s installation", "%(count)s installations", count) % {"count": count}


def _devices(count: int) -> str:
    return ngettext("%(count)s device", "%(count)s devices", count) % {"count": count}


def _products(count: int) -> str:
    return ngettext("%(count)s product", "%(count)s products", count) % {"count": count}


@rule(
    "inventory.installed_software_approved",
    clauses=["P5.4", "P5.5"],
    title=gettext_lazy(
        "No software is installed that the IT department has not approved or has retired"
    ),
)
def installed_software_approved(ctx: RuleContext) -> RuleResult:
    """P5.4: all hardware and software is approved by the IT department before it is procured
    and installed; P5.5: what is not approved is neither installed nor supported. Counted are
    the installations of the current snapshot of each inventory source whose title the software
    dictionary maps to a catalogue product (titles it ignores, and titles it leaves unknown, are
    not counted: nobody can yet say whether they were approved). The rule is met when none of
    them is of a product never approved (not assessed, under evaluation, rejected) or retired
    (or in a phase-out whose end date has passed); otherwise not met, with the products that
    have the most such installations as offenders. Not measurable while no inventory is
    imported.

    Five queries at most: the current snapshots, the tallies per status, and, when something
    deviates, the devices concerned, the first products and their devices."""
    today = timezone.localdate()
    snapshot_ids = current_snapshot_ids(ctx.municipality)
    if not snapshot_ids:
        return RuleResult(
            status=Status.NOT_MEASURABLE,
            summary=_(
                "No inventory of installed software is imported, so what is installed cannot "
                "be measured."
            ),
        )
    tallies = _narrowed_tallies(ctx, snapshot_ids).annotate(status=status_case("title__", today))
    deviating_q = Q(status__in=NOT_SUPPORTED)
    figures = tallies.aggregate(
        supported=Sum("installations", filter=Q(status__in=SUPPORTED)),
        deviating=Sum("installations", filter=deviating_q),
        unknown=Sum("installations", filter=Q(status=Reconciliation.UNKNOWN)),
        products=Count("title__product", filter=deviating_q, distinct=True),
    )
    supported = figures["supported"] or 0
    deviating = figures["deviating"] or 0
    unknown = figures["unknown"] or 0
    known = supported + deviating
    unknown_words = (
        " "
        + ngettext(
            "(%(count)s installation of software not yet in the dictionary is not counted)",
            "(%(count)s installations of software not yet in the dictionary are not counted)",
            unknown,
        )
        % {"count": unknown}
        if unknown
        else ""
    )
    if not deviating:
        return RuleResult(
            status=Status.MET if known else Status.NOT_APPLICABLE,
            numerator=known,
            denominator=known,
            summary=ngettext(
                "The %(count)s installation of known software is approved",
                "All %(count)s installations of known software are approved",
                known,
            )
            % {"count": known}
            + unknown_words,
        )

    installations = Installation.objects.filter(
        snapshot_id__in=snapshot_ids,
        title__in=titles_with_status(ctx.municipality, NOT_SUPPORTED, today),
    )
    installations = ctx.narrow(
        installations, board="device__department__board", department="device__department"
    )
    devices = installations.aggregate(n=Count("device_id", distinct=True))["n"]
    products = list(
        tallies.filter(deviating_q)
        .values("title__product_id", "title__product__name", "status")
        .annotate(n=Sum("installations"))
        .order_by("-n", "title__product__name")[:OFFENDER_LIMIT]
    )
    devices_per_product = dict(
        installations.filter(title__product_id__in=[p["title__product_id"] for p in products])
        .values("title__product_id")
        .annotate(d=Count("device_id", distinct=True))
        .order_by()
        .values_list("title__product_id", "d")
    )
    offenders = [
        Offender(
            label=product["title__product__name"],
            url=_deviations_url(ctx, product["title__product_id"]),
            # A product has one phase, so all its installations have the same status.
            reason=_("%(status)s: %(installations)s on %(devices)s")
            % {
                "status": Reconciliation(product["status"]).label,
                "installations": _installations(product["n"]),
                "devices": _devices(devices_per_product.get(product["title__product_id"], 0)),
            },
        )
        for product in products
    ]
    summary = _(
        "%(deviating)s of %(known)s installations of known software are of unapproved or "
        "retired products (%(products)s, on %(devices)s)"
    ) % {
        "deviating": deviating,
        "known": known,
        "products": _products(figures["products"]),
        "devices": _devices(devices),
    }
    return RuleResult(
        status=Status.NOT_MET,
        numerator=supported,
        denominator=known,
        summary=summary + unknown_words,
        offenders=offenders,
        offender_count=figures["products"],
    )
