"""Residents' messages inside Stadga (P7.1): who reads which, who answers, the list's filters
and overdue flags, and a query count that does not grow with the messages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.portal.choices import MessageStatus, Subject
from stadga.portal.models import ResidentMessage
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ResidentMessageFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db


def login(user: Any, settings: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def url(name: str, message: ResidentMessage) -> str:
    return reverse(
        f"portal:{name}", kwargs={"municipality": message.municipality.slug, "pk": message.pk}
    )


def list_url(m: Municipality) -> str:
    return reverse("portal:message_list", kwargs={"municipality": m.slug})


def received_days_ago(message: ResidentMessage, days: int) -> ResidentMessage:
    ResidentMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    message.refresh_from_db()
    return message


@pytest.fixture
def owner_user(published: Municipality) -> Any:
    return member(published)


@pytest.fixture
def message(published: Municipality, owner_user: Any) -> ResidentMessage:
    owner = Person.objects.get(user=owner_user)
    system = SystemFactory(municipality=published, is_public=True, system_owner=owner)
    return ResidentMessageFactory(
        municipality=published,
        system=system,
        recipient=owner,
        subject=Subject.SYSTEM,
        name="Anna Andersson",
        publish_consent=True,
    )


def test_the_recipient_reads_and_answers(
    message: ResidentMessage, owner_user: Any, settings: Any
) -> None:
    browser = login(owner_user, settings)
    page = browser.get(message.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anna Andersson" in html and "invanare@example.se" in html
    assert message.system.get_absolute_url() in html
    assert 'name="publish"' in html  # the resident agreed
    assert url("message_history", message) in html
    assert browser.get(url("message_history", message)).status_code == 200


def test_another_municipalitys_user_gets_404(message: ResidentMessage, settings: Any) -> None:
    other = MunicipalityFactory()
    browser = login(member(other, Role.IT_COORDINATOR), settings)
    assert browser.get(message.get_absolute_url()).status_code == 404
    assert browser.post(url("message_answer", message), {"answer": "x"}).status_code == 404
    assert browser.get(list_url(message.municipality)).status_code == 404


def test_a_colleague_who_is_not_the_recipient_nor_it_gets_404(
    message: ResidentMessage, settings: Any
) -> None:
    browser = login(member(message.municipality, Role.EMPLOYEE), settings)
    assert browser.get(message.get_absolute_url()).status_code == 404
    assert browser.post(url("message_close", message)).status_code == 404
    listing = browser.get(list_url(message.municipality))
    assert listing.status_code == 200
    assert message.reference not in listing.content.decode()


def test_a_reader_of_everything_reads_but_may_not_answer(
    message: ResidentMessage, settings: Any
) -> None:
    browser = login(member(message.municipality, Role.AUDITOR), settings)
    page = browser.get(message.get_absolute_url())
    assert page.status_code == 200
    assert 'name="answer"' not in page.content.decode()
    assert browser.post(url("message_answer", message), {"answer": "Svar."}).status_code == 403
    assert browser.post(url("message_close", message)).status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.RECEIVED


def test_the_it_department_sends_it_on_and_closes(message: ResidentMessage, settings: Any) -> None:
    it_user = member(message.municipality, Role.IT_COORDINATOR)
    browser = login(it_user, settings)
    colleague = PersonFactory(municipality=message.municipality)
    sent = browser.post(url("message_forward", message), {"recipient": colleague.pk})
    assert sent.status_code == 302
    message.refresh_from_db()
    assert message.recipient == colleague
    stranger = PersonFactory()
    refused = browser.post(url("message_forward", message), {"recipient": stranger.pk})
    assert refused.status_code == 400
    assert "Choose a person in the municipality." in refused.content.decode()
    closed = browser.post(url("message_close", message))
    assert closed.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED
    again = browser.post(url("message_close", message))
    assert again.status_code == 400
    assert "already closed" in again.content.decode()


def test_the_recipient_who_sends_it_on_goes_back_to_the_list(
    message: ResidentMessage, owner_user: Any, settings: Any
) -> None:
    browser = login(owner_user, settings)
    colleague = PersonFactory(municipality=message.municipality)
    sent = browser.post(url("message_forward", message), {"recipient": colleague.pk})
    assert sent["Location"] == list_url(message.municipality)
    assert browser.get(message.get_absolute_url()).status_code == 404


def test_an_empty_answer_is_refused_and_publishing_needs_consent(
    published: Municipality, message: ResidentMessage, owner_user: Any, settings: Any
) -> None:
    browser = login(owner_user, settings)
    refused = browser.post(url("message_answer", message), {"answer": "  "})
    assert refused.status_code == 400
    assert "Write the answer." in refused.content.decode()
    no_consent = ResidentMessageFactory(
        municipality=published, recipient=message.recipient, publish_consent=False
    )
    page = browser.get(no_consent.get_absolute_url()).content.decode()
    assert 'name="publish"' not in page
    browser.post(url("message_answer", no_consent), {"answer": "Svar.", "publish": "on"})
    no_consent.refresh_from_db()
    assert no_consent.status == MessageStatus.ANSWERED and not no_consent.is_published


def test_publish_and_take_down(message: ResidentMessage, owner_user: Any, settings: Any) -> None:
    browser = login(owner_user, settings)
    browser.post(url("message_answer", message), {"answer": "Svar."})
    message.refresh_from_db()
    assert not message.is_published
    browser.post(url("message_publish", message), {"published": "1"})
    message.refresh_from_db()
    assert message.is_published
    browser.post(url("message_publish", message), {"published": "0"})
    message.refresh_from_db()
    assert not message.is_published


def test_the_list_filters_and_flags_the_overdue(
    published: Municipality, message: ResidentMessage, settings: Any
) -> None:
    browser = login(member(published, Role.IT_COORDINATOR), settings)
    late = received_days_ago(ResidentMessageFactory(municipality=published), 20)
    answered = ResidentMessageFactory(
        municipality=published, status=MessageStatus.ANSWERED, answered_at=timezone.now()
    )
    html = browser.get(list_url(published)).content.decode()
    assert all(m.reference in html for m in (message, late, answered))
    assert html.count("Overdue</span>") == 1
    overdue = browser.get(list_url(published), {"overdue": "on"}).content.decode()
    assert late.reference in overdue and message.reference not in overdue
    done = browser.get(list_url(published), {"status": "answered"}).content.decode()
    assert answered.reference in done and late.reference not in done
    about = browser.get(list_url(published), {"subject": "system"}).content.decode()
    assert message.reference in about and late.reference not in about
    bogus = browser.get(list_url(published), {"status": "nonsense", "page": "x"})
    assert bogus.status_code == 200


def test_the_list_runs_the_same_queries_for_many_messages(
    published: Municipality, settings: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = login(member(published, Role.IT_COORDINATOR), settings)
    system = SystemFactory(municipality=published, is_public=True)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(list_url(published)).status_code == 200
        return len(queries)

    ResidentMessageFactory(municipality=published, system=system, recipient=system.system_owner)
    few = count()
    for _ in range(15):
        ResidentMessageFactory(
            municipality=published, system=SystemFactory(municipality=published, is_public=True)
        )
    assert count() == few


def test_the_main_navigation_leads_to_the_messages(published: Municipality, settings: Any) -> None:
    browser = login(member(published, Role.IT_COORDINATOR), settings)
    html = browser.get(list_url(published)).content.decode()
    link = f'<a href="{list_url(published)}" aria-current="page">Residents\' messages</a>'
    assert html.count(link) == 2  # the main navigation's item and the portal's sub-navigation
    assert '<nav class="sub-nav" aria-label="Portal">' in html
