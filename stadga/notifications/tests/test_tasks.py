"""The daily job: a compliance snapshot and the reminders per municipality, queued once a day,
run by `stadga worker` on the database backend."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stadga.notifications import tasks
from stadga.notifications.models import Notification, ScheduledRun
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.policy.models import ComplianceSnapshot
from stadga.systems.choices import LifecyclePhase
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    SystemFactory,
)

from .conftest import TODAY, adopt_policy


def system_without_owner(municipality: Municipality) -> Any:
    """A planned system without an owner, and the head of its department (who is reminded)."""
    department = DepartmentFactory(board__municipality=municipality)
    head = PersonFactory(municipality=municipality)
    RoleAssignmentFactory(person=head, role=Role.DEPARTMENT_HEAD, department=department)
    SystemFactory(
        municipality=municipality,
        board=department.board,
        department=department,
        system_owner=None,
        lifecycle_phase=LifecyclePhase.PLANNED,
    )
    return head


@pytest.fixture
def snapshots(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stands in for `stadga.policy.services_snapshots.snapshot_take`, recording its calls."""
    calls: list[dict[str, Any]] = []

    def snapshot_take(*, municipality: Municipality, today: datetime.date | None = None) -> None:
        calls.append({"municipality": municipality, "today": today})

    monkeypatch.setattr("stadga.policy.services_snapshots.snapshot_take", snapshot_take)
    return calls


@pytest.mark.django_db
def test_daily_takes_the_snapshot_and_sends_the_reminders(
    municipality: Municipality, snapshots, django_capture_on_commit_callbacks
) -> None:
    head = system_without_owner(municipality)

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.daily.call(municipality.pk, TODAY.isoformat())

    assert snapshots == [{"municipality": municipality, "today": TODAY}]
    assert Notification.objects.get().recipient == head
    assert result == {
        "municipality": municipality.pk,
        "day": TODAY.isoformat(),
        "snapshot": None,
        "notifications": 1,
    }
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_snapshot_does_not_hold_back_the_reminders(
    municipality: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_without_owner(municipality)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("no policy library")

    monkeypatch.setattr("stadga.policy.services_snapshots.snapshot_take", broken)
    with pytest.raises(RuntimeError, match="no policy library"):
        tasks.daily.call(municipality.pk, TODAY.isoformat())
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_daily_skips_an_archived_municipality(snapshots) -> None:
    municipality = MunicipalityFactory(archived_at=timezone.now())

    assert tasks.daily.call(municipality.pk)["skipped"] is True
    assert snapshots == []


@pytest.mark.django_db
def test_the_daily_run_is_queued_once_a_day() -> None:
    first, second = MunicipalityFactory(), MunicipalityFactory()
    MunicipalityFactory(archived_at=timezone.now())

    assert tasks.schedule_daily(TODAY) == 2
    assert tasks.schedule_daily(TODAY) == 0  # another worker, the same day
    assert ScheduledRun.objects.get().date == TODAY

    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted([first.pk, second.pk])
    assert {r.task_path for r in queued} == {"stadga.notifications.tasks.daily"}
    assert {r.args_kwargs["args"][1] for r in queued} == {TODAY.isoformat()}

    assert tasks.schedule_daily(TODAY + datetime.timedelta(days=1)) == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 4


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_a_queued_task_end_to_end() -> None:
    """The real chain: the database backend, the worker, the snapshot service, the reminders
    and the e-mail after the commit."""
    municipality = MunicipalityFactory()
    adopt_policy(municipality)
    head = system_without_owner(municipality)
    ScheduledRun.objects.create(name=tasks.DAILY, date=timezone.localdate())  # queued already
    result = tasks.daily.enqueue(municipality.pk, TODAY.isoformat())

    call_command("worker", "--once")

    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.return_value["notifications"] == 1
    snapshot = ComplianceSnapshot.objects.get(municipality=municipality)
    assert snapshot.taken_on == TODAY
    assert task.return_value["snapshot"] == snapshot.pk
    assert Notification.objects.get().recipient == head
    assert len(mail.outbox) == 1
    assert ScheduledRun.objects.count() == 1  # nothing more was due


@pytest.mark.django_db(transaction=True)
def test_worker_once_schedules_todays_run_and_runs_it(snapshots) -> None:
    municipality = MunicipalityFactory()
    system_without_owner(municipality)

    call_command("worker", "--once")
    call_command("worker", "--once")  # the same day: nothing new to queue

    assert ScheduledRun.objects.get().date == timezone.localdate()
    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert snapshots == [{"municipality": municipality, "today": timezone.localdate()}]
    assert Notification.objects.count() == 1
