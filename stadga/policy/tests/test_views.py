"""The live policy page, the executive board's dashboard and attestations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.policy.choices import Status
from stadga.policy.models import Attestation, Clause, ComplianceSnapshot, Policy, PolicyAdoption
from stadga.policy.registry import Offender, RuleContext, RuleResult, rule
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    MunicipalityFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db


@rule("test.views.named_owner", clauses=["T1.1"], title="Every test system has an owner")
def _named_owner(ctx: RuleContext) -> RuleResult:
    systems = ctx.narrow(
        System.objects.filter(municipality=ctx.municipality, archived_at__isnull=True)
    ).select_related("municipality")
    rows = list(systems)
    offenders = [Offender.of(s, "no owner") for s in rows if s.system_owner_id is None]
    return RuleResult.from_counts(
        kept=len(rows) - len(offenders),
        total=len(rows),
        summary=f"{len(rows) - len(offenders)} of {len(rows)}",
        offenders=offenders,
    )


def adopt(municipality: Any) -> Policy:
    policy, _ = Policy.objects.get_or_create(
        key="test-policy",
        version="1",
        defaults={"title": "Testpolicy", "issuing_body": "KF", "adopted_on": "2006-09-25"},
    )
    if not policy.clauses.exists():
        Clause.objects.create(
            policy=policy,
            clause_id="T1.1",
            order=1,
            section="1",
            section_title="Ägare",
            text="Varje system har en systemansvarig.",
            responsible_role=Role.SYSTEM_OWNER,
            rule_ids=["test.views.named_owner"],
        )
        Clause.objects.create(
            policy=policy,
            clause_id="T1.2",
            order=2,
            section="1",
            section_title="Ägare",
            text="IT är en viktig resurs.",
            responsible_role=Role.IT_COORDINATOR,
            attestation_required=True,
        )
        Clause.objects.create(
            policy=policy,
            clause_id="T2.1",
            order=3,
            section="2",
            section_title="Mål",
            text="Service.",
            unmeasured_note="Mäts när målen förs i Stadga.",
        )
    PolicyAdoption.objects.create(
        municipality=municipality, policy=policy, adopted_on=datetime.date(2006, 9, 25)
    )
    return policy


def live(municipality: Any) -> str:
    return f"/k/{municipality.slug}/policy/"


class TestLivePage:
    def test_reader_sees_every_clause_with_status_and_offenders(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        SystemFactory(municipality=m)
        planned = SystemFactory(municipality=m, lifecycle_phase="planned", system_owner=None)
        client.force_login(member(m, Role.AUDITOR))
        page = client.get(live(m)).content.decode()
        assert 'id="T1.1"' in page and 'id="T1.2"' in page and 'id="T2.1"' in page
        assert "clause--partly_met" in page  # T1.1: one of two has an owner
        assert f'href="{planned.get_absolute_url()}"' in page
        assert "Mäts när målen förs i Stadga." in page

    def test_fixing_the_offender_changes_the_status(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        planned = SystemFactory(municipality=m, lifecycle_phase="planned", system_owner=None)
        client.force_login(member(m, Role.AUDITOR))
        assert "clause--not_met" in client.get(live(m)).content.decode()
        from stadga.systems.services import system_update
        from stadga.testing.factories import PersonFactory

        system_update(
            system=planned, data={"system_owner": PersonFactory(municipality=m)}, actor=None
        )
        page = client.get(live(m)).content.decode()
        assert 'class="clause clause--met" id="T1.1"' in page

    def test_board_filter_narrows_the_figures(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        board = BoardFactory(municipality=m)
        SystemFactory(municipality=m, board=board)
        SystemFactory(municipality=m, lifecycle_phase="planned", system_owner=None)
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(live(m) + f"?board={board.pk}").content.decode()
        assert 'class="clause clause--met" id="T1.1"' in page

    def test_board_member_sees_their_board_only(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        board = BoardFactory(municipality=m)
        SystemFactory(municipality=m, board=board)
        other = SystemFactory(municipality=m, lifecycle_phase="planned", system_owner=None)
        client.force_login(member(m, Role.BOARD_MEMBER, board=board))
        page = client.get(live(m) + f"?board={other.board_id}").content.decode()
        assert 'class="clause clause--met" id="T1.1"' in page
        assert other.get_absolute_url() not in page
        assert client.get(f"/k/{m.slug}/policy/dashboard/").status_code == 403

    def test_who_may_not(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        assert client.get(live(m)).status_code == 302
        client.force_login(member(m, Role.EMPLOYEE))
        assert client.get(live(m)).status_code == 403
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(live(m)).status_code == 404
        assert client.get(f"/k/{m.slug}/policy/dashboard/").status_code == 404

    def test_without_an_adopted_policy(self, client: Any) -> None:
        m = MunicipalityFactory()
        client.force_login(member(m, Role.IT_COORDINATOR))
        page = client.get(live(m)).content.decode()
        assert f'href="/k/{m.slug}/policy/adopt/"' in page

    def test_query_count_does_not_grow_with_systems(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        board = BoardFactory(municipality=m)
        client.force_login(member(m, Role.AUDITOR))
        counts = []
        for n in (5, 60):
            while System.objects.filter(municipality=m).count() < n:
                SystemFactory(municipality=m, board=board, department=None)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(live(m)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts


class TestDashboard:
    def test_sections_boards_and_changes(self, client: Any) -> None:
        m = MunicipalityFactory()
        policy = adopt(m)
        board = BoardFactory(municipality=m, name="Socialnämnden")
        SystemFactory(municipality=m, board=board)
        ComplianceSnapshot.objects.create(
            municipality=m,
            policy=policy,
            taken_on=timezone.localdate() - datetime.timedelta(days=1),
            clauses={"T1.1": {"status": Status.NOT_MET}},
            not_met=1,
        )
        client.force_login(member(m, Role.EXECUTIVE_BOARD_READER))
        page = client.get(f"/k/{m.slug}/policy/dashboard/").content.decode()
        assert "Socialnämnden" in page
        assert f'href="/k/{m.slug}/policy/?board={board.pk}"' in page
        assert f'href="/k/{m.slug}/policy/#T1.1"' in page  # changed since yesterday
        assert "1. Ägare" in page and "2. Mål" in page


class TestAttestation:
    def url(self, m: Any, clause: str = "T1.2") -> str:
        return f"/k/{m.slug}/policy/clauses/{clause}/attest/"

    def data(self, **overrides: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "statement": "IT-stödet följs upp i ledningsgruppen.",
            "valid_from": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
            **overrides,
        }

    def test_responsible_role_attests_and_the_clause_is_met(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        user = member(m, Role.IT_COORDINATOR)
        client.force_login(user)
        page = client.get(live(m)).content.decode()
        assert 'class="clause clause--not_measurable" id="T1.2"' in page
        evidence = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 test", "application/pdf")
        response = client.post(self.url(m), {**self.data(), "evidence_file": evidence})
        assert response.status_code == 302, response.content.decode()[:2000]
        attestation = Attestation.objects.get()
        assert attestation.attested_by.user == user
        assert 'class="clause clause--met" id="T1.2"' in client.get(live(m)).content.decode()
        download = client.get(f"/k/{m.slug}/policy/attestations/{attestation.pk}/file/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4 test"

    def test_expired_attestation_is_not_met(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        long_ago = timezone.localdate() - datetime.timedelta(days=400)
        response = client.post(
            self.url(m),
            self.data(
                valid_from=long_ago.isoformat(),
                valid_until=(long_ago + datetime.timedelta(days=30)).isoformat(),
            ),
        )
        assert response.status_code == 302
        assert 'class="clause clause--not_met" id="T1.2"' in client.get(live(m)).content.decode()

    def test_period_must_be_ordered(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        today = timezone.localdate()
        response = client.post(
            self.url(m),
            self.data(valid_until=(today - datetime.timedelta(days=1)).isoformat()),
        )
        assert response.status_code == 400
        assert not Attestation.objects.exists()

    def test_only_the_responsible_role_or_the_coordinator(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        client.force_login(member(m, Role.AUDITOR))
        assert client.get(self.url(m)).status_code == 403
        assert client.post(self.url(m), self.data()).status_code == 403
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(self.url(m)).status_code == 404
        client.force_login(member(m, Role.IT_COORDINATOR))
        assert client.get(self.url(m, "X9.9")).status_code == 404

    def test_evidence_is_not_for_others(self, client: Any) -> None:
        m = MunicipalityFactory()
        adopt(m)
        client.force_login(member(m, Role.IT_COORDINATOR))
        evidence = SimpleUploadedFile("hemligt.txt", b"secret", "text/plain")
        client.post(self.url(m), {**self.data(), "evidence_file": evidence})
        attestation = Attestation.objects.get()
        for outsider in (member(m, Role.EMPLOYEE), member(MunicipalityFactory(), Role.AUDITOR)):
            client.force_login(outsider)
            assert client.get(attestation.get_absolute_url()).status_code in (403, 404)
            file_url = f"/k/{m.slug}/policy/attestations/{attestation.pk}/file/"
            assert client.get(file_url).status_code in (403, 404)


def test_a_rule_missing_from_the_installation_is_not_measurable_not_a_500(client: Any) -> None:
    m = MunicipalityFactory()
    policy = adopt(m)
    Clause.objects.filter(policy=policy, clause_id="T2.1").update(rule_ids=["gone.rule"])
    client.force_login(member(m, Role.AUDITOR))
    page = client.get(live(m)).content.decode()
    assert 'class="clause clause--not_measurable" id="T2.1"' in page
    assert "gone.rule" in page
