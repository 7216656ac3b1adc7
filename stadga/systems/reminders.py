"""Reminders over the register of IT systems, sent by the daily job (stadga.notifications)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, RoleAssignment

from .choices import LifecyclePhase
from .models import System


@reminder_source("systems.without_owner")
def systems_without_owner(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P9.3: the department appoints a system owner for each of its systems; its head is
    reminded of every system of the department that has none (or whose owner has left).

    Two queries, whatever the number of systems.
    """
    systems = list(
        System.objects.filter(
            Q(system_owner__isnull=True) | Q(system_owner__archived_at__isnull=False),
            municipality=municipality,
            archived_at__isnull=True,
            department__isnull=False,
        )
        .exclude(lifecycle_phase=LifecyclePhase.RETIRED)
        .select_related("department")
        .order_by("name", "pk")
    )
    if not systems:
        return
    heads: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
        municipality=municipality,
        role=Role.DEPARTMENT_HEAD,
        department_id__in={s.department_id for s in systems},
        archived_at__isnull=True,
        person__archived_at__isnull=True,
    ).select_related("person"):
        heads.setdefault(assignment.department_id, []).append(assignment.person)  # type: ignore[arg-type]

    role = municipality.role_label(Role.SYSTEM_OWNER)
    if not role[1:2].isupper():  # mid-sentence: "systemansvarig", but "IT-samordnare" stays
        role = role[:1].lower() + role[1:]
    for system in systems:
        link = reverse(
            "systems:system_detail", kwargs={"municipality": municipality.slug, "pk": system.pk}
        )
        values = {"system": system.name, "department": system.department, "role": role}
        for head in heads.get(system.department_id, []):  # type: ignore[arg-type]
            yield Reminder(
                recipient=head,
                key=f"system-without-owner:{system.pk}",
                subject=_("%(system)s has no system owner") % values,
                body=_(
                    "The system %(system)s in %(department)s has no named %(role)s. The "
                    "department appoints one for each of its systems (P9.3)."
                )
                % values,
                link=link,
                # A planned system needs its owner before it goes into production.
                due_date=system.in_production_from,
            )
