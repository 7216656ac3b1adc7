"""Every write of the portal (P7.1): its settings and accessibility statement, and residents'
views and questions: received, routed to the person responsible, answered, published."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadga.core.services import governed_write, object_create, object_update
from stadga.notifications.services import notify
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.organisation.selectors import role_holders

from . import caching, selectors_public
from .access import answers_message, keeps_portal
from .choices import MessageStatus, Subject
from .models import AccessibilityStatement, PortalSettings, ResidentMessage

logger = logging.getLogger(__name__)

# The fields a resident fills in; everything else is set here.
RESIDENT_FIELDS = (
    "kind",
    "subject",
    "system",
    "plan",
    "product",
    "status_report",
    "clause",
    "message",
    "name",
    "email",
    "publish_consent",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change this."))


def _after_commit_invalidate(municipality_id: int) -> None:
    transaction.on_commit(lambda: caching.invalidate(municipality_id))


# --- settings ----------------------------------------------------------------------------------


def _settings_write(
    model: type[PortalSettings] | type[AccessibilityStatement],
    *,
    municipality: Municipality,
    data: Mapping[str, Any],
    actor: Any,
) -> tuple[Any, bool]:
    _require(keeps_portal(Access.for_user(actor), municipality.pk))
    row = model.objects.filter(municipality=municipality).first()
    if row is None:
        result = object_create(model=model, data=data, actor=actor, municipality=municipality)
        changed = True
    else:
        result, changed = object_update(instance=row, data=data, actor=actor)
    _after_commit_invalidate(municipality.pk)
    return result, changed


def portal_settings_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> tuple[PortalSettings, bool]:
    """Publish or withdraw the portal, its introduction, contact, answer target and licence."""
    return _settings_write(PortalSettings, municipality=municipality, data=data, actor=actor)


def statement_update(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> tuple[AccessibilityStatement, bool]:
    """The accessibility statement's compliance status, shortcomings, assessment and contact."""
    return _settings_write(
        AccessibilityStatement, municipality=municipality, data=data, actor=actor
    )


# --- residents' messages -----------------------------------------------------------------------


def it_coordinators(municipality: Municipality) -> list[Person]:
    """The people who hold the IT coordinator's role: they answer what no one else does."""
    return role_holders(municipality, (Role.IT_COORDINATOR,))


def responsible_for(message: ResidentMessage) -> list[Person]:
    """Who answers a message, first the one it is addressed to (P7.1: it reaches the person
    responsible): a system's owner, else its department's head; a plan's board secretary;
    otherwise, and when none of those is named, the IT coordinators."""
    m = message.municipality
    people: list[Person] = []
    if message.system is not None:
        owner = message.system.system_owner
        if owner is not None and owner.archived_at is None:
            people = [owner]
        elif message.system.department_id:
            people = role_holders(
                m, (Role.DEPARTMENT_HEAD,), q=Q(department_id=message.system.department_id)
            )
    elif message.plan is not None:
        people = role_holders(m, (Role.BOARD_SECRETARY,), q=Q(board_id=message.plan.board_id))
    return people or it_coordinators(m)


