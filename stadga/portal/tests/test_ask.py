"""The resident's side of P7.1: the form, the receipt, spam protection, and the path from a
question on the public portal to the answer on the receipt page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.policy.models import Clause, Policy, PolicyAdoption
from stadga.portal import spam
from stadga.portal.choices import MessageStatus
from stadga.portal.models import ResidentMessage
from stadga.portal.selectors_public import published_messages
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings: Any) -> Client:
    """An anonymous resident's browser, in English (the texts asserted are the msgids); it
    enforces CSRF as a real browser does, to show the form needs no token."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield browser


def ask_url(m: Municipality) -> str:
    return reverse("public:ask", kwargs={"municipality": m.slug})


def valid(**extra: Any) -> dict[str, Any]:
    return {"kind": "question", "message": "Which systems hold my data?", **extra}


def test_the_done_means_path(
    published: Municipality, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """A resident asks about a public system; its owner finds the question in the inbox and
    the list, answers it and publishes the exchange; the receipt shows the answer and the
    resident got it by e-mail."""
    owner_user = member(published)
    owner = Person.objects.get(user=owner_user)
    system = SystemFactory(municipality=published, is_public=True, system_owner=owner)

    page = client.get(ask_url(published), {"system": system.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"A view or a question about {system.name}?" in html
    assert f'<input type="hidden" name="system" value="{system.pk}">' in html
    assert "csrfmiddlewaretoken" not in html and "<script" not in html

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            ask_url(published),
            valid(
                system=system.pk, name="Resident", email="resident@example.se", publish_consent="on"
            ),
        )
    assert sent.status_code == 303
    message = ResidentMessage.objects.get()
    assert sent["Location"] == message.get_receipt_url()
    assert message.recipient == owner and message.system == system and message.language == "en"
    receipt = client.get(sent["Location"])
    assert receipt.status_code == 200
    assert message.reference in receipt.content.decode()
    assert "Keep this page's address." in receipt.content.decode()
    assert any(owner.email in m.to for m in mail.outbox)  # the owner is told by e-mail too

    staff = Client()
    staff.force_login(owner_user)
    staff.cookies["django_language"] = "en"
    inbox = staff.get(reverse("notifications:inbox", kwargs={"municipality": published.slug}))
    assert message.reference in inbox.content.decode()
    listing = staff.get(reverse("portal:message_list", kwargs={"municipality": published.slug}))
    assert message.get_absolute_url() in listing.content.decode()
    detail = staff.get(message.get_absolute_url())
    assert "resident@example.se" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answered = staff.post(
            reverse(
                "portal:message_answer",
                kwargs={"municipality": published.slug, "pk": message.pk},
            ),
            {"answer": "Only the ones listed on the system's page.", "publish": "on"},
        )
    assert answered.status_code == 302

    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED and message.is_published
    assert list(published_messages(published)) == [message]
    receipt = client.get(message.get_receipt_url()).content.decode()
    assert "Your message has been answered" in receipt
    assert "Only the ones listed on the system&#x27;s page." in receipt
    to_resident = [m for m in mail.outbox if m.to == ["resident@example.se"]]
    assert len(to_resident) == 1
    assert message.reference in to_resident[0].subject


def test_the_receipt_is_never_cached_nor_indexed_and_an_unknown_one_is_not_found(
    published: Municipality, client: Client
) -> None:
    client.post(ask_url(published), valid())
    message = ResidentMessage.objects.get()
    receipt = client.get(message.get_receipt_url())
    assert "no-store" in receipt["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in receipt.content.decode()
    assert receipt["Referrer-Policy"] == "no-referrer"
    assert "You gave no e-mail address" in receipt.content.decode()
    unknown = reverse("public:receipt", kwargs={"municipality": published.slug, "token": "x" * 32})
    assert client.get(unknown).status_code == 404
    other = MunicipalityFactory()
    elsewhere = reverse(
        "public:receipt", kwargs={"municipality": other.slug, "token": message.receipt_token}
    )
    assert client.get(elsewhere).status_code == 404


def test_an_unpublished_portal_has_no_form(client: Client) -> None:
    m = MunicipalityFactory()
    assert client.get(ask_url(m)).status_code == 404
    assert client.post(ask_url(m), valid()).status_code == 404
    assert not ResidentMessage.objects.exists()


def test_errors_are_listed_linked_and_nothing_typed_is_lost(
    published: Municipality, client: Client
) -> None:
    response = client.post(
        ask_url(published),
        {"kind": "view", "message": "  ", "name": "Åsa <b>", "email": "not-an-address"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#ask-message"' in html and 'href="#ask-email"' in html
    assert 'aria-describedby="ask-message_helptext ask-message_error"' in html
    assert 'id="ask-message_error"' in html
    assert 'value="Åsa &lt;b&gt;"' in html  # kept, and escaped
    assert 'value="not-an-address"' in html
    assert 'id="ask-kind_1" value="view" checked' in html
    assert not ResidentMessage.objects.exists()


def test_a_subject_that_is_not_public_is_dropped_with_a_message(
    published: Municipality, client: Client
) -> None:
    hidden = SystemFactory(municipality=published, is_public=False)
    foreign = SystemFactory(is_public=True)
    for query in (
        {"system": hidden.pk},
        {"system": foreign.pk},
        {"plan": "abc"},
        {"clause": "P99"},
    ):
        page = client.get(ask_url(published), query)
        assert page.status_code == 200, query
        html = page.content.decode()
        assert "is not among the published information" in html, query
        assert 'type="hidden"' not in html, query
    # Sent anyway (the page was stale): refused with the subject dropped, nothing lost.
    response = client.post(ask_url(published), valid(system=hidden.pk))
    assert response.status_code == 400
    assert "no longer among the published information" in response.content.decode()
    assert "Which systems hold my data?" in response.content.decode()
    assert not ResidentMessage.objects.exists()


def test_a_clause_of_the_adopted_policy_can_be_asked_about(
    published: Municipality, client: Client
) -> None:
    policy = Policy.objects.create(
        key="test",
        version="1",
        title="IT-policy",
        issuing_body="KF",
        adopted_on=datetime.date(2006, 9, 25),
    )
    Clause.objects.create(
        policy=policy, clause_id="P7.1", order=1, section="7", section_title="Demokrati", text="…"
    )
    PolicyAdoption.objects.create(
        municipality=published, policy=policy, adopted_on=datetime.date(2006, 9, 25)
    )
    page = client.get(ask_url(published), {"clause": "P7.1"})
    assert "clause P7.1 of the IT policy" in page.content.decode()
    client.post(ask_url(published), valid(clause="P7.1"))
    assert ResidentMessage.objects.get().clause == "P7.1"


def test_the_honeypot_refuses_with_the_form_again(published: Municipality, client: Client) -> None:
    response = client.post(ask_url(published), valid(website="http://spam.example"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "a field meant to be left empty was filled in" in html
    assert "Which systems hold my data?" in html
    assert 'name="website" id="ask-website" value=""' in html
    assert not ResidentMessage.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_labelled(
    published: Municipality, client: Client
) -> None:
    html = client.get(ask_url(published)).content.decode()
    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert hidden is not None
    assert 'for="ask-website"' in hidden.group(1) and "Leave this field empty" in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1) and 'autocomplete="off"' in hidden.group(1)


def test_too_many_messages_from_one_address_are_refused_with_429(
    published: Municipality, client: Client, settings: Any
) -> None:
    settings.PORTAL_RATE_LIMIT_PER_IP = 2
    assert [client.post(ask_url(published), valid()).status_code for _ in range(2)] == [303, 303]
    refused = client.post(ask_url(published), valid())
    assert refused.status_code == 429
    assert "Too many messages just now" in refused.content.decode()
    assert ResidentMessage.objects.count() == 2
    other = client.post(ask_url(published), valid(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 303  # another address has its own count


def test_the_municipality_has_a_ceiling_whatever_the_address(
    published: Municipality, client: Client, settings: Any
) -> None:
    settings.PORTAL_RATE_LIMIT_PER_MUNICIPALITY = 2
    codes = [
        client.post(ask_url(published), valid(), REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 429]
    assert client.post(ask_url(MunicipalityFactory()), valid()).status_code == 404


def test_correcting_errors_uses_up_nothing(
    published: Municipality, client: Client, settings: Any
) -> None:
    settings.PORTAL_RATE_LIMIT_PER_IP = 1
    for _ in range(3):
        assert client.post(ask_url(published), {"message": ""}).status_code == 400
    assert client.post(ask_url(published), valid()).status_code == 303


def test_an_oversized_body_is_refused_with_413(
    published: Municipality, client: Client, settings: Any
) -> None:
    settings.PORTAL_MAX_BODY_BYTES = 20 * 1024
    response = client.post(ask_url(published), valid(message="x" * 25_000))
    assert response.status_code == 413
    assert "Your message is too large" in response.content.decode()
    assert not ResidentMessage.objects.exists()


def test_the_default_size_limit_lets_a_long_message_in_any_script_through(
    published: Municipality, client: Client
) -> None:
    response = client.post(ask_url(published), valid(message="ش" * 5000, name="ن" * 200))
    assert response.status_code == 303
    too_long = client.post(ask_url(published), valid(message="x" * 5001))
    assert too_long.status_code == 400
    assert "it may be at most 5000" in too_long.content.decode()


def test_many_links_are_refused_as_likely_spam(published: Municipality, client: Client) -> None:
    links = " ".join(f"https://example.com/{n}" for n in range(6))
    response = client.post(ask_url(published), valid(message=f"Buy now {links}"))
    assert response.status_code == 400
    assert "more than 5 web addresses" in response.content.decode()
    five = " ".join(f"https://example.com/{n}" for n in range(5))
    assert client.post(ask_url(published), valid(message=five)).status_code == 303


def test_the_address_is_kept_only_as_a_keyed_hash(rf: Any) -> None:
    request = rf.post("/", REMOTE_ADDR="198.51.100.23")
    digest = spam.client_hash(request)
    assert "198.51.100.23" not in digest and len(digest) == 32
    assert digest == spam.client_hash(rf.post("/", REMOTE_ADDR="198.51.100.23"))
    assert digest != spam.client_hash(rf.post("/", REMOTE_ADDR="198.51.100.24"))


def test_the_form_page_is_cached_and_the_same_for_everyone(
    published: Municipality, client: Client, django_assert_num_queries: Any
) -> None:
    first = client.get(ask_url(published))
    with django_assert_num_queries(1):  # the municipality; the body comes from the cache
        second = Client().get(ask_url(published), HTTP_COOKIE="django_language=en")
    assert second.content == first.content
    assert "Set-Cookie" not in second.headers


def test_an_it_coordinator_gets_a_general_question(published: Municipality, client: Client) -> None:
    it = member(published, Role.IT_COORDINATOR)
    client.post(ask_url(published), valid(kind="view"))
    message = ResidentMessage.objects.get()
    assert message.recipient == Person.objects.get(user=it)
    assert message.kind == "view"
    receipt = client.get(message.get_receipt_url()).content.decode()
    assert "We aim to answer within 14 days" in receipt
