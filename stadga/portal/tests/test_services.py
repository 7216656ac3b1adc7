"""The services of residents' messages (P7.1): received and routed to the person responsible,
answered (e-mailed in the resident's language), published, closed and sent on."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from stadga.catalogue.choices import Phase
from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.plans.tests.factories import adopted_plan
from stadga.portal import services
from stadga.portal.choices import MessageStatus, Subject
from stadga.portal.models import ResidentMessage
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    ProductFactory,
    ResidentMessageFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def person_of(user: Any) -> Person:
    return Person.objects.get(user=user)


def submit(m: Municipality, **data: Any) -> ResidentMessage:
    return services.message_submit(
        municipality=m, data={"message": "Hur skyddas mina uppgifter?", **data}, language="sv"
    )


def test_a_message_about_a_public_system_goes_to_its_owner(published: Municipality) -> None:
    owner = PersonFactory(municipality=published)
    system = SystemFactory(municipality=published, is_public=True, system_owner=owner)
    message = submit(published, system=system, email="a@example.se")
    assert message.recipient == owner
    assert message.subject == Subject.SYSTEM
    assert message.reference == f"{timezone.localdate().year}-0001"
    assert message.status == MessageStatus.RECEIVED
    notification = Notification.objects.get(recipient=owner)
    assert notification.link == message.get_absolute_url()
    assert message.reference in notification.subject


def test_without_an_owner_the_department_head_and_otherwise_the_it_coordinators_answer(
    published: Municipality,
) -> None:
    department = DepartmentFactory(board__municipality=published)
    head = PersonFactory(municipality=published)
    RoleAssignmentFactory(person=head, role=Role.DEPARTMENT_HEAD, department=department)
    coordinator = PersonFactory(municipality=published)
    RoleAssignmentFactory(person=coordinator, role=Role.IT_COORDINATOR)
    system = SystemFactory(
        municipality=published, is_public=True, department=department, board=department.board
    )
    system.system_owner.archived_at = timezone.now()
    system.system_owner.save()
    assert submit(published, system=system).recipient == head
    assert submit(published).recipient == coordinator
    assert submit(published, clause="P7.1").subject == Subject.POLICY


def test_a_plan_goes_to_its_board_secretary(published: Municipality) -> None:
    plan = adopted_plan(published, timezone.localdate().year)
    secretary = PersonFactory(municipality=published)
    RoleAssignmentFactory(person=secretary, role=Role.BOARD_SECRETARY, board=plan.board)
    message = submit(published, plan=plan)
    assert message.recipient == secretary
    assert message.subject == Subject.PLAN


def test_references_count_up_per_municipality_and_year(published: Municipality) -> None:
    year = timezone.localdate().year
    assert [submit(published).reference for _ in range(3)] == [
        f"{year}-0001",
        f"{year}-0002",
        f"{year}-0003",
    ]


def test_what_is_not_published_cannot_be_written_about(published: Municipality) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(published, system=SystemFactory(municipality=published, is_public=False))
    assert "system" in caught.value.message_dict
    undecided = ProductFactory(municipality=published, phase=Phase.NOT_ASSESSED)
    with pytest.raises(ValidationError):
        submit(published, product=undecided)
    elsewhere = SystemFactory(is_public=True)
    with pytest.raises(ValidationError):
        submit(published, system=elsewhere)
    assert not ResidentMessage.objects.exists()


def test_an_unpublished_portal_receives_nothing() -> None:
    with pytest.raises(ValidationError):
        submit(MunicipalityFactory())
    assert not ResidentMessage.objects.exists()


def test_the_answer_is_emailed_in_the_residents_language_with_the_receipt_link(
    published: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    it = member(published, Role.IT_COORDINATOR)
    message = services.message_submit(
        municipality=published,
        data={"message": "How do you protect my data?", "email": "r@example.com"},
        language="en",
    )
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        services.message_answer(message=message, answer="Like this.", actor=it)
    answer_mail = [m for m in mail.outbox if m.to == ["r@example.com"]]
    assert len(answer_mail) == 1
    assert answer_mail[0].subject == f"Answer to your message {message.reference}"
    assert "Like this." in answer_mail[0].body
    assert message.get_receipt_url() in answer_mail[0].body
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED
    assert message.answered_by == it
    assert message.answered_at is not None


def test_publishing_needs_the_residents_consent_and_an_answer(published: Municipality) -> None:
    it = member(published, Role.IT_COORDINATOR)
    without = submit(published)
    with pytest.raises(ValidationError) as caught:
        services.message_answer(message=without, answer="Svar.", publish=True, actor=it)
    assert "publish" in caught.value.message_dict
    consented = submit(published, publish_consent=True)
    with pytest.raises(ValidationError):
        services.message_publish(message=consented, published=True, actor=it)
    services.message_answer(message=consented, answer="Svar.", publish=True, actor=it)
    assert consented.is_published
    services.message_publish(message=consented, published=False, actor=it)
    consented.refresh_from_db()
    assert not consented.is_published


def test_only_the_recipient_and_the_it_department_answer(published: Municipality) -> None:
    message = submit(published)
    reader = member(published, Role.EXECUTIVE_BOARD_READER)
    for write in (
        lambda: services.message_answer(message=message, answer="Svar.", actor=reader),
        lambda: services.message_close(message=message, actor=reader),
        lambda: services.message_publish(message=message, published=True, actor=reader),
    ):
        with pytest.raises(PermissionDenied):
            write()
    owner_user = member(published)
    owner = person_of(owner_user)
    system = SystemFactory(municipality=published, is_public=True, system_owner=owner)
    own = submit(published, system=system)
    services.message_answer(message=own, answer="Svar.", actor=owner_user)
    assert own.status == MessageStatus.ANSWERED


def test_closing_records_when_and_refuses_an_answered_or_closed_message(
    published: Municipality,
) -> None:
    it = member(published, Role.IT_COORDINATOR)
    message = submit(published)
    services.message_close(message=message, actor=it)
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED
    assert message.closed_at is not None
    with pytest.raises(ValidationError):
        services.message_close(message=message, actor=it)
    answered = submit(published)
    services.message_answer(message=answered, answer="Svar.", actor=it)
    with pytest.raises(ValidationError):
        services.message_close(message=answered, actor=it)


def test_sending_on_tells_the_new_recipient(published: Municipality) -> None:
    it = member(published, Role.IT_COORDINATOR)
    message = submit(published)
    colleague = PersonFactory(municipality=published)
    services.message_forward(message=message, recipient=colleague, actor=it)
    message.refresh_from_db()
    assert message.recipient == colleague
    assert Notification.objects.filter(recipient=colleague, link=message.get_absolute_url())
    with pytest.raises(ValidationError):
        services.message_forward(message=message, recipient=colleague, actor=it)
    with pytest.raises(ValidationError):
        services.message_forward(message=message, recipient=PersonFactory(), actor=it)


def test_an_archived_message_is_not_answered(published: Municipality) -> None:
    it = member(published, Role.IT_COORDINATOR)
    message = submit(published)
    message.archived_at = timezone.now()
    message.save()
    with pytest.raises(ValidationError):
        services.message_answer(message=message, answer="Svar.", actor=it)


def test_publishing_an_answer_refreshes_the_cached_public_page(
    published: Municipality, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The public pages are cached; the portal's own writes make them fresh at once (after the
    commit), so a published answer does not wait for the cached copy to expire."""
    coordinator = member(published, Role.IT_COORDINATOR)
    message = ResidentMessageFactory(municipality=published, publish_consent=True, email="")
    address = f"/p/{published.slug}/questions/"
    answer = "Uppgifterna gallras efter två år."
    assert answer not in client.get(address).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        services.message_answer(message=message, answer=answer, publish=True, actor=coordinator)
    assert answer in client.get(address).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.message_publish(message=message, published=False, actor=coordinator)
    assert answer not in client.get(address).content.decode()
