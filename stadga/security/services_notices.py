"""Resource-shortfall notices (P9.6): when the money is not enough to keep IT security
acceptable, a system owner or the IT coordinator documents the need in writing and notifies the
department head and/or the board, who acknowledge it and decide.

Who may file: the IT department (IT coordinator and IT technician, P3.2, P9.4), for anything; a
system owner (P9.3) only for a need that concerns a system they own, so the notice names at
least one of their systems. A system owner speaks for their own systems; the platform's needs
are the IT coordinator's.

A notice is a written record: once filed, what it says (need, risk, cost, systems, measures,
addressees) is never changed and it is never archived or deleted. Only its way through the
addressees is recorded on it: acknowledged, decided, escalated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadga.core.services import governed_write, object_create
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import person_of, role_holders
from stadga.systems.models import System

from .access import can_decide_notice
from .choices import DECIDED_NOTICE_STATUSES, NoticeStatus
from .models import SecuritySettings, ShortfallNotice

# What the writer fills in; everything else on a notice is its way through the addressees.
FILE_FIELDS = (
    "title",
    "need",
    "risk",
    "estimated_cost",
    "department",
    "board",
    "systems",
    "measures",
)


# --- people -------------------------------------------------------------------------------------


def shortfall_notice_addressees(notice: ShortfallNotice) -> list[Person]:
    """Who the notice is addressed to (P9.6): the head(s) of its department and the members of
    its board. One query."""
    q = Q(pk__in=[])
    if notice.department_id:
        q |= Q(role=Role.DEPARTMENT_HEAD, department_id=notice.department_id)
    if notice.board_id:
        q |= Q(role=Role.BOARD_MEMBER, board_id=notice.board_id)
    return role_holders(notice.municipality, (Role.DEPARTMENT_HEAD, Role.BOARD_MEMBER), q=q)


def owned_systems_q(access: Access) -> Q:
    """Systems the user answers for as system owner (P9.3): by role or as the named owner."""
    return Q(pk__in=access.system_owner_of) | Q(system_owner_id__in=access.person_ids)


def can_file_notice(access: Access, municipality: Municipality) -> bool:
    """P9.6: the IT department, or a system owner of one of the municipality's systems."""
    if access.keeps_register(municipality.pk):
        return True
    if not access.is_member(municipality.pk):
        return False
    return (
        System.objects.filter(owned_systems_q(access), municipality=municipality)
        .filter(archived_at__isnull=True)
        .exists()
    )


# --- settings -----------------------------------------------------------------------------------


def security_settings(municipality: Municipality) -> SecuritySettings:
    """The municipality's security settings, stored or (unsaved) the defaults."""
    return SecuritySettings.for_municipality(municipality)


def escalation_days(municipality: Municipality) -> int:
    """After how many days an unacknowledged notice is escalated (14 by default)."""
    return int(security_settings(municipality).shortfall_escalation_days)


# --- notifications ------------------------------------------------------------------------------


def _notify(notice: ShortfallNotice, recipients: Iterable[Person], event: str, **text: str) -> None:
    from stadga.notifications.services import notify

    notify(
        municipality=notice.municipality,
        recipients=recipients,
        key=f"shortfall-notice:{notice.pk}:{event}",
        link=reverse(
            "security:shortfallnotice_detail",
            kwargs={"municipality": notice.municipality.slug, "pk": notice.pk},
        ),
        subject=text["subject"],
        body=text["body"],
    )


def _values(notice: ShortfallNotice) -> dict[str, Any]:
    return {
        "title": notice.title,
        "writer": notice.written_by,
        "status": notice.get_status_display(),
        "reason": notice.decision_reason,
    }


# --- writes -------------------------------------------------------------------------------------


def _save(notice: ShortfallNotice, fields: list[str]) -> None:
    """Validate and save the step just taken; if it is refused, the caller's object is put back
    as stored, so that a second try starts from the truth."""
    try:
        notice.full_clean()
    except ValidationError:
        notice.refresh_from_db()
        raise
    notice.save(update_fields=fields)


