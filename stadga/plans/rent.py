"""The yearly internal-rent allocation of passive network costs (P3.6, P3.7): the cabling in the
municipality's premises is borne by the technical department, which recovers it through the
internal rent from the departments that rent the premises, each by its share.

What is allocated for a year: the planned costs of that year (investment and running) of the
current items of adopted plans whose cost category is borne by the technical department and
recovered through the internal rent, unless the item names another bearer (who then pays it
directly, P3.6–P3.9). Planned, not actual, costs: the internal rent is set for the year ahead
when the budget is made, from what the boards adopted; the follow-up of actual costs settles the
next year's plan, not this year's rent.

Where it goes: an item linked to premises is that premises' cost. An item linked to none is the
common network's and is spread equally over the premises that have tenants (the documented key:
one part per let premises). Each premises' cost is then split among its tenants by their shares.
Tenancies count as they stand on 1 January of the year: the rent is set for the year, and
tenancies changing during it change next year's rent. Cost of premises that stand empty or are
archived, and common cost when no premises is let, is not allocated: it stays with the technical
department, and the report says so.

Every amount is whole kronor. Each split uses the largest-remainder method, so the parts sum
exactly to what is split (no krona is lost or made up) and each part is less than one krona
from its exact share.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext as _

from stadga.organisation.models import Department, Municipality

from .choices import ADOPTED_STATUSES, BearerKind
from .models import PlanItemCost, Premises, Tenancy
from .selectors import plans_settings_for

Weight = Fraction | Decimal | int


def split_whole_kronor(total: int, weights: Sequence[Weight]) -> list[int]:
    """`total` kronor split in proportion to `weights`, in whole kronor that sum to exactly
    `total`, by the largest-remainder method: every part first gets its exact share rounded
    down, then the kronor left over go one each to the parts with the largest remainders (the
    earlier part first when remainders are equal, so the result is reproducible)."""
    if total < 0:
        raise ValueError("Only a non-negative amount is split.")
    exact_weights = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact_weights):
        raise ValueError("Weights are not negative.")
    whole = sum(exact_weights, Fraction(0))
    if whole == 0:
        raise ValueError("At least one weight is positive.")
    exact = [Fraction(total) * w / whole for w in exact_weights]
    parts = [math.floor(e) for e in exact]
    left = total - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return parts


@dataclass
class TenantPart:
    department: Department
    share: Decimal
    amount: int


@dataclass
class PremisesRow:
    """One let premises: its own cabling cost, its part of the common cost, and its tenants'
    parts of the sum."""

    premises: Premises
    direct: int
    common: int
    parts: list[TenantPart]

    @property
    def total(self) -> int:
        return self.direct + self.common


@dataclass
class DepartmentRow:
    department: Department
    amount: int
    premises: list[tuple[Premises, int]] = field(default_factory=list)


@dataclass
class Unallocated:
    """Cost no tenant bears: the premises (None for the common network) and why."""

    premises: Premises | None
    amount: int
    reason: str


@dataclass
class RentAllocation:
    year: int
    reference_day: datetime.date
    total: int  # all the passive network cost of the year, allocated or not
    common: int  # of which not linked to any premises
    rows: list[PremisesRow]
    departments: list[DepartmentRow]
    unallocated: list[Unallocated]

    @property
    def allocated(self) -> int:
        return sum(d.amount for d in self.departments)

    @property
    def unallocated_total(self) -> int:
        return sum(u.amount for u in self.unallocated)


def rent_costs(municipality: Municipality, year: int) -> dict[int | None, int]:
    """The year's passive network cost recovered through the rent, per premises id (None: not
    linked to premises), in whole kronor. Two queries."""
    settings = plans_settings_for(municipality)
    borne_by_technical = Q(item__bearer__isnull=True)
    if settings.technical_department_id:
        borne_by_technical |= Q(item__bearer_id=settings.technical_department_id)
    sums = (
        PlanItemCost.objects.filter(
            borne_by_technical,
            municipality=municipality,
            year=year,
            item__archived_at__isnull=True,
            item__plan__archived_at__isnull=True,
            item__plan__status__in=ADOPTED_STATUSES,
            item__cost_category__recovered_through_rent=True,
            item__cost_category__default_bearer=BearerKind.TECHNICAL_DEPARTMENT,
        )
        .values("item__premises_id")
        .annotate(investment=Sum("investment"), running=Sum("running"))
        .order_by()
    )
    return {
        row["item__premises_id"]: int((row["investment"] or 0) + (row["running"] or 0))
        for row in sums
    }


def rent_allocation(*, municipality: Municipality, year: int) -> RentAllocation:
    """The internal-rent allocation of `year`'s passive network costs (see the module's
    docstring). A fixed number of queries, however many premises, tenants and items."""
    day = datetime.date(year, 1, 1)
    costs = rent_costs(municipality, year)
    in_force = Tenancy.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        archived_at__isnull=True,
        valid_from__lte=day,
    ).select_related("department")
    premises = list(
        Premises.objects.filter(municipality=municipality, archived_at__isnull=True)
        .select_related("municipality")
        .prefetch_related(Prefetch("tenancies", queryset=in_force, to_attr="in_force"))
        .order_by("name")
    )
    let = [p for p in premises if p.in_force]  # type: ignore[attr-defined]
    unallocated: list[Unallocated] = []
    for p in premises:
        if not p.in_force and costs.get(p.pk):  # type: ignore[attr-defined]
            reason = _("No tenants on %(day)s.") % {"day": day.isoformat()}
            unallocated.append(Unallocated(p, costs[p.pk], reason))
    known = {p.pk for p in premises}
    gone = [pk for pk in costs if pk is not None and pk not in known]
    for archived in Premises.objects.filter(pk__in=gone).order_by("name") if gone else []:
        reason = _("The premises is archived.")
        unallocated.append(Unallocated(archived, costs[archived.pk], reason))
    common = costs.get(None, 0)
    common_parts = [0] * len(let)
    if common and let:
        common_parts = split_whole_kronor(common, [1] * len(let))
    elif common:
        unallocated.append(Unallocated(None, common, _("No premises has tenants.")))

    rows: list[PremisesRow] = []
    departments: dict[int, DepartmentRow] = {}
    for p, common_part in zip(let, common_parts, strict=True):
        tenancies = sorted(p.in_force, key=lambda t: (t.department.name, t.pk))  # type: ignore[attr-defined]
        row = PremisesRow(premises=p, direct=costs.get(p.pk, 0), common=common_part, parts=[])
        amounts = split_whole_kronor(row.total, [t.share for t in tenancies])
        for tenancy, amount in zip(tenancies, amounts, strict=True):
            row.parts.append(TenantPart(tenancy.department, tenancy.share, amount))
            dept = departments.setdefault(
                tenancy.department_id, DepartmentRow(tenancy.department, 0)
            )
            dept.amount += amount
            dept.premises.append((p, amount))
        rows.append(row)
    return RentAllocation(
        year=year,
        reference_day=day,
        total=sum(costs.values()),
        common=common,
        rows=rows,
        departments=sorted(departments.values(), key=lambda d: d.department.name),
        unallocated=unallocated,
    )


def rent_years(municipality: Municipality) -> list[int]:
    """Years with passive network costs, latest first (for the report's year)."""
    return list(
        PlanItemCost.objects.filter(
            municipality=municipality,
            item__cost_category__recovered_through_rent=True,
            item__archived_at__isnull=True,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
