"""The residents' messages API (P7.1): the same readers and writers as the pages, through the
same services; nothing created, changed whole or archived through it; another municipality's
message is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.api.testing import api_url, client_for, ids
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.portal.choices import MessageStatus
from stadga.portal.models import ResidentMessage
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    ResidentMessageFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(published: Municipality) -> dict[str, Any]:
    owner_user = member(published)
    owner = Person.objects.get(user=owner_user)
    mine = ResidentMessageFactory(municipality=published, recipient=owner, publish_consent=True)
    others = ResidentMessageFactory(
        municipality=published, recipient=PersonFactory(municipality=published)
    )
    return {"m": published, "owner": owner_user, "mine": mine, "others": others}


def test_the_recipient_reads_only_their_own_and_the_it_department_reads_all(
    setting: dict[str, Any],
) -> None:
    owner = client_for(setting["owner"])
    listed = owner.get(api_url("residentmessage-list"))
    assert listed.status_code == 200
    assert ids(listed) == {setting["mine"].pk}
    assert owner.get(api_url("residentmessage-detail", setting["others"].pk)).status_code == 404
    body = owner.get(api_url("residentmessage-detail", setting["mine"].pk)).json()
    assert body["reference"] == setting["mine"].reference and body["email"]

    coordinator = client_for(member(setting["m"], Role.IT_COORDINATOR))
    assert ids(coordinator.get(api_url("residentmessage-list"))) == {
        setting["mine"].pk,
        setting["others"].pk,
    }


def test_another_municipality_sees_nothing_and_gets_404(setting: dict[str, Any]) -> None:
    outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert ids(outsider.get(api_url("residentmessage-list"))) == set()
    for pk in (setting["mine"].pk, setting["others"].pk):
        assert outsider.get(api_url("residentmessage-detail", pk)).status_code == 404
        answer = outsider.post(api_url("residentmessage-answer", pk), {"answer": "Nej."})
        assert answer.status_code == 404
    assert not ResidentMessage.objects.filter(status=MessageStatus.ANSWERED).exists()


def test_anonymous_is_refused(setting: dict[str, Any]) -> None:
    response = client_for(None).get(api_url("residentmessage-list"))
    assert response.status_code == 401


def test_answer_and_publish_through_the_service(
    setting: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    owner = client_for(setting["owner"])
    message = setting["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        answered = owner.post(
            api_url("residentmessage-answer", message.pk),
            {"answer": "Uppgifterna gallras efter två år.", "publish": True},
            format="json",
        )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["status"] == MessageStatus.ANSWERED and body["published_at"]
    assert [m.to for m in mail.outbox] == [[message.email]]
    taken_down = owner.post(
        api_url("residentmessage-publish", message.pk), {"published": False}, format="json"
    )
    assert taken_down.status_code == 200 and taken_down.json()["published_at"] is None
    message.refresh_from_db()
    assert message.answered_by == setting["owner"]


def test_an_empty_answer_and_a_publication_without_consent_are_400(
    setting: dict[str, Any],
) -> None:
    coordinator = client_for(member(setting["m"], Role.IT_COORDINATOR))
    others = setting["others"]  # the resident did not agree to publication
    empty = coordinator.post(api_url("residentmessage-answer", others.pk), {"answer": ""})
    assert empty.status_code == 400
    unagreed = coordinator.post(
        api_url("residentmessage-answer", others.pk),
        {"answer": "Svar.", "publish": True},
        format="json",
    )
    assert unagreed.status_code == 400
    others.refresh_from_db()
    assert others.status == MessageStatus.RECEIVED


def test_a_reader_who_is_not_the_recipient_may_not_answer(setting: dict[str, Any]) -> None:
    auditor = client_for(member(setting["m"], Role.AUDITOR))
    message = setting["others"]
    assert auditor.get(api_url("residentmessage-detail", message.pk)).status_code == 200
    for action, data in (("answer", {"answer": "Svar."}), ("close", {})):
        response = auditor.post(api_url(f"residentmessage-{action}", message.pk), data)
        assert response.status_code == 403, action
    message.refresh_from_db()
    assert message.status == MessageStatus.RECEIVED


def test_forward_and_close(setting: dict[str, Any]) -> None:
    coordinator = client_for(member(setting["m"], Role.IT_COORDINATOR))
    message = setting["others"]
    colleague = PersonFactory(municipality=setting["m"])
    stranger = PersonFactory(municipality=MunicipalityFactory())
    refused = coordinator.post(
        api_url("residentmessage-forward", message.pk), {"recipient": stranger.pk}
    )
    assert refused.status_code == 400
    forwarded = coordinator.post(
        api_url("residentmessage-forward", message.pk), {"recipient": colleague.pk}
    )
    assert forwarded.status_code == 200 and forwarded.json()["recipient"] == colleague.pk
    assert colleague.notifications.exists()
    closed = coordinator.post(api_url("residentmessage-close", message.pk))
    assert closed.status_code == 200 and closed.json()["status"] == MessageStatus.CLOSED


def test_nothing_is_created_changed_whole_or_deleted(setting: dict[str, Any]) -> None:
    coordinator = client_for(member(setting["m"], Role.IT_COORDINATOR))
    message = setting["mine"]
    created = coordinator.post(
        api_url("residentmessage-list"),
        {"municipality": setting["m"].slug, "message": "Hej"},
        format="json",
    )
    assert created.status_code == 403
    detail = api_url("residentmessage-detail", message.pk)
    assert coordinator.patch(detail, {"message": "Ändrat"}, format="json").status_code == 405
    assert coordinator.delete(detail).status_code == 405
    message.refresh_from_db()
    assert message.message != "Ändrat"
    assert ResidentMessage.objects.count() == 2


def test_the_list_runs_a_fixed_number_of_queries(published: Municipality) -> None:
    coordinator = client_for(member(published, Role.IT_COORDINATOR))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert coordinator.get(api_url("residentmessage-list")).status_code == 200
        return len(queries)

    ResidentMessageFactory.create_batch(2, municipality=published)
    few = count()
    ResidentMessageFactory.create_batch(20, municipality=published)
    assert count() == few
