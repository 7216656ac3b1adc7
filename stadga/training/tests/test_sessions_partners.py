"""The giver's side of sessions open to partners' staff (P8.1, P6.2): the session form's check
box, the API field, and the places that partners' bookings take in the session list."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.api.testing import api_url, client_for
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.cooperation.services_training import booking_create
from stadga.organisation.choices import Role
from stadga.testing.factories import CourseFactory, MunicipalityFactory, member
from stadga.training.models import TrainingSession

from .helpers import department, session, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_the_session_form_opens_a_session_to_partners(client: Any) -> None:
    m = MunicipalityFactory()
    course = CourseFactory(municipality=m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    form = client.get(f"/k/{m.slug}/training/sessions/new/").content.decode()
    assert 'name="open_to_partners"' in form
    response = client.post(
        f"/k/{m.slug}/training/sessions/new/",
        {
            "course": course.pk,
            "starts_at": "2030-03-01T09:00",
            "mode": "on_site",
            "capacity": "12",
            "open_to_partners": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = TrainingSession.objects.get(course=course)
    assert created.open_to_partners is True
    page = client.get(created.get_absolute_url()).content.decode()
    assert 'id="open-to-partners"' in page and "Yes: partners" in page


def test_the_api_says_whether_a_session_is_open_to_partners() -> None:
    m = MunicipalityFactory()
    s = session(m, open_to_partners=True)
    response = client_for(member(m, Role.EMPLOYEE)).get(api_url("trainingsession-detail", s.pk))
    assert response.status_code == 200
    assert response.json()["open_to_partners"] is True


def test_the_session_list_counts_partners_places(client: Any) -> None:
    giver, partner = MunicipalityFactory(), MunicipalityFactory()
    group = CooperationGroup.objects.create(name="Grupp")
    Membership.objects.create(group=group, municipality=giver, shares_training=True)
    Membership.objects.create(group=group, municipality=partner)
    s = session(giver, capacity=5, open_to_partners=True)
    people = [staff(department(partner)) for _ in range(2)]
    for person in people:
        booking_create(municipality=partner, session=s, person=person, actor=None)
    client.force_login(member(giver, Role.IT_COORDINATOR))
    body = client.get(f"/k/{giver.slug}/training/sessions/").content.decode()
    assert "2 / 5" in body
