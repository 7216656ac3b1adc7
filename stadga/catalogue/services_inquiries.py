"""Coordination inquiries (P8.2): before a new business system is acquired, the neighbouring
municipalities are asked whether they want to coordinate. The request's decision waits until the
inquiry is closed with a conclusion or waived with a reason. Asked are the neighbours named in
the catalogue settings and every partner in the municipality's cooperation groups (P8.1), each
once.

A neighbour that is a partner in this installation answers in Stadga: its IT coordinators are
notified in their own municipality and see only the row addressed to them
(`catalogue:inquiries_received`). For other neighbours the asking municipality's IT department
records the answer it got by mail or phone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadga.cooperation.selectors import partners as group_partners
from stadga.core.services import governed_write, object_create, object_update
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import person_of, role_holders

from . import access as catalogue_access
from .choices import Answer, InquiryStatus
from .models import CatalogueSettings, CoordinationInquiry, InquiryRecipient, ProductRequest
from .selectors import catalogue_settings_for


def default_question(request: ProductRequest) -> str:
    """The question sent to the neighbours, in the installation's language."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return _(
            "%(municipality)s is considering acquiring a new business system: %(product)s "
            "(%(title)s). Are you interested in coordinating, for example a joint procurement, "
            "or do you already use a product for this? (P8.2)"
        ) % {
            "municipality": request.municipality.name,
            "product": request.requested_product_name,
            "title": request.title,
        }


def _notify_partner(recipient: InquiryRecipient) -> None:
    """Tell the partner's IT coordinators, in their own municipality, that they are asked."""
    from stadga.notifications.services import notify

    partner: Municipality = recipient.partner  # type: ignore[assignment]
    asking = recipient.municipality
    with translation.override(django_settings.LANGUAGE_CODE):
        values = {
            "asking": asking.name,
            "product": recipient.inquiry.request.requested_product_name,
        }
        notify(
            municipality=partner,
            recipients=role_holders(partner, (Role.IT_COORDINATOR,)),
            key=f"coordination-inquiry:{recipient.pk}",
            link=reverse("catalogue:inquiries_received", kwargs={"municipality": partner.slug}),
            subject=_("%(asking)s asks about coordination: %(product)s") % values,
            body=_(
                "%(asking)s is considering a new business system and asks whether you want to "
                "coordinate before it is decided (P8.2). Answer in Stadga."
            )
            % values,
        )


def _add(
    inquiry: CoordinationInquiry,
    *,
    actor: Any,
    partner: Municipality | None,
    organisation_name: str,
    asked_on: datetime.date,
) -> InquiryRecipient:
    recipient = object_create(
        model=InquiryRecipient,
        data={
            "partner": partner,
            "organisation_name": "" if partner else organisation_name,
            "asked_on": asked_on,
        },
        actor=actor,
        municipality=inquiry.municipality,
        inquiry=inquiry,
    )
    if partner is not None:
        _notify_partner(recipient)
    return recipient


def partners_to_ask(
    municipality: Municipality, settings: CatalogueSettings | None = None
) -> list[Municipality]:
    """The municipalities in Stadga an inquiry of `municipality` goes to (P8.2): the neighbours
    named in its catalogue settings and every current member of its current cooperation groups,
    each once, by name; never itself nor an archived municipality. A group partner is asked
    whatever it shares with the group: the question is the asking municipality's own data going
    out, not the partner's coming in. Two queries, three without the settings given."""
    settings = settings or catalogue_settings_for(municipality)
    found: dict[int, Municipality] = {
        partner.municipality.pk: partner.municipality for partner in group_partners(municipality)
    }
    if settings.pk:
        for neighbour in settings.neighbours.filter(archived_at__isnull=True):
            found.setdefault(neighbour.pk, neighbour)
    found.pop(municipality.pk, None)
    return sorted(found.values(), key=lambda m: (m.name, m.pk))


def inquiry_start(
    *, request: ProductRequest, actor: Any, question: str = ""
) -> CoordinationInquiry:
    """Ask the neighbouring municipalities (P8.2), today: one recipient per municipality in Stadga
    to ask (`partners_to_ask`: the catalogue settings' neighbours and the cooperation groups'
    partners, notified there) and per other neighbour named in the catalogue settings. Called
    when a request for a new business system is submitted."""
    if CoordinationInquiry.objects.filter(request=request).exists():
        raise ValidationError(_("The neighbouring municipalities have already been asked."))
    settings = catalogue_settings_for(request.municipality)
    today = timezone.localdate()
    with governed_write(actor):
        inquiry = object_create(
            model=CoordinationInquiry,
            data={"question": question.strip() or default_question(request), "sent_on": today},
            actor=actor,
            municipality=request.municipality,
            request=request,
            status=InquiryStatus.OPEN,
        )
        for partner in partners_to_ask(request.municipality, settings):
            _add(inquiry, actor=actor, partner=partner, organisation_name="", asked_on=today)
        for name in settings.other_neighbour_names:
            _add(inquiry, actor=actor, partner=None, organisation_name=name, asked_on=today)
    return inquiry


def _check_manager(inquiry: CoordinationInquiry, actor: Any) -> None:
    if not catalogue_access.can_manage_inquiry(Access.for_user(actor), inquiry):
        raise PermissionDenied(_("Only the IT department handles coordination inquiries (P8.2)."))


def _check_open(inquiry: CoordinationInquiry) -> None:
    if inquiry.status != InquiryStatus.OPEN:
        raise ValidationError(_("The inquiry has been closed or waived."))


