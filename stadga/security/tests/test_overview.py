"""The security hub (k/<municipality>/security/): who may open it, the figures it shows each user
(only what they may read), links to every part, and a number of queries that does not grow with
the register."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.security.choices import MeasureStatus, NoticeStatus
from stadga.security.models import (
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    ShortfallNotice,
)
from stadga.systems.models import System
from stadga.testing.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
_numbers = itertools.count(1)

# Every part of security management the hub links to, by URL name.
PARTS = [
    "security:measure_list",
    "security:gap",
    "security:action_plan",
    "security:shortfallnotice_list",
    "security:incident_list",
    "security:processingactivity_list",
    "security:settings",
]


def url(municipality: Municipality) -> str:
    return reverse("security:overview", kwargs={"municipality": municipality.slug})


def person_of(user: Any, municipality: Municipality) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


def classified(system: System, **fields: Any) -> InformationType:
    return InformationType.objects.create(
        municipality=system.municipality,
        system=system,
        **{
            "name": f"Uppgifter {next(_numbers)}",
            "confidentiality": 2,
            "integrity": 2,
            "availability": 2,
            "traceability": 1,
            "classified_on": TODAY,
            **fields,
        },
    )


def measure(municipality: Municipality, system: System | None = None, **fields: Any) -> Measure:
    return Measure.objects.create(
        municipality=municipality,
        system=system,
        title=f"Åtgärd {next(_numbers)}",
        status=fields.pop("status", MeasureStatus.IMPLEMENTED),
        next_follow_up=fields.pop("next_follow_up", TODAY + datetime.timedelta(days=200)),
        **fields,
    )


@pytest.fixture
def municipality() -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def register(municipality: Municipality) -> dict[str, Any]:
    """Two departments' systems and records of every kind."""
    social = DepartmentFactory(board__municipality=municipality)
    school = DepartmentFactory(board__municipality=municipality)
    social_system = SystemFactory(
        municipality=municipality, board=social.board, department=social, name="Socialsystem"
    )
    school_system = SystemFactory(
        municipality=municipality, board=school.board, department=school, name="Skolsystem"
    )
    classified(social_system)
    classified(school_system, classified_on=TODAY - datetime.timedelta(days=800))  # due
    measure(municipality, social_system)
    measure(municipality, social_system, next_follow_up=TODAY - datetime.timedelta(days=1))
    measure(municipality, school_system, status=MeasureStatus.PLANNED, planned_for=TODAY)
    measure(municipality)  # the platform's
    ShortfallNotice.objects.create(
        municipality=municipality,
        written_by=social_system.system_owner,
        title="Loggserver saknas",
        need="Pengar till loggserver.",
        risk="Intrång syns inte.",
        department=social,
    )
    incident = Incident.objects.create(
        municipality=municipality,
        title="Nätfiske",
        description="Inloggningsuppgifter lämnades ut.",
        discovered_at=timezone.now() - datetime.timedelta(hours=30),
        significant=True,
    )
    incident.systems.set([social_system])
    ProcessingActivity.objects.create(
        municipality=municipality,
        board=social.board,
        name="Handläggning",
        purposes="Handläggning",
        legal_basis="public_task",
        data_subjects="Sökande",
        personal_data_categories="Hälsa",
        sensitive_data=True,
    )
    return {"social": social, "school": school, "social_system": social_system}


