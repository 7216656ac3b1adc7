"""The product request pages (P5.4, P5.6, P8.2): who sees and does what, each action through
the page, refused actions shown on their form, the partner's page of inquiries received, the
exceptions' form and the list's query count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stadga.catalogue import services_requests as services
from stadga.catalogue.choices import Criterion, InquiryStatus, Outcome, Phase, RequestStatus
from stadga.catalogue.models import PolicyException, ProductRequest
from stadga.catalogue.selectors import catalogue_settings_for
from stadga.organisation.choices import Role
from stadga.testing.factories import (
    MunicipalityFactory,
    ProductFactory,
    ProductRequestFactory,
    SystemFactory,
    member,
)

from .test_requests_services import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def url(world: World, name: str, *args: Any) -> str:
    return reverse(f"catalogue:{name}", args=[world.m.slug, *args])


# --- who sees what --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    request = world.draft()
    for page in (
        url(world, "productrequest_list"),
        url(world, "productrequest_create"),
        url(world, "productrequest_detail", request.pk),
        url(world, "inquiries_received"),
        url(world, "settings"),
        url(world, "policyexception_create"),
    ):
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_municipality_gets_404(client: Any, world: World) -> None:
    request = world.submitted()
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    for page in (
        url(world, "productrequest_list"),
        url(world, "productrequest_detail", request.pk),
        url(world, "productrequest_edit", request.pk),
        url(world, "productrequest_history", request.pk),
        url(world, "inquiries_received"),
        url(world, "settings"),
    ):
        assert client.get(page).status_code == 404, page
    before = LogEntry.objects.count()
    assert (
        client.post(
            url(world, "productrequest_withdraw", request.pk), {"withdraw-reason": "x"}
        ).status_code
        == 404
    )
    assert LogEntry.objects.count() == before


def test_own_request_under_own_slug_is_404_for_another_municipalitys(
    client: Any, world: World
) -> None:
    request = world.draft()
    own = MunicipalityFactory()
    client.force_login(member(own, Role.IT_COORDINATOR))
    assert (
        client.get(
            reverse("catalogue:productrequest_detail", args=[own.slug, request.pk])
        ).status_code
        == 404
    )


def test_a_member_sees_own_requests_only(client: Any, world: World) -> None:
    mine = world.draft()
    others = ProductRequestFactory(municipality=world.m)
    client.force_login(world.employee)
    listing = client.get(url(world, "productrequest_list")).content.decode()
    assert mine.get_absolute_url() in listing
    assert others.get_absolute_url() not in listing
    assert client.get(others.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_department_head_and_readers_see_the_departments_requests(
    client: Any, world: World
) -> None:
    request = world.draft()
    for user in (world.head, world.board_reader, world.technician, member(world.m, Role.AUDITOR)):
        client.force_login(user)
        assert client.get(request.get_absolute_url()).status_code == 200
        # They read it, but it is the requester's draft: no edit.
        assert client.get(url(world, "productrequest_edit", request.pk)).status_code in (200, 403)


def test_reader_may_not_edit_or_act(client: Any, world: World) -> None:
    request = world.submitted()
    client.force_login(world.board_reader)
    assert client.get(url(world, "productrequest_edit", request.pk)).status_code == 403
    response = client.post(
        url(world, "productrequest_assess", request.pk, Criterion.VENDOR),
        {"assess-vendor-verdict": "met", "assess-vendor-note": "x"},
    )
    assert response.status_code in (400, 403)
    assert not request.assessments.exists()


# --- the requester's way ------------------------------------------------------------------------


def test_a_member_requests_submits_and_reads_the_decision(client: Any, world: World) -> None:
    client.force_login(world.employee)
    page = client.get(url(world, "productrequest_create") + "?name=Mötesrum%20Pro")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Mötesrum Pro"' in html
    assert f'<option value="{world.department.pk}" selected' in html
    response = client.post(
        url(world, "productrequest_create"),
        {
            "title": "Digitala möten",
            "product_name": "Mötesrum Pro",
            "kind": "software",
            "reason": "Möten på distans.",
            "department": world.department.pk,
            "one_time_cost": "1000",
            "yearly_cost": "500",
            "goals": [world.goal("P2.1").pk, world.goal("P2.3").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = ProductRequest.objects.get(municipality=world.m)
    assert [g.code for g in request.goals.all()] == ["P2.1", "P2.3"]
    assert request.status == RequestStatus.DRAFT
    assert client.post(url(world, "productrequest_submit", request.pk)).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    # The requester does not assess or decide.
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "productrequest_assess" not in detail and "/assess/" not in detail
    assert "/decide/" not in detail


def test_create_prefills_a_catalogue_product(client: Any, world: World) -> None:
    product = ProductFactory(municipality=world.m)
    other = ProductFactory()
    client.force_login(world.employee)
    html = client.get(
        url(world, "productrequest_create") + f"?product={product.pk}"
    ).content.decode()
    assert f'<option value="{product.pk}" selected' in html
    html = client.get(url(world, "productrequest_create") + f"?product={other.pk}").content.decode()
    assert f'value="{other.pk}" selected' not in html and other.name not in html


def test_invalid_request_shows_errors(client: Any, world: World) -> None:
    client.force_login(world.employee)
    response = client.post(url(world, "productrequest_create"), {"title": "", "kind": "software"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not ProductRequest.objects.exists()


def test_withdraw_needs_a_reason_on_the_page(client: Any, world: World) -> None:
    request = world.submitted()
    client.force_login(world.employee)
    response = client.post(
        url(world, "productrequest_withdraw", request.pk), {"withdraw-reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        url(world, "productrequest_withdraw", request.pk), {"withdraw-reason": "Behövs ej."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


# --- the IT department's way ----------------------------------------------------------------------


def test_it_department_assesses_and_decides_on_the_page(client: Any, world: World) -> None:
    approved = ProductFactory(municipality=world.m, category=world.category, name="Teams-liknande")
    request = world.submitted()
    client.force_login(world.it)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Teams-liknande" in html  # P5.3, P4.1: the approved products of the category
    assert approved.get_absolute_url() in html
    step = world.it_step(request)
    # Approving before the checklist is complete: the page says why.
    response = client.post(
        url(world, "productrequest_decide", request.pk, step.pk),
        {f"decide-{step.pk}-outcome": "approved", f"decide-{step.pk}-reason": "Ja."},
    )
    assert response.status_code == 400
    assert "Bedöm varje kriterium" in response.content.decode()
    for criterion in Criterion.values:
        response = client.post(
            url(world, "productrequest_assess", request.pk, criterion),
            {f"assess-{criterion}-verdict": "met", f"assess-{criterion}-note": "Uppfyllt."},
        )
        assert response.status_code == 302
    # Constraints are required with 'approve with constraints'.
    response = client.post(
        url(world, "productrequest_decide", request.pk, step.pk),
        {
            f"decide-{step.pk}-outcome": Outcome.APPROVED_WITH_CONSTRAINTS,
            f"decide-{step.pk}-reason": "Ja.",
        },
    )
    assert response.status_code == 400
    response = client.post(
        url(world, "productrequest_decide", request.pk, step.pk),
        {
            f"decide-{step.pk}-outcome": Outcome.APPROVED_WITH_CONSTRAINTS,
            f"decide-{step.pk}-reason": "Etablerad.",
            f"decide-{step.pk}-constraints": "Bara webben.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED_WITH_CONSTRAINTS
    assert request.decided_product.phase == Phase.APPROVED_WITH_CONSTRAINTS  # type: ignore[union-attr]
    client.force_login(world.employee)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Bara webben." in html and "Etablerad." in html


def test_the_page_says_why_p56_and_p82_block(client: Any, world: World) -> None:
    request = world.submitted(is_in_house_development=True, is_business_system=True)
    client.force_login(world.it)
    html = client.get(request.get_absolute_url()).content.decode()
    assert 'id="p82-block"' in html and "P8.2" in html
    assert 'id="p56-block"' in html and "P5.6" in html
    step = world.it_step(request)
    response = client.post(
        url(world, "productrequest_decide", request.pk, step.pk),
        {f"decide-{step.pk}-outcome": "rejected", f"decide-{step.pk}-reason": "Nej."},
    )
    assert response.status_code == 400 and "P8.2" in response.content.decode()
    response = client.post(
        url(world, "productrequest_inquiry_waive", request.pk), {"waive-reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        url(world, "productrequest_inquiry_waive", request.pk), {"waive-reason": "Inga grannar."}
    )
    assert response.status_code == 302
    request.inquiry.refresh_from_db()
    assert request.inquiry.status == InquiryStatus.WAIVED


def test_inquiry_recipients_and_answers_on_the_page(client: Any, world: World) -> None:
    request = world.submitted(is_business_system=True)
    client.force_login(world.it)
    response = client.post(
        url(world, "productrequest_recipient_add", request.pk),
        {"recipient-organisation_name": "Fjärrby kommun", "recipient-asked_on": "2026-01-10"},
    )
    assert response.status_code == 302
    row = request.inquiry.recipients.get()
    response = client.post(
        url(world, "productrequest_record_answer", request.pk, row.pk),
        {f"answer-{row.pk}-answer": "interested", f"answer-{row.pk}-answer_text": "Gärna."},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.answer == "interested"
    response = client.post(
        url(world, "productrequest_inquiry_close", request.pk),
        {"close-conclusion": "Samupphandling."},
    )
    assert response.status_code == 302
    # The requester reads the inquiry but has no forms.
    client.force_login(world.employee)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Fjärrby kommun" in html and "/inquiry/close/" not in html


def test_policy_exception_for_a_system_and_a_request(client: Any, world: World) -> None:
    system = SystemFactory(municipality=world.m)
    request = world.submitted(is_in_house_development=True)
    client.force_login(world.it)
    html = client.get(
        url(world, "policyexception_create") + f"?system={system.pk}"
    ).content.decode()
    assert f'<option value="{system.pk}" selected' in html
    assert world.department.board.name not in html  # only the executive board decides
    response = client.post(
        url(world, "policyexception_create"),
        {
            "board": world.executive_board.pk,
            "decided_on": "2026-01-15",
            "minute_reference": "KS § 4",
            "reason": "Ersätts 2027.",
            "request": request.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert PolicyException.objects.get().request == request
    client.force_login(world.employee)
    assert client.get(url(world, "policyexception_create")).status_code == 403
    assert client.get(url(world, "policyexception_list")).status_code == 200


# --- the partner's page ---------------------------------------------------------------------------


@pytest.fixture
def partner(world: World) -> Any:
    partner = MunicipalityFactory(name="Grannby")
    services.catalogue_settings_update(
        municipality=world.m, data={"neighbours": [partner]}, actor=world.it
    )
    return partner


def test_partner_it_department_sees_and_answers(client: Any, world: World, partner: Any) -> None:
    request = world.submitted(is_business_system=True, vendor_name="Möteshuset AB")
    partner_it = member(partner, Role.IT_TECHNICIAN)
    client.force_login(partner_it)
    page = client.get(reverse("catalogue:inquiries_received", args=[partner.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (world.m.name, request.title, "Mötesrum Pro", "Möteshuset AB", world.category.name):
        assert text in html
    # Nothing else of the asking municipality: not its request's reasons or links.
    assert request.reason not in html and request.get_absolute_url() not in html
    row = request.inquiry.recipients.get(partner=partner)
    answer_url = reverse("catalogue:inquiry_answer", args=[partner.slug, row.pk])
    assert client.post(answer_url, {f"answer-{row.pk}-answer": ""}).status_code == 400
    response = client.post(
        answer_url,
        {f"answer-{row.pk}-answer": "already_uses", f"answer-{row.pk}-answer_text": "Ja."},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.answer == "already_uses"


def test_received_page_is_isolated(client: Any, world: World, partner: Any) -> None:
    request = world.submitted(is_business_system=True)
    row = request.inquiry.recipients.get(partner=partner)
    received = reverse("catalogue:inquiries_received", args=[partner.slug])
    answer_url = reverse("catalogue:inquiry_answer", args=[partner.slug, row.pk])
    # A member of the partner without the IT role: refused.
    client.force_login(member(partner))
    assert client.get(received).status_code == 403
    assert client.post(answer_url, {f"answer-{row.pk}-answer": "interested"}).status_code == 403
    # A third municipality's IT coordinator: the partner's page does not exist for them.
    third = MunicipalityFactory()
    client.force_login(member(third, Role.IT_COORDINATOR))
    assert client.get(received).status_code == 404
    # …and their own page lists nothing, the row's answer URL under their slug is a 404.
    assert (
        request.title
        not in client.get(
            reverse("catalogue:inquiries_received", args=[third.slug])
        ).content.decode()
    )
    assert (
        client.post(
            reverse("catalogue:inquiry_answer", args=[third.slug, row.pk]),
            {f"answer-{row.pk}-answer": "interested"},
        ).status_code
        == 404
    )
    # The asking municipality's IT department does not answer for the partner.
    client.force_login(world.it)
    assert client.get(received).status_code == 404
    row.refresh_from_db()
    assert row.answer == "no_answer"


# --- settings -------------------------------------------------------------------------------------


def test_settings_shows_defaults_and_the_coordinator_saves(
    client: Any, world: World, partner: Any
) -> None:
    client.force_login(world.technician)
    page = client.get(url(world, "settings"))
    assert page.status_code == 200 and "disabled" in page.content.decode()
    assert client.post(url(world, "settings"), {"request_wait_days": "5"}).status_code == 403
    client.force_login(world.it)
    response = client.post(
        url(world, "settings"),
        {
            "request_wait_days": "5",
            "phase_out_notice_days": "30",
            "neighbours": [partner.pk],
            "other_neighbours": "Fjärrby",
        },
    )
    assert response.status_code == 302
    settings = catalogue_settings_for(world.m)
    assert settings.request_wait_days == 5 and list(settings.neighbours.all()) == [partner]


def test_approval_steps_are_the_coordinators(client: Any, world: World) -> None:
    data = {
        "order": "1",
        "name": "Förvaltningschef",
        "approver": "department_head",
        "min_total_cost": "50000",
    }
    client.force_login(world.technician)
    assert client.get(url(world, "approvalstep_create")).status_code == 403
    client.force_login(world.it)
    response = client.post(url(world, "approvalstep_create"), data)
    assert response.status_code == 302
    assert "Förvaltningschef" in client.get(url(world, "settings")).content.decode()
    request = world.submitted(one_time_cost=Decimal("60000"))
    assert request.steps.count() == 2


# --- the list's query count ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IT_COORDINATOR, None])
def test_list_query_count_does_not_grow(client: Any, world: World, role: str | None) -> None:
    user = world.it if role else world.employee
    client.force_login(user)
    counts = []
    for rows in (3, 30):
        while ProductRequest.objects.count() < rows:
            request = world.draft()
            if ProductRequest.objects.count() % 2:
                services.request_submit(request=request, actor=world.employee)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(world, "productrequest_list") + "?per_page=500")
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_detail_query_count_is_bounded(client: Any, world: World) -> None:
    request = world.submitted()
    world.assess_all(request)
    client.force_login(world.it)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(request.get_absolute_url()).status_code == 200
    assert len(queries) < 40, len(queries)
