"""The demo's neighbours and its cooperation group (issue 10, item 7; P8.1–P8.3).

Done means: on the demo data, Karlsborg's IT coordinator asks for a new business system, the
inquiry reaches Hjo's IT coordinator, who answers it in Stadga; Karlsborg's coordinator reads
the answer on the request's page and sees on the comparison page that Hjo already runs the
product. Everything through the web client, with the demo's own logins.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from stadga.catalogue.choices import Answer, InquiryStatus, Phase
from stadga.catalogue.models import CatalogueSettings, Product, ProductRequest
from stadga.cooperation import services as cooperation_services
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.cooperation.selectors import comparison
from stadga.cooperation.selectors_compliance import group_compliance
from stadga.cooperation.selectors_training import partner_sessions
from stadga.demo import DEMO_PASSWORD
from stadga.demo import data_cooperation as coop
from stadga.demo.load import DemoConflict, _Loader, load_demo
from stadga.organisation.access import Access
from stadga.organisation.choices import Role
from stadga.organisation.models import Department, Municipality, Person
from stadga.policy.models import PolicyAdoption
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in_as(client: Any, settings: Any, username: str) -> None:
    """Log in with the demo's password, reading in English (a logout forgets the cookie)."""
    client.logout()
    assert client.login(username=username, password=DEMO_PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def rows_for(municipality: Municipality, query: str) -> dict[str, Any]:
    return {row.partner.municipality.slug: row for row in comparison(municipality, query)}


def test_the_neighbours_are_onboarded_in_a_group_with_karlsborg() -> None:
    karlsborg = load_demo()
    hjo = Municipality.objects.get(slug="hjo")
    tibro = Municipality.objects.get(slug="tibro")
    assert (hjo.name, hjo.code, hjo.is_demo) == ("Hjo kommun", "1497", True)
    assert (tibro.name, tibro.code, tibro.is_demo) == ("Tibro kommun", "1472", True)
    for municipality, item in ((hjo, coop.HJO), (tibro, coop.TIBRO)):
        # Onboarded as the operator onboards: its scale, the shared policy, its coordinator.
        assert municipality.consequence_levels.count() == 4
        adoption = PolicyAdoption.objects.get(municipality=municipality)
        assert adoption.policy == PolicyAdoption.objects.get(municipality=karlsborg).policy
        assert adoption.decision_reference == item.decision_reference
        person = Person.objects.get(municipality=municipality, user__username=item.username)
        assert person.user.check_password(DEMO_PASSWORD)
        assert Access.for_user(person.user).has_role(municipality.pk, Role.IT_COORDINATOR)
        assert person.phone and person.title
        # Its records: every system public and owned (P9.3), running a catalogue product.
        systems = System.objects.filter(municipality=municipality)
        assert systems.count() == len(item.systems)
        assert all(s.is_public and s.system_owner_id and s.products.exists() for s in systems)
    assert Product.objects.get(municipality=hjo, name=coop.SKOLSKJUTS).phase == (
        Phase.APPROVED_WITH_CONSTRAINTS
    )
    assert Product.objects.get(municipality=tibro, name=coop.SKOLSKJUTS).phase == Phase.EVALUATION
    # Karlsborg runs Sitevision too: the comparison finds both neighbours.
    assert Product.objects.filter(municipality=karlsborg, name=coop.SITEVISION).exists()

    group = CooperationGroup.objects.get(name=coop.GROUP_NAME)
    shared = {
        m.municipality.slug: set(m.shared_categories)
        for m in Membership.objects.filter(group=group, archived_at__isnull=True)
    }
    assert shared == {
        "karlsborg": {"shares_catalogue", "shares_systems", "shares_contacts", "shares_compliance"},
        "hjo": set(coop.HJO.sharing),
        "tibro": {"shares_catalogue", "shares_contacts"},
    }
    settings = CatalogueSettings.objects.get(municipality=karlsborg)
    assert set(settings.neighbours.all()) == {hjo, tibro}

    rows = rows_for(karlsborg, "Sitevision")
    assert [p.name for p in rows["hjo"].products] == ["Sitevision"]
    assert [s.name for s in rows["hjo"].systems] == ["Kommunens webbplats"]
    assert [p.name for p in rows["tibro"].products] == ["Sitevision"]
    assert rows["tibro"].systems == []  # Tibro does not share its register
    # Hjo's assessment of the school transport vendor (P5.2), shared with its partners.
    [vendor] = rows_for(karlsborg, coop.SKOLSKJUTS)["hjo"].vendors
    assert vendor.name == coop.SKOLSKJUTS_VENDOR and vendor.market_standing and vendor.assessed_on
    # Hjo's session open to partners' staff, which Karlsborg can book (P6.2, P8.1).
    [session] = partner_sessions(karlsborg)
    assert session.municipality == hjo and session.course.name == coop.OPEN_COURSE
    # Every member has a compliance snapshot: the group's compliance page has Karlsborg's and
    # Hjo's columns (Tibro does not share it).
    table = group_compliance(karlsborg, group.pk)
    assert [c.municipality for c in table.columns] == [hjo, karlsborg]
    assert table.not_sharing == [tibro]


def test_done_means_an_inquiry_answered_by_the_neighbour_in_stadga(
    client: Any, settings: Any, english: Any
) -> None:
    karlsborg = load_demo()
    hjo = Municipality.objects.get(slug="hjo")

    # Karlsborg's IT coordinator asks for a school transport planner, a new business system.
    log_in_as(client, settings, "it.samordnare")
    department = Department.objects.get(municipality=karlsborg, name="Kommunledningskontoret")
    response = client.post(
        reverse("catalogue:productrequest_create", args=[karlsborg.slug]),
        {
            "title": "Planering av skolskjuts",
            "product_name": coop.SKOLSKJUTS,
            "vendor_name": coop.SKOLSKJUTS_VENDOR,
            "kind": "cloud_service",
            "reason": "Skolskjutsarna planeras i kalkylblad; linjerna behöver ses över.",
            "department": department.pk,
            "one_time_cost": "40000",
            "yearly_cost": "25000",
            "is_business_system": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = ProductRequest.objects.get(municipality=karlsborg, title="Planering av skolskjuts")
    submit = reverse("catalogue:productrequest_submit", args=[karlsborg.slug, request.pk])
    assert client.post(submit).status_code == 302
    request.refresh_from_db()
    # The inquiry went to the neighbours in Stadga (P8.2).
    assert request.inquiry.status == InquiryStatus.OPEN
    assert {r.partner.slug for r in request.inquiry.recipients.all() if r.partner} == {
        "hjo",
        "tibro",
    }

    # Hjo's IT coordinator sees it among the inquiries received and answers it in Stadga.
    log_in_as(client, settings, "hjo.samordnare")
    received = client.get(reverse("catalogue:inquiries_received", args=[hjo.slug]))
    assert received.status_code == 200
    html = received.content.decode()
    assert "Planering av skolskjuts" in html and karlsborg.name in html
    row = request.inquiry.recipients.get(partner=hjo)
    response = client.post(
        reverse("catalogue:inquiry_answer", args=[hjo.slug, row.pk]),
        {
            f"answer-{row.pk}-answer": Answer.ALREADY_USES,
            f"answer-{row.pk}-answer_text": "Vi kör Ruttplan Skolskjuts sedan 2023; hör av er!",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.answer == Answer.ALREADY_USES
    assert row.answered_by == Person.objects.get(user__username="hjo.samordnare")

    # Karlsborg's IT coordinator reads the answer on the request's page…
    log_in_as(client, settings, "it.samordnare")
    page = client.get(request.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vi kör Ruttplan Skolskjuts sedan 2023; hör av er!" in html
    assert "Hjo kommun" in html

    # …and sees on the comparison page that Hjo runs the product, with whom to ask (P8.1).
    compare = client.get(
        reverse("cooperation:compare", args=[karlsborg.slug]) + f"?q={coop.SKOLSKJUTS}"
    )
    assert compare.status_code == 200
    html = compare.content.decode()
    assert f'<h3 id="partner-{hjo.pk}">Hjo kommun</h3>' in html
    assert '<th scope="row">Skolskjutsplanering</th>' in html  # Hjo's public system
    assert "Approved with constraints" in html
    assert coop.HJO.email(coop.HJO.coordinator) in html  # Hjo shares its contacts
    assert "Under evaluation" in html  # Tibro shares its catalogue…
    assert "Does not share its systems register." in html  # …but not its register


def test_a_reload_keeps_a_membership_someone_ended(db: Any, monkeypatch: Any) -> None:
    # The catalogue has its own tests; the group does not need Karlsborg's.
    monkeypatch.setattr(_Loader, "load_catalogue", lambda self, municipality: None)
    load_demo()
    tibro = Membership.objects.get(municipality__slug="tibro")
    cooperation_services.membership_leave(membership=tibro, actor=None)
    hjo = Membership.objects.get(municipality__slug="hjo")
    cooperation_services.sharing_update(membership=hjo, data={"shares_systems": False}, actor=None)
    out = io.StringIO()

    load_demo(stdout=out)

    assert "nothing was changed" in out.getvalue()
    tibro.refresh_from_db()
    hjo.refresh_from_db()
    assert tibro.archived_at is not None
    assert not hjo.shares_systems
    assert Membership.objects.count() == 3


def test_a_real_neighbour_is_never_touched(db: Any) -> None:
    MunicipalityFactory(slug="hjo", name="Hjo kommun", code="1497", is_demo=False)
    users = get_user_model().objects.count()

    with pytest.raises(DemoConflict):
        load_demo()

    assert Municipality.objects.count() == 1
    assert get_user_model().objects.count() == users