def inquiry_recipient_add(
    *,
    inquiry: CoordinationInquiry,
    actor: Any,
    partner: Municipality | None = None,
    organisation_name: str = "",
    asked_on: datetime.date | None = None,
) -> InquiryRecipient:
    """Ask one more municipality: a partner in Stadga (notified there) or another by name."""
    _check_manager(inquiry, actor)
    _check_open(inquiry)
    today = timezone.localdate()
    asked_on = asked_on or today
    errors: dict[str, str] = {}
    name = organisation_name.strip()
    if partner is None and not name:
        errors["organisation_name"] = _("Choose a municipality in Stadga or write its name.")
    if partner is not None and name:
        errors["organisation_name"] = _(
            "Choose a municipality in Stadga or write a name, not both."
        )
    if partner is not None and partner.pk == inquiry.municipality_id:
        errors["partner"] = _("A municipality does not ask itself.")
    if partner is not None and inquiry.recipients.filter(partner=partner).exists():
        errors["partner"] = _("That municipality has already been asked.")
    if asked_on > today:
        errors["asked_on"] = _("The date it was asked cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with governed_write(actor):
        return _add(
            inquiry, actor=actor, partner=partner, organisation_name=name, asked_on=asked_on
        )


def inquiry_answer(
    *,
    recipient: InquiryRecipient,
    answer: str,
    answer_text: str,
    actor: Any,
    answered_on: datetime.date | None = None,
    answered_by_name: str = "",
) -> InquiryRecipient:
    """A municipality's answer (P8.2): a partner's IT department answers in Stadga; the asking
    IT department records another municipality's answer. The asking IT department is told of a
    partner's answer. An answer may be corrected while the inquiry is open."""
    access = Access.for_user(actor)
    if not catalogue_access.can_answer_recipient(access, recipient):
        raise PermissionDenied(
            _("Only the IT department of the municipality asked answers in Stadga.")
            if recipient.partner_id
            else _("Only the IT department records the answers it received (P8.2).")
        )
    inquiry = recipient.inquiry
    _check_open(inquiry)
    today = timezone.localdate()
    answered_on = answered_on or today
    errors: dict[str, str] = {}
    if answer not in Answer.values or answer == Answer.NO_ANSWER:
        errors["answer"] = _(
            "Choose the answer: interested, already uses a product, or not interested."
        )
    if answered_on > today:
        errors["answered_on"] = _("The date of the answer cannot be in the future.")
    if answered_on < recipient.asked_on:
        errors["answered_on"] = _("The answer cannot come before the question was asked.")
    if errors:
        raise ValidationError(errors)
    data: dict[str, Any] = {
        "answer": answer,
        "answer_text": answer_text.strip(),
        "answered_on": answered_on,
    }
    if recipient.partner_id:
        person = person_of(recipient.partner, actor)  # type: ignore[arg-type]
        data["answered_by"] = person
        data["answered_by_name"] = person.name if person else answered_by_name.strip()
    else:
        data["answered_by_name"] = answered_by_name.strip()
    with governed_write(actor):
        recipient, _changed = object_update(instance=recipient, data=data, actor=actor)
        if recipient.partner_id:
            _notify_asking(recipient)
    return recipient


def _notify_asking(recipient: InquiryRecipient) -> None:
    from stadga.notifications.services import notify

    request = recipient.inquiry.request
    with translation.override(django_settings.LANGUAGE_CODE):
        values = {
            "partner": recipient.name,
            "answer": recipient.get_answer_display(),
            "title": request.title,
        }
        notify(
            municipality=recipient.municipality,
            recipients=role_holders(
                recipient.municipality, (Role.IT_COORDINATOR, Role.IT_TECHNICIAN)
            ),
            key=f"coordination-inquiry:{recipient.pk}:answered:{recipient.answered_on}",
            link=request.get_absolute_url(),
            subject=_("%(partner)s answered the coordination inquiry: %(title)s") % values,
            body=_("%(partner)s answered: %(answer)s.") % values
            + (f"\n\n{recipient.answer_text}" if recipient.answer_text else ""),
        )


def _settle(
    inquiry: CoordinationInquiry,
    status: str,
    text: str,
    field: str,
    actor: Any,
    *,
    checked: bool = True,
) -> CoordinationInquiry:
    if checked:
        _check_manager(inquiry, actor)
    _check_open(inquiry)
    if not text.strip():
        raise ValidationError(
            {
                field: _("Write the conclusion of the inquiry.")
                if status == InquiryStatus.CLOSED
                else _("Write why the inquiry is waived.")
            }
        )
    with governed_write(actor):
        inquiry.status = status
        inquiry.conclusion = text.strip()
        inquiry.closed_at = timezone.now()
        inquiry.closed_by = person_of(inquiry.municipality, actor)
        inquiry.full_clean()
        inquiry.save(update_fields=["status", "conclusion", "closed_at", "closed_by", "updated_at"])
    return inquiry


def inquiry_close(
    *, inquiry: CoordinationInquiry, conclusion: str, actor: Any
) -> CoordinationInquiry:
    """Close the inquiry with its conclusion (P8.2): the request can be decided now."""
    return _settle(inquiry, InquiryStatus.CLOSED, conclusion, "conclusion", actor)


def inquiry_waive(*, inquiry: CoordinationInquiry, reason: str, actor: Any) -> CoordinationInquiry:
    """Waive the inquiry with the reason, e.g. nobody to ask (P8.2): the request can be decided."""
    return _settle(inquiry, InquiryStatus.WAIVED, reason, "reason", actor)


def inquiry_waive_withdrawn(
    *, inquiry: CoordinationInquiry, reason: str, actor: Any
) -> CoordinationInquiry:
    """Waive the inquiry of a request its requester withdrew (called by `request_withdraw`,
    which has checked the withdrawal): nothing is left to coordinate."""
    return _settle(inquiry, InquiryStatus.WAIVED, reason, "reason", actor, checked=False)
