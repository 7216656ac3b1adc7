"""The demo's training and competence (P6): loaded once and only once, with its story — the
finance system's users in Socialförvaltningen without its basic course, a joint session ahead
with free places, a department without a training plan, and the IT department's competence
plan and recent watch note."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from stadga.demo import data
from stadga.demo.load import _Loader, load_demo
from stadga.policy.choices import Status
from stadga.policy.registry import RuleContext
from stadga.training import rules_plans
from stadga.training.choices import RecordSource, RegistrationStatus, TrainingPlanStatus
from stadga.training.models import (
    CompetenceRecord,
    Course,
    Registration,
    SystemUse,
    TrainingPlan,
    TrainingRequirement,
    TrainingSession,
    WatchNote,
)
from stadga.training.selectors_plans import central_office_id

TRAINING = [
    Course,
    TrainingRequirement,
    SystemUse,
    TrainingSession,
    Registration,
    CompetenceRecord,
    TrainingPlan,
    WatchNote,
]


@pytest.fixture
def karlsborg(db: Any, settings: Any, monkeypatch: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The product catalogue is most of the load's time; the notes' products are then absent.
    monkeypatch.setattr(_Loader, "load_catalogue", lambda self, municipality: None)
    return load_demo()


def test_the_demo_loads_twice_without_a_change(karlsborg: Any) -> None:
    figures = {model.__name__: model.objects.count() for model in TRAINING}
    assert all(figures.values()), figures
    entries = LogEntry.objects.count()
    load_demo()
    assert {model.__name__: model.objects.count() for model in TRAINING} == figures
    assert LogEntry.objects.count() == entries


def test_the_story_of_the_demo(karlsborg: Any) -> None:
    m = karlsborg
    finance = Course.objects.get(
        municipality=m, basic_training=True, systems__identifier=data.FINANCE
    )
    assert finance.given_by.name == data.KLK  # P6.3
    # Socialförvaltningen's users of the finance system lack its basic course.
    users = SystemUse.objects.filter(municipality=m, system__identifier=data.FINANCE)
    social = {u.person.name for u in users if u.person.department.name == data.SOC}
    assert social == {data.HOME_CARE_HEAD, data.TRANSPORT_OFFICER}
    assert not CompetenceRecord.objects.filter(
        course=finance, person__name__in=social, archived_at__isnull=True
    ).exists()
    # A joint session ahead for two departments, with free places.
    (ahead,) = TrainingSession.objects.filter(municipality=m, starts_at__gt=timezone.now())
    assert {d.name for d in ahead.departments.all()} == {data.SOC, data.KFF}
    booked = ahead.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    assert booked < ahead.capacity
    # Attendance at past sessions became records, with the source and validity.
    from_sessions = CompetenceRecord.objects.filter(municipality=m, source=RecordSource.SESSION)
    assert (
        from_sessions.count()
        == Registration.objects.filter(municipality=m, status=RegistrationStatus.ATTENDED).count()
    )
    expired = CompetenceRecord.objects.get(person__name=data.FINANCE_MANAGER)
    assert expired.valid_until < timezone.localdate()
    # Training plans: every department but one; the central office's is the competence plan.
    plans = TrainingPlan.objects.filter(municipality=m, year=timezone.localdate().year)
    assert data.SBF not in {p.department.name for p in plans}
    competence = plans.get(department_id=central_office_id(m))
    assert competence.status == TrainingPlanStatus.ADOPTED and competence.it_plan is not None
    p6_2 = rules_plans.departments_have_training_plans(RuleContext(municipality=m))
    assert p6_2.status == Status.PARTLY_MET
    assert (p6_2.numerator, p6_2.denominator) == (4, 6)
    assert rules_plans.it_department_watch_kept(RuleContext(municipality=m)).status == Status.MET
    assert WatchNote.objects.filter(municipality=m).count() == 5
