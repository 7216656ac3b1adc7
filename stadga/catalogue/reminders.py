"""Reminders over the product catalogue, sent by the daily job (stadga.notifications): product
requests waiting for a sign-off (P5.4), phase-outs coming to their end (P5.4, P5.5), and
coordination inquiries of neighbouring municipalities waiting for this one's answer (P8.2).

Each source runs a fixed number of queries, whatever the number of rows (and none beyond the
first one or two when there is nothing to remind of).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.notifications.reminders import Reminder, reminder_source
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person, RoleAssignment
from stadga.organisation.selectors import role_holders
from stadga.systems.rules import IN_USE

from .access import SIGNER_ROLES
from .choices import Answer, Approver, InquiryStatus, Phase, RequestStatus, StepStatus
from .models import InquiryRecipient, Product, RequestStep, SystemProduct
from .selectors import catalogue_settings_for


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )


# --- P5.4: requests waiting for a sign-off ------------------------------------------------------


def step_signers(
    municipality: Municipality, steps: Sequence[RequestStep]
) -> dict[str, list[Person]]:
    """Who signs each kind of step: {approver: people}, and {"department:<id>": heads} for the
    department heads of the steps' departments. One query for all of them."""
    departments = {
        step.request.department_id for step in steps if step.approver == Approver.DEPARTMENT_HEAD
    }
    assignments = (
        RoleAssignment.objects.filter(
            Q(role__in=[r for roles in SIGNER_ROLES.values() for r in roles])
            | Q(role=Role.DEPARTMENT_HEAD, department_id__in=departments),
            municipality=municipality,
            archived_at__isnull=True,
            person__archived_at__isnull=True,
        )
        .select_related("person")
        .order_by("person__name", "pk")
    )
    signers: dict[str, dict[int, Person]] = defaultdict(dict)
    for assignment in assignments:
        person = assignment.person
        if assignment.role == Role.DEPARTMENT_HEAD:
            signers[f"department:{assignment.department_id}"].setdefault(person.pk, person)
        for approver, roles in SIGNER_ROLES.items():
            if assignment.role in roles:
                signers[approver].setdefault(person.pk, person)
    return {key: list(people.values()) for key, people in signers.items()}


