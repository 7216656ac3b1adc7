"""The security API (P9) endpoint by endpoint: anonymous, a member without the role, the right
role, a reader, and another municipality (404, never listed); the notice and incident actions;
list query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.api.testing import DENIED_ANONYMOUS, ApiMatrix, api_url, client_for, ids, ui_url
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.choices import Effect, LegalBasis, NoticeStatus
from stadga.security.models import (
    FollowUp,
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    Requirement,
    RequirementCatalogue,
    SecuritySettings,
    ShortfallNotice,
)
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    member,
)

from .test_register import activity_values, make_activity, make_measure

pytestmark = [pytest.mark.django_db]


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def owner_of(system: System) -> Any:
    """A user who is the system's named system owner (P9.3)."""
    user = member(system.municipality)
    person = user.people.get()
    System.objects.filter(pk=system.pk).update(system_owner=person)
    system.refresh_from_db()
    return user


def assert_constant_queries(
    client: Any, url: str, make_rows: Callable[[int], None], rows: tuple[int, int] = (5, 40)
) -> None:
    counts = []
    made = 0
    for total in rows:
        make_rows(total - made)
        made = total
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(ids(response)) >= total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def make_information_type(municipality: Municipality, system: Any = None, **kwargs: Any) -> Any:
    system = system or SystemFactory(municipality=municipality)
    values = {"name": f"Ärenden {InformationType.objects.count()}", "confidentiality": 2, **kwargs}
    with disable_auditlog():
        return InformationType.objects.create(municipality=municipality, system=system, **values)


# --- information types (P9.1) --------------------------------------------------------------------


class TestInformationTypeApi(ApiMatrix):
    resource = "informationtype"
    member_sees = False  # they follow their system

    def model_class(self) -> Any:
        return InformationType

    def make(self, municipality: Municipality, **kwargs: Any) -> InformationType:
        return make_information_type(municipality, **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        system = SystemFactory(municipality=municipality)
        classifier = PersonFactory(municipality=municipality)
        for _ in range(count):
            make_information_type(municipality, system, classified_by=classifier)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "system": SystemFactory(municipality=municipality).pk,
            "name": "Personakter",
            "personal_data": True,
            "sensitive_personal_data": True,
            "confidentiality": 4,
            "integrity": 3,
            "availability": 2,
            "traceability": 3,
            "justification": "Sekretess enligt OSL 26 kap.",
        }

    def update_data(self, obj: InformationType) -> dict[str, Any]:
        return {"name": "Ändrat namn", "availability": 3}

    def test_classifying_sets_who_and_when_and_the_systems_levels(
        self, municipality: Municipality
    ) -> None:
        user = member(municipality, Role.IT_COORDINATOR)
        body = self.create_data(municipality)
        data = client_for(user).post(self.list_url(), body, format="json").json()
        assert data["classified_by"] == user.people.get().pk
        assert data["classified_on"] == timezone.localdate().isoformat()
        system = System.objects.get(pk=body["system"])
        assert (system.confidentiality, system.integrity) == (4, 3)

    def test_system_owner_classifies_own_system_only(self, municipality: Municipality) -> None:
        own, other = SystemFactory.create_batch(2, municipality=municipality)
        client = client_for(owner_of(own))
        body = {**self.create_data(municipality), "system": own.pk}
        assert client.post(self.list_url(), body, format="json").status_code == 201
        body = {**body, "name": "Annat", "system": other.pk}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "system" in response.json()

    def test_level_outside_the_scale_is_refused(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "confidentiality": 5}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "confidentiality" in response.json()


# --- requirement catalogues ----------------------------------------------------------------------


@pytest.fixture
def catalogue() -> RequirementCatalogue:
    stored = RequirementCatalogue.objects.create(key="test-krav", version="1", title="Testkrav")
    for order in range(1, 4):
        Requirement.objects.create(
            catalogue=stored,
            code=f"T-{order}",
            order=order,
            category="backup",
            aspect="availability",
            level=order,
            iso_control="8.13",
            text=f"Krav {order}",
        )
    return stored


