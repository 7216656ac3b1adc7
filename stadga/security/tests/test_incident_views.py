"""The incident register's pages through the generic matrix (no archive: an incident is a
record), who reports and edits, and recording the reports sent and closing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.models import Incident
from stadga.security.services_incidents import incident_deadlines
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member
from stadga.testing.matrix import ViewMatrix

from .test_incidents import Place
from .test_notices import person

pytestmark = pytest.mark.django_db

PREFIX = "security/incidents"
FORMAT = "%Y-%m-%dT%H:%M"


def make_incident(municipality: Municipality, **kwargs: Any) -> Incident:
    """Test data straight into the database (the matrix expects a fresh change log)."""
    system = kwargs.pop("system", None) or SystemFactory(municipality=municipality)
    values = {
        "title": "Obehörig inloggning",
        "description": "Upptäckt i loggarna.",
        "discovered_at": timezone.now() - datetime.timedelta(hours=3),
        **kwargs,
    }
    incident = Incident.objects.create(municipality=municipality, **values)
    with disable_auditlog():
        incident.systems.add(system)
    return incident


def local_text(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime(FORMAT)


class TestIncidentViews(ViewMatrix):
    url_prefix = PREFIX
    member_sees = False  # the IT department, readers of everything, readers of the system

    def model_class(self) -> Any:
        return Incident

    def make(self, municipality: Municipality, **kwargs: Any) -> Incident:
        return make_incident(municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        # Without systems: each linked list is a change-log entry of its own, and the matrix
        # expects the creation's alone (systems: TestWhoReports).
        return {
            "title": "Skadlig kod på en klient",
            "description": "Antivirus larmade.",
            "discovered_at": local_text(timezone.now() - datetime.timedelta(hours=1)),
            "significant": "on",
        }

    def edit_data(self, obj: Incident) -> dict[str, Any]:
        return {
            "title": "Ändrad titel",
            "description": obj.description,
            "discovered_at": local_text(obj.discovered_at),
            "systems": [s.pk for s in obj.systems.all()],
            "lessons_learned": "Vi lärde oss.",
        }

    def edited_values(self) -> dict[str, Any]:
        return {"title": "Ändrad titel", "lessons_learned": "Vi lärde oss."}

    def invalid_data(self, obj: Incident) -> dict[str, Any]:
        return {**self.edit_data(obj), "title": ""}

    def test_keeper_archives_and_restores_nothing_is_deleted(self, client: Any, obj: Any) -> None:
        """Replaces the matrix's: an incident is a record, closed but never archived."""
        m = obj.municipality
        client.force_login(member(m, self.keeper_role))
        page = client.get(self.url(m, pk=obj.pk)).content.decode()
        assert self.url(m, "archive", obj.pk) not in page
        assert client.get(self.url(m, "archive", obj.pk)).status_code == 403
        assert client.post(self.url(m, "archive", obj.pk)).status_code == 403
        assert client.post(self.url(m, "restore", obj.pk)).status_code == 403
        obj.refresh_from_db()
        assert not obj.is_archived
        with pytest.raises(PermissionError):
            obj.delete()


def test_url_names() -> None:
    m = MunicipalityFactory()
    incident = make_incident(m)
    base = f"/k/{m.slug}/{PREFIX}/"
    assert reverse("security:incident_list", kwargs={"municipality": m.slug}) == base
    assert reverse("security:incident_create", kwargs={"municipality": m.slug}) == base + "new/"
    assert incident.get_absolute_url() == base + f"{incident.pk}/"


