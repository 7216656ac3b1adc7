"""Security incidents and the Cybersecurity Act's (2025:1506) deadlines: hours counted as hours
across the changes to and from summer time, the month as a calendar month in Swedish time."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.security.models import Incident, InformationType, Measure
from stadga.security.services_incidents import (
    EARLY_WARNING,
    FINAL_REPORT,
    NOTIFICATION,
    deadline_due_at,
    deadlines_to_remind,
    incident_close,
    incident_deadlines,
    incident_mark_sent,
    incident_report,
    incident_update,
)
from stadga.testing.factories import MunicipalityFactory, SystemFactory, member

from .test_notices import person

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


def due(discovered: datetime.datetime, name: str) -> datetime.datetime:
    return deadline_due_at(discovered, name).astimezone(STOCKHOLM)


# --- deadlines ----------------------------------------------------------------------------------


class TestDeadlines:
    def test_into_summer_time_24_hours_are_25_on_the_clock(self) -> None:
        """The clocks go forward on 29 March 2026 at 02:00: 24 hours after 12:00 on the 28th
        it is 13:00 on the 29th."""
        discovered = local(2026, 3, 28, 12, 0)
        assert due(discovered, EARLY_WARNING) == local(2026, 3, 29, 13, 0)
        # Real time (both sides in UTC: Python subtracts wall clocks within one zone).
        elapsed = deadline_due_at(discovered, EARLY_WARNING) - discovered.astimezone(datetime.UTC)
        assert elapsed == datetime.timedelta(hours=24)
        assert due(discovered, NOTIFICATION) == local(2026, 3, 31, 13, 0)
        # The month is a calendar month: the same time of day a month later.
        assert due(discovered, FINAL_REPORT) == local(2026, 4, 28, 12, 0)

    def test_out_of_summer_time_24_hours_are_23_on_the_clock(self) -> None:
        """The clocks go back on 25 October 2026 at 03:00: 24 hours after 12:00 on the 24th
        it is 11:00 on the 25th."""
        discovered = local(2026, 10, 24, 12, 0)
        assert due(discovered, EARLY_WARNING) == local(2026, 10, 25, 11, 0)
        assert due(discovered, NOTIFICATION) == local(2026, 10, 27, 11, 0)
        assert due(discovered, FINAL_REPORT) == local(2026, 11, 24, 12, 0)

    def test_the_month_across_a_change_keeps_the_clock_time(self) -> None:
        discovered = local(2026, 3, 15, 9, 30)  # winter time
        assert due(discovered, FINAL_REPORT) == local(2026, 4, 15, 9, 30)  # summer time
        final = deadline_due_at(discovered, FINAL_REPORT)
        assert final - discovered == datetime.timedelta(days=31, hours=-1)

    @pytest.mark.parametrize(
        ("discovered", "final"),
        [
            ((2026, 1, 31, 14, 0), (2026, 2, 28, 14, 0)),
            ((2028, 1, 31, 14, 0), (2028, 2, 29, 14, 0)),  # a leap year
            ((2026, 3, 31, 8, 0), (2026, 4, 30, 8, 0)),
            ((2026, 12, 31, 23, 30), (2027, 1, 31, 23, 30)),
            ((2026, 2, 28, 10, 0), (2026, 3, 28, 10, 0)),
        ],
    )
    def test_the_month_ends_on_the_months_last_day(self, discovered: Any, final: Any) -> None:
        assert due(local(*discovered), FINAL_REPORT) == local(*final)

    def test_late_in_the_evening_the_month_is_counted_in_swedish_time(self) -> None:
        """23:30 on 31 January in Stockholm is 22:30 UTC: the local date decides."""
        discovered = local(2026, 1, 31, 23, 30)
        utc = discovered.astimezone(datetime.UTC)
        assert due(utc, FINAL_REPORT) == local(2026, 2, 28, 23, 30)

    def test_the_time_zone_it_is_given_in_does_not_matter(self) -> None:
        discovered = local(2026, 3, 28, 12, 0)
        for tz in (datetime.UTC, ZoneInfo("America/New_York")):
            for name in (EARLY_WARNING, NOTIFICATION, FINAL_REPORT):
                assert due(discovered.astimezone(tz), name) == due(discovered, name)

    def test_a_naive_time_is_refused(self) -> None:
        with pytest.raises(ValueError):
            deadline_due_at(datetime.datetime(2026, 3, 28, 12), EARLY_WARNING)
        with pytest.raises(ValueError):
            deadline_due_at(local(2026, 3, 28, 12), "press_release")

    def test_deadlines_of_an_incident(self) -> None:
        incident = Incident(
            significant=True,
            discovered_at=local(2026, 10, 24, 12, 0),
            early_warning_sent_at=local(2026, 10, 25, 10, 0),
            notification_sent_at=local(2026, 10, 27, 12, 0),  # an hour late
        )
        now = local(2026, 11, 30, 8, 0)
        early, notification, final = incident_deadlines(incident, now=now)
        assert [d.name for d in (early, notification, final)] == [
            EARLY_WARNING,
            NOTIFICATION,
            FINAL_REPORT,
        ]
        assert early.sent_at is not None and not early.overdue and not early.sent_late
        assert notification.sent_late and not notification.overdue
        assert final.overdue and final.sent_at is None
        assert final.due_date == datetime.date(2026, 11, 24)
        assert str(final.label)

    def test_none_for_an_incident_that_is_not_significant(self) -> None:
        incident = Incident(significant=False, discovered_at=local(2026, 1, 1, 0, 0))
        assert incident_deadlines(incident) == []

    def test_what_to_remind_of(self) -> None:
        incident = Incident(significant=True, discovered_at=local(2026, 5, 4, 9, 0))
        now = local(2026, 5, 4, 10, 0)
        names = [d.name for d in deadlines_to_remind(incident, now=now)]
        assert names == [EARLY_WARNING, NOTIFICATION]  # the month a week ahead
        names = [d.name for d in deadlines_to_remind(incident, now=local(2026, 5, 28, 9, 0))]
        assert names == [EARLY_WARNING, NOTIFICATION, FINAL_REPORT]
        incident.early_warning_sent_at = local(2026, 5, 4, 12, 0)
        names = [d.name for d in deadlines_to_remind(incident, now=local(2026, 5, 28, 9, 0))]
        assert names == [NOTIFICATION, FINAL_REPORT]
        incident.closed_at = local(2026, 5, 29, 9, 0)
        assert deadlines_to_remind(incident, now=local(2026, 5, 28, 9, 0)) == []


# --- services -----------------------------------------------------------------------------------


class Place:
    """A municipality with its IT coordinator, a system whose owner has a login, and a
    stranger."""

    def __init__(self) -> None:
        self.municipality: Municipality = MunicipalityFactory()
        m = self.municipality
        self.coordinator = member(m, Role.IT_COORDINATOR)
        self.owner = member(m)
        self.system = SystemFactory(municipality=m, system_owner=person(self.owner))
        self.other_system = SystemFactory(municipality=m)
        self.stranger = member(m)

    def data(self, **overrides: Any) -> dict[str, Any]:
        return {
            "title": "Nätfiske mot ekonomikontoret",
            "description": "Inloggningsuppgifter lämnades ut.",
            "discovered_at": timezone.now() - datetime.timedelta(hours=2),
            "significant": False,
            "systems": [self.system],
            "information_types": [],
            "measures": [],
            "lessons_learned": "",
            **overrides,
        }

    def report(self, actor: Any = None, **overrides: Any) -> Incident:
        return incident_report(
            municipality=self.municipality, data=self.data(**overrides), actor=actor or self.owner
        )


@pytest.fixture
def p() -> Place:
    return Place()


class TestReport:
    def test_the_owner_reports_and_the_it_coordinator_hears_of_it(
        self, p: Place, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            incident = p.report()
        assert incident.reported_by == person(p.owner)
        assert list(incident.systems.all()) == [p.system]
        (told,) = Notification.objects.all()
        assert told.recipient == person(p.coordinator)
        assert told.key == f"incident:{incident.pk}:reported"
        assert told.link == incident.get_absolute_url()
        assert len(mail.outbox) == 1
        entry = LogEntry.objects.get_for_object(incident).get(action=LogEntry.Action.CREATE)
        assert entry.actor == p.owner

    def test_a_significant_incidents_first_deadlines_are_told_at_once(self, p: Place) -> None:
        incident = p.report(significant=True)
        keys = set(
            Notification.objects.filter(recipient=person(p.owner)).values_list("key", flat=True)
        )
        (early, notification, _final) = incident_deadlines(incident)
        assert keys == {
            f"incident:{incident.pk}:early_warning:{early.due_date.isoformat()}",
            f"incident:{incident.pk}:notification:{notification.due_date.isoformat()}",
        }
        coordinator = Notification.objects.filter(recipient=person(p.coordinator))
        assert coordinator.count() == 3  # reported, early warning, notification

    def test_the_it_department_reports_without_a_system(self, p: Place) -> None:
        incident = p.report(actor=p.coordinator, systems=[])
        assert incident.reported_by == person(p.coordinator)
        technician = member(p.municipality, Role.IT_TECHNICIAN)
        assert p.report(actor=technician, systems=[p.other_system]).pk

    def test_an_owner_names_a_system_of_their_own(self, p: Place) -> None:
        with pytest.raises(ValidationError) as error:
            p.report(systems=[p.other_system])
        assert "systems" in error.value.message_dict
        assert p.report(systems=[p.system, p.other_system]).systems.count() == 2

    def test_others_may_not_report(self, p: Place) -> None:
        for actor in (p.stranger, member(p.municipality, Role.AUDITOR)):
            with pytest.raises(PermissionDenied):
                p.report(actor=actor)
        with pytest.raises(PermissionDenied):
            p.report(actor=member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert not Incident.objects.exists()

    def test_not_discovered_in_the_future(self, p: Place) -> None:
        later = timezone.now() + datetime.timedelta(hours=1)
        with pytest.raises(ValidationError) as error:
            p.report(discovered_at=later)
        assert "discovered_at" in error.value.message_dict

    def test_information_types_of_the_affected_systems(self, p: Place) -> None:
        other_type = InformationType.objects.create(
            municipality=p.municipality, system=p.other_system, name="Löner"
        )
        with pytest.raises(ValidationError) as error:
            p.report(information_types=[other_type])
        assert "information_types" in error.value.message_dict
        own_type = InformationType.objects.create(
            municipality=p.municipality, system=p.system, name="Fakturor"
        )
        assert list(p.report(information_types=[own_type]).information_types.all()) == [own_type]

    def test_nothing_of_another_municipality(self, p: Place) -> None:
        foreign = SystemFactory()
        with pytest.raises(ValidationError):
            p.report(actor=p.coordinator, systems=[foreign])

    def test_only_what_the_reporter_fills_in(self, p: Place) -> None:
        with pytest.raises(ValueError, match="closed_at"):
            p.report(closed_at=timezone.now())


class TestUpdate:
    def test_lessons_learned_linked_to_measures(self, p: Place) -> None:
        incident = p.report()
        measure = Measure.objects.create(
            municipality=p.municipality, system=p.system, title="MFA", status="implemented"
        )
        incident_update(
            incident=incident,
            data={"lessons_learned": "Inför MFA.", "measures": [measure]},
            actor=p.owner,
        )
        incident.refresh_from_db()
        assert incident.lessons_learned == "Inför MFA."
        assert list(incident.measures.all()) == [measure]
        assert list(measure.incidents.all()) == [incident]

    def test_becoming_significant_tells_of_the_deadlines(self, p: Place) -> None:
        incident = p.report()
        assert not Notification.objects.filter(recipient=person(p.owner)).exists()
        incident_update(incident=incident, data={"significant": True}, actor=p.coordinator)
        assert Notification.objects.filter(recipient=person(p.owner)).count() == 2

    def test_who_may_edit(self, p: Place) -> None:
        incident = p.report(systems=[p.system, p.other_system])
        other_owner = p.other_system.system_owner
        assert other_owner is not None
        with pytest.raises(PermissionDenied):
            incident_update(incident=incident, data={"title": "X"}, actor=p.stranger)
        # The owner may not leave the incident without a system of their own.
        with pytest.raises(ValidationError):
            incident_update(incident=incident, data={"systems": [p.other_system]}, actor=p.owner)
        incident_update(incident=incident, data={"title": "Ny titel"}, actor=p.owner)
        incident_update(incident=incident, data={"systems": [p.other_system]}, actor=p.coordinator)
        with pytest.raises(PermissionDenied):
            incident_update(incident=incident, data={"title": "Igen"}, actor=p.owner)
        incident.refresh_from_db()
        assert incident.title == "Ny titel"

    def test_nothing_is_deleted(self, p: Place) -> None:
        incident = p.report()
        with pytest.raises(PermissionError):
            incident.delete()


class TestSentAndClose:
    def test_record_the_reports_and_close(self, p: Place) -> None:
        discovered = timezone.now() - datetime.timedelta(days=40)
        incident = p.report(actor=p.coordinator, significant=True, discovered_at=discovered)
        with pytest.raises(ValidationError):  # the reports are not recorded yet
            incident_close(incident=incident, actor=p.coordinator)
        for hours, which in ((20, EARLY_WARNING), (70, NOTIFICATION), (700, FINAL_REPORT)):
            incident_mark_sent(
                incident=incident,
                which=which,
                at=discovered + datetime.timedelta(hours=hours),
                actor=p.owner,
            )
        incident.refresh_from_db()
        assert all(d.sent_at and not d.overdue for d in incident_deadlines(incident))
        incident_close(incident=incident, actor=p.owner)
        incident.refresh_from_db()
        assert incident.closed_at is not None
        with pytest.raises(ValidationError):
            incident_close(incident=incident, actor=p.owner)
        changes = [e.changes_dict for e in LogEntry.objects.get_for_object(incident).order_by("pk")]
        assert any("early_warning_sent_at" in c for c in changes)
        assert any("closed_at" in c for c in changes)

    def test_an_incident_that_is_not_significant_closes_at_once(self, p: Place) -> None:
        incident = p.report()
        incident_close(incident=incident, actor=p.owner)
        assert incident.closed_at is not None

    def test_the_time_sent_is_checked(self, p: Place) -> None:
        incident = p.report(significant=True)
        with pytest.raises(ValidationError):
            incident_mark_sent(
                incident=incident,
                which=EARLY_WARNING,
                at=incident.discovered_at - datetime.timedelta(minutes=1),
                actor=p.owner,
            )
        with pytest.raises(ValidationError):
            incident_mark_sent(
                incident=incident,
                which=EARLY_WARNING,
                at=timezone.now() + datetime.timedelta(hours=1),
                actor=p.owner,
            )
        with pytest.raises(ValueError):
            incident_mark_sent(incident=incident, which="press", at=timezone.now(), actor=p.owner)
        with pytest.raises(PermissionDenied):
            incident_mark_sent(
                incident=incident, which=EARLY_WARNING, at=timezone.now(), actor=p.stranger
            )
        with pytest.raises(PermissionDenied):
            incident_close(incident=incident, actor=p.stranger)
        incident.refresh_from_db()
        assert incident.early_warning_sent_at is None
