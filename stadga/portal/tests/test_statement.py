"""The public accessibility statement (lag 2018:1937, MDFFS 2019:2): always reachable, with
every element the regulation requires; and the installation-wide one for the login page."""

from __future__ import annotations

import datetime
import html
import itertools
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.portal import services
from stadga.portal.choices import ComplianceLevel
from stadga.portal.models import SUPERVISORY_AUTHORITY_URL, AccessibilityStatement
from stadga.portal.statement import standard_assessment, standard_shortcomings
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_english(client: Any, settings: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def statement_url(municipality: Municipality) -> str:
    return reverse("public:accessibility", kwargs={"municipality": municipality.slug})


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


class TestReachable:
    def test_answers_when_the_portal_is_not_published(self, client: Any) -> None:
        m = MunicipalityFactory()  # no portal settings at all
        response = client.get(statement_url(m))
        assert response.status_code == 200
        assert m.name in text(response)

    def test_answers_when_the_portal_is_withdrawn(self, client: Any) -> None:
        m = MunicipalityFactory()
        PortalSettingsFactory(municipality=m, is_published=False)
        assert client.get(statement_url(m)).status_code == 200

    def test_answers_when_the_portal_is_published(self, client: Any, published: Any) -> None:
        response = client.get(statement_url(published))
        assert response.status_code == 200
        assert (
            response["Cache-Control"].startswith("max-age") or "public" in response["Cache-Control"]
        )

    def test_404_for_an_unknown_municipality(self, client: Any) -> None:
        url = reverse("public:accessibility", kwargs={"municipality": "ingen-sadan"})
        assert client.get(url).status_code == 404

    def test_404_for_an_archived_municipality(self, client: Any) -> None:
        m = MunicipalityFactory(archived_at=timezone.now())
        assert client.get(statement_url(m)).status_code == 404

    def test_post_is_refused(self, client: Any, published: Any) -> None:
        assert client.post(statement_url(published)).status_code == 405

    def test_carries_no_token_session_or_script(self, client: Any, published: Any) -> None:
        response = client.get(statement_url(published))
        assert "csrfmiddlewaretoken" not in text(response)
        assert "<script" not in text(response)
        assert not response.cookies

    def test_a_logged_in_reader_gets_the_same_page(self, client: Any, published: Any) -> None:
        anonymous = client.get(statement_url(published))
        client.force_login(member(published, Role.IT_COORDINATOR))
        logged_in = client.get(statement_url(published))
        assert logged_in.content == anonymous.content
        assert "csrfmiddlewaretoken" not in text(logged_in)


class TestRequiredElements:
    """Each element DIGG's regulation requires of a statement is on the page."""

    @pytest.fixture
    def page(self, client: Any, in_english: Any, published: Municipality) -> str:
        AccessibilityStatement.objects.create(
            municipality=published,
            compliance=ComplianceLevel.PARTIAL,
            disproportionate_burden="Inskannade protokoll från 1990-talet tolkas inte.",
            assessed_on=datetime.date(2026, 9, 1),
            prepared_on=datetime.date(2026, 9, 2),
            feedback_email="tillganglighet@kommun.example",
            feedback_phone="010-555 55 55",
        )
        return text(client.get(statement_url(published)))

    def test_who_it_is_for(self, page: str, published: Municipality) -> None:
        assert f"Accessibility statement for {published.name}" in page
        assert f"/p/{published.slug}/" in page and f"/k/{published.slug}/" in page

    def test_the_compliance_status(self, page: str) -> None:
        assert 'id="statement-compliance"' in page
        assert "is partially compliant with the Act on accessibility" in page

    def test_the_known_shortcomings_with_the_standard_text(self, page: str) -> None:
        assert 'id="statement-shortcomings"' in page
        for standard in standard_shortcomings():
            assert standard in page
        assert "PDF exports of IT plans and status reports may lack tags" in page
        assert "not checked for plain language" in page

    def test_the_disproportionate_burden(self, page: str) -> None:
        assert 'id="statement-burden"' in page
        assert "Inskannade protokoll från 1990-talet tolkas inte." in page

    def test_content_not_covered_by_the_law(self, page: str) -> None:
        assert 'id="statement-out-of-scope"' in page

    def test_how_it_was_assessed_with_the_standard_text(self, page: str) -> None:
        assert 'id="statement-assessment"' in page
        for standard in standard_assessment():
            assert standard in page
        assert "axe-core" in page and "WCAG 2.1" in page and "Chromium" in page
        assert "keyboard" in page and "JavaScript turned off" in page

    def test_the_dates(self, page: str) -> None:
        assert '<time datetime="2026-09-01">' in page  # assessed
        assert '<time datetime="2026-09-02">' in page  # prepared
        today = timezone.localdate().isoformat()
        assert f'<time datetime="{today}">' in page  # updated (the row was written today)

    def test_the_feedback_route(self, page: str, published: Municipality) -> None:
        assert 'href="mailto:tillganglighet@kommun.example"' in page
        assert "010-555 55 55" in page
        ask = reverse("public:ask", kwargs={"municipality": published.slug}) if _has_ask() else ""
        if ask:
            assert f'href="{ask}"' in page

    def test_the_enforcement_procedure(self, page: str) -> None:
        assert 'id="statement-enforcement"' in page
        assert "Agency for Digital Government" in page
        assert f'href="{SUPERVISORY_AUTHORITY_URL}"' in page

    def test_headings_are_in_order(self, page: str) -> None:
        levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", page.split('<main id="main"')[1])]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def _has_ask() -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse("public:ask", kwargs={"municipality": "x"})
    except NoReverseMatch:
        return False
    return True


class TestOwnTexts:
    def test_the_municipality_s_own_texts_replace_the_standard(
        self, client: Any, in_english: Any, published: Municipality
    ) -> None:
        AccessibilityStatement.objects.create(
            municipality=published,
            shortcomings="Kartan saknar textalternativ.\n\nVideon saknar syntolkning.",
            assessment_method="Granskad av extern part.",
        )
        page = text(client.get(statement_url(published)))
        assert "<li>Kartan saknar textalternativ.</li>" in page
        assert "<li>Videon saknar syntolkning.</li>" in page
        assert "Granskad av extern part." in page
        assert standard_shortcomings()[0] not in page
        assert standard_assessment()[0] not in page

    def test_fully_compliant_without_text_lists_no_shortcomings(
        self, client: Any, in_english: Any, published: Municipality
    ) -> None:
        AccessibilityStatement.objects.create(
            municipality=published, compliance=ComplianceLevel.FULL
        )
        page = text(client.get(statement_url(published)))
        assert "is fully compliant with" in page
        assert "We know of no content that is not accessible." in page
        assert standard_shortcomings()[0] not in page

    def test_feedback_falls_back_to_the_portal_s_contact(
        self, client: Any, published: Municipality
    ) -> None:
        page = text(client.get(statement_url(published)))
        assert 'href="mailto:it@kommun.example"' in page

    def test_an_unpublished_portal_offers_no_form_but_the_statement_s_contact(
        self, client: Any, in_english: Any
    ) -> None:
        m = MunicipalityFactory()
        AccessibilityStatement.objects.create(municipality=m, feedback_phone="010-1")
        page = text(client.get(statement_url(m)))
        assert "Phone: 010-1" in page
        assert "portal's form" not in page
        assert "Report inaccessible digital public service to DIGG" in page


class TestCache:
    def test_a_second_reading_costs_no_query(
        self, client: Any, published: Municipality, django_assert_num_queries: Any
    ) -> None:
        with django_assert_num_queries(3):  # municipality, portal settings, statement
            first = client.get(statement_url(published))
        with django_assert_num_queries(1):  # the municipality, to know it exists
            again = client.get(statement_url(published))
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]

    def test_a_saved_statement_shows_at_once(
        self,
        client: Any,
        in_english: Any,
        published: Municipality,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        client.get(statement_url(published))
        with django_capture_on_commit_callbacks(execute=True):
            services.statement_update(
                municipality=published,
                data={"compliance": ComplianceLevel.NONE},
                actor=member(published, Role.IT_COORDINATOR),
            )
        assert "is not compliant with" in text(client.get(statement_url(published)))


class TestInstallationStatement:
    def test_answers_without_login_with_the_standard_texts(
        self, client: Any, in_english: Any
    ) -> None:
        response = client.get(reverse("accessibility"))
        assert response.status_code == 200
        page = text(response)
        assert "Accessibility statement for Stadga at this address" in page
        assert "is partially compliant" in page
        for standard in standard_shortcomings() + standard_assessment():
            assert standard in page
        assert f'href="{SUPERVISORY_AUTHORITY_URL}"' in page

    def test_the_login_page_links_to_it(self, client: Any) -> None:
        page = text(client.get(reverse("login")))
        assert f'href="{reverse("accessibility")}"' in page

    def test_a_municipality_s_pages_link_to_its_own_statement(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = text(client.get(reverse("portal:settings", kwargs={"municipality": m.slug})))
        assert f'href="{statement_url(m)}"' in page.split('<footer class="site-footer">')[1]

    def test_the_contact_comes_from_the_settings(self, client: Any, settings: Any) -> None:
        settings.STADGA_ACCESSIBILITY_EMAIL = "tillganglighet@drift.example"
        page = text(client.get(reverse("accessibility")))
        assert 'href="mailto:tillganglighet@drift.example"' in page
