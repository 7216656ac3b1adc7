"""Reminders over the policy's attestations, sent by the daily job (stadga.notifications)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.models import Municipality

from .engine import current_adoption
from .models import Attestation


@reminder_source("policy.attestation_expired")
def attestations_expired(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P3.1: what no rule measures is kept only while someone attests to it. When the latest
    attestation of a clause (for a system, or for the whole municipality) has expired, the
    system's owner is reminded to renew it, or, for an attestation about no system, the person
    who gave it.

    Only clauses of the policy the municipality has adopted count: an attestation of a replaced
    version needs no renewal. Two queries, whatever the number of attestations.
    """
    adoption = current_adoption(municipality)
    if adoption is None:
        return
    current = Attestation.objects.filter(
        municipality=municipality, clause__policy_id=adoption.policy_id, archived_at__isnull=True
    )
    # A later attestation of the same clause and system (renewed, or given ahead of time)
    # supersedes this one; the latest of several expired ones is the one to remind about.
    later = current.filter(clause_id=OuterRef("clause_id")).filter(
        Q(valid_until__gt=OuterRef("valid_until"))
        | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk"))
    )
    expired = (
        current.filter(valid_until__lt=today)
        .alias(
            superseded_whole=Exists(later.filter(system__isnull=True)),
            superseded_for_system=Exists(later.filter(system_id=OuterRef("system_id"))),
        )
        .filter(
            Q(system__isnull=True, superseded_whole=False)
            | Q(system__isnull=False, superseded_for_system=False)
        )
        .select_related("clause", "system__system_owner", "attested_by")
        .order_by("clause__order", "pk")
    )
    for attestation in expired:
        owner = attestation.system.system_owner if attestation.system else None
        candidates = [owner, attestation.attested_by]
        recipient = next((p for p in candidates if p is not None and not p.is_archived), None)
        if recipient is None:
            continue
        values = {
            "clause": attestation.clause.clause_id,
            "system": attestation.system.name if attestation.system else "",
            "date": attestation.valid_until.isoformat(),
        }
        if attestation.system:
            subject = _("The attestation of %(clause)s for %(system)s has expired") % values
        else:
            subject = _("The attestation of %(clause)s has expired") % values
        yield Reminder(
            recipient=recipient,
            key=f"attestation-expired:{attestation.pk}",
            subject=subject,
            body=_(
                "The attestation that %(clause)s is kept was valid until %(date)s. Until it is "
                "renewed, the live policy page shows the clause as not met (P3.1)."
            )
            % values,
            link=reverse(
                "policy:attestation_detail",
                kwargs={"municipality": municipality.slug, "pk": attestation.pk},
            ),
            due_date=attestation.valid_until,
        )