def _next_reference(municipality: Municipality, year: int) -> str:
    prefix = f"{year}-"
    last = (
        ResidentMessage.objects.filter(municipality=municipality, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _subject_errors(message: ResidentMessage) -> dict[str, str]:
    """What a resident may write about is what the portal shows (`selectors_public`): a public
    system, an adopted plan, an issued status report, a product with a published decision. One
    query per subject given."""
    published = {
        "system": selectors_public.public_systems,
        "plan": selectors_public.public_plans,
        "product": selectors_public.public_products,
        "status_report": selectors_public.public_reports,
    }
    errors: dict[str, str] = {}
    for name, visible in published.items():
        obj = getattr(message, name)
        if obj is not None and not visible(message.municipality).filter(pk=obj.pk).exists():
            errors[name] = _("It is not among the published information.")
    return errors


def _subject_for(message: ResidentMessage) -> str:
    for field, subject in (
        ("system", Subject.SYSTEM),
        ("plan", Subject.PLAN),
        ("product", Subject.PRODUCT),
        ("status_report", Subject.STATUS_REPORT),
    ):
        if getattr(message, f"{field}_id"):
            return subject
    return Subject.POLICY if message.clause else Subject.GENERAL


def message_submit(
    *, municipality: Municipality, data: Mapping[str, Any], language: str = ""
) -> ResidentMessage:
    """Receive a resident's view or question: validate it, give it a reference, route it to
    the person responsible and put it in their inbox (P7.1). Anonymous: no actor.

    Raises ValidationError on bad input; nothing is written then.
    """
    if not PortalSettings.for_municipality(municipality).is_published:
        raise ValidationError(_("The municipality's portal is not published."))
    fields = {k: v for k, v in data.items() if k in RESIDENT_FIELDS}
    message = ResidentMessage(
        municipality=municipality,
        language=language or settings.LANGUAGE_CODE,
        **fields,
    )
    message.subject = _subject_for(message)
    errors = _subject_errors(message)
    if errors:
        raise ValidationError(errors)
    recipients = responsible_for(message)
    message.recipient = recipients[0] if recipients else None
    year = timezone.localdate().year
    for attempt in range(3):  # two residents at the same moment: the loser takes the next number
        message.reference = _next_reference(municipality, year)
        try:
            with governed_write(None):
                message.full_clean()
                message.save()
                _notify_received(message, recipients)
            break
        except IntegrityError:
            message.pk = None
            if attempt == 2:
                raise
    return message


def message_due_on(message: ResidentMessage, target_days: int) -> datetime.date:
    """The day by which the municipality aims to answer: the day it was received (local) and
    the answer target (PortalSettings.answer_target_days)."""
    received = timezone.localdate(message.created_at) if message.created_at else None
    return (received or timezone.localdate()) + datetime.timedelta(days=target_days)


def _notify_received(message: ResidentMessage, recipients: list[Person], key: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(kind)s from a resident: %(reference)s") % {
            "kind": message.get_kind_display(),
            "reference": message.reference,
        }
        about = message.about
        body = _("About: %(about)s") % {
            "about": about if about is not None else message.get_subject_display()
        }
        body += "\n\n" + message.message
        target = PortalSettings.for_municipality(message.municipality).answer_target_days
        notify(
            municipality=message.municipality,
            recipients=recipients,
            key=key or f"resident-message:{message.pk}",
            subject=subject,
            body=body,
            link=message.get_absolute_url(),
            due_date=message_due_on(message, target),
        )


def _require_current(message: ResidentMessage) -> None:
    if message.archived_at is not None:
        raise ValidationError(_("The message is archived."))


def message_answer(
    *, message: ResidentMessage, answer: str, publish: bool = False, actor: Any
) -> ResidentMessage:
    """Answer a message (or change the answer); e-mail the answer to the resident (if they gave
    an address) after the commit. The exchange is published on the portal if `publish` (the
    resident must have agreed), and taken down if not."""
    _require(answers_message(Access.for_user(actor), message))
    _require_current(message)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if publish and not message.publish_consent:
        raise ValidationError(
            {"publish": _("The resident did not agree to have the message published.")}
        )
    now = timezone.now()
    with governed_write(actor):
        message.answer = answer
        message.status = MessageStatus.ANSWERED
        message.answered_at = message.answered_at or now
        message.answered_by = actor
        message.published_at = (message.published_at or now) if publish else None
        message.full_clean()
        message.save()
        if message.email:
            transaction.on_commit(lambda: _email_answer(message), robust=True)
    _after_commit_invalidate(message.municipality_id)
    return message


def _email_answer(message: ResidentMessage) -> None:
    base = getattr(settings, "STADGA_BASE_URL", "").rstrip("/")
    with translation.override(message.language or settings.LANGUAGE_CODE):
        subject = _("Answer to your message %(reference)s") % {"reference": message.reference}
        body = "\n\n".join(
            [
                _("You wrote:"),
                message.message,
                _("Our answer:"),
                message.answer,
                _("Your message and our answer are also on the page of your receipt: %(url)s")
                % {"url": f"{base}{message.get_receipt_url()}"},
                _("%(municipality)s, reference %(reference)s")
                % {"municipality": message.municipality.name, "reference": message.reference},
            ]
        )
    send_mail(subject, body, None, [message.email])


def message_publish(*, message: ResidentMessage, published: bool, actor: Any) -> ResidentMessage:
    """Show an answered exchange on the portal, or take it down again."""
    _require(answers_message(Access.for_user(actor), message))
    _require_current(message)
    if published and not message.publish_consent:
        raise ValidationError(_("The resident did not agree to have the message published."))
    if published and message.status != MessageStatus.ANSWERED:
        raise ValidationError(_("Answer the message before it is published."))
    with governed_write(actor):
        message.published_at = (message.published_at or timezone.now()) if published else None
        message.save(update_fields=["published_at", "updated_at"])
    _after_commit_invalidate(message.municipality_id)
    return message


def message_close(*, message: ResidentMessage, actor: Any) -> ResidentMessage:
    """Close a message that needs no answer, or cannot get one (no address was given)."""
    _require(answers_message(Access.for_user(actor), message))
    _require_current(message)
    if message.status == MessageStatus.ANSWERED:
        raise ValidationError(_("An answered message is not closed."))
    if message.status == MessageStatus.CLOSED:
        raise ValidationError(_("The message is already closed."))
    with governed_write(actor):
        message.status = MessageStatus.CLOSED
        message.closed_at = timezone.now()
        message.save(update_fields=["status", "closed_at", "updated_at"])
    return message


def message_forward(*, message: ResidentMessage, recipient: Person, actor: Any) -> ResidentMessage:
    """Send a message on to the person who should answer it; they get it in their inbox."""
    _require(answers_message(Access.for_user(actor), message))
    _require_current(message)
    if recipient.municipality_id != message.municipality_id or recipient.archived_at:
        raise ValidationError({"recipient": _("Choose a person in the municipality.")})
    if recipient.pk == message.recipient_id:
        raise ValidationError({"recipient": _("The message is already with this person.")})
    with governed_write(actor):
        message.recipient = recipient
        message.save(update_fields=["recipient", "updated_at"])
        # A new event, even for someone who had the message before and sent it on.
        stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
        _notify_received(message, [recipient], key=f"resident-message:{message.pk}:to:{stamp}")
    return message
