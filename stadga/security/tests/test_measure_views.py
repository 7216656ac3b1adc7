"""The measures' pages through the generic matrix, plus who documents and follows up what:
system owners their own systems (P9.3, P9.5), the IT department the platform (P9.4)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from stadga.core.dates import add_months
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.security.models import FollowUp, Measure
from stadga.systems.models import System
from stadga.testing.factories import MunicipalityFactory, PersonFactory, SystemFactory, member
from stadga.testing.matrix import ViewMatrix

from .test_measures import make_measure, requirement


class TestMeasureViews(ViewMatrix):
    url_prefix = "security/measures"
    keeper_role = Role.IT_COORDINATOR
    reader_role = Role.AUDITOR
    member_sees = False  # measures follow their systems, which a member without a role does not see

    def model_class(self) -> Any:
        return Measure

    def make(self, municipality: Municipality, **kwargs: Any) -> Measure:
        return make_measure(municipality, SystemFactory(municipality=municipality), **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality)
        return {
            "system": system.pk,
            "title": "Säkerhetskopiering varje natt",
            "status": "implemented",
            "evidence": "Driftrapport från leverantören",
            "follow_up_months": "",
        }

    def edit_data(self, obj: Measure) -> dict[str, Any]:
        return {
            "system": obj.system_id or "",
            "title": "Ändrad åtgärd",
            "status": obj.status,
            "follow_up_months": obj.follow_up_months,
        }

    def edited_values(self) -> dict[str, Any]:
        return {"title": "Ändrad åtgärd"}

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "title": ""}


def url(municipality: Municipality, name: str, **kwargs: Any) -> str:
    return reverse(f"security:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def owner_of(system: System) -> Any:
    """A login for the system's named owner (P9.3)."""
    user = member(system.municipality)
    person = Person.objects.get(user=user)
    System.objects.filter(pk=system.pk).update(system_owner=person)
    system.refresh_from_db()
    return user


