"""The demo municipality's public portal (P7.1) and what residents have sent through it.

The story the pages tell:

- Karlsborg publishes its portal at /p/karlsborg/: the policy's status, the register of public
  systems, the product decisions, the adopted IT plans and the issued status report, with the
  IT department's address. The data is open under CC0.
- The accessibility statement was assessed a month ago: partly compliant, with Stadga's standard
  texts on its known shortcomings and how the pages are tested.
- Four residents have written:
  - a parent asked about the school platform six weeks ago; its owner's answer came within a
    week and, as the parent agreed, is published on the portal;
  - a resident put a view on the education board's IT plan to the board's secretary, who
    answered within the two weeks (not published: the resident did not agree to it);
  - a question about the municipality's website has waited three weeks for its owner's answer:
    past the two-week target, so P7.1 is partly met and its owner is reminded;
  - a general question came in two days ago to the IT coordinator and is not yet due.

The messages are received through `services.message_submit`, as the portal's form does, and
answered through `message_answer`; only their dates are set back afterwards, as a message cannot
be received in the past. A second load changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.access import Access
from stadga.organisation.models import Municipality
from stadga.plans.choices import ADOPTED_STATUSES
from stadga.plans.models import ITPlan
from stadga.portal import services
from stadga.portal.access import answers_message
from stadga.portal.choices import ComplianceLevel, DataLicence, MessageKind
from stadga.portal.models import AccessibilityStatement, PortalSettings, ResidentMessage
from stadga.systems.models import System

from .data import BUN, EMAIL_DOMAIN

INTRODUCTION = (
    "Här visar Karlsborgs kommun hur IT-policyn följs: vilka IT-system kommunen använder och "
    "vem som ansvarar för dem, vilka produkter IT-avdelningen har godkänt och varför, "
    "nämndernas IT-planer och IT-samordnarens lägesrapporter. Har du en fråga eller en "
    "synpunkt? Skriv till oss på varje sida, så når den den som ansvarar."
)


def _message(
    *,
    municipality: Municipality,
    data: dict[str, Any],
    days_ago: int,
    answer: tuple[str, Any, int, bool] | None = None,
) -> ResidentMessage:
    """Receive a message as the form does, answer it if `answer` (text, actor, days after
    receipt, publish), then set its dates back by `days_ago`."""
    message = services.message_submit(municipality=municipality, data=data, language="sv")
    received = timezone.now() - datetime.timedelta(days=days_ago, hours=3)
    notifications = Notification.objects.filter(
        municipality=municipality, key=f"resident-message:{message.pk}"
    )
    notifications.update(created_at=received)
    dates: dict[str, Any] = {"created_at": received}
    if answer is not None:
        text, actor, after_days, publish = answer
        # A demo loaded from older data may lack the actor's role: the message waits, unanswered.
        if answers_message(Access.for_user(actor), message):
            services.message_answer(message=message, answer=text, publish=publish, actor=actor)
            answered = received + datetime.timedelta(days=after_days)
            dates.update(answered_at=answered, updated_at=answered)
            if publish:
                dates["published_at"] = answered
            notifications.update(read_at=answered)
    ResidentMessage.objects.filter(pk=message.pk).update(**dates)
    return message


def load_portal(*, municipality: Municipality, coordinator: Any, secretary: Any) -> dict[str, int]:
    """Publish the portal, write its accessibility statement and receive the residents'
    messages, unless the municipality has them; return what was created, by kind."""
    created: dict[str, int] = {}
    m = municipality
    today = timezone.localdate()
    if not PortalSettings.objects.filter(municipality=m).exists():
        services.portal_settings_update(
            municipality=m,
            data={
                "is_published": True,
                "introduction": INTRODUCTION,
                "contact_email": f"it@{EMAIL_DOMAIN}",
                "contact_phone": "0505-170 00",
                "data_licence": DataLicence.CC0,
            },
            actor=coordinator,
        )
        created["portal settings"] = 1
    if not AccessibilityStatement.objects.filter(municipality=m).exists():
        assessed = today - datetime.timedelta(days=30)
        services.statement_update(
            municipality=m,
            data={
                "compliance": ComplianceLevel.PARTIAL,
                "assessed_on": assessed,
                "prepared_on": assessed,
                "feedback_email": f"it@{EMAIL_DOMAIN}",
                "feedback_phone": "0505-170 00",
            },
            actor=coordinator,
        )
        created["accessibility statements"] = 1
    if ResidentMessage.objects.filter(municipality=m).exists():
        return created

    systems = {s.name: s for s in System.objects.filter(municipality=m, is_public=True)}
    school_plan = (
        ITPlan.objects.filter(municipality=m, board__name=BUN, status__in=ADOPTED_STATUSES)
        .order_by("-year")
        .first()
    )
    count = 0
    # A demo loaded from older, smaller data may lack a system: its message is then left out.
    if "Skolplattform" in systems:
        count += 1
        _message(
            municipality=m,
            data={
                "kind": MessageKind.QUESTION,
                "system": systems["Skolplattform"],
                "message": (
                    "Hur länge sparas uppgifterna om mitt barns frånvaro i skolplattformen, "
                    "och kan jag se vilka som har läst dem?"
                ),
                "name": "Johanna Lund",
                "email": "johanna.lund@example.se",
                "publish_consent": True,
            },
            days_ago=42,
            answer=(
                "Frånvarouppgifter sparas till och med det år eleven lämnar skolan och gallras "
                "sedan enligt barn- och utbildningsnämndens dokumenthanteringsplan. Varje gång "
                "någon läser uppgifterna loggas det; som vårdnadshavare kan du begära ut loggen "
                "från skolans expedition. / Oskar Lund, systemägare",
                coordinator,
                5,
                True,
            ),
        )
    if school_plan is not None:
        _message(
            municipality=m,
            data={
                "kind": MessageKind.VIEW,
                "plan": school_plan,
                "message": (
                    "Bra att alla elever i årskurs 4–9 får en egen dator. Tänk på att många "
                    "familjer på landsbygden har dåligt bredband hemma."
                ),
                "email": "synpunkt@example.se",
            },
            days_ago=25,
            answer=(
                "Tack för din synpunkt. Nämnden har tagit med bredbandet i planen: skolorna "
                "lånar ut mobila uppkopplingar till elever som saknar bredband hemma.",
                secretary,
                9,
                False,
            ),
        )
        count += 1
    if "Kommunens webbplats" in systems:
        count += 1
        _message(
            municipality=m,
            data={
                "kind": MessageKind.QUESTION,
                "system": systems["Kommunens webbplats"],
                "message": (
                    "Varför går det inte att läsa sammanträdeshandlingarna på webbplatsen med "
                    "skärmläsare? PDF-filerna läses upp som tomma sidor."
                ),
                "name": "Bengt Ahl",
                "email": "bengt.ahl@example.se",
                "publish_consent": True,
            },
            days_ago=20,
        )
    _message(
        municipality=m,
        data={
            "kind": MessageKind.QUESTION,
            "message": (
                "Kan jag få en lista över vilka av kommunens system som behandlar mina "
                "personuppgifter?"
            ),
            "email": "fraga@example.se",
        },
        days_ago=2,
    )
    created["residents' messages"] = count + 1
    return created
