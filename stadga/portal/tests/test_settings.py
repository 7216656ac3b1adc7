"""The portal's settings page and its accessibility statement's form under /k/<slug>/portal/:
read by those who read everything, changed by the IT coordinator, every change logged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.portal.choices import ComplianceLevel, DataLicence
from stadga.portal.models import AccessibilityStatement, PortalSettings
from stadga.testing.factories import MunicipalityFactory, PortalSettingsFactory, member

pytestmark = pytest.mark.django_db

SETTINGS_DATA = {
    "is_published": "on",
    "introduction": "Välkommen till kommunens IT.",
    "contact_email": "it@kommun.example",
    "contact_phone": "010-123 45 67",
    "answer_target_days": "10",
    "data_licence": DataLicence.CC_BY,
}
STATEMENT_DATA = {
    "compliance": ComplianceLevel.PARTIAL,
    "shortcomings": "Kartan saknar textalternativ.",
    "disproportionate_burden": "",
    "assessment_method": "",
    "assessed_on": "2026-09-01",
    "prepared_on": "2026-09-02",
    "feedback_email": "tillganglighet@kommun.example",
    "feedback_phone": "",
}


@pytest.fixture
def in_english(client: Any, settings: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def url(municipality: Municipality, name: str) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality": municipality.slug})


PAGES = [
    ("settings", PortalSettings, SETTINGS_DATA),
    ("statement", AccessibilityStatement, STATEMENT_DATA),
]


@pytest.mark.parametrize(("name", "model", "data"), PAGES)
class TestPermissions:
    def test_the_it_coordinator_saves_and_the_change_is_logged(
        self, client: Any, in_english: Any, name: str, model: Any, data: dict[str, str]
    ) -> None:
        m = MunicipalityFactory()
        user = member(m, Role.IT_COORDINATOR)
        client.force_login(user)
        response = client.post(url(m, name), data, follow=True)
        assert response.status_code == 200
        assert any("saved" in str(msg) for msg in response.context["messages"])
        row = model.objects.get(municipality=m)
        entry = LogEntry.objects.get_for_object(row).get()
        assert entry.actor == user
        assert entry.action == LogEntry.Action.CREATE

    def test_a_reader_of_everything_sees_the_form_but_cannot_save(
        self, client: Any, name: str, model: Any, data: dict[str, str]
    ) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.AUDITOR))
        response = client.get(url(m, name))
        assert response.status_code == 200
        assert response.context["can_edit"] is False
        assert b"<fieldset disabled" in response.content
        assert b'type="submit" class="button button--primary"' not in response.content
        assert client.post(url(m, name), data).status_code == 403
        assert not model.objects.filter(municipality=m).exists()

    def test_a_member_who_does_not_read_everything_gets_404(
        self, client: Any, name: str, model: Any, data: dict[str, str]
    ) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m))
        assert client.get(url(m, name)).status_code == 404
        assert client.post(url(m, name), data).status_code == 404
        assert not model.objects.filter(municipality=m).exists()

    def test_another_municipality_gets_404(
        self, client: Any, name: str, model: Any, data: dict[str, str]
    ) -> None:
        m = MunicipalityFactory()
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(url(m, name)).status_code == 404
        assert client.post(url(m, name), data).status_code == 404
        assert not model.objects.filter(municipality=m).exists()

    def test_anonymous_is_sent_to_log_in(
        self, client: Any, name: str, model: Any, data: dict[str, str]
    ) -> None:
        m = MunicipalityFactory()
        response = client.get(url(m, name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert client.post(url(m, name), data).status_code == 302
        assert not model.objects.filter(municipality=m).exists()


class TestPortalSettingsPage:
    def test_saving_twice_changes_the_row_and_logs_the_change(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        client.post(url(m, "settings"), SETTINGS_DATA)
        client.post(url(m, "settings"), {**SETTINGS_DATA, "answer_target_days": "20"})
        row = PortalSettings.objects.get(municipality=m)
        assert row.is_published and row.answer_target_days == 20
        assert row.data_licence == DataLicence.CC_BY
        update = LogEntry.objects.get_for_object(row).get(action=LogEntry.Action.UPDATE)
        assert "answer_target_days" in update.changes_dict

    def test_the_page_shows_the_defaults_before_the_first_save(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        response = client.get(url(m, "settings"))
        assert response.context["form"]["answer_target_days"].value() == 14
        assert response.context["portal"].is_published is False

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"answer_target_days": "0"}, "answer_target_days", "greater than or equal to 1"),
            ({"answer_target_days": "365"}, "answer_target_days", "less than or equal to 90"),
            ({"contact_email": "not an address"}, "contact_email", "valid email"),
            ({"data_licence": "GPL"}, "data_licence", "Select a valid choice"),
            (
                {"contact_email": "", "contact_phone": ""},
                "contact_email",
                "Give a contact e-mail or phone before the portal is published.",
            ),
        ],
    )
    def test_bad_input_is_a_clear_error(
        self, client: Any, in_english: Any, change: dict[str, str], field: str, message: str
    ) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        response = client.post(url(m, "settings"), {**SETTINGS_DATA, **change})
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert b'class="error-summary"' in response.content
        assert not PortalSettings.objects.filter(municipality=m).exists()

    def test_withdrawing_needs_no_contact(self, client: Any) -> None:
        m = MunicipalityFactory()
        PortalSettingsFactory(municipality=m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        data = {**SETTINGS_DATA, "contact_email": "", "contact_phone": ""}
        del data["is_published"]
        assert client.post(url(m, "settings"), data).status_code == 302
        assert PortalSettings.objects.get(municipality=m).is_published is False

    def test_links_to_the_public_statement(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.AUDITOR))
        response = client.get(url(m, "settings"))
        public = reverse("public:accessibility", kwargs={"municipality": m.slug})
        assert f'href="{public}"'.encode() in response.content

    def test_queries_are_few(self, client: Any, django_assert_max_num_queries: Any) -> None:
        m = MunicipalityFactory()
        PortalSettingsFactory(municipality=m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        with django_assert_max_num_queries(12):
            assert client.get(url(m, "settings")).status_code == 200


class TestStatementPage:
    def test_saved_fields_and_a_link_to_the_public_page(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        assert client.post(url(m, "statement"), STATEMENT_DATA).status_code == 302
        row = AccessibilityStatement.objects.get(municipality=m)
        assert row.assessed_on == datetime.date(2026, 9, 1)
        assert row.feedback_email == "tillganglighet@kommun.example"
        response = client.get(url(m, "statement"))
        public = reverse("public:accessibility", kwargs={"municipality": m.slug})
        assert f'href="{public}"'.encode() in response.content
        assert response.context["form"]["shortcomings"].value() == "Kartan saknar textalternativ."

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"compliance": "mostly"}, "compliance", "Select a valid choice"),
            ({"assessed_on": "1 september"}, "assessed_on", "Enter a valid date"),
            ({"feedback_email": "nope"}, "feedback_email", "valid email"),
        ],
    )
    def test_bad_input_is_a_clear_error(
        self, client: Any, in_english: Any, change: dict[str, str], field: str, message: str
    ) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        response = client.post(url(m, "statement"), {**STATEMENT_DATA, **change})
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert not AccessibilityStatement.objects.filter(municipality=m).exists()

    def test_a_date_in_the_future_is_refused(self, client: Any, in_english: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = client.post(url(m, "statement"), {**STATEMENT_DATA, "prepared_on": tomorrow})
        assert response.status_code == 400
        assert response.context["form"].errors["prepared_on"] == [
            "The date cannot be in the future."
        ]
