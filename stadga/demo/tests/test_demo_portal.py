"""Issue 9's done means, on the demo data: a resident opens /p/karlsborg/, reads the systems
register and the policy's status, sends a question about the finance system, and its owner
(`ekonomichef`) finds it in their inbox; and the demo's portal tells its own story (P7.1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from stadga.demo import DEMO_PASSWORD
from stadga.demo.load import load_demo
from stadga.notifications.models import Notification
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.portal.choices import MessageStatus
from stadga.portal.models import AccessibilityStatement, PortalSettings, ResidentMessage
from stadga.systems.models import System


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py); no public page cached before."""
    from django.core.cache import cache

    cache.clear()
    return demo_karlsborg


def test_a_resident_asks_and_the_system_owner_finds_it_in_the_inbox(karlsborg: Any) -> None:
    resident = Client()
    home = resident.get("/p/karlsborg/")
    assert home.status_code == 200
    assert "Karlsborg" in home.content.decode()

    # The register shows the public systems, never a hidden one or a classification.
    register = resident.get("/p/karlsborg/systems/").content.decode()
    finance = System.objects.get(municipality=karlsborg, name="Ekonomisystem")
    assert "Ekonomisystem" in register
    hidden = System.objects.filter(municipality=karlsborg, is_public=False).first()
    assert hidden is not None and hidden.name not in register
    assert finance.classification_justification not in register

    # The policy's status, per section.
    policy = resident.get("/p/karlsborg/policy/").content.decode()
    assert "P7.1" in policy and "P9.3" in policy

    # The question, through the form on the system's page.
    page = resident.get(f"/p/karlsborg/systems/{finance.pk}/").content.decode()
    assert 'action="/p/karlsborg/ask/"' in page
    sent = resident.post(
        "/p/karlsborg/ask/",
        {
            "kind": "question",
            "system": finance.pk,
            "message": "Hur länge sparas mina fakturauppgifter i ekonomisystemet?",
            "email": "invanare@example.se",
        },
    )
    assert sent.status_code == 303
    question = ResidentMessage.objects.get(municipality=karlsborg, system=finance)
    receipt = resident.get(sent["Location"]).content.decode()
    assert question.reference in receipt

    # Its owner, the finance manager, finds it in the inbox and opens it.
    owner = Client()
    assert owner.login(username="ekonomichef", password=DEMO_PASSWORD)
    assert question.recipient is not None and question.recipient.user.username == "ekonomichef"
    assert Notification.objects.filter(
        recipient=question.recipient, key=f"resident-message:{question.pk}"
    ).exists()
    inbox = owner.get("/k/karlsborg/inbox/")
    assert inbox.status_code == 200
    assert question.reference in inbox.content.decode()
    detail = owner.get(question.get_absolute_url())
    assert detail.status_code == 200
    assert "Hur länge sparas mina fakturauppgifter" in detail.content.decode()


def test_the_demo_portal_tells_its_story(karlsborg: Any) -> None:
    settings_row = PortalSettings.objects.get(municipality=karlsborg)
    assert settings_row.is_published and settings_row.contact_email
    assert AccessibilityStatement.objects.get(municipality=karlsborg).assessed_on is not None
    messages = ResidentMessage.objects.filter(municipality=karlsborg)
    assert messages.count() == 4
    assert messages.filter(status=MessageStatus.ANSWERED).count() == 2
    assert messages.filter(published_at__isnull=False).count() == 1
    # One waits past the target: P7.1 is partly met, and the demo says why.
    evaluation = evaluate(karlsborg)
    assert evaluation is not None
    [p71] = [r for r in evaluation.clauses if r.clause.clause_id == "P7.1"]
    assert p71.status == Status.PARTLY_MET
    assert re.search(r"3 .* 4", p71.figure)
    # The published exchange is on the portal, without the resident's name or address.
    answers = Client().get("/p/karlsborg/questions/").content.decode()
    published = messages.get(published_at__isnull=False)
    assert published.answer[:40] in answers
    assert published.name not in answers and published.email not in answers
    # A second load changes nothing.
    load_demo()
    assert ResidentMessage.objects.filter(municipality=karlsborg).count() == 4