@pytest.fixture(autouse=True)
def _in_english(client: Any) -> None:
    """The figures below are asserted in their English wording: the user chose English."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def figure(page: str, n: int, text: str) -> bool:
    return f'<span class="figure">{n}</span> {text}' in page


def test_anonymous_is_sent_to_login(client: Any, municipality: Municipality) -> None:
    response = client.get(url(municipality))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_another_municipality_is_a_404(client: Any, municipality: Municipality) -> None:
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.get(url(municipality)).status_code == 404


def test_the_it_coordinator_sees_every_part(
    client: Any, municipality: Municipality, register: Any
) -> None:
    client.force_login(member(municipality, Role.IT_COORDINATOR))
    response = client.get(url(municipality))
    assert response.status_code == 200
    page = response.content.decode()
    assert figure(page, 2, "systems in production or phase-out that you can see")
    assert figure(page, 1, "with every information type classified and up to date")
    assert figure(page, 1, "due for review (classified 12 months ago or earlier)")
    assert figure(page, 4, "measures documented")
    assert figure(page, 1, "follow-up overdue")
    assert figure(page, 1, "measure of the platform and data communication")
    assert figure(page, 1, "not yet acknowledged")
    assert figure(page, 1, "open significant incident (Cybersecurity Act)")
    assert figure(page, 1, "significant incident without an early warning after 24 hours")
    assert figure(page, 1, "processing of sensitive data without an impact assessment")
    for name in PARTS:
        link = reverse(name, kwargs={"municipality": municipality.slug})
        assert f'href="{link}' in page, name
        assert client.get(link).status_code == 200, name
    assert f'href="{reverse("requirements:list")}"' in page
    assert f'href="{reverse("policy:live", kwargs={"municipality": municipality.slug})}' in page


def test_a_system_owner_sees_their_systems_and_what_they_read(
    client: Any, municipality: Municipality, register: Any
) -> None:
    system = register["social_system"]
    user = member(municipality)
    System.objects.filter(pk=system.pk).update(system_owner=person_of(user, municipality))
    client.force_login(user)
    page = client.get(url(municipality)).content.decode()
    classify = reverse(
        "security:system_classification",
        kwargs={"municipality": municipality.slug, "system_pk": system.pk},
    )
    assert f'href="{classify}"' in page
    assert escape("Socialsystem") in page and "Skolsystem" not in page
    assert figure(page, 1, "system in production or phase-out that you can see")
    assert figure(page, 2, "measures documented")  # the platform's is not theirs to read
    assert "measures of the platform" not in page
    assert figure(page, 0, "not yet acknowledged")  # not written by them, not to them


def test_the_department_head_sees_the_notices_to_them(
    client: Any, municipality: Municipality, register: Any
) -> None:
    client.force_login(member(municipality, Role.DEPARTMENT_HEAD, department=register["social"]))
    page = client.get(url(municipality)).content.decode()
    assert figure(page, 1, "addressed to you awaits your acknowledgement")
    ShortfallNotice.objects.update(status=NoticeStatus.ACKNOWLEDGED, acknowledged_at=timezone.now())
    page = client.get(url(municipality)).content.decode()
    assert "awaits your acknowledgement" not in page


def test_a_member_without_a_role_sees_nothing_of_the_register(
    client: Any, municipality: Municipality, register: Any
) -> None:
    client.force_login(member(municipality, Role.EMPLOYEE))
    page = client.get(url(municipality)).content.decode()
    assert figure(page, 0, "systems in production or phase-out that you can see")
    assert figure(page, 0, "measures documented")
    assert "Socialsystem" not in page
    assert "You are not the system owner of any system in production or phase-out." in page


def test_query_count_does_not_grow_with_the_register(
    client: Any, municipality: Municipality
) -> None:
    user = member(municipality, Role.IT_COORDINATOR)
    owner = person_of(user, municipality)
    department = DepartmentFactory(board__municipality=municipality)
    client.force_login(user)
    counts = []
    for total in (10, 60):
        have = System.objects.filter(municipality=municipality).count()
        for _ in range(total - have):
            system = SystemFactory(
                municipality=municipality,
                board=department.board,
                department=department,
                system_owner=owner,
            )
            classified(system)
            measure(municipality, system)
        ShortfallNotice.objects.create(
            municipality=municipality,
            written_by=PersonFactory(municipality=municipality),
            title="Behov",
            need="Behov",
            risk="Risk",
            department=department,
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(municipality)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
