"""The evaluation engine over the registered rules: a clause is as kept as its least kept rule,
a clause only a person can judge follows its attestations, fixing an offender shows on the next
evaluation, and the whole policy costs the same number of queries for 10 systems as for 500."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.policy.models import Clause
from stadga.policy.registry import all_rules
from stadga.policy.services_attestations import attestation_create
from stadga.systems.choices import SystemType
from stadga.systems.models import System
from stadga.systems.services import system_update
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
)
from stadga.testing.policy import adopted_policy, policy_adopt_for_test, policy_build

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
YEAR = datetime.timedelta(days=365)


def archive(obj: Any) -> Any:
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


def status_of(municipality: Municipality, clause_id: str, **kwargs: Any) -> str:
    evaluation = evaluate(municipality, today=TODAY, **kwargs)
    assert evaluation is not None
    return next(str(r.status) for r in evaluation.clauses if r.clause.clause_id == clause_id)


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


def test_no_adopted_policy_no_evaluation(municipality: Any) -> None:
    policy_build({"P9.3": ["systems.owner_named"]})  # loaded but not adopted
    assert evaluate(municipality) is None


def test_the_latest_adoption_is_evaluated(municipality: Any) -> None:
    old = policy_build({"P9.3": ["systems.owner_named"]})
    new = policy_build({"P5.6": ["systems.no_in_house"]})
    policy_adopt_for_test(municipality, old, adopted_on=datetime.date(2006, 9, 25))
    policy_adopt_for_test(municipality, new, adopted_on=datetime.date(2020, 1, 1))
    evaluation = evaluate(municipality)
    assert evaluation is not None and evaluation.policy == new
    assert [r.clause.clause_id for r in evaluation.clauses] == ["P5.6"]


class TestClauseStatusIsTheWorstOfItsRules:
    def test_met_and_partly_met_is_partly_met(self, municipality: Any) -> None:
        adopted_policy(municipality, {"P9.3": ["systems.owner_named", "systems.no_in_house"]})
        SystemFactory(municipality=municipality)
        SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE)
        assert status_of(municipality, "P9.3") == Status.PARTLY_MET

    def test_met_and_not_met_is_not_met(self, municipality: Any) -> None:
        adopted_policy(
            municipality,
            {"P3.2": ["systems.owner_named", "organisation.it_coordinator_named"]},
        )
        SystemFactory(municipality=municipality)
        assert status_of(municipality, "P3.2") == Status.NOT_MET

    def test_met_and_not_applicable_is_met(self, municipality: Any) -> None:
        adopted_policy(
            municipality,
            {"P9.2": ["systems.owner_named", "organisation.executive_board_oversight"]},
        )
        RoleAssignmentFactory(
            person=PersonFactory(municipality=municipality), role=Role.EXECUTIVE_BOARD_READER
        )
        assert status_of(municipality, "P9.2") == Status.MET  # no systems: owner rule n/a

    def test_only_not_applicable_is_not_applicable(self, municipality: Any) -> None:
        adopted_policy(municipality, {"P9.1": ["systems.classified", "systems.no_in_house"]})
        assert status_of(municipality, "P9.1") == Status.NOT_APPLICABLE

    def test_a_clause_without_rules_or_attestation_is_not_measurable(
        self, municipality: Any
    ) -> None:
        adopted_policy(municipality, {"P4.3": []})
        assert status_of(municipality, "P4.3") == Status.NOT_MEASURABLE

    def test_a_rule_bound_to_two_clauses_runs_once(self, municipality: Any) -> None:
        adopted_policy(
            municipality,
            {
                "P3.2": ["organisation.it_coordinator_named"],
                "P9.4": ["organisation.it_coordinator_named"],
            },
        )
        evaluation = evaluate(municipality)
        assert evaluation is not None
        first, second = (r.rules[0][1] for r in evaluation.clauses)
        assert first is second


class TestAttestationOnlyClause:
    """P1.1 (IT is a vital resource) is judged by a person, not measured."""

    @pytest.fixture
    def clause(self, municipality: Any) -> Clause:
        policy = adopted_policy(municipality, {"P1.1": []}, attested=["P1.1"])
        return policy.clauses.get()

    def attest(self, clause: Clause, valid_from: datetime.date, valid_until: datetime.date) -> None:
        municipality = clause.policy.adoptions.get().municipality
        attestation_create(
            municipality=municipality,
            clause=clause,
            data={
                "statement": "IT-driften har fungerat utan längre avbrott.",
                "attested_by": PersonFactory(municipality=municipality),
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
            actor=None,
        )

    def test_none_is_not_measurable(self, municipality: Any, clause: Clause) -> None:
        assert status_of(municipality, "P1.1") == Status.NOT_MEASURABLE

    def test_a_valid_attestation_is_met(self, municipality: Any, clause: Clause) -> None:
        self.attest(clause, TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=1))
        assert status_of(municipality, "P1.1") == Status.MET
        evaluation = evaluate(municipality, today=TODAY)
        assert evaluation is not None
        assert len(evaluation.clauses[0].as_dict()["attestations"]) == 1

    def test_an_expired_attestation_is_not_met(self, municipality: Any, clause: Clause) -> None:
        self.attest(clause, TODAY - YEAR, TODAY - datetime.timedelta(days=1))
        assert status_of(municipality, "P1.1") == Status.NOT_MET
        evaluation = evaluate(municipality, today=TODAY)
        assert evaluation is not None
        assert evaluation.clauses[0].as_dict()["expired_attestations"] == 1

    def test_a_renewed_attestation_is_met_again(self, municipality: Any, clause: Clause) -> None:
        self.attest(clause, TODAY - YEAR, TODAY - datetime.timedelta(days=1))
        self.attest(clause, TODAY, TODAY + datetime.timedelta(days=365))
        assert status_of(municipality, "P1.1") == Status.MET


def test_giving_the_ownerless_system_an_owner_meets_p9_3(municipality: Any) -> None:
    """The issue's proof: fix the offender and the clause's status changes on the next
    evaluation. An in-production system cannot lack an owner in the database (P9.3), so the
    ownerless one is the system whose owner has left (is archived)."""
    adopted_policy(municipality, {"P9.3": ["systems.owner_named"]})
    SystemFactory(municipality=municipality)
    ownerless = SystemFactory(municipality=municipality)
    archive(ownerless.system_owner)
    evaluation = evaluate(municipality)
    assert evaluation is not None
    [result] = evaluation.clauses
    assert result.status == Status.PARTLY_MET
    assert [o.url for _rule, r in result.rules for o in r.offenders] == [
        ownerless.get_absolute_url()
    ]

    system_update(
        system=ownerless,
        data={"system_owner": PersonFactory(municipality=municipality)},
        actor=None,
    )

    evaluation = evaluate(municipality)
    assert evaluation is not None
    [result] = evaluation.clauses
    assert result.status == Status.MET
    assert result.offender_count == 0


def test_narrowing_reaches_the_systems_rules_only(municipality: Any) -> None:
    adopted_policy(
        municipality,
        {"P3.2": ["organisation.it_coordinator_named"], "P9.3": ["systems.owner_named"]},
    )
    RoleAssignmentFactory(person=PersonFactory(municipality=municipality))
    fine = SystemFactory(municipality=municipality)
    broken = SystemFactory(municipality=municipality)
    archive(broken.system_owner)
    assert status_of(municipality, "P9.3") == Status.PARTLY_MET
    assert status_of(municipality, "P9.3", board=fine.board) == Status.MET
    assert status_of(municipality, "P9.3", department=broken.department) == Status.NOT_MET
    assert status_of(municipality, "P3.2", board=broken.board) == Status.MET


def test_query_count_of_the_whole_policy_does_not_grow(municipality: Any) -> None:
    """Every registered rule bound, an offender of each, attestations: 10 systems or 500."""
    policy = adopted_policy(municipality, attested=["P9.3"])
    assert {rule for ids in policy.clauses.values_list("rule_ids", flat=True) for rule in ids} == (
        set(all_rules())
    )
    attestation_create(
        municipality=municipality,
        clause=policy.clauses.get(clause_id="P9.3"),
        data={
            "statement": "Alla system har en ansvarig.",
            "attested_by": PersonFactory(municipality=municipality),
            "valid_from": TODAY,
            "valid_until": TODAY,
        },
        actor=None,
    )
    template = SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE)
    gone = archive(PersonFactory(municipality=municipality))
    counts = []
    for total in (10, 500):
        have = System.objects.filter(municipality=municipality).count()
        System.objects.bulk_create(
            System(
                municipality=municipality,
                board=template.board,
                department=template.department,
                system_owner=gone if n % 2 else template.system_owner,
                identifier=f"E-{n:05d}",
                name=f"System {n}",
                confidentiality=None if n % 3 else 1,
            )
            for n in range(have, total)
        )
        with CaptureQueriesContext(connection) as queries:
            evaluation = evaluate(municipality, today=TODAY)
            assert evaluation is not None
            data = [result.as_dict() for result in evaluation.clauses]
        assert any(clause["offender_count"] for clause in data)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
