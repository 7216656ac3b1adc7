"""The catalogue's reminders: product requests waiting for a sign-off (P5.4), phase-outs ending
(P5.4, P5.5) and neighbours' coordination inquiries awaiting an answer (P8.2) — who is
reminded, from when, once, and in a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.catalogue.choices import (
    Answer,
    Approver,
    InquiryStatus,
    Phase,
    RequestStatus,
    StepStatus,
)
from stadga.catalogue.models import (
    CatalogueSettings,
    CoordinationInquiry,
    InquiryRecipient,
    ProductRequest,
    RequestStep,
)
from stadga.catalogue.reminders import (
    inquiries_awaiting_answer,
    phase_outs_ending,
    requests_waiting,
)
from stadga.notifications.models import Notification
from stadga.notifications.reminders import Reminder, all_reminder_sources
from stadga.notifications.services import notifications_send
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.systems.choices import LifecyclePhase
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    ProductFactory,
    ProductRequestFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 4)
TZ = timezone.get_default_timezone()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), TZ)


def days_ago(n: int) -> datetime.datetime:
    return at(TODAY - datetime.timedelta(days=n))


def person(user: Any) -> Person:
    return user.people.get()


def keys(reminders: Iterable[Reminder]) -> list[tuple[int, str]]:
    return sorted((r.recipient.pk, r.key) for r in reminders)


def query_counts(
    source: Callable[[Municipality, datetime.date], Iterable[Reminder]],
    municipality: Municipality,
    make: Callable[[int], None],
) -> list[int]:
    """Queries of one run with one row, then with six: they must be the same."""
    counts = []
    for rows in (1, 5):
        make(rows)
        with CaptureQueriesContext(connection) as queries:
            produced = list(source(municipality, TODAY))
        assert produced
        counts.append(len(queries))
    return counts


def test_the_sources_are_discovered() -> None:
    sources = all_reminder_sources()
    assert sources["catalogue.request_waiting"] is requests_waiting
    assert sources["catalogue.phase_out_ending"] is phase_outs_ending
    assert sources["catalogue.inquiry_awaiting_answer"] is inquiries_awaiting_answer


# --- requests waiting (P5.4) --------------------------------------------------------------------


def submitted(
    municipality: Municipality, *, on: datetime.datetime, department: Any = None
) -> ProductRequest:
    extra = {"department": department} if department is not None else {}
    return ProductRequestFactory(
        municipality=municipality, status=RequestStatus.SUBMITTED, submitted_at=on, **extra
    )


def step(
    request: ProductRequest,
    order: int,
    approver: str,
    status: str = StepStatus.PENDING,
    since: datetime.datetime | None = None,
) -> RequestStep:
    created = RequestStep.objects.create(
        municipality=request.municipality,
        request=request,
        order=order,
        name={
            Approver.IT_DEPARTMENT: "IT-avdelningen",
            Approver.DEPARTMENT_HEAD: "Förvaltningschefen",
            Approver.EXECUTIVE_BOARD: "Kommunstyrelsen",
        }[approver],
        approver=approver,
        status=status,
    )
    # `updated_at` is set on save: put it where the test wants it.
    RequestStep.objects.filter(pk=created.pk).update(updated_at=since or request.submitted_at)
    created.refresh_from_db()
    return created


class TestRequestsWaiting:
    def test_each_step_reminds_its_signers(self) -> None:
        m = MunicipalityFactory()
        coordinator = person(member(m, Role.IT_COORDINATOR))
        technician = person(member(m, Role.IT_TECHNICIAN))
        reader = person(member(m, Role.EXECUTIVE_BOARD_READER))
        department = DepartmentFactory(board__municipality=m)
        head = person(member(m, Role.DEPARTMENT_HEAD, department=department))
        person(member(m, Role.DEPARTMENT_HEAD, department=DepartmentFactory(board__municipality=m)))
        member(m, Role.AUDITOR)

        first = submitted(m, on=days_ago(20), department=department)
        it_step = step(first, 1, Approver.IT_DEPARTMENT, since=days_ago(1))  # counts from 20
        second = submitted(m, on=days_ago(40), department=department)
        step(second, 1, Approver.IT_DEPARTMENT, StepStatus.APPROVED)
        head_step = step(second, 2, Approver.DEPARTMENT_HEAD, since=days_ago(15))
        step(second, 3, Approver.EXECUTIVE_BOARD, StepStatus.WAITING)
        third = submitted(m, on=days_ago(60), department=department)
        step(third, 1, Approver.IT_DEPARTMENT, StepStatus.APPROVED)
        board_step = step(third, 2, Approver.EXECUTIVE_BOARD, since=days_ago(30))

        reminders = list(requests_waiting(m, TODAY))
        assert keys(reminders) == sorted(
            [
                (coordinator.pk, f"product-request-waiting:{it_step.pk}"),
                (technician.pk, f"product-request-waiting:{it_step.pk}"),
                (head.pk, f"product-request-waiting:{head_step.pk}"),
                (reader.pk, f"product-request-waiting:{board_step.pk}"),
            ]
        )
        by_key = {r.key: r for r in reminders}
        waiting = by_key[f"product-request-waiting:{it_step.pk}"]
        assert waiting.link == first.get_absolute_url()
        assert waiting.due_date == TODAY - datetime.timedelta(days=6)
        assert first.title in waiting.subject and "IT-avdelningen" in waiting.subject
        assert "P5.4" in waiting.body
        assert by_key[f"product-request-waiting:{head_step.pk}"].due_date == (
            TODAY - datetime.timedelta(days=1)
        )

    def test_only_after_the_municipalitys_number_of_days(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        request = submitted(m, on=days_ago(14))
        step(request, 1, Approver.IT_DEPARTMENT)
        assert list(requests_waiting(m, TODAY)) == []  # 14 days is not longer than 14
        assert len(list(requests_waiting(m, TODAY + datetime.timedelta(days=1)))) == 1
        CatalogueSettings.objects.create(municipality=m, request_wait_days=30)
        assert list(requests_waiting(m, TODAY + datetime.timedelta(days=1))) == []
        assert len(list(requests_waiting(m, TODAY + datetime.timedelta(days=17)))) == 1

    def test_not_for_these(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        old = days_ago(100)
        for status in (RequestStatus.DRAFT, RequestStatus.DECIDED, RequestStatus.WITHDRAWN):
            outcome = "rejected" if status == RequestStatus.DECIDED else ""
            request = ProductRequestFactory(
                municipality=m, status=status, submitted_at=old, outcome=outcome
            )
            step(request, 1, Approver.IT_DEPARTMENT)
        archived = submitted(m, on=old)
        ProductRequest.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
        step(archived, 1, Approver.IT_DEPARTMENT)
        for status in (StepStatus.WAITING, StepStatus.APPROVED, StepStatus.SKIPPED):
            step(submitted(m, on=old), 1, Approver.IT_DEPARTMENT, status)
        other = MunicipalityFactory()
        member(other, Role.IT_COORDINATOR)
        step(submitted(other, on=old), 1, Approver.IT_DEPARTMENT)
        assert list(requests_waiting(m, TODAY)) == []

    def test_a_fixed_number_of_queries(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        member(m, Role.EXECUTIVE_BOARD_READER)

        def make(rows: int) -> None:
            for _ in range(rows):
                department = DepartmentFactory(board__municipality=m)
                member(m, Role.DEPARTMENT_HEAD, department=department)
                step(submitted(m, on=days_ago(30)), 1, Approver.IT_DEPARTMENT)
                request = submitted(m, on=days_ago(30), department=department)
                step(request, 1, Approver.IT_DEPARTMENT, StepStatus.APPROVED)
                step(request, 2, Approver.DEPARTMENT_HEAD, since=days_ago(20))
                request = submitted(m, on=days_ago(30))
                step(request, 1, Approver.IT_DEPARTMENT, StepStatus.APPROVED)
                step(request, 2, Approver.EXECUTIVE_BOARD, since=days_ago(20))

        counts = query_counts(requests_waiting, m, make)
        assert counts[0] == counts[1] <= 3, counts


# --- phase-outs ending (P5.4, P5.5) -------------------------------------------------------------


def phase_out(municipality: Municipality, ends_on: datetime.date, **fields: Any) -> Any:
    return ProductFactory(
        municipality=municipality, phase=Phase.PHASE_OUT, phase_ends_on=ends_on, **fields
    )


class TestPhaseOutsEnding:
    def test_the_it_coordinator_and_the_owners_of_systems_in_use(self) -> None:
        m = MunicipalityFactory()
        coordinator = person(member(m, Role.IT_COORDINATOR))
        product = phase_out(m, TODAY + datetime.timedelta(days=60), name="Gamla journalen")
        running = SystemFactory(municipality=m, name="Journal")
        SystemProductFactory(system=running, product=product)
        also = SystemFactory(municipality=m, system_owner=running.system_owner)
        SystemProductFactory(system=also, product=product)
        for phase in (LifecyclePhase.PLANNED, LifecyclePhase.RETIRED):
            SystemProductFactory(
                system=SystemFactory(municipality=m, lifecycle_phase=phase),
                product=product,
            )
        archived = SystemFactory(municipality=m, archived_at=timezone.now())
        SystemProductFactory(system=archived, product=product)

        reminders = list(phase_outs_ending(m, TODAY))
        key = f"phase-out-ending:{product.pk}:2026-07-03"
        assert keys(reminders) == sorted([(coordinator.pk, key), (running.system_owner.pk, key)])
        first = reminders[0]
        assert first.subject == "Avvecklingen av Gamla journalen slutar 2026-07-03"
        assert first.due_date == datetime.date(2026, 7, 3)
        assert first.link == product.get_absolute_url()
        assert "Journal" in first.body and "P5.5" in first.body

    def test_within_the_notice_and_a_postponed_end_is_new(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        product = phase_out(m, TODAY + datetime.timedelta(days=61))
        assert list(phase_outs_ending(m, TODAY)) == []
        CatalogueSettings.objects.create(municipality=m, phase_out_notice_days=90)
        (first,) = phase_outs_ending(m, TODAY)
        type(product).objects.filter(pk=product.pk).update(
            phase_ends_on=TODAY - datetime.timedelta(days=1)
        )
        (ended,) = phase_outs_ending(m, TODAY)
        assert ended.key != first.key
        assert ended.subject.startswith(f"Avvecklingen av {product.name} slutade")

    def test_not_for_these(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)
        soon = TODAY + datetime.timedelta(days=10)
        phase_out(m, soon, archived_at=timezone.now())
        ProductFactory(municipality=m, phase=Phase.RETIRED, phase_ends_on=soon)
        ProductFactory(municipality=m, phase=Phase.APPROVED)
        phase_out(MunicipalityFactory(), soon)
        assert list(phase_outs_ending(m, TODAY)) == []

    def test_a_fixed_number_of_queries(self) -> None:
        m = MunicipalityFactory()
        member(m, Role.IT_COORDINATOR)

        def make(rows: int) -> None:
            for _ in range(rows):
                product = phase_out(m, TODAY + datetime.timedelta(days=5))
                SystemProductFactory(system=SystemFactory(municipality=m), product=product)
                SystemProductFactory(system=SystemFactory(municipality=m), product=product)

        counts = query_counts(phase_outs_ending, m, make)
        assert counts[0] == counts[1] <= 4, counts


# --- coordination inquiries awaiting an answer (P8.2) ------------------------------------------


def asked(
    asker: Municipality,
    partner: Municipality,
    *,
    status: str = InquiryStatus.OPEN,
    answer: str = Answer.NO_ANSWER,
) -> InquiryRecipient:
    request = ProductRequestFactory(
        municipality=asker,
        status=RequestStatus.SUBMITTED,
        submitted_at=days_ago(5),
        is_business_system=True,
        title="Nytt ärendehanteringssystem",
    )
    inquiry = CoordinationInquiry.objects.create(
        municipality=asker,
        request=request,
        question="Vill ni samordna?",
        sent_on=TODAY - datetime.timedelta(days=5),
        status=status,
    )
    return InquiryRecipient.objects.create(
        municipality=asker,
        inquiry=inquiry,
        partner=partner,
        asked_on=TODAY - datetime.timedelta(days=5),
        answer=answer,
    )


class TestInquiriesAwaitingAnswer:
    def test_the_partners_it_coordinators(self) -> None:
        asker = MunicipalityFactory(name="Hjo")
        partner = MunicipalityFactory()
        coordinator = person(member(partner, Role.IT_COORDINATOR))
        member(partner, Role.IT_TECHNICIAN)
        member(asker, Role.IT_COORDINATOR)
        row = asked(asker, partner)

        (reminder,) = inquiries_awaiting_answer(partner, TODAY)
        assert reminder.recipient == coordinator
        assert reminder.key == f"inquiry-awaiting-answer:{row.pk}"
        assert reminder.subject == ("Hjo frågar om ni vill samordna: Nytt ärendehanteringssystem")
        assert "P8.2" in reminder.body
        assert reminder.link == f"/k/{partner.slug}/catalogue/inquiries/{row.pk}/answer/"
        assert list(inquiries_awaiting_answer(asker, TODAY)) == []  # the asker is not reminded

    def test_not_for_these(self) -> None:
        asker = MunicipalityFactory()
        partner = MunicipalityFactory()
        member(partner, Role.IT_COORDINATOR)
        asked(asker, partner, answer=Answer.INTERESTED)
        asked(asker, partner, status=InquiryStatus.CLOSED)
        asked(asker, partner, status=InquiryStatus.WAIVED)
        archived = asked(asker, partner)
        CoordinationInquiry.objects.filter(pk=archived.inquiry_id).update(
            archived_at=timezone.now()
        )
        asked(asker, MunicipalityFactory())
        assert list(inquiries_awaiting_answer(partner, TODAY)) == []

    def test_a_fixed_number_of_queries(self) -> None:
        partner = MunicipalityFactory()
        member(partner, Role.IT_COORDINATOR)

        def make(rows: int) -> None:
            for _ in range(rows):
                asked(MunicipalityFactory(), partner)

        counts = query_counts(inquiries_awaiting_answer, partner, make)
        assert counts[0] == counts[1] <= 2, counts


def test_the_daily_run_sends_each_once() -> None:
    """All three in one municipality: a second run of the same day sends nothing new."""
    m = MunicipalityFactory()
    member(m, Role.IT_COORDINATOR)
    step(submitted(m, on=days_ago(30)), 1, Approver.IT_DEPARTMENT)
    phase_out(m, TODAY + datetime.timedelta(days=10))
    asked(MunicipalityFactory(), m)
    ours = {"product-request-waiting", "phase-out-ending", "inquiry-awaiting-answer"}

    def sent() -> list[str]:
        """The catalogue's notifications (other apps' reminders may be sent too)."""
        keys = Notification.objects.values_list("key", flat=True)
        return [key for key in keys if key.split(":")[0] in ours]

    notifications_send(municipality=m, today=TODAY)
    assert sorted(key.split(":")[0] for key in sent()) == sorted(ours)
    assert notifications_send(municipality=m, today=TODAY) == 0
    assert notifications_send(municipality=m, today=TODAY + datetime.timedelta(days=1)) == 0
    assert len(sent()) == 3