@pytest.mark.django_db
class TestSystemOwner:
    def test_documents_measures_of_own_system_only(self, client: Any) -> None:
        m = MunicipalityFactory()
        own, other = SystemFactory(municipality=m), SystemFactory(municipality=m)
        client.force_login(owner_of(own))
        page = client.get(url(m, "measure_create")).content.decode()
        assert own.name in page
        assert other.name not in page
        response = client.post(
            url(m, "measure_create"),
            {"system": own.pk, "title": "Loggning", "status": "implemented"},
        )
        assert response.status_code == 302
        assert Measure.objects.get(title="Loggning").system == own
        response = client.post(
            url(m, "measure_create"),
            {"system": other.pk, "title": "Smyg", "status": "implemented"},
        )
        assert response.status_code == 400
        assert not Measure.objects.filter(title="Smyg").exists()

    def test_may_not_document_platform_measures(self, client: Any) -> None:
        """P9.4: the platform's measures are the IT coordinator's."""
        m = MunicipalityFactory()
        own = SystemFactory(municipality=m)
        client.force_login(owner_of(own))
        response = client.post(
            url(m, "measure_create"), {"system": "", "title": "Brandvägg", "status": "implemented"}
        )
        assert response.status_code == 400
        assert not Measure.objects.exists()

    def test_records_follow_ups_on_own_systems_measures_but_not_others(self, client: Any) -> None:
        m = MunicipalityFactory()
        own, other = SystemFactory(municipality=m), SystemFactory(municipality=m)
        mine = make_measure(m, own, follow_up_months=1)
        theirs = make_measure(m, other)
        user = owner_of(own)
        client.force_login(user)
        detail = client.get(url(m, "measure_detail", pk=mine.pk)).content.decode()
        assert url(m, "followup_create", pk=mine.pk) in detail
        assert client.get(url(m, "followup_create", pk=mine.pk)).status_code == 200
        response = client.post(
            url(m, "followup_create", pk=mine.pk),
            {
                "performed_on": "2025-01-31",
                "effect": "effective",
                "checked": "Återläsning av ett ärende",
            },
        )
        assert response.status_code == 302
        follow_up = FollowUp.objects.get()
        assert follow_up.performed_by.user == user
        assert LogEntry.objects.get_for_object(follow_up).get().actor == user
        mine.refresh_from_db()
        assert mine.next_follow_up == datetime.date(2025, 2, 28)
        # Another system's measure: not even visible to this owner.
        data = {"performed_on": "2025-01-31", "effect": "effective", "checked": "X"}
        assert client.post(url(m, "followup_create", pk=theirs.pk), data).status_code == 404
        assert FollowUp.objects.count() == 1

    def test_a_reader_of_the_system_may_not_follow_up(self, client: Any) -> None:
        """A board member reads the board's systems' measures but does not keep them."""
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        measure = make_measure(m, system)
        client.force_login(member(m, Role.BOARD_MEMBER, board=system.board))
        assert client.get(url(m, "measure_detail", pk=measure.pk)).status_code == 200
        data = {"performed_on": "2025-01-31", "effect": "effective", "checked": "X"}
        assert client.post(url(m, "followup_create", pk=measure.pk), data).status_code == 403
        assert not FollowUp.objects.exists()

    def test_not_effective_without_action_is_refused_with_a_message(self, client: Any) -> None:
        m = MunicipalityFactory()
        own = SystemFactory(municipality=m)
        measure = make_measure(m, own)
        client.force_login(owner_of(own))
        before = LogEntry.objects.count()
        response = client.post(
            url(m, "followup_create", pk=measure.pk),
            {"performed_on": "2025-03-01", "effect": "not_effective", "checked": "Återläsning"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error-summary"' in page
        assert 'href="#id_action"' in page
        assert not FollowUp.objects.exists()
        assert LogEntry.objects.count() == before


@pytest.mark.django_db
class TestPlatformMeasures:
    def test_it_department_documents_them(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_TECHNICIAN))
        response = client.post(
            url(m, "measure_create"),
            {"system": "", "title": "Segmenterat nät", "status": "implemented"},
        )
        assert response.status_code == 302
        measure = Measure.objects.get()
        assert measure.is_platform
        assert measure.next_follow_up == add_months(timezone.localdate(), 12)

    def test_shown_in_their_own_section_to_those_who_read_everything(self, client: Any) -> None:
        m = MunicipalityFactory()
        platform = make_measure(m, None, title="Brandvägg mot internet")
        system_measure = make_measure(m, SystemFactory(municipality=m), title="Behörigheter")
        client.force_login(member(m, Role.AUDITOR))
        page = client.get(url(m, "measure_list")).content.decode()
        assert "Platform and data communication (P9.4)" in page or "P9.4" in page
        assert platform.get_absolute_url() in page
        assert system_measure.get_absolute_url() in page
        only = client.get(url(m, "measure_list") + "?scope=platform").content.decode()
        assert platform.get_absolute_url() in only
        assert system_measure.get_absolute_url() not in only

    def test_hidden_from_a_system_owner(self, client: Any) -> None:
        m = MunicipalityFactory()
        platform = make_measure(m, None, title="Brandvägg mot internet")
        client.force_login(owner_of(SystemFactory(municipality=m)))
        assert (
            platform.get_absolute_url() not in client.get(url(m, "measure_list")).content.decode()
        )
        assert client.get(url(m, "measure_detail", pk=platform.pk)).status_code == 404
        assert client.get(url(m, "followup_create", pk=platform.pk)).status_code == 404

    def test_an_auditor_reads_but_does_not_follow_up(self, client: Any) -> None:
        m = MunicipalityFactory()
        platform = make_measure(m, None)
        client.force_login(member(m, Role.AUDITOR))
        assert client.get(url(m, "measure_detail", pk=platform.pk)).status_code == 200
        assert client.get(url(m, "followup_create", pk=platform.pk)).status_code == 403
        assert client.get(url(m, "measure_edit", pk=platform.pk)).status_code == 403


@pytest.mark.django_db
class TestMeasurePages:
    def test_system_and_requirement_preselected(self, client: Any) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m, availability=3)
        rule = requirement("TK-7", text="Återläsning testas minst en gång om året.")
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(
            url(m, "measure_create") + f"?system={system.pk}&requirement={rule.pk}"
        ).content.decode()
        assert f'<option value="{system.pk}" selected>' in page
        assert f'<option value="{rule.pk}" selected>' in page
        assert "Återläsning testas minst en gång om året." in page
        # Nonsense in the query string is ignored, not a 500.
        assert (
            client.get(url(m, "measure_create") + "?system=x&requirement=99999").status_code == 200
        )

    def test_detail_shows_the_follow_up_history(self, client: Any) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m))
        FollowUp.objects.create(
            municipality=m,
            measure=measure,
            performed_on=datetime.date(2025, 4, 2),
            performed_by=PersonFactory(municipality=m, name="Karin Kontroll"),
            checked="Granskade behörighetslistan",
            effect="partly_effective",
            action="Rensa gamla konton",
        )
        client.force_login(member(m, Role.AUDITOR))
        page = client.get(url(m, "measure_detail", pk=measure.pk)).content.decode()
        for text in (
            "2025-04-02",
            "Karin Kontroll",
            "Granskade behörighetslistan",
            "Rensa gamla konton",
        ):
            assert text in page
        assert "Record a follow-up" not in page and "Registrera" not in page

    def test_overdue_filter(self, client: Any) -> None:
        m = MunicipalityFactory()
        system = SystemFactory(municipality=m)
        late = make_measure(
            m, system, title="Sen", next_follow_up=timezone.localdate() - datetime.timedelta(days=1)
        )
        on_time = make_measure(m, system, title="I tid")
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(url(m, "measure_list") + "?follow_up=overdue").content.decode()
        assert late.get_absolute_url() in page
        assert on_time.get_absolute_url() not in page

    def test_board_and_status_filters(self, client: Any) -> None:
        m = MunicipalityFactory()
        a, b = SystemFactory(municipality=m), SystemFactory(municipality=m)
        in_a = make_measure(m, a, status="partly")
        in_b = make_measure(m, b)
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(url(m, "measure_list") + f"?board={a.board_id}").content.decode()
        assert in_a.get_absolute_url() in page and in_b.get_absolute_url() not in page
        page = client.get(url(m, "measure_list") + "?status=partly").content.decode()
        assert in_a.get_absolute_url() in page and in_b.get_absolute_url() not in page

    def test_system_filter_offers_only_visible_systems(self, client: Any) -> None:
        m = MunicipalityFactory()
        own, other = SystemFactory(municipality=m), SystemFactory(municipality=m)
        make_measure(m, own)
        make_measure(m, other)
        client.force_login(owner_of(own))
        page = client.get(url(m, "measure_list")).content.decode()
        assert other.name not in page

    def test_evidence_file_is_kept_and_served_only_to_readers(
        self, client: Any, settings: Any, tmp_path: Any
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        m = MunicipalityFactory()
        own = SystemFactory(municipality=m)
        client.force_login(owner_of(own))
        evidence = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 testrapport", "application/pdf")
        response = client.post(
            url(m, "measure_create"),
            {
                "system": own.pk,
                "title": "Återläsning",
                "status": "implemented",
                "evidence_file": evidence,
            },
        )
        assert response.status_code == 302
        measure = Measure.objects.get()
        download = client.get(url(m, "measure_evidence", pk=measure.pk))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4 testrapport"  # type: ignore[attr-defined]
        edit = client.get(url(m, "measure_edit", pk=measure.pk)).content.decode()
        assert url(m, "measure_evidence", pk=measure.pk) in edit
        assert "/media/" not in edit
        client.force_login(member(m))
        assert client.get(url(m, "measure_evidence", pk=measure.pk)).status_code == 404
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(url(m, "measure_evidence", pk=measure.pk)).status_code == 404

    def test_follow_up_pages_of_another_municipality_are_404(self, client: Any) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m))
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        data = {"performed_on": "2025-01-31", "effect": "effective", "checked": "X"}
        assert client.get(url(m, "followup_create", pk=measure.pk)).status_code == 404
        assert client.post(url(m, "followup_create", pk=measure.pk), data).status_code == 404
        assert not FollowUp.objects.exists()

    def test_anonymous_follow_up_goes_to_login(self, client: Any) -> None:
        m = MunicipalityFactory()
        measure = make_measure(m, SystemFactory(municipality=m))
        response = client.post(url(m, "followup_create", pk=measure.pk), {})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_too_big_evidence_is_refused(
        self, client: Any, settings: Any, tmp_path: Any, monkeypatch: Any
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        monkeypatch.setattr("stadga.security.forms_measures.EVIDENCE_MAX_BYTES", 10)
        m = MunicipalityFactory()
        own = SystemFactory(municipality=m)
        client.force_login(owner_of(own))
        evidence = SimpleUploadedFile("stor.pdf", b"x" * 11, "application/pdf")
        data = {"system": own.pk, "title": "X", "status": "implemented", "evidence_file": evidence}
        response = client.post(url(m, "measure_create"), data)
        assert response.status_code == 400
        assert 'href="#id_evidence_file"' in response.content.decode()
        assert not Measure.objects.exists()