@reminder_source("catalogue.request_waiting")
def requests_waiting(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P5.4: a product request is decided without needless delay. A sign-off awaiting decision
    on a submitted request, waiting longer than the municipality's `request_wait_days` (14 by
    default), is reminded to those who sign it: the IT department's step to the IT coordinators
    and technicians, the department head's to the head(s) of the requesting department, the
    executive board's to the holders of its read role.

    A step waits from when it became pending: the first step from the request's submission,
    a later one from when the step before it was signed (the step's last change). The key names
    the step: each is reminded of once. Three queries, whatever the number of requests.
    """
    days = catalogue_settings_for(municipality).request_wait_days
    limit = start_of(today - datetime.timedelta(days=days))
    earlier = RequestStep.objects.filter(request=OuterRef("request"), order__lt=OuterRef("order"))
    first = ~Exists(earlier)
    steps = list(
        RequestStep.objects.filter(
            municipality=municipality,
            status=StepStatus.PENDING,
            request__status=RequestStatus.SUBMITTED,
            request__archived_at__isnull=True,
        )
        .annotate(is_first=first)
        .filter(
            (Q(first) & Q(request__submitted_at__lt=limit))
            | (Q(first) & Q(request__submitted_at__isnull=True, updated_at__lt=limit))
            | (~Q(first) & Q(updated_at__lt=limit))
        )
        .select_related("request__municipality", "request__department")
        .order_by("updated_at", "pk")
    )
    if not steps:
        return
    signers = step_signers(municipality, steps)
    for step in steps:
        request = step.request
        since = (
            request.submitted_at
            if step.is_first and request.submitted_at  # type: ignore[attr-defined]
            else step.updated_at
        )
        since_day = timezone.localtime(since).date()
        values = {
            "request": request.title,
            "step": step.name,
            "date": since_day.isoformat(),
            "days": days,
        }
        if step.approver == Approver.DEPARTMENT_HEAD:
            recipients = signers.get(f"department:{request.department_id}", [])
        else:
            recipients = signers.get(step.approver, [])
        for person in recipients:
            yield Reminder(
                recipient=person,
                key=f"product-request-waiting:{step.pk}",
                subject=_("Product request waiting for %(step)s: %(request)s") % values,
                body=_(
                    "The product request %(request)s has waited for %(step)s since %(date)s, "
                    "longer than %(days)s days. Decide on it with written reasons (P5.4)."
                )
                % values,
                link=request.get_absolute_url(),
                due_date=since_day + datetime.timedelta(days=days),
            )


# --- P5.4, P5.5: phase-outs ending ---------------------------------------------------------------


@reminder_source("catalogue.phase_out_ending")
def phase_outs_ending(municipality: Municipality, today: datetime.date) -> Iterator[Reminder]:
    """P5.4, P5.5: a product in phase-out is supported until its end date and not after. The IT
    coordinators and the system owners of the systems in production or phase-out running on it
    are reminded `phase_out_notice_days` (60 by default) before the end date, or at once when
    the phase-out was decided with less notice or has already ended without the product being
    retired.

    The key names the product and the end date: a postponed end is reminded of anew. Four
    queries, whatever the number of products and systems.
    """
    days = catalogue_settings_for(municipality).phase_out_notice_days
    products = list(
        Product.objects.filter(
            municipality=municipality,
            archived_at__isnull=True,
            phase=Phase.PHASE_OUT,
            phase_ends_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("municipality")
        .order_by("phase_ends_on", "name", "pk")
    )
    if not products:
        return
    owners: dict[int, dict[int, Person]] = defaultdict(dict)
    systems: dict[int, list[str]] = defaultdict(list)
    for link in (
        SystemProduct.objects.filter(
            product__in=products,
            system__archived_at__isnull=True,
            system__lifecycle_phase__in=IN_USE,
        )
        .select_related("system__system_owner")
        .order_by("system__name", "pk")
    ):
        system = link.system
        systems[link.product_id].append(system.name)
        owner = system.system_owner
        if owner is not None and owner.archived_at is None:
            owners[link.product_id].setdefault(owner.pk, owner)
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    for product in products:
        ends_on = product.phase_ends_on
        assert ends_on is not None  # a phase-out has its end date (a database constraint)
        recipients = {p.pk: p for p in coordinators}
        for pk, person in owners[product.pk].items():
            recipients.setdefault(pk, person)
        values = {
            "product": product.name,
            "date": ends_on.isoformat(),
            "systems": ", ".join(systems[product.pk]) or _("none"),
        }
        if ends_on < today:
            subject = _("The phase-out of %(product)s ended %(date)s") % values
        else:
            subject = _("The phase-out of %(product)s ends %(date)s") % values
        body = _(
            "%(product)s is in phase-out until %(date)s; after that the IT department no longer "
            "supports it (P5.4, P5.5). Systems in use running on it: %(systems)s. Move them to "
            "an approved product, or have the IT department decide otherwise."
        )
        for person in recipients.values():
            yield Reminder(
                recipient=person,
                key=f"phase-out-ending:{product.pk}:{ends_on.isoformat()}",
                subject=subject,
                body=body % values,
                link=product.get_absolute_url(),
                due_date=ends_on,
            )


# --- P8.2: inquiries of neighbouring municipalities --------------------------------------------


def answer_link(municipality: Municipality, row: InquiryRecipient) -> str:
    """Where this municipality's IT department answers the row addressed to it."""
    return reverse(
        "catalogue:inquiry_answer", kwargs={"municipality": municipality.slug, "recipient": row.pk}
    )


@reminder_source("catalogue.inquiry_awaiting_answer")
def inquiries_awaiting_answer(
    municipality: Municipality, today: datetime.date
) -> Iterator[Reminder]:
    """P8.2: a neighbouring municipality in this installation asks, before acquiring a new
    business system, whether this one wants to coordinate. Each open inquiry addressed to this
    municipality (this municipality is the row's partner) that it has not answered is reminded
    to its IT coordinators, who answer it in Stadga.

    The key names the row asked: each is reminded of once. Two queries, whatever the number of
    inquiries.
    """
    rows = list(
        InquiryRecipient.objects.filter(
            partner=municipality,
            answer=Answer.NO_ANSWER,
            inquiry__status=InquiryStatus.OPEN,
            inquiry__archived_at__isnull=True,
            inquiry__request__archived_at__isnull=True,
        )
        .select_related("municipality", "inquiry__request")
        .order_by("asked_on", "pk")
    )
    if not rows:
        return
    coordinators = role_holders(municipality, (Role.IT_COORDINATOR,))
    for row in rows:
        values = {
            "asker": row.municipality.name,
            "request": row.inquiry.request.title,
            "date": row.asked_on.isoformat(),
        }
        for person in coordinators:
            yield Reminder(
                recipient=person,
                key=f"inquiry-awaiting-answer:{row.pk}",
                subject=_("%(asker)s asks whether you want to coordinate: %(request)s") % values,
                body=_(
                    "%(asker)s asked on %(date)s whether %(request)s could be procured or run "
                    "together (P8.2). Answer whether you are interested, already use a product "
                    "for it, or are not interested."
                )
                % values,
                link=answer_link(municipality, row),
            )
