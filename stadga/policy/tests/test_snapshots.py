"""Daily compliance snapshots (P3.1): one per municipality, policy and day; taking it again the
same day updates it; and what changed since the last one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from stadga.organisation.models import Municipality
from stadga.policy.choices import Status
from stadga.policy.engine import evaluate
from stadga.policy.models import ComplianceSnapshot
from stadga.policy.services_snapshots import (
    StatusChange,
    snapshot_changes,
    snapshot_previous,
    snapshot_take,
)
from stadga.systems.choices import SystemType
from stadga.testing.factories import MunicipalityFactory, SystemFactory
from stadga.testing.policy import adopted_policy

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
NEXT_DAY = DAY + datetime.timedelta(days=1)

CLAUSES = {
    "P5.6": ["systems.no_in_house"],
    "P9.1": ["systems.classified"],
    "P9.3": ["systems.owner_named"],
    "P1.1": [],
}


@pytest.fixture
def municipality() -> Municipality:
    m = MunicipalityFactory()
    adopted_policy(m, CLAUSES, attested=["P1.1"])
    return m


def archive(obj: Any) -> Any:
    type(obj).objects.filter(pk=obj.pk).update(archived_at=timezone.now())
    obj.refresh_from_db()
    return obj


def test_without_an_adopted_policy_there_is_no_snapshot() -> None:
    assert snapshot_take(municipality=MunicipalityFactory(), today=DAY) is None
    assert not ComplianceSnapshot.objects.exists()


def test_a_snapshot_keeps_each_clause_and_the_counts(municipality: Any) -> None:
    SystemFactory(municipality=municipality)
    SystemFactory(municipality=municipality, system_type=SystemType.IN_HOUSE)
    snapshot = snapshot_take(municipality=municipality, today=DAY)
    assert snapshot is not None
    assert snapshot.taken_on == DAY
    assert snapshot.municipality == municipality
    assert set(snapshot.clauses) == set(CLAUSES)
    assert snapshot.clauses["P5.6"]["status"] == Status.PARTLY_MET
    assert snapshot.clauses["P5.6"]["numerator"] == 1
    assert snapshot.clauses["P5.6"]["denominator"] == 2
    assert snapshot.clauses["P5.6"]["offender_count"] == 1
    assert snapshot.clauses["P5.6"]["summary"]
    assert snapshot.clauses["P1.1"]["status"] == Status.NOT_MEASURABLE
    assert (snapshot.met, snapshot.partly_met, snapshot.not_measurable) == (2, 1, 1)
    assert snapshot.not_met == snapshot.not_applicable == 0


def test_one_per_day_retaking_updates_it(municipality: Any) -> None:
    system = SystemFactory(municipality=municipality)
    first = snapshot_take(municipality=municipality, today=DAY)
    assert first is not None and first.clauses["P9.3"]["status"] == Status.MET
    archive(system.system_owner)
    again = snapshot_take(municipality=municipality, today=DAY)
    assert again is not None and again.pk == first.pk
    assert ComplianceSnapshot.objects.count() == 1
    assert again.clauses["P9.3"]["status"] == Status.NOT_MET
    assert ComplianceSnapshot.objects.get().not_met == 1


def test_each_day_its_own_snapshot(municipality: Any) -> None:
    SystemFactory(municipality=municipality)
    first = snapshot_take(municipality=municipality, today=DAY)
    second = snapshot_take(municipality=municipality, today=NEXT_DAY)
    assert first is not None and second is not None and first.pk != second.pk
    assert snapshot_previous(second) == first
    assert snapshot_previous(first) is None
    other = MunicipalityFactory()
    adopted_policy(other, CLAUSES)
    snapshot_take(municipality=other, today=DAY)
    assert ComplianceSnapshot.objects.filter(municipality=municipality).count() == 2
    assert snapshot_previous(second) == first  # not the other municipality's


def test_today_by_default(municipality: Any) -> None:
    snapshot = snapshot_take(municipality=municipality)
    assert snapshot is not None and snapshot.taken_on == timezone.localdate()


def test_changes_since_the_last_snapshot(municipality: Any) -> None:
    system = SystemFactory(municipality=municipality)
    SystemFactory(municipality=municipality)
    yesterday = snapshot_take(municipality=municipality, today=DAY)
    archive(system.system_owner)  # P9.3: met → partly met
    type(system).objects.filter(pk=system.pk).update(system_type=SystemType.IN_HOUSE)  # P5.6
    today = snapshot_take(municipality=municipality, today=NEXT_DAY)
    assert yesterday is not None and today is not None
    changes = snapshot_changes(yesterday, today)
    # In document order (P5.6 before P9.3), whatever order the JSON column keeps keys in.
    assert changes == [
        StatusChange("P5.6", Status.MET, Status.PARTLY_MET, order=1),
        StatusChange("P9.3", Status.MET, Status.PARTLY_MET, order=3),
    ]
    assert all(change.improved is False for change in changes)
    assert changes[0].current_label == str(Status.PARTLY_MET.label)
    assert snapshot_changes(yesterday, yesterday) == []
    assert [c.improved for c in snapshot_changes(today, yesterday)] == [True, True]


def test_changes_against_the_live_evaluation(municipality: Any) -> None:
    system = SystemFactory(municipality=municipality)
    snapshot = snapshot_take(municipality=municipality, today=DAY)
    archive(system.system_owner)
    changes = snapshot_changes(snapshot, evaluate(municipality))
    assert [(c.clause, c.previous, c.current) for c in changes] == [
        ("P9.3", Status.MET, Status.NOT_MET)
    ]


def test_no_changes_without_a_previous_snapshot(municipality: Any) -> None:
    snapshot = snapshot_take(municipality=municipality, today=DAY)
    assert snapshot_changes(None, snapshot) == []
    assert snapshot_changes(snapshot, None) == []


def test_a_clause_only_on_one_side_is_a_change(municipality: Any) -> None:
    before = snapshot_take(municipality=municipality, today=DAY)
    assert before is not None
    before.clauses["P2.1"] = {"status": Status.MET, "order": 0}
    del before.clauses["P1.1"]
    after = snapshot_take(municipality=municipality, today=NEXT_DAY)
    changes = snapshot_changes(before, after)
    assert [(c.clause, c.previous, c.current, c.improved) for c in changes] == [
        ("P2.1", Status.MET, None, None),
        ("P1.1", None, Status.NOT_MEASURABLE, None),
    ]
