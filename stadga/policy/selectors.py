"""Reads of policies, adoptions and compliance shared by the API (and any view that wants them),
scoped to what the user may see.

Policy libraries are shared by every municipality of the installation: any signed-in user reads
them. An adoption is the municipality's own decision, read by its members. Compliance (the live
evaluation and its snapshots) is read by those who read everything in the municipality: the IT
department, the executive board and auditors (P3.1, P9.2).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import municipality_list

from .models import Clause, ComplianceSnapshot, Policy, PolicyAdoption


def policy_list() -> QuerySet[Policy]:
    """Every loaded policy version, with how many clauses it has."""
    # A grouped query drops the model's default ordering (Policy.Meta.ordering): say it again,
    # or pages would not be stable.
    return Policy.objects.annotate(clause_count=Count("clauses")).order_by(
        "key", "-adopted_on", "version"
    )


def clause_list() -> QuerySet[Clause]:
    return Clause.objects.select_related("policy")


def adoption_list(*, access: Access, archived: bool = False) -> QuerySet[PolicyAdoption]:
    """Adoptions in the user's municipalities: every member reads what the council decided."""
    return PolicyAdoption.objects.filter(
        access.organisation_q(), archived_at__isnull=not archived
    ).select_related("municipality", "policy")


def adoption_get(*, access: Access, pk: int) -> PolicyAdoption:
    """One adoption, archived or not; another municipality's is a 404."""
    qs = PolicyAdoption.objects.filter(access.organisation_q()).select_related(
        "municipality", "policy"
    )
    return get_object_or_404(qs, pk=pk)


def compliance_q(access: Access, prefix: str = "") -> Q:
    """Rows of the municipalities whose compliance the user reads (they read everything there)."""
    if access.is_operator:
        return Q()
    readable = {m for m in access.member_of if access.reads_all(m)}
    return Q(**{f"{prefix}municipality_id__in": readable})


def compliance_municipality(*, access: Access, slug: str) -> Municipality:
    """The municipality whose compliance is asked for; a 404 unless the user reads all of it
    (so a member without the right learns no more than an outsider)."""
    municipality = get_object_or_404(municipality_list(access=access), slug=slug)
    if not access.reads_all(municipality.pk):
        raise Http404
    return municipality


def snapshot_list(*, access: Access) -> QuerySet[ComplianceSnapshot]:
    return ComplianceSnapshot.objects.filter(compliance_q(access)).select_related(
        "municipality", "policy"
    )
