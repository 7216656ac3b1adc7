"""The inbox and the calendar feed: who sees what, marking read, and the feed's content."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from stadga.notifications.context_processors import unread_count
from stadga.notifications.models import CalendarFeed, Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.testing.factories import MunicipalityFactory, PersonFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def notify(person: Person, key: str = "", **kwargs: object) -> Notification:
    return Notification.objects.create(
        municipality=person.municipality,
        recipient=person,
        key=key or f"item:{Notification.objects.count()}",
        subject=kwargs.pop("subject", f"Påminnelse {key}"),
        **kwargs,
    )


def inbox_url(municipality: Municipality) -> str:
    return reverse("notifications:inbox", kwargs={"municipality": municipality.slug})


def calendar_url(municipality: Municipality) -> str:
    return reverse("notifications:calendar", kwargs={"municipality": municipality.slug})


@pytest.fixture
def user(municipality: Municipality):
    return member(municipality)


@pytest.fixture
def person(user, municipality: Municipality) -> Person:
    return Person.objects.get(user=user, municipality=municipality)


@pytest.fixture
def logged_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


class TestInbox:
    @pytest.mark.parametrize("url", [inbox_url, calendar_url])
    def test_anonymous_is_sent_to_log_in(self, client: Client, municipality, url) -> None:
        response = client.get(url(municipality))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("url", [inbox_url, calendar_url])
    def test_another_municipality_is_a_404(self, client: Client, municipality, url) -> None:
        client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert client.get(url(municipality)).status_code == 404
        assert client.post(url(municipality), {"action": "read_all"}).status_code == 404

    def test_a_user_sees_only_their_own(self, logged_in: Client, municipality, person) -> None:
        mine = notify(person, "mine", subject="Min påminnelse", due_date=datetime.date(2026, 5, 1))
        notify(PersonFactory(municipality=municipality), "theirs", subject="Någon annans")
        # The same user as someone in another municipality: shown in that inbox, not here.
        elsewhere = PersonFactory(municipality=MunicipalityFactory(), user=person.user)
        notify(elsewhere, "elsewhere", subject="I grannkommunen")

        response = logged_in.get(inbox_url(municipality))

        assert response.status_code == 200
        assert list(response.context["page"]) == [mine]
        assert response.context["unread"] == 1
        content = response.content.decode()
        assert "Min påminnelse" in content and "2026-05-01" in content
        assert "Någon annans" not in content and "I grannkommunen" not in content

    def test_even_the_it_coordinator_sees_only_their_own(self, client, municipality) -> None:
        client.force_login(member(municipality, Role.IT_COORDINATOR))
        notify(PersonFactory(municipality=municipality), subject="Någon annans")

        response = client.get(inbox_url(municipality))
        assert list(response.context["page"]) == []

    def test_mark_one_read_and_unread(self, logged_in: Client, municipality, person) -> None:
        notification = notify(person)

        response = logged_in.post(
            inbox_url(municipality), {"action": "read", "notification": notification.pk}
        )
        assert response.status_code == 302
        notification.refresh_from_db()
        assert notification.read_at is not None

        logged_in.post(
            inbox_url(municipality), {"action": "unread", "notification": notification.pk}
        )
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_someone_elses_notification_is_a_404(self, logged_in, municipality) -> None:
        theirs = notify(PersonFactory(municipality=municipality))

        response = logged_in.post(
            inbox_url(municipality), {"action": "read", "notification": theirs.pk}
        )

        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_mark_all_read(self, logged_in: Client, municipality, person) -> None:
        notify(person), notify(person)
        theirs = notify(PersonFactory(municipality=municipality))

        response = logged_in.post(inbox_url(municipality), {"action": "read_all", "page": "2"})

        assert response.status_code == 302
        assert response.url == inbox_url(municipality) + "?page=2"
        assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
        theirs.refresh_from_db()
        assert theirs.read_at is None

    @pytest.mark.parametrize(
        "data", [{"action": "delete"}, {"action": "read"}, {"action": "read", "notification": "x"}]
    )
    def test_bad_input_is_a_400(self, logged_in: Client, municipality, data) -> None:
        assert logged_in.post(inbox_url(municipality), data).status_code == 400

    def test_marking_needs_the_csrf_token(self, user, municipality, person) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        notification = notify(person)

        response = client.post(
            inbox_url(municipality), {"action": "read", "notification": notification.pk}
        )

        assert response.status_code == 403
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_pages_and_queries_do_not_grow(self, logged_in, municipality, person) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert logged_in.get(inbox_url(municipality)).status_code == 200
            return len(queries)

        for _ in range(5):
            notify(person)
        few = count()
        for _ in range(60):
            notify(person)
        assert count() == few
        response = logged_in.get(inbox_url(municipality) + "?page=3")
        assert len(response.context["page"]) == 65 - 50

    def test_the_header_count(self, rf, user, municipality, person) -> None:
        notify(person), notify(person, read_at=timezone.now())
        notify(PersonFactory(municipality=municipality))
        request = rf.get("/")
        request.user = user
        assert unread_count(request)["unread_count"] == 1

        request.municipality = MunicipalityFactory()  # a page of another municipality
        assert unread_count(request)["unread_count"] == 0

    def test_the_header_count_of_an_anonymous_visitor(self, rf) -> None:
        from django.contrib.auth.models import AnonymousUser

        request = rf.get("/")
        request.user = AnonymousUser()
        assert unread_count(request) == {"unread_count": 0}


class TestCalendarFeed:
    def test_the_page_creates_regenerates_and_removes_the_address(
        self, logged_in: Client, municipality, user
    ) -> None:
        page = logged_in.get(calendar_url(municipality))
        assert page.status_code == 200 and page.context["feed"] is None

        logged_in.post(calendar_url(municipality), {"action": "create"})
        old = CalendarFeed.objects.get(user=user).token
        page = logged_in.get(calendar_url(municipality))
        assert page.context["feed_url"].endswith(f"/calendar/{old}.ics")
        assert logged_in.get(f"/calendar/{old}.ics").status_code == 200

        logged_in.post(calendar_url(municipality), {"action": "regenerate"})
        new = CalendarFeed.objects.get(user=user).token
        assert new != old
        assert Client().get(f"/calendar/{old}.ics").status_code == 404
        assert Client().get(f"/calendar/{new}.ics").status_code == 200

        logged_in.post(calendar_url(municipality), {"action": "revoke"})
        assert Client().get(f"/calendar/{new}.ics").status_code == 404
        assert logged_in.post(calendar_url(municipality), {"action": "x"}).status_code == 400

    def test_the_feed_holds_the_users_deadlines(self, municipality, person) -> None:
        due = notify(
            person,
            "due",
            subject="Förnya attesten för P6.4",
            body="Giltig till 2026-05-01.",
            link="/k/x/policy/attestations/1/",
            due_date=datetime.date(2026, 5, 1),
        )
        notify(person, "no-date", subject="Utan datum")
        notify(PersonFactory(municipality=municipality), "theirs", due_date=due.due_date)
        other_municipality = PersonFactory(municipality=MunicipalityFactory(), user=person.user)
        notify(other_municipality, "elsewhere", subject="Grannen", due_date=due.due_date)
        token = CalendarFeed.objects.create(user=person.user).token

        response = Client().get(
            reverse("notifications:calendar_feed", kwargs={"token": token}),
            HTTP_HOST="localhost",
        )

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "no-store" in response["Cache-Control"]
        events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
        assert set(events) == {"Förnya attesten för P6.4", "Grannen"}
        event = events["Förnya attesten för P6.4"]
        assert event.decoded("dtstart") == datetime.date(2026, 5, 1)
        assert event.decoded("dtend") == datetime.date(2026, 5, 2)
        assert str(event["url"]) == "http://localhost/k/x/policy/attestations/1/"
        assert "Giltig till 2026-05-01." in str(event["description"])
        assert str(event["uid"]) == f"notification-{due.pk}@localhost"

    def test_an_unknown_token_is_a_404(self, client: Client) -> None:
        assert client.get("/calendar/not-a-token.ics").status_code == 404

    def test_a_deactivated_login_has_no_feed(self, client: Client) -> None:
        user = UserFactory(is_active=False)
        token = CalendarFeed.objects.create(user=user).token
        assert client.get(f"/calendar/{token}.ics").status_code == 404
