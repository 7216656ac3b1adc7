"""Training and competence (P6) passes axe-core's WCAG 2.1 A and AA rules in Chromium on the demo
municipality, as the IT coordinator and as a department head see it; a department head books
their staff on the joint session by keyboard without JavaScript (issue 8's done means)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from stadga.demo import DEMO_PASSWORD, data
from stadga.demo.data_training import FINANCE_COURSE
from stadga.demo.load import load_demo
from stadga.organisation.models import Person
from stadga.training.choices import RegistrationStatus
from stadga.training.models import (
    Course,
    Registration,
    TrainingPlan,
    TrainingRequirement,
    TrainingSession,
    WatchNote,
)

from .helpers import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> dict[str, Any]:
    municipality = load_demo()
    return {"url": live_server.url, "m": municipality}


def joint_session(m: Any) -> TrainingSession:
    return TrainingSession.objects.get(
        municipality=m, course__name=FINANCE_COURSE, starts_at__gt=timezone.now()
    )


def test_training_pages_have_no_axe_violations(browser: Any, site: dict[str, Any]) -> None:
    m = site["m"]
    course = Course.objects.get(municipality=m, name=FINANCE_COURSE)
    past = TrainingSession.objects.filter(municipality=m, starts_at__lt=timezone.now()).first()
    person = Person.objects.get(municipality=m, name=data.HOME_CARE_HEAD)
    requirement = TrainingRequirement.objects.filter(municipality=m).first()
    plan = TrainingPlan.objects.filter(municipality=m).first()
    note = WatchNote.objects.filter(municipality=m).first()
    system = requirement.system or course.systems.first()
    assert past and requirement and plan and note and system
    page = browser.new_page()
    log_in(page, site["url"], "it.samordnare", site["m"], DEMO_PASSWORD)
    base = f"{site['url']}/k/{m.slug}/training"
    for path in [
        "/courses/",
        f"/courses/{course.pk}/",
        "/courses/new/",
        "/sessions/",
        f"/sessions/{joint_session(m).pk}/",
        f"/sessions/{past.pk}/",
        "/sessions/new/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/records/new/",
        "/my/",
        "/settings/",
        "/requirements/",
        f"/requirements/{requirement.pk}/",
        "/requirements/new/",
        "/coverage/",
        f"/coverage/?course={course.pk}",
        f"/systems/{system.pk}/users/",
        "/plans/",
        f"/plans/{plan.pk}/",
        "/plans/new/",
        "/watch/",
        f"/watch/{note.pk}/",
        "/watch/new/",
        "/imports/attendance/",
    ]:
        assert_accessible(page, base + path)


def test_a_department_head_books_staff_by_keyboard_without_javascript(
    browser: Any, site: dict[str, Any]
) -> None:
    m = site["m"]
    session = joint_session(m)
    lacking = Person.objects.get(municipality=m, name=data.HOME_CARE_HEAD)
    # The head's own view of the coverage and of the session passes axe (axe needs JavaScript).
    page = browser.new_page()
    log_in(page, site["url"], "socialchef", site["m"], DEMO_PASSWORD)
    assert_accessible(page, f"{site['url']}/k/{m.slug}/training/coverage/")
    assert page.locator(f"main >> text={data.HOME_CARE_HEAD}").first.is_visible()
    assert_accessible(page, f"{site['url']}{session.get_absolute_url()}")
    page.close()
    # Without JavaScript, the head ticks the person lacking the course and books, by keyboard.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site["url"], "socialchef", site["m"], DEMO_PASSWORD)
    page.goto(f"{site['url']}/k/{m.slug}/training/coverage/")
    assert page.locator(f"main >> text={data.HOME_CARE_HEAD}").first.is_visible()
    page.goto(f"{site['url']}{session.get_absolute_url()}")
    checkbox = page.locator(f"#booking-form input[type=checkbox][value='{lacking.pk}']")
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    page.focus("#booking-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    registration = Registration.objects.get(session=session, person=lacking)
    assert registration.status == RegistrationStatus.REGISTERED
    context.close()