class TestRequirementApi:
    def test_anonymous_is_refused(self, catalogue: RequirementCatalogue) -> None:
        client = client_for(None)
        for url in (
            api_url("requirementcatalogue-list"),
            api_url("requirementcatalogue-detail", catalogue.pk),
            api_url("requirement-list"),
        ):
            assert client.get(url).status_code in DENIED_ANONYMOUS

    def test_every_member_reads_the_shared_catalogues(
        self, catalogue: RequirementCatalogue
    ) -> None:
        """Shared by the installation: an employee of any municipality reads them."""
        client = client_for(member(MunicipalityFactory(), Role.EMPLOYEE))
        listing = client.get(api_url("requirementcatalogue-list")).json()
        row = next(r for r in listing["results"] if r["id"] == catalogue.pk)
        assert row["requirement_count"] == 3
        response = client.get(api_url("requirement-list", catalogue=catalogue.pk, level__gte=2))
        assert {r["code"] for r in response.json()["results"]} == {"T-2", "T-3"}
        requirement = catalogue.requirements.get(code="T-1")
        detail = client.get(api_url("requirement-detail", requirement.pk)).json()
        assert detail["iso_control"] == "8.13"
        assert detail["catalogue_key"] == "test-krav"

    def test_read_only(self, catalogue: RequirementCatalogue) -> None:
        client = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.post(api_url("requirement-list"), {}, format="json").status_code == 405
        url = api_url("requirementcatalogue-detail", catalogue.pk)
        assert client.patch(url, {"title": "x"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
        assert client.get(api_url("requirement-detail", 999999)).status_code == 404

    def test_list_query_count(self, catalogue: RequirementCatalogue) -> None:
        client = client_for(member(MunicipalityFactory(), Role.EMPLOYEE))

        def more(count: int) -> None:
            start = Requirement.objects.filter(catalogue=catalogue).count()
            for order in range(start + 1, start + count + 1):
                Requirement.objects.create(
                    catalogue=catalogue,
                    code=f"T-{order}",
                    order=order,
                    category="logging",
                    aspect="traceability",
                    level=1,
                    text="Krav",
                )

        assert_constant_queries(client, api_url("requirement-list", page_size=500), more)


# --- measures (P9.4, P9.5) -----------------------------------------------------------------------


class TestMeasureApi(ApiMatrix):
    resource = "measure"
    member_sees = False

    def model_class(self) -> Any:
        return Measure

    def make(self, municipality: Municipality, **kwargs: Any) -> Measure:
        with disable_auditlog():
            return make_measure(municipality, SystemFactory(municipality=municipality), **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        system = SystemFactory(municipality=municipality)
        responsible = PersonFactory(municipality=municipality)
        with disable_auditlog():
            for index in range(count):
                measure = make_measure(
                    municipality, system if index % 2 else None, responsible=responsible
                )
                FollowUp.objects.create(
                    municipality=municipality,
                    measure=measure,
                    performed_on=datetime.date(2025, 1, 1),
                    performed_by=responsible,
                    checked="Loggar",
                    effect=Effect.EFFECTIVE,
                )

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "system": SystemFactory(municipality=municipality).pk,
            "title": "Tvåfaktorsautentisering",
            "status": "implemented",
            "evidence": "Inställt i IdP",
            "responsible": PersonFactory(municipality=municipality).pk,
        }

    def update_data(self, obj: Measure) -> dict[str, Any]:
        return {"title": "Ändrad titel", "evidence": "Nytt underlag"}

    def test_follow_up_interval_and_schedule_come_from_the_service(
        self, municipality: Municipality
    ) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        data = client.post(self.list_url(), self.create_data(municipality), format="json").json()
        assert data["follow_up_months"] >= 1
        assert data["next_follow_up"] is not None
        assert data["last_follow_up_on"] is None

    def test_platform_measures_are_the_it_departments(self, municipality: Municipality) -> None:
        """P9.4: a system owner keeps their system's measures, not the platform's."""
        system = SystemFactory(municipality=municipality)
        platform = make_measure(municipality, None, title="Brandvägg")
        owner = client_for(owner_of(system))
        assert platform.pk not in ids(owner.get(self.list_url()))
        body = {**self.create_data(municipality), "system": None}
        response = owner.post(self.list_url(), body, format="json")
        assert response.status_code == 403
        own = {**self.create_data(municipality), "system": system.pk}
        assert owner.post(self.list_url(), own, format="json").status_code == 201
        coordinator = client_for(member(municipality, Role.IT_COORDINATOR))
        created = coordinator.post(self.list_url(), body, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["system"] is None
        auditor = client_for(member(municipality, Role.AUDITOR))
        assert platform.pk in ids(auditor.get(self.list_url(platform="true")))

    def test_planned_measure_needs_a_date(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "status": "planned"}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "planned_for" in response.json()


# --- follow-ups (P9.5) ---------------------------------------------------------------------------


class TestFollowUpApi:
    @pytest.fixture
    def measure(self) -> Measure:
        municipality = MunicipalityFactory()
        return make_measure(municipality, SystemFactory(municipality=municipality))

    def body(self, measure: Measure, **kwargs: Any) -> dict[str, Any]:
        return {
            "measure": measure.pk,
            "performed_on": timezone.localdate().isoformat(),
            "checked": "Stickprov av behörigheter",
            "effect": "effective",
            **kwargs,
        }

    def test_anonymous_is_refused(self, measure: Measure) -> None:
        client = client_for(None)
        assert client.get(api_url("followup-list")).status_code in DENIED_ANONYMOUS
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code in DENIED_ANONYMOUS
        assert not FollowUp.objects.exists()

    def test_keeper_records_and_the_next_is_scheduled(self, measure: Measure) -> None:
        user = member(measure.municipality, Role.IT_COORDINATOR)
        client = client_for(user)
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["performed_by"] == user.people.get().pk  # the writer, when left out
        assert data["municipality"] == measure.municipality.slug
        measure.refresh_from_db()
        assert data["measure_next_follow_up"] == measure.next_follow_up.isoformat()
        assert measure.next_follow_up > timezone.localdate()
        follow_up = FollowUp.objects.get()
        assert LogEntry.objects.get_for_object(follow_up).get().actor == user
        assert client.get(api_url("followup-detail", follow_up.pk)).json()["url"] == ui_url(
            follow_up
        )

    def test_system_owner_records_for_own_system(self, measure: Measure) -> None:
        client = client_for(owner_of(measure.system))
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code == 201, response.content

    def test_shortfall_needs_an_action(self, measure: Measure) -> None:
        client = client_for(member(measure.municipality, Role.IT_COORDINATOR))
        body = self.body(measure, effect="not_effective")
        response = client.post(api_url("followup-list"), body, format="json")
        assert response.status_code == 400
        assert "action" in response.json()

    def test_reader_reads_but_does_not_record(self, measure: Measure) -> None:
        follow_up = FollowUp.objects.create(
            municipality=measure.municipality,
            measure=measure,
            performed_on=datetime.date(2025, 5, 1),
            performed_by=PersonFactory(municipality=measure.municipality),
            checked="Loggar",
            effect=Effect.EFFECTIVE,
        )
        client = client_for(member(measure.municipality, Role.AUDITOR))
        assert follow_up.pk in ids(client.get(api_url("followup-list")))
        assert client.get(api_url("followup-detail", follow_up.pk)).status_code == 200
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code == 403
        assert FollowUp.objects.count() == 1

    def test_member_without_role(self, measure: Measure) -> None:
        client = client_for(member(measure.municipality, Role.EMPLOYEE))
        assert ids(client.get(api_url("followup-list"))) == set()
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code == 403
        assert client.post(api_url("followup-list"), {}, format="json").status_code == 403

    def test_other_municipality(self, measure: Measure) -> None:
        follow_up = FollowUp.objects.create(
            municipality=measure.municipality,
            measure=measure,
            performed_on=datetime.date(2025, 5, 1),
            performed_by=PersonFactory(municipality=measure.municipality),
            checked="Loggar",
            effect=Effect.EFFECTIVE,
        )
        client = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert follow_up.pk not in ids(client.get(api_url("followup-list")))
        assert client.get(api_url("followup-detail", follow_up.pk)).status_code == 404
        response = client.post(api_url("followup-list"), self.body(measure), format="json")
        assert response.status_code == 400  # the measure is unknown to them
        assert response.json()["measure"]
        assert FollowUp.objects.count() == 1

    def test_follow_ups_are_not_changed_or_deleted(self, measure: Measure) -> None:
        client = client_for(member(measure.municipality, Role.IT_COORDINATOR))
        created = client.post(api_url("followup-list"), self.body(measure), format="json").json()
        url = api_url("followup-detail", created["id"])
        assert client.patch(url, {"checked": "x"}, format="json").status_code == 405
        assert client.put(url, self.body(measure), format="json").status_code == 405
        assert client.delete(url).status_code == 405
        assert client.post(url + "archive/").status_code == 404

    def test_list_query_count(self, measure: Measure) -> None:
        client = client_for(member(measure.municipality, Role.IT_COORDINATOR))
        person = PersonFactory(municipality=measure.municipality)

        def more(count: int) -> None:
            for _ in range(count):
                other = make_measure(measure.municipality, measure.system)
                FollowUp.objects.create(
                    municipality=measure.municipality,
                    measure=other,
                    performed_on=datetime.date(2025, 5, 1),
                    performed_by=person,
                    checked="Loggar",
                    effect=Effect.EFFECTIVE,
                )

        assert_constant_queries(client, api_url("followup-list", page_size=500), more)


# --- shortfall notices (P9.6) --------------------------------------------------------------------


class TestShortfallNoticeApi:
    @pytest.fixture
    def municipality(self) -> Municipality:
        return MunicipalityFactory()

    @pytest.fixture
    def department(self, municipality: Municipality) -> Any:
        return DepartmentFactory(board=BoardFactory(municipality=municipality))

    def body(self, municipality: Municipality, department: Any, **kwargs: Any) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality, department=department)
        return {
            "municipality": municipality.slug,
            "title": "Ingen budget för reservkraft",
            "need": "UPS till serverrummet",
            "risk": "Avbrott vid strömavbrott",
            "estimated_cost": "45000.00",
            "department": department.pk,
            "systems": [system.pk],
            **kwargs,
        }

    def filed(self, municipality: Municipality, department: Any) -> ShortfallNotice:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        response = client.post(
            api_url("shortfallnotice-list"), self.body(municipality, department), format="json"
        )
        assert response.status_code == 201, response.content
        return ShortfallNotice.objects.get(pk=response.json()["id"])

    def test_anonymous_is_refused(self, municipality: Municipality, department: Any) -> None:
        notice = self.filed(municipality, department)
        client = client_for(None)
        assert client.get(api_url("shortfallnotice-list")).status_code in DENIED_ANONYMOUS
        assert client.get(api_url("shortfallnotice-detail", notice.pk)).status_code in (
            DENIED_ANONYMOUS
        )
        url = api_url("shortfallnotice-acknowledge", notice.pk)
        assert client.post(url).status_code in DENIED_ANONYMOUS

    def test_it_coordinator_files_and_the_writer_is_recorded(
        self, municipality: Municipality, department: Any
    ) -> None:
        user = member(municipality, Role.IT_COORDINATOR)
        body = self.body(municipality, department)
        response = client_for(user).post(api_url("shortfallnotice-list"), body, format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["written_by"] == user.people.get().pk
        assert data["status"] == NoticeStatus.OPEN
        assert data["estimated_cost"] == "45000.00"
        assert data["systems"] == body["systems"]
        notice = ShortfallNotice.objects.get(pk=data["id"])
        assert LogEntry.objects.get_for_object(notice).filter(actor=user).exists()

    def test_system_owner_files_for_own_system_only(
        self, municipality: Municipality, department: Any
    ) -> None:
        body = self.body(municipality, department)
        own = System.objects.get(pk=body["systems"][0])
        client = client_for(owner_of(own))
        assert client.post(api_url("shortfallnotice-list"), body, format="json").status_code == 201
        other = SystemFactory(municipality=municipality, department=department)
        # They do not read the other system: it is unknown to them.
        response = client.post(
            api_url("shortfallnotice-list"), {**body, "systems": [other.pk]}, format="json"
        )
        assert response.status_code == 400

    def test_member_without_role_and_reader_may_not_file(
        self, municipality: Municipality, department: Any
    ) -> None:
        notice = self.filed(municipality, department)
        employee = client_for(member(municipality, Role.EMPLOYEE))
        body = self.body(municipality, department)
        assert (
            employee.post(api_url("shortfallnotice-list"), body, format="json").status_code == 403
        )
        assert notice.pk not in ids(employee.get(api_url("shortfallnotice-list")))
        assert employee.get(api_url("shortfallnotice-detail", notice.pk)).status_code == 404
        auditor = client_for(member(municipality, Role.AUDITOR))
        assert notice.pk in ids(auditor.get(api_url("shortfallnotice-list")))
        assert auditor.post(api_url("shortfallnotice-list"), body, format="json").status_code == 403
        ack = auditor.post(api_url("shortfallnotice-acknowledge", notice.pk))
        assert ack.status_code == 403

    def test_other_municipality(self, municipality: Municipality, department: Any) -> None:
        notice = self.filed(municipality, department)
        client = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert notice.pk not in ids(client.get(api_url("shortfallnotice-list")))
        assert client.get(api_url("shortfallnotice-detail", notice.pk)).status_code == 404
        assert client.post(api_url("shortfallnotice-acknowledge", notice.pk)).status_code == 404
        decide = api_url("shortfallnotice-decide", notice.pk)
        assert client.post(decide, {"status": "funded"}, format="json").status_code == 404
        response = client.post(
            api_url("shortfallnotice-list"), self.body(municipality, department), format="json"
        )
        assert response.status_code == 400
        assert response.json()["municipality"] == [sv("Unknown municipality.")]
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN

    def test_department_head_acknowledges_and_decides(
        self, municipality: Municipality, department: Any
    ) -> None:
        notice = self.filed(municipality, department)
        head = member(municipality, Role.DEPARTMENT_HEAD, department=department)
        client = client_for(head)
        assert notice.pk in ids(client.get(api_url("shortfallnotice-list")))
        acknowledged = client.post(api_url("shortfallnotice-acknowledge", notice.pk))
        assert acknowledged.status_code == 200, acknowledged.content
        assert acknowledged.json()["status"] == NoticeStatus.ACKNOWLEDGED
        assert acknowledged.json()["acknowledged_by"] == head.people.get().pk
        again = client.post(api_url("shortfallnotice-acknowledge", notice.pk))
        assert again.status_code == 400
        decide = api_url("shortfallnotice-decide", notice.pk)
        no_reason = client.post(decide, {"status": "risk_accepted"}, format="json")
        assert no_reason.status_code == 400
        assert "decision_reason" in no_reason.json()
        assert client.post(decide, {"status": "open"}, format="json").status_code == 400
        decided = client.post(
            decide, {"status": "risk_accepted", "reason": "Ryms inte i år"}, format="json"
        )
        assert decided.status_code == 200, decided.content
        assert decided.json()["status"] == NoticeStatus.RISK_ACCEPTED
        assert decided.json()["decision_reason"] == "Ryms inte i år"
        final = client.post(decide, {"status": "funded"}, format="json")
        assert final.status_code == 400

    def test_writer_is_not_an_addressee(self, municipality: Municipality, department: Any) -> None:
        notice = self.filed(municipality, department)
        coordinator = client_for(member(municipality, Role.IT_COORDINATOR))
        response = coordinator.post(
            api_url("shortfallnotice-decide", notice.pk), {"status": "funded"}, format="json"
        )
        assert response.status_code == 403

    def test_notices_are_never_changed_or_deleted(
        self, municipality: Municipality, department: Any
    ) -> None:
        notice = self.filed(municipality, department)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        url = api_url("shortfallnotice-detail", notice.pk)
        assert client.patch(url, {"title": "x"}, format="json").status_code == 405
        assert client.put(url, {"title": "x"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
        assert client.post(url + "archive/").status_code == 404
        notice.refresh_from_db()
        assert notice.title == "Ingen budget för reservkraft"

    def test_list_query_count(self, municipality: Municipality, department: Any) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        writer = PersonFactory(municipality=municipality)
        system = SystemFactory(municipality=municipality, department=department)
        measure = make_measure(municipality, system)

        def more(count: int) -> None:
            for _ in range(count):
                notice = ShortfallNotice.objects.create(
                    municipality=municipality,
                    written_by=writer,
                    title="Behov",
                    need="Behov",
                    risk="Risk",
                    department=department,
                    board=department.board,
                    acknowledged_by=writer,
                    decided_by=writer,
                )
                notice.systems.add(system)
                notice.measures.add(measure)

        assert_constant_queries(client, api_url("shortfallnotice-list", page_size=500), more)


# --- incidents -----------------------------------------------------------------------------------


class TestIncidentApi:
    @pytest.fixture
    def municipality(self) -> Municipality:
        return MunicipalityFactory()

    def body(self, municipality: Municipality, **kwargs: Any) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality)
        return {
            "municipality": municipality.slug,
            "title": "Nätfiske mot ekonomi",
            "description": "Inloggningsuppgifter röjda",
            "discovered_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
            "significant": True,
            "systems": [system.pk],
            **kwargs,
        }

    def reported(self, municipality: Municipality, **kwargs: Any) -> Incident:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        response = client.post(
            api_url("incident-list"), self.body(municipality, **kwargs), format="json"
        )
        assert response.status_code == 201, response.content
        return Incident.objects.get(pk=response.json()["id"])

    def test_anonymous_is_refused(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(None)
        assert client.get(api_url("incident-list")).status_code in DENIED_ANONYMOUS
        url = api_url("incident-detail", incident.pk)
        assert client.patch(url, {"title": "x"}, format="json").status_code in DENIED_ANONYMOUS
        assert client.post(api_url("incident-close", incident.pk)).status_code in (DENIED_ANONYMOUS)

    def test_it_coordinator_reports_and_sees_the_deadlines(
        self, municipality: Municipality
    ) -> None:
        user = member(municipality, Role.IT_COORDINATOR)
        response = client_for(user).post(
            api_url("incident-list"), self.body(municipality), format="json"
        )
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["reported_by"] == user.people.get().pk
        assert [d["report"] for d in data["deadlines"]] == [
            "early_warning",
            "notification",
            "final_report",
        ]
        assert not any(d["overdue"] for d in data["deadlines"])
        plain = client_for(user).post(
            api_url("incident-list"), self.body(municipality, significant=False), format="json"
        )
        assert plain.json()["deadlines"] == []

    def test_member_without_role(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(member(municipality, Role.EMPLOYEE))
        assert incident.pk not in ids(client.get(api_url("incident-list")))
        assert client.get(api_url("incident-detail", incident.pk)).status_code == 404
        response = client.post(api_url("incident-list"), self.body(municipality), format="json")
        assert response.status_code == 403
        bare = {"municipality": municipality.slug}
        assert client.post(api_url("incident-list"), bare, format="json").status_code == 403
        patch = client.patch(api_url("incident-detail", incident.pk), {"title": "x"}, format="json")
        assert patch.status_code == 404

    def test_reader_reads_but_does_not_write(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(member(municipality, Role.AUDITOR))
        assert incident.pk in ids(client.get(api_url("incident-list")))
        detail = client.get(api_url("incident-detail", incident.pk)).json()
        assert detail["url"] == ui_url(incident)
        response = client.post(api_url("incident-list"), self.body(municipality), format="json")
        assert response.status_code == 403
        url = api_url("incident-detail", incident.pk)
        assert client.patch(url, {"title": "x"}, format="json").status_code == 403
        sent = {"report": "early_warning", "at": timezone.now().isoformat()}
        mark = client.post(api_url("incident-mark-sent", incident.pk), sent, format="json")
        assert mark.status_code == 403
        assert client.post(api_url("incident-close", incident.pk)).status_code == 403

    def test_other_municipality(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert incident.pk not in ids(client.get(api_url("incident-list")))
        assert client.get(api_url("incident-detail", incident.pk)).status_code == 404
        url = api_url("incident-detail", incident.pk)
        assert client.patch(url, {"title": "x"}, format="json").status_code == 404
        assert client.post(api_url("incident-close", incident.pk)).status_code == 404
        response = client.post(api_url("incident-list"), self.body(municipality), format="json")
        assert response.status_code == 400
        assert response.json()["municipality"] == [sv("Unknown municipality.")]

    def test_reports_sent_then_closed(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        close = api_url("incident-close", incident.pk)
        refused = client.post(close)
        assert refused.status_code == 400  # the three reports are not recorded yet
        for report in ("early_warning", "notification", "final_report"):
            body = {"report": report, "at": timezone.now().isoformat()}
            response = client.post(api_url("incident-mark-sent", incident.pk), body, format="json")
            assert response.status_code == 200, response.content
        future = {"report": "final_report", "at": (timezone.now() + datetime.timedelta(days=1))}
        late = client.post(api_url("incident-mark-sent", incident.pk), future, format="json")
        assert late.status_code == 400
        closed = client.post(close)
        assert closed.status_code == 200, closed.content
        assert closed.json()["closed_at"] is not None
        assert client.post(close).status_code == 400

    def test_system_owner_update_keeps_systems_they_cannot_see(
        self, municipality: Municipality
    ) -> None:
        own, hidden = SystemFactory.create_batch(2, municipality=municipality)
        incident = self.reported(municipality, systems=[own.pk, hidden.pk])
        client = client_for(owner_of(own))
        url = api_url("incident-detail", incident.pk)
        response = client.patch(url, {"systems": [own.pk], "title": "Nytt"}, format="json")
        assert response.status_code == 200, response.content
        assert set(incident.systems.values_list("pk", flat=True)) == {own.pk, hidden.pk}

    def test_incidents_are_never_archived_or_deleted(self, municipality: Municipality) -> None:
        incident = self.reported(municipality)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        url = api_url("incident-detail", incident.pk)
        assert client.delete(url).status_code == 405
        assert client.post(url + "archive/").status_code == 404

    def test_list_query_count(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        system = SystemFactory(municipality=municipality)
        information_type = make_information_type(municipality, system)
        measure = make_measure(municipality, system)
        reporter = PersonFactory(municipality=municipality)

        def more(count: int) -> None:
            for _ in range(count):
                incident = Incident.objects.create(
                    municipality=municipality,
                    title="Incident",
                    description="Beskrivning",
                    discovered_at=timezone.now(),
                    significant=True,
                    reported_by=reporter,
                )
                incident.systems.add(system)
                incident.information_types.add(information_type)
                incident.measures.add(measure)

        assert_constant_queries(client, api_url("incident-list", page_size=500), more)


# --- the register of processing activities (GDPR art. 30, P9.2) -----------------------------------


class TestProcessingActivityApi(ApiMatrix):
    resource = "processingactivity"
    member_sees = False  # P9.2: the board's members, its department heads, those who read all

    def model_class(self) -> Any:
        return ProcessingActivity

    def make(self, municipality: Municipality, **kwargs: Any) -> ProcessingActivity:
        return make_activity(municipality, **kwargs)

    def make_many(self, municipality: Municipality, count: int) -> None:
        board = BoardFactory(municipality=municipality)
        system = SystemFactory(municipality=municipality, board=board)
        measures = (make_measure(municipality, system), make_measure(municipality, None))
        for _ in range(count):
            make_activity(municipality, board=board, systems=(system,), measures=measures)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        system = SystemFactory(municipality=municipality)
        measure = make_measure(municipality, system)
        return {
            **activity_values(),
            "municipality": municipality.slug,
            "board": system.board_id,
            "systems": [system.pk],
            "security_measures": [measure.pk],
        }

    def update_data(self, obj: ProcessingActivity) -> dict[str, Any]:
        return {"name": "Ändrat namn", "recipients": "Skatteverket"}

    def test_keeper_creates(self, municipality: Municipality) -> None:
        """The matrix's check, plus the links (each its own change-log entry)."""
        user = member(municipality, Role.IT_COORDINATOR)
        body = self.create_data(municipality)
        response = client_for(user).post(self.list_url(), body, format="json")
        assert response.status_code == 201, response.content.decode()
        data = response.json()
        self.assert_matches(data, body)
        created = ProcessingActivity.objects.get(pk=data["id"])
        assert created.municipality == municipality
        entries = LogEntry.objects.get_for_object(created)
        assert entries.filter(action=LogEntry.Action.CREATE).get().actor == user
        assert {e.actor for e in entries} == {user}

    def test_board_member_reads_own_board_only(self, municipality: Municipality) -> None:
        own, other = make_activity(municipality), make_activity(municipality)
        client = client_for(member(municipality, Role.BOARD_MEMBER, board=own.board))
        assert ids(client.get(self.list_url())) == {own.pk}
        assert client.get(self.detail_url(other)).status_code == 404
        response = client.patch(self.detail_url(own), {"name": "x"}, format="json")
        assert response.status_code == 403

    def test_department_head_keeps_own_boards_entries(self, municipality: Municipality) -> None:
        department = DepartmentFactory(board=BoardFactory(municipality=municipality))
        other_board = BoardFactory(municipality=municipality)
        client = client_for(member(municipality, Role.DEPARTMENT_HEAD, department=department))
        body = {
            **activity_values(),
            "municipality": municipality.slug,
            "board": department.board_id,
        }
        assert client.post(self.list_url(), body, format="json").status_code == 201
        refused = client.post(self.list_url(), {**body, "board": other_board.pk}, format="json")
        assert refused.status_code == 400
        assert "board" in refused.json()

    def test_links_the_writer_cannot_see_are_kept(self, municipality: Municipality) -> None:
        board = BoardFactory(municipality=municipality)
        mine, theirs = DepartmentFactory.create_batch(2, board=board)
        seen = SystemFactory(municipality=municipality, board=board, department=mine)
        unseen = SystemFactory(municipality=municipality, board=board, department=theirs)
        activity = make_activity(municipality, board=board, systems=(seen, unseen))
        client = client_for(member(municipality, Role.DEPARTMENT_HEAD, department=mine))
        assert client.get(self.detail_url(activity)).json()["systems"] == sorted(
            [seen.pk, unseen.pk]
        )
        response = client.patch(self.detail_url(activity), {"systems": []}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["systems"] == [unseen.pk]

    def test_measure_of_an_unused_system_is_refused(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = self.create_data(municipality)
        body["systems"] = []
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "security_measures" in response.json()

    def test_filters(self, municipality: Municipality) -> None:
        sensitive = make_activity(municipality, legal_basis=LegalBasis.CONSENT)
        plain = make_activity(municipality, sensitive_data=False, dpia_done=False)
        system = SystemFactory(municipality=municipality, board=plain.board)
        plain.systems.add(system)
        client = client_for(member(municipality, Role.AUDITOR))
        assert ids(client.get(self.list_url(sensitive_data="false"))) == {plain.pk}
        assert ids(client.get(self.list_url(legal_basis="consent"))) == {sensitive.pk}
        assert ids(client.get(self.list_url(system=system.pk))) == {plain.pk}
        assert ids(client.get(self.list_url(board=sensitive.board_id))) == {sensitive.pk}


# --- settings ------------------------------------------------------------------------------------


class TestSecuritySettingsApi:
    @pytest.fixture
    def municipality(self) -> Municipality:
        return MunicipalityFactory()

    def url(self, municipality: Municipality) -> str:
        return api_url("securitysettings-detail", municipality.slug)

    def test_anonymous_is_refused(self, municipality: Municipality) -> None:
        client = client_for(None)
        assert client.get(self.url(municipality)).status_code in DENIED_ANONYMOUS
        body = {"shortfall_escalation_days": 3}
        assert client.patch(self.url(municipality), body, format="json").status_code in (
            DENIED_ANONYMOUS
        )

    def test_every_member_reads_the_defaults_without_writing(
        self, municipality: Municipality
    ) -> None:
        client = client_for(member(municipality, Role.EMPLOYEE))
        data = client.get(self.url(municipality)).json()
        assert data["municipality"] == municipality.slug
        assert data["classification_review_months"] == 12
        assert data["follow_up_months"] == {"1": 24, "2": 12, "3": 6, "4": 3}
        assert not SecuritySettings.objects.exists()
        listing = client.get(api_url("securitysettings-list")).json()
        assert [row["municipality"] for row in listing["results"]] == [municipality.slug]

    @pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.IT_TECHNICIAN, Role.AUDITOR])
    def test_only_the_it_coordinator_changes_them(
        self, municipality: Municipality, role: str
    ) -> None:
        client = client_for(member(municipality, role))
        body = {"shortfall_escalation_days": 3}
        assert client.patch(self.url(municipality), body, format="json").status_code == 403
        assert not SecuritySettings.objects.exists()

    def test_it_coordinator_changes_them(self, municipality: Municipality) -> None:
        user = member(municipality, Role.IT_COORDINATOR)
        client = client_for(user)
        body = {"shortfall_escalation_days": 7, "follow_up_months": {"4": 2}}
        response = client.patch(self.url(municipality), body, format="json")
        assert response.status_code == 200, response.content
        stored = SecuritySettings.objects.get(municipality=municipality)
        assert stored.shortfall_escalation_days == 7
        assert stored.follow_up_months["4"] == 2
        assert response.json()["shortfall_escalation_days"] == 7
        assert LogEntry.objects.get_for_object(stored).filter(actor=user).exists()
        wrong = client.patch(self.url(municipality), {"follow_up_months": {"9": 1}}, format="json")
        assert wrong.status_code == 400
        zero = client.patch(self.url(municipality), {"shortfall_escalation_days": 0}, format="json")
        assert zero.status_code == 400

    def test_other_municipality_is_404(self, municipality: Municipality) -> None:
        client = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(municipality)).status_code == 404
        body = {"shortfall_escalation_days": 3}
        assert client.patch(self.url(municipality), body, format="json").status_code == 404
        assert municipality.slug not in {
            row["municipality"]
            for row in client.get(api_url("securitysettings-list")).json()["results"]
        }

    def test_list_query_count(self, municipality: Municipality) -> None:
        user = member(municipality, Role.IT_COORDINATOR)
        client = client_for(user)
        counts = []
        for extra in (1, 6):
            while len(user.people.all()) < extra + 1:
                other = MunicipalityFactory()
                RoleAssignmentFactory(
                    person=PersonFactory(municipality=other, user=user), role=Role.EMPLOYEE
                )
            with CaptureQueriesContext(connection) as queries:
                response = client.get(api_url("securitysettings-list"))
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
