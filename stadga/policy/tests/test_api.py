"""The policy API: libraries and clauses (every signed-in user), adoptions (the generic matrix:
members read, the IT coordinator records), the live evaluation and its snapshots (those who read
everything in the municipality; anyone else, and any other municipality, a 404)."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stadga.api.testing import DENIED_ANONYMOUS, ApiMatrix, api_url, client_for, ids
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.models import PolicyAdoption
from stadga.policy.services_snapshots import snapshot_take
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
    UserFactory,
    member,
)
from stadga.testing.policy import adopted_policy, policy_adopt_for_test, policy_build

pytestmark = pytest.mark.django_db

CLAUSES = {
    "P1.1": [],
    "P3.2": ["organisation.it_coordinator_named"],
    "P9.1": ["systems.classified"],
    "P9.3": ["systems.owner_named"],
}
READERS = (Role.IT_COORDINATOR, Role.IT_TECHNICIAN, Role.EXECUTIVE_BOARD_READER, Role.AUDITOR)


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def archive(obj: Any) -> Any:
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def outsider() -> Any:
    """The IT coordinator of another municipality: all-powerful there, nobody here."""
    return member(MunicipalityFactory(), Role.IT_COORDINATOR)


# --- policies and clauses ------------------------------------------------------------------------


class TestLibrary:
    def test_anonymous_is_refused(self) -> None:
        policy = policy_build(CLAUSES)
        client = client_for(None)
        for url in (
            api_url("policy-list"),
            api_url("policy-detail", policy.pk),
            api_url("clause-list"),
            api_url("clause-detail", policy.clauses.first().pk),  # type: ignore[union-attr]
        ):
            assert client.get(url).status_code in DENIED_ANONYMOUS, url

    def test_every_signed_in_user_reads_the_libraries(self, municipality: Any) -> None:
        """Libraries are shared by the installation; even a user of no municipality reads them."""
        policy = policy_build(CLAUSES, key="karlsborg")
        for user in (member(municipality, Role.EMPLOYEE), UserFactory()):
            client = client_for(user)
            assert policy.pk in ids(client.get(api_url("policy-list")))
            detail = client.get(api_url("policy-detail", policy.pk)).json()
            assert detail["key"] == "karlsborg"
            assert detail["clause_count"] == len(CLAUSES)

    def test_clauses_of_a_policy_with_their_rules(self, municipality: Any) -> None:
        policy = policy_build(CLAUSES, attested=["P1.1"], roles={"P9.3": Role.SYSTEM_OWNER})
        other = policy_build({"P7.1": []})
        client = client_for(member(municipality))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the user chose English
        response = client.get(api_url("clause-list", policy=policy.pk))
        rows = response.json()["results"]
        assert [row["clause_id"] for row in rows] == list(CLAUSES)
        p93 = rows[3]
        assert p93["responsible_role"] == "system_owner"
        assert p93["rule_ids"] == ["systems.owner_named"]
        assert p93["rules"] == [
            {
                "id": "systems.owner_named",
                "title": "Every system in production or phase-out has a named system owner",
            }
        ]
        assert rows[0]["attestation_required"] is True
        assert other.clauses.get().pk not in {row["id"] for row in rows}
        detail = client.get(api_url("clause-detail", p93["id"]))
        assert detail.json()["policy"] == policy.pk

    def test_the_libraries_are_read_only(self, municipality: Any) -> None:
        policy = policy_build(CLAUSES)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        assert client.post(api_url("policy-list"), {"key": "x"}, format="json").status_code == 405
        assert client.patch(api_url("policy-detail", policy.pk), {}).status_code == 405
        assert client.delete(api_url("policy-detail", policy.pk)).status_code == 405
        assert client.post(api_url("clause-list"), {}, format="json").status_code == 405

    def test_unknown_ids_are_404(self, municipality: Any) -> None:
        client = client_for(member(municipality))
        assert client.get(api_url("policy-detail", 999999)).status_code == 404
        assert client.get(api_url("clause-detail", 999999)).status_code == 404

    @pytest.mark.parametrize("resource", ["policy", "clause"])
    def test_list_query_count_does_not_grow(self, municipality: Any, resource: str) -> None:
        client = client_for(member(municipality))
        counts = []
        for batches in (2, 20):
            while len(ids(client.get(api_url("policy-list", page_size=500)))) < batches:
                policy_build(CLAUSES)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(api_url(f"{resource}-list", page_size=500))
            assert len(ids(response)) >= batches
            counts.append(len(queries))
        assert counts[0] == counts[1], counts


# --- adoptions: the generic matrix ---------------------------------------------------------------


class TestPolicyAdoptionApi(ApiMatrix):
    resource = "policyadoption"
    member_sees = True  # every member reads what the council decided

    def model_class(self) -> Any:
        return PolicyAdoption

    def make(self, municipality: Municipality, **kwargs: Any) -> PolicyAdoption:
        return policy_adopt_for_test(municipality, policy_build({"P9.3": ["systems.owner_named"]}))

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        policy = policy_build(CLAUSES)
        return {
            "municipality": municipality.slug,
            "policy": policy.pk,
            "adopted_on": "2007-01-15",
            "decision_reference": "KF 2007-01-15 § 4",
        }

    def update_data(self, obj: PolicyAdoption) -> dict[str, Any]:
        return {"decision_reference": "KF 2006-09-25 § 112"}

    def test_detail_names_the_policy(self, municipality: Municipality) -> None:
        adoption = self.make(municipality)
        client = client_for(member(municipality))
        data = client.get(self.detail_url(adoption)).json()
        assert data["policy"] == adoption.policy_id
        assert data["policy_key"] == adoption.policy.key
        assert data["policy_version"] == adoption.policy.version
        assert data["url"] == f"http://testserver/k/{municipality.slug}/policy/"

    def test_adopting_before_the_text_was_adopted_is_refused(
        self, municipality: Municipality
    ) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = {**self.create_data(municipality), "adopted_on": "2001-01-01"}
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        assert "adopted_on" in response.json()
        adoption = self.make(municipality)
        update = client.patch(
            self.detail_url(adoption), {"adopted_on": "2001-01-01"}, format="json"
        )
        assert update.status_code == 400
        assert "adopted_on" in update.json()

    def test_adopting_the_same_version_twice_is_refused(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        body = self.create_data(municipality)
        assert client.post(self.list_url(), body, format="json").status_code == 201
        again = client.post(self.list_url(), body, format="json")
        assert again.status_code == 400
        assert "policy" in again.json()

    def test_the_policy_cannot_be_swapped_by_an_update(self, municipality: Municipality) -> None:
        adoption = self.make(municipality)
        other = policy_build(CLAUSES)
        client = client_for(member(municipality, Role.IT_COORDINATOR))
        response = client.patch(self.detail_url(adoption), {"policy": other.pk}, format="json")
        assert response.status_code == 200
        assert PolicyAdoption.objects.get(pk=adoption.pk).policy_id == adoption.policy_id


# --- the live evaluation -------------------------------------------------------------------------


def compliance_url(municipality: Municipality | str, **query: Any) -> str:
    slug = municipality if isinstance(municipality, str) else municipality.slug
    return api_url("compliance-list", municipality=slug, **query)


@pytest.fixture
def evaluated(municipality: Municipality) -> Municipality:
    """A municipality with an adopted policy and one offender of P9.3."""
    adopted_policy(municipality, CLAUSES, attested=["P1.1"])
    SystemFactory(municipality=municipality, name="Ekonomi")
    broken = SystemFactory(municipality=municipality, name="Skolwebb")
    archive(broken.system_owner)
    return municipality


class TestCompliance:
    def test_anonymous_is_refused(self, evaluated: Any) -> None:
        response = client_for(None).get(compliance_url(evaluated))
        assert response.status_code in DENIED_ANONYMOUS
        assert "clauses" not in response.json()

    @pytest.mark.parametrize("role", READERS)
    def test_those_who_read_everything_read_it(self, evaluated: Any, role: str) -> None:
        response = client_for(member(evaluated, role)).get(compliance_url(evaluated))
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["municipality"] == evaluated.slug
        p93 = next(c for c in data["clauses"] if c["clause"] == "P9.3")
        assert p93["status"] == "partly_met"
        assert p93["rules"][0]["offenders"][0]["label"] == "Skolwebb"

    def test_the_operator_reads_it(self, evaluated: Any) -> None:
        operator = UserFactory(is_superuser=True, is_staff=True)
        assert client_for(operator).get(compliance_url(evaluated)).status_code == 200

    @pytest.mark.parametrize(
        ("role", "scope"),
        [
            (None, {}),
            (Role.EMPLOYEE, {}),
            (Role.BOARD_MEMBER, "board"),
            (Role.SYSTEM_OWNER, "system"),
        ],
    )
    def test_other_members_get_404(self, evaluated: Any, role: Any, scope: Any) -> None:
        system = System.objects.filter(municipality=evaluated).first()
        assert system is not None
        given = {"board": system.board} if scope == "board" else {}
        given = {"system": system} if scope == "system" else given
        response = client_for(member(evaluated, role, **given)).get(compliance_url(evaluated))
        assert response.status_code == 404
        assert "clauses" not in response.json()

    def test_another_municipality_gets_404(self, evaluated: Any, outsider: Any) -> None:
        response = client_for(outsider).get(compliance_url(evaluated))
        assert response.status_code == 404
        assert "clauses" not in response.json()

    def test_unknown_municipality_or_no_policy_is_404(self, municipality: Any) -> None:
        client = client_for(member(municipality, Role.AUDITOR))
        assert client.get(compliance_url("nowhere")).status_code == 404
        response = client.get(compliance_url(municipality))
        assert response.status_code == 404
        assert response.json()["detail"] == sv("The municipality has adopted no policy.")

    def test_the_municipality_is_required(self, evaluated: Any) -> None:
        client = client_for(member(evaluated, Role.AUDITOR))
        response = client.get(api_url("compliance-list"))
        assert response.status_code == 400
        assert "municipality" in response.json()

    def test_the_same_json_as_the_command(self, evaluated: Any) -> None:
        client = client_for(member(evaluated, Role.AUDITOR))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        with translation.override("en"):
            api = client.get(compliance_url(evaluated)).json()
            out = StringIO()
            call_command(
                "compliance", municipality=evaluated.slug, output_format="json", stdout=out
            )
        command = json.loads(out.getvalue())
        api.pop("evaluated_at")
        command.pop("evaluated_at")
        assert api == command

    def test_narrowed_to_a_board_or_department(self, evaluated: Any) -> None:
        fine = System.objects.get(municipality=evaluated, name="Ekonomi")
        client = client_for(member(evaluated, Role.AUDITOR))
        for name, value in (("board", fine.board_id), ("department", fine.department_id)):
            data = client.get(compliance_url(evaluated, **{name: value})).json()
            assert data["scope"][name] == value
            p93 = next(c for c in data["clauses"] if c["clause"] == "P9.3")
            assert p93["status"] == "met"

    def test_a_board_of_another_municipality_or_no_number_is_400(self, evaluated: Any) -> None:
        client = client_for(member(evaluated, Role.AUDITOR))
        elsewhere = BoardFactory()
        assert client.get(compliance_url(evaluated, board=elsewhere.pk)).status_code == 400
        assert client.get(compliance_url(evaluated, department="x")).status_code == 400
        assert client.get(compliance_url(evaluated, board=0)).status_code == 400

    def test_query_count_does_not_grow_with_the_register(self, evaluated: Any) -> None:
        client = client_for(member(evaluated, Role.AUDITOR))
        template = System.objects.get(municipality=evaluated, name="Skolwebb")
        counts = []
        for total in (10, 500):
            have = System.objects.filter(municipality=evaluated).count()
            System.objects.bulk_create(
                System(
                    municipality=evaluated,
                    board=template.board,
                    department=template.department,
                    system_owner=template.system_owner,  # archived: each one offends
                    identifier=f"A-{n:05d}",
                    name=f"System {n}",
                )
                for n in range(have, total)
            )
            with CaptureQueriesContext(connection) as queries:
                response = client.get(compliance_url(evaluated))
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts


# --- snapshots -----------------------------------------------------------------------------------


DAY = datetime.date(2026, 3, 2)


def snapshots(municipality: Municipality, days: int) -> list[int]:
    taken = []
    for n in range(days):
        snapshot = snapshot_take(municipality=municipality, today=DAY + datetime.timedelta(days=n))
        assert snapshot is not None
        taken.append(snapshot.pk)
    return taken


class TestComplianceSnapshots:
    def test_anonymous_is_refused(self, evaluated: Any) -> None:
        [pk] = snapshots(evaluated, 1)
        client = client_for(None)
        assert client.get(api_url("compliancesnapshot-list")).status_code in DENIED_ANONYMOUS
        detail = client.get(api_url("compliancesnapshot-detail", pk))
        assert detail.status_code in DENIED_ANONYMOUS

    @pytest.mark.parametrize("role", READERS)
    def test_those_who_read_everything_read_them(self, evaluated: Any, role: str) -> None:
        taken = snapshots(evaluated, 2)
        client = client_for(member(evaluated, role))
        assert ids(client.get(api_url("compliancesnapshot-list"))) == set(taken)
        data = client.get(api_url("compliancesnapshot-detail", taken[0])).json()
        assert data["municipality"] == evaluated.slug
        assert data["taken_on"] == DAY.isoformat()
        assert data["clauses"]["P9.3"]["status"] == "partly_met"
        assert (data["met"], data["partly_met"], data["not_met"]) == (1, 1, 1)

    @pytest.mark.parametrize("role", [None, Role.EMPLOYEE])
    def test_other_members_see_nothing(self, evaluated: Any, role: Any) -> None:
        [pk] = snapshots(evaluated, 1)
        client = client_for(member(evaluated, role))
        assert ids(client.get(api_url("compliancesnapshot-list"))) == set()
        assert client.get(api_url("compliancesnapshot-detail", pk)).status_code == 404

    def test_another_municipality_sees_nothing(self, evaluated: Any, outsider: Any) -> None:
        [pk] = snapshots(evaluated, 1)
        client = client_for(outsider)
        url = api_url("compliancesnapshot-list", municipality=evaluated.slug)
        assert ids(client.get(url)) == set()
        assert client.get(api_url("compliancesnapshot-detail", pk)).status_code == 404

    def test_filtered_by_municipality_and_dates(self, evaluated: Any) -> None:
        taken = snapshots(evaluated, 5)
        other = MunicipalityFactory()
        adopted_policy(other, CLAUSES)
        [elsewhere] = snapshots(other, 1)
        user = member(evaluated, Role.AUDITOR)
        RoleAssignmentFactory(
            person=PersonFactory(municipality=other, user=user), role=Role.AUDITOR
        )
        client = client_for(user)
        assert ids(client.get(api_url("compliancesnapshot-list"))) == {*taken, elsewhere}
        mine = api_url("compliancesnapshot-list", municipality=evaluated.slug)
        assert ids(client.get(mine)) == set(taken)
        between = api_url(
            "compliancesnapshot-list",
            municipality=evaluated.slug,
            taken_on__gte=(DAY + datetime.timedelta(days=1)).isoformat(),
            taken_on__lte=(DAY + datetime.timedelta(days=3)).isoformat(),
        )
        assert ids(client.get(between)) == set(taken[1:4])
        bad = client.get(api_url("compliancesnapshot-list", taken_on__gte="yesterday"))
        assert bad.status_code == 400

    def test_read_only(self, evaluated: Any) -> None:
        [pk] = snapshots(evaluated, 1)
        client = client_for(member(evaluated, Role.IT_COORDINATOR))
        assert client.post(api_url("compliancesnapshot-list"), {}).status_code == 405
        assert client.patch(api_url("compliancesnapshot-detail", pk), {}).status_code == 405
        assert client.delete(api_url("compliancesnapshot-detail", pk)).status_code == 405

    def test_list_query_count_does_not_grow(self, evaluated: Any) -> None:
        client = client_for(member(evaluated, Role.AUDITOR))
        counts = []
        for days in (3, 30):
            snapshots(evaluated, days)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(api_url("compliancesnapshot-list", page_size=500))
            assert len(ids(response)) == days
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
