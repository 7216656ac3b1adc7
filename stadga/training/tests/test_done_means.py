"""Issue 8's done means, on the demo data: the head of social services (`socialchef`) sees which
of their staff lack the course for the systems they use, books them on the joint session of
Socialförvaltningen and Kultur- och fritidsförvaltningen (P6.2), and once the IT department has
recorded their attendance the live policy page's P6 figures move (P6.1–P6.3)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from stadga.demo import DEMO_PASSWORD, data
from stadga.demo.data_training import FINANCE_COURSE
from stadga.organisation.models import Person
from stadga.training.choices import RegistrationStatus
from stadga.training.models import CompetenceRecord, Registration, TrainingSession

LACKING = (data.HOME_CARE_HEAD, data.TRANSPORT_OFFICER)  # Tomas Ek, Marie Bengtsson


@pytest.fixture
def karlsborg(demo_karlsborg: Any) -> Any:
    """The demo, loaded once for the module (conftest.py)."""
    return demo_karlsborg


def live_rules() -> dict[str, dict[str, Any]]:
    """The live policy page's rule results, by rule ID (its machine-readable form)."""
    out = io.StringIO()
    call_command("compliance", "--municipality", "karlsborg", "--format", "json", stdout=out)
    return {
        rule["id"]: rule
        for clause in json.loads(out.getvalue())["clauses"]
        if clause["clause"].startswith("P6.")
        for rule in clause["rules"]
    }


def test_a_department_head_books_the_staff_lacking_the_course_and_p6_moves(
    karlsborg: Any, client: Any
) -> None:
    slug = karlsborg.slug
    staff = {p.name: p for p in Person.objects.filter(municipality=karlsborg, name__in=LACKING)}
    assert set(staff) == set(LACKING)
    before = live_rules()
    covered = before["training.required_training_covered"]
    assert covered["status"] != "met" and covered["denominator"] > covered["numerator"]

    # The head of social services sees which of their staff lack the finance system's course.
    assert client.login(username="socialchef", password=DEMO_PASSWORD)
    coverage = client.get(f"/k/{slug}/training/coverage/?department=&status=")
    assert coverage.status_code == 200
    page = coverage.content.decode()
    assert FINANCE_COURSE in page and all(name in page for name in LACKING)
    assert data.FINANCE_MANAGER not in page  # another department's staff is not theirs to see

    # The joint session ahead, for two departments, shown as such (P6.2), with free places.
    session = TrainingSession.objects.get(
        municipality=karlsborg, course__name=FINANCE_COURSE, starts_at__gt=timezone.now()
    )
    assert {d.name for d in session.departments.all()} == {data.SOC, data.KFF}
    detail = client.get(session.get_absolute_url()).content.decode()
    with translation.override("sv"):  # the page's language
        assert translation.gettext("Joint session") in detail

    # They book both in one go.
    response = client.post(
        f"/k/{slug}/training/sessions/{session.pk}/book/",
        {"people": [p.pk for p in staff.values()]},
    )
    assert response.status_code == 302
    booked = Registration.objects.filter(session=session, person__in=staff.values())
    assert {r.status for r in booked} == {RegistrationStatus.REGISTERED}
    assert booked.count() == 2

    # The session is held (the clock moves past it), and the IT department records attendance.
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.logout()
    coordinator = get_user_model().objects.get(username="it.samordnare")
    client.force_login(coordinator)
    registrations = Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    )
    response = client.post(
        f"/k/{slug}/training/sessions/{session.pk}/attendance/",
        {
            f"attended_{r.pk}": "on"
            for r in registrations
            if r.person_id in {p.pk for p in staff.values()}
        },
    )
    assert response.status_code == 302
    assert (
        CompetenceRecord.objects.filter(
            person__in=staff.values(), course__name=FINANCE_COURSE, archived_at__isnull=True
        ).count()
        == 2
    )

    # The live policy page's P6 figures move: two more required courses held.
    after = live_rules()
    moved = after["training.required_training_covered"]
    assert moved["denominator"] == covered["denominator"]
    assert moved["numerator"] == covered["numerator"] + 2
    # P6.3: the finance system's users lacking its basic course are two fewer.
    finance = [
        next(int(word) for word in o["reason"].split() if word.isdigit())
        for result in (before, after)
        for o in result["training.basic_training_for_shared_systems"]["offenders"]
        if o["label"] == "Ekonomisystem"
    ]
    assert finance[1] == finance[0] - 2