class TestWhoReports:
    def test_the_system_owner_reports_for_their_system(self, client: Any) -> None:
        p = Place()
        client.force_login(p.owner)
        url = f"/k/{p.municipality.slug}/{PREFIX}/new/"
        page = client.get(url).content.decode()
        assert p.system.name in page
        data = {
            "title": "Lösenord läckt",
            "description": "Ett lösenord delades.",
            "discovered_at": local_text(timezone.now()),
            "systems": [p.system.pk],
        }
        response = client.post(url, {**data, "systems": [p.other_system.pk]})
        assert response.status_code == 400  # not their system (and not a choice they see)
        response = client.post(url, data)
        assert response.status_code == 302
        incident = Incident.objects.get()
        assert incident.reported_by == person(p.owner)
        # The owner of the affected system sees and edits it; the reporter sees it too.
        assert client.get(incident.get_absolute_url()).status_code == 200
        assert client.get(incident.get_absolute_url() + "edit/").status_code == 200

    def test_a_member_without_a_system_does_not_report(self, client: Any) -> None:
        p = Place()
        client.force_login(p.stranger)
        assert client.get(f"/k/{p.municipality.slug}/{PREFIX}/new/").status_code == 403
        listing = client.get(f"/k/{p.municipality.slug}/{PREFIX}/").content.decode()
        assert "Report an incident" not in listing

    def test_readers_of_the_system_read_the_incident(self, client: Any) -> None:
        p = Place()
        incident = make_incident(p.municipality, system=p.system)
        board_member = member(p.municipality, Role.BOARD_MEMBER, board=p.system.board)
        client.force_login(board_member)
        assert client.get(incident.get_absolute_url()).status_code == 200
        assert client.get(incident.get_absolute_url() + "edit/").status_code == 403
        other = make_incident(p.municipality)
        assert client.get(other.get_absolute_url()).status_code == 404
        listing = client.get(f"/k/{p.municipality.slug}/{PREFIX}/").content.decode()
        assert incident.get_absolute_url() in listing
        assert other.get_absolute_url() not in listing

    def test_an_incident_of_two_systems_is_listed_once(self, client: Any) -> None:
        p = Place()
        incident = make_incident(p.municipality, system=p.system)
        with disable_auditlog():
            incident.systems.add(p.other_system)
        client.force_login(p.owner)
        listing = client.get(f"/k/{p.municipality.slug}/{PREFIX}/").content.decode()
        assert listing.count(f'href="{incident.get_absolute_url()}"') == 1


class TestReportsSentAndClosing:
    def setup(self, client: Any, **kwargs: Any) -> tuple[Place, Incident, str]:
        p = Place()
        discovered = timezone.now() - datetime.timedelta(days=3)
        values = {"significant": True, "discovered_at": discovered, **kwargs}
        incident = make_incident(p.municipality, system=p.system, **values)
        client.force_login(p.owner)
        return p, incident, incident.get_absolute_url()

    def test_the_deadlines_on_the_page(self, client: Any) -> None:
        _p, incident, url = self.setup(client)
        page = client.get(url).content.decode()
        assert "Early warning" in page or "Tidig varning" in page
        for deadline in incident_deadlines(incident):
            due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
            assert due in page
        assert page.count("overdue") + page.count("försenad") >= 2  # 24 and 72 hours passed
        assert url + "sent/early_warning/" in page

    def test_record_sent_and_close(self, client: Any) -> None:
        p, incident, url = self.setup(client)
        sent = incident.discovered_at + datetime.timedelta(hours=5)
        response = client.post(url + "sent/early_warning/", {"early_warning-at": local_text(sent)})
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.early_warning_sent_at == sent.replace(second=0, microsecond=0)

        # Closing before the reports are recorded is refused in words.
        response = client.post(url + "close/")
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
        for which in ("notification", "final_report"):
            client.post(url + f"sent/{which}/", {f"{which}-at": local_text(timezone.now())})
        assert client.post(url + "close/").status_code == 302
        incident.refresh_from_db()
        assert incident.closed_at is not None
        entries = LogEntry.objects.get_for_object(incident).filter(actor=p.owner)
        assert entries.count() == 4

    def test_a_time_before_the_discovery_is_refused(self, client: Any) -> None:
        _p, incident, url = self.setup(client)
        before = incident.discovered_at - datetime.timedelta(hours=1)
        response = client.post(url + "sent/notification/", {"notification-at": local_text(before)})
        assert response.status_code == 400
        body = response.content.decode()
        assert 'class="error-summary"' in body and 'href="#id_notification-at"' in body
        response = client.post(url + "sent/notification/", {"notification-at": "igår"})
        assert response.status_code == 400
        assert client.post(url + "sent/press_release/", {}).status_code == 404
        incident.refresh_from_db()
        assert incident.notification_sent_at is None

    def test_only_those_who_edit_record(self, client: Any) -> None:
        p, incident, url = self.setup(client)
        for user, status in (
            (p.stranger, 404),
            (member(p.municipality, Role.AUDITOR), 403),
            (member(MunicipalityFactory(), Role.IT_COORDINATOR), 404),
        ):
            client.force_login(user)
            data = {"early_warning-at": local_text(timezone.now())}
            assert client.post(url + "sent/early_warning/", data).status_code == status
            assert client.post(url + "close/").status_code == status
        incident.refresh_from_db()
        assert incident.early_warning_sent_at is None and incident.closed_at is None

    def test_a_closed_incident_offers_no_close(self, client: Any) -> None:
        _p, _incident, url = self.setup(client, significant=False)
        assert client.post(url + "close/").status_code == 302
        page = client.get(url).content.decode()
        assert url + "close/" not in page
        assert client.post(url + "close/").status_code == 400