def shortfall_notice_file(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ShortfallNotice:
    """File a written need (P9.6) and notify its addressees at once, in the app and by e-mail.

    `data` holds what the writer fills in (FILE_FIELDS). The writer is the actor's person in the
    municipality; only the IT department or the owner of a system named in the notice may file.
    """
    unknown = set(data) - set(FILE_FIELDS)
    if unknown:
        raise ValueError(f"A notice is filed with {FILE_FIELDS}, not {sorted(unknown)}.")
    access = Access.for_user(actor)
    writer = person_of(municipality, actor)
    if writer is None or not can_file_notice(access, municipality):
        raise PermissionDenied
    systems = list(data.get("systems") or [])
    measures = list(data.get("measures") or [])
    errors: dict[str, list[str]] = {}
    if any(s.municipality_id != municipality.pk for s in systems):
        errors["systems"] = [_("A system belongs to another municipality.")]
    if any(m.municipality_id != municipality.pk for m in measures):
        errors["measures"] = [_("A measure belongs to another municipality.")]
    if not access.keeps_register(municipality.pk):
        owned = set(
            System.objects.filter(owned_systems_q(access), municipality=municipality).values_list(
                "pk", flat=True
            )
        )
        if not any(s.pk in owned for s in systems):
            errors.setdefault("systems", []).append(
                _("Name at least one of the systems you are the system owner of (P9.3, P9.6).")
            )
    department, board = data.get("department"), data.get("board")
    if department is not None and board is not None and department.board_id != board.pk:
        errors["board"] = [_("The department is not under that board.")]
    if errors:
        raise ValidationError(errors)

    with governed_write(actor):
        notice = object_create(
            model=ShortfallNotice,
            data=data,
            actor=actor,
            municipality=municipality,
            written_by=writer,
            status=NoticeStatus.OPEN,
        )
        with translation.override(settings.LANGUAGE_CODE):
            values = _values(notice)
            _notify(
                notice,
                shortfall_notice_addressees(notice),
                "filed",
                subject=_("Shortfall notice: %(title)s") % values,
                body=_(
                    "%(writer)s has documented in writing that the money is not enough to keep "
                    "IT security acceptable, and notifies you (P9.6). Acknowledge the notice "
                    "and decide: funded, risk accepted or rejected."
                )
                % values,
            )
    return notice


def shortfall_notice_acknowledge(*, notice: ShortfallNotice, actor: Any) -> ShortfallNotice:
    """An addressee confirms they have received the notice; its writer is told."""
    if not can_decide_notice(Access.for_user(actor), notice):
        raise PermissionDenied
    if notice.acknowledged_at is not None:
        raise ValidationError(_("The notice has already been acknowledged."))
    with governed_write(actor):
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = person_of(notice.municipality, actor)
        if notice.status == NoticeStatus.OPEN:
            notice.status = NoticeStatus.ACKNOWLEDGED
        _save(notice, ["acknowledged_at", "acknowledged_by", "status", "updated_at"])
        with translation.override(settings.LANGUAGE_CODE):
            values = {**_values(notice), "by": notice.acknowledged_by or _("the system")}
            _notify(
                notice,
                [notice.written_by],
                "acknowledged",
                subject=_("Your shortfall notice was acknowledged: %(title)s") % values,
                body=_("%(by)s has acknowledged your shortfall notice (P9.6).") % values,
            )
    return notice


def shortfall_notice_decide(
    *, notice: ShortfallNotice, status: str, reason: str, actor: Any
) -> ShortfallNotice:
    """An addressee decides: funded, risk accepted (with the reason) or rejected (with the
    reason). A decision is final; deciding acknowledges the notice too. Its writer is told."""
    if not can_decide_notice(Access.for_user(actor), notice):
        raise PermissionDenied
    if notice.status in DECIDED_NOTICE_STATUSES:
        raise ValidationError(_("The notice has already been decided."))
    if status not in DECIDED_NOTICE_STATUSES:
        raise ValidationError({"status": _("Choose funded, risk accepted or rejected.")})
    if status != NoticeStatus.FUNDED and not reason.strip():
        raise ValidationError({"decision_reason": _("Give the reason for the decision.")})
    now = timezone.now()
    person = person_of(notice.municipality, actor)
    with governed_write(actor):
        fields = ["status", "decision_reason", "decided_at", "decided_by", "updated_at"]
        if notice.acknowledged_at is None:
            notice.acknowledged_at, notice.acknowledged_by = now, person
            fields += ["acknowledged_at", "acknowledged_by"]
        notice.status = status
        notice.decision_reason = reason.strip()
        notice.decided_at, notice.decided_by = now, person
        _save(notice, fields)
        with translation.override(settings.LANGUAGE_CODE):
            values = {**_values(notice), "by": person or _("the system")}
            body = _("%(by)s has decided on your shortfall notice: %(status)s.") % values
            if notice.decision_reason:
                body += "\n\n" + _("Reason: %(reason)s") % values
            _notify(
                notice,
                [notice.written_by],
                "decided",
                subject=_("Decision on your shortfall notice: %(title)s") % values,
                body=body,
            )
    return notice


def shortfall_notices_to_escalate(*, municipality: Municipality, today: datetime.date) -> Any:
    """Notices not acknowledged within the municipality's escalation period and not yet
    escalated: filed on or before `today` minus the period (in local days)."""
    days = escalation_days(municipality)
    first_day_not_due = today - datetime.timedelta(days=days - 1)
    cutoff = timezone.make_aware(
        datetime.datetime.combine(first_day_not_due, datetime.time.min),
        timezone.get_default_timezone(),
    )
    return ShortfallNotice.objects.filter(
        municipality=municipality,
        archived_at__isnull=True,
        status=NoticeStatus.OPEN,
        acknowledged_at__isnull=True,
        escalated_at__isnull=True,
        created_at__lt=cutoff,
    ).select_related("municipality", "written_by", "department", "board")


def escalation_recipients(municipality: Municipality) -> list[Person]:
    """Who hears of a notice nobody acknowledged: the executive board, which holds overall
    responsibility for IT security (P9.2), and the IT coordinator. One query."""
    return role_holders(municipality, (Role.EXECUTIVE_BOARD_READER, Role.IT_COORDINATOR))


def escalation_text(notice: ShortfallNotice, days: int) -> dict[str, str]:
    """The subject and body of the escalation, in the active language."""
    values = {**_values(notice), "days": days, "to": notice.department or notice.board}
    return {
        "subject": _("Shortfall notice not acknowledged: %(title)s") % values,
        "body": _(
            "The shortfall notice from %(writer)s to %(to)s has not been acknowledged within "
            "%(days)s days. The executive board holds overall responsibility for IT security "
            "(P9.2, P9.6)."
        )
        % values,
    }


def shortfall_notice_escalate(
    *, municipality: Municipality, today: datetime.date
) -> list[ShortfallNotice]:
    """Escalate, once, every notice left unacknowledged for the escalation period (P9.6): mark
    it escalated and notify the executive board readers and the IT coordinator.

    Run daily by the reminders (`stadga.security.reminders`). Returns the notices escalated.
    """
    days = escalation_days(municipality)
    due = shortfall_notices_to_escalate(municipality=municipality, today=today)
    if not due.exists():
        return []
    recipients = escalation_recipients(municipality)
    with governed_write(None):
        # Locked, so two runs that race escalate (and notify) each notice once.
        notices = list(due.select_for_update(of=("self",)))
        now = timezone.now()
        for notice in notices:
            notice.escalated_at = now
            notice.save(update_fields=["escalated_at", "updated_at"])  # logged, by the system
            with translation.override(settings.LANGUAGE_CODE):
                _notify(notice, recipients, "escalated", **escalation_text(notice, days))
    return notices


def escalation_key(notice: ShortfallNotice) -> str:
    """The notification key of a notice's escalation (shared with the daily reminders)."""
    return f"shortfall-notice:{notice.pk}:escalated"
