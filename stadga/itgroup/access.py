"""Who may see and keep the IT group (P3.12).

The IT coordinator convenes and leads the group, so the IT department (whoever keeps the
register, `Access.keeps_register`) keeps its members and meetings. Those who read everything
(`Access.reads_all`: the IT department, the executive board, auditors), department heads (whose
departments it represents) and the group's own current members read it. Other employees do not:
to them the group's pages are not found.
"""

from __future__ import annotations

from django.utils import timezone

from stadga.organisation.access import Access
from stadga.organisation.choices import Role

_CACHE = "_itgroup_readers"


def manages_group(access: Access, municipality_id: int) -> bool:
    """May create and change members and meetings, record attendance and approve minutes."""
    return access.keeps_register(municipality_id)


def reads_group(access: Access, municipality_id: int) -> bool:
    """May read the group, its meetings, minutes and decisions. At most one query per request
    (only for a user who is neither a reader nor a department head), remembered on `access`."""
    if access.reads_all(municipality_id) or access.has_role(municipality_id, Role.DEPARTMENT_HEAD):
        return True
    person_ids = access.persons.get(municipality_id)
    if not person_ids:
        return False
    known: dict[int, bool] = access.__dict__.setdefault(_CACHE, {})
    if municipality_id not in known:
        from .models import ITGroupMember, current_member_q

        known[municipality_id] = ITGroupMember.objects.filter(
            current_member_q(timezone.localdate()),
            municipality_id=municipality_id,
            person_id__in=person_ids,
        ).exists()
    return known[municipality_id]
