"""Resource-shortfall notices (P9.6): filing reaches the addressees' inboxes and e-mail at once,
acknowledgement and decision by the addressees only, escalation once, nothing deleted."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.notifications.services import notify
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality, Person
from stadga.security.choices import NoticeStatus
from stadga.security.models import Measure, SecuritySettings, ShortfallNotice
from stadga.security.services_notices import (
    shortfall_notice_acknowledge,
    shortfall_notice_decide,
    shortfall_notice_escalate,
    shortfall_notice_file,
)
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SystemFactory,
    member,
)

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


# --- helpers (shared with the other notice tests) -----------------------------------------------


def person(user: Any) -> Person:
    return user.people.get()


class Setting:
    """A department under a board with a head and a board member, a system of the department
    whose owner has a login, and the IT coordinator."""

    def __init__(self, municipality: Municipality | None = None) -> None:
        self.municipality = municipality or MunicipalityFactory()
        m = self.municipality
        self.board = BoardFactory(municipality=m)
        self.department = DepartmentFactory(board=self.board)
        self.head = member(m, Role.DEPARTMENT_HEAD, department=self.department)
        self.board_member = member(m, Role.BOARD_MEMBER, board=self.board)
        self.owner = member(m)
        self.system = SystemFactory(
            municipality=m,
            board=self.board,
            department=self.department,
            system_owner=person(self.owner),
        )
        self.coordinator = member(m, Role.IT_COORDINATOR)
        self.executive = member(m, Role.EXECUTIVE_BOARD_READER)

    def data(self, **overrides: Any) -> dict[str, Any]:
        return {
            "title": "Backup utan återläsningstest",
            "need": "Pengar för en testmiljö för återläsning.",
            "risk": "Vi vet inte om säkerhetskopiorna går att läsa tillbaka.",
            "estimated_cost": Decimal("45000.00"),
            "department": self.department,
            "board": None,
            "systems": [self.system],
            "measures": [],
            **overrides,
        }

    def file(self, actor: Any = None, **overrides: Any) -> ShortfallNotice:
        return shortfall_notice_file(
            municipality=self.municipality, data=self.data(**overrides), actor=actor or self.owner
        )


def filed_on(notice: ShortfallNotice, day: datetime.date, hour: int = 10) -> ShortfallNotice:
    """Back-date a notice (test data: the filing time is set by the database)."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), TZ)
    ShortfallNotice.objects.filter(pk=notice.pk).update(created_at=when)
    notice.refresh_from_db()
    return notice


@pytest.fixture
def s() -> Setting:
    return Setting()


# --- filing -------------------------------------------------------------------------------------


class TestFile:
    def test_reaches_the_department_heads_inbox_and_e_mail(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        head = person(s.head)
        with django_capture_on_commit_callbacks(execute=True):
            notice = s.file()

        assert notice.written_by == person(s.owner)
        assert notice.status == NoticeStatus.OPEN
        assert list(notice.systems.all()) == [s.system]
        (notification,) = Notification.objects.filter(recipient=head)
        assert notification.key == f"shortfall-notice:{notice.pk}:filed"
        assert notification.link == notice.get_absolute_url()
        assert notice.title in notification.subject
        assert "P9.6" in notification.body
        assert notification.emailed_at is not None
        (message,) = mail.outbox
        assert message.to == [head.email]
        assert message.subject == notification.subject
        # Addressed to the department only: the board is not told.
        assert not Notification.objects.filter(recipient=person(s.board_member)).exists()
        entry = LogEntry.objects.get_for_object(notice).get(action=LogEntry.Action.CREATE)
        assert entry.actor == s.owner

    def test_to_the_board_its_members_are_told(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            s.file(board=s.board)
        recipients = set(Notification.objects.values_list("recipient_id", flat=True))
        assert recipients == {person(s.head).pk, person(s.board_member).pk}
        assert len(mail.outbox) == 2

    def test_the_board_alone(self, s: Setting) -> None:
        notice = s.file(department=None, board=s.board)
        assert Notification.objects.get().recipient == person(s.board_member)
        assert notice.department is None

    def test_the_it_department_files_for_the_platform(self, s: Setting) -> None:
        notice = s.file(actor=s.coordinator, systems=[])
        assert notice.written_by == person(s.coordinator)
        technician = member(s.municipality, Role.IT_TECHNICIAN)
        assert s.file(actor=technician, systems=[]).written_by == person(technician)

    def test_with_the_measures_affected(self, s: Setting) -> None:
        measure = Measure.objects.create(
            municipality=s.municipality,
            system=s.system,
            title="Återläsningstest",
            status="implemented",
        )
        notice = s.file(measures=[measure])
        assert list(notice.measures.all()) == [measure]

    def test_a_member_without_a_system_may_not_file(self, s: Setting) -> None:
        with pytest.raises(PermissionDenied):
            s.file(actor=member(s.municipality))
        with pytest.raises(PermissionDenied):  # nor the head: the owner writes (P9.6)
            s.file(actor=s.head)
        with pytest.raises(PermissionDenied):  # nor someone of another municipality
            s.file(actor=member(MunicipalityFactory(), Role.IT_COORDINATOR))
        assert not ShortfallNotice.objects.exists()

    def test_a_system_owner_names_a_system_of_their_own(self, s: Setting) -> None:
        other = SystemFactory(municipality=s.municipality)
        with pytest.raises(ValidationError) as error:
            s.file(systems=[other])
        assert "systems" in error.value.message_dict
        with pytest.raises(ValidationError):
            s.file(systems=[])
        assert s.file(systems=[other, s.system]).systems.count() == 2

    def test_an_owner_by_role_assignment_may_file(self, s: Setting) -> None:
        user = member(s.municipality, Role.SYSTEM_OWNER, system=s.system)
        assert s.file(actor=user).written_by == person(user)

    def test_an_addressee_is_required(self, s: Setting) -> None:
        with pytest.raises(ValidationError) as error:
            s.file(department=None, board=None)
        assert "department" in error.value.message_dict
        assert not ShortfallNotice.objects.exists()
        assert not Notification.objects.exists()

    def test_the_department_must_be_under_the_board(self, s: Setting) -> None:
        with pytest.raises(ValidationError) as error:
            s.file(board=BoardFactory(municipality=s.municipality))
        assert "board" in error.value.message_dict

    def test_nothing_of_another_municipality(self, s: Setting) -> None:
        foreign = Setting()
        with pytest.raises(ValidationError):
            s.file(actor=s.coordinator, systems=[foreign.system])
        with pytest.raises(ValidationError):
            s.file(actor=s.coordinator, department=foreign.department)
        assert not ShortfallNotice.objects.exists()

    def test_only_what_the_writer_fills_in(self, s: Setting) -> None:
        with pytest.raises(ValueError, match="status"):
            s.file(status=NoticeStatus.FUNDED)

    def test_a_failed_filing_notifies_nobody(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            s.file(estimated_cost=Decimal("-1"))
        assert not Notification.objects.exists()
        assert mail.outbox == []


# --- acknowledging and deciding -----------------------------------------------------------------


class TestAcknowledgeAndDecide:
    def test_the_whole_way(self, s: Setting, django_capture_on_commit_callbacks: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            notice = s.file()
        writer = person(s.owner)

        with django_capture_on_commit_callbacks(execute=True):
            shortfall_notice_acknowledge(notice=notice, actor=s.head)
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.ACKNOWLEDGED
        assert notice.acknowledged_by == person(s.head)
        assert notice.acknowledged_at is not None
        told = Notification.objects.get(recipient=writer)
        assert told.key == f"shortfall-notice:{notice.pk}:acknowledged"

        with django_capture_on_commit_callbacks(execute=True):
            shortfall_notice_decide(
                notice=notice,
                status=NoticeStatus.RISK_ACCEPTED,
                reason="Budgeten räcker inte i år; tas upp i nästa års plan.",
                actor=s.head,
            )
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.RISK_ACCEPTED
        assert notice.decided_by == person(s.head)
        assert notice.decision_reason.startswith("Budgeten")
        decided = Notification.objects.get(recipient=writer, key__endswith=":decided")
        assert "Budgeten" in decided.body
        assert [m.to for m in mail.outbox] == [
            [person(s.head).email],
            [writer.email],
            [writer.email],
        ]
        entries = LogEntry.objects.get_for_object(notice).filter(action=LogEntry.Action.UPDATE)
        steps = [e for e in entries if "status" in e.changes_dict]
        assert len(steps) == 2
        assert {e.actor for e in steps} == {s.head}

    def test_risk_accepted_or_rejected_needs_a_reason(self, s: Setting) -> None:
        notice = s.file()
        for status in (NoticeStatus.RISK_ACCEPTED, NoticeStatus.REJECTED):
            with pytest.raises(ValidationError) as error:
                shortfall_notice_decide(notice=notice, status=status, reason="  ", actor=s.head)
            assert "decision_reason" in error.value.message_dict
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN
        assert notice.decided_at is None

    def test_funded_needs_no_reason_and_acknowledges_too(self, s: Setting) -> None:
        notice = s.file(board=s.board)
        shortfall_notice_decide(
            notice=notice, status=NoticeStatus.FUNDED, reason="", actor=s.board_member
        )
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.FUNDED
        assert notice.acknowledged_by == notice.decided_by == person(s.board_member)

    def test_a_decision_is_final(self, s: Setting) -> None:
        notice = s.file()
        shortfall_notice_decide(notice=notice, status=NoticeStatus.FUNDED, reason="", actor=s.head)
        with pytest.raises(ValidationError):
            shortfall_notice_decide(
                notice=notice, status=NoticeStatus.REJECTED, reason="Nej.", actor=s.head
            )
        with pytest.raises(ValidationError):
            shortfall_notice_acknowledge(notice=notice, actor=s.head)

    def test_acknowledged_once(self, s: Setting) -> None:
        notice = s.file()
        shortfall_notice_acknowledge(notice=notice, actor=s.head)
        with pytest.raises(ValidationError):
            shortfall_notice_acknowledge(notice=notice, actor=s.head)

    def test_not_a_decision_status(self, s: Setting) -> None:
        notice = s.file()
        with pytest.raises(ValidationError):
            shortfall_notice_decide(
                notice=notice, status=NoticeStatus.ACKNOWLEDGED, reason="", actor=s.head
            )

    @pytest.mark.parametrize("who", ["writer", "stranger", "executive", "coordinator", "other"])
    def test_only_the_addressees_decide(self, s: Setting, who: str) -> None:
        notice = s.file()  # to the department: its head, not the board's members
        actor = {
            "writer": s.owner,
            "stranger": member(s.municipality),
            "executive": s.executive,
            "coordinator": s.coordinator,
            "other": member(
                MunicipalityFactory(), Role.DEPARTMENT_HEAD, department=DepartmentFactory()
            ),
        }[who]
        with pytest.raises(PermissionDenied):
            shortfall_notice_acknowledge(notice=notice, actor=actor)
        with pytest.raises(PermissionDenied):
            shortfall_notice_decide(
                notice=notice, status=NoticeStatus.FUNDED, reason="", actor=actor
            )
        with pytest.raises(PermissionDenied):
            shortfall_notice_decide(
                notice=notice, status=NoticeStatus.FUNDED, reason="", actor=s.board_member
            )
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.OPEN

    def test_nothing_is_deleted(self, s: Setting) -> None:
        notice = s.file()
        with pytest.raises(PermissionError):
            notice.delete()
        assert ShortfallNotice.objects.filter(pk=notice.pk).exists()


# --- escalation ---------------------------------------------------------------------------------


class TestEscalate:
    def test_after_the_period_exactly_once(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        day = datetime.date(2026, 3, 2)
        notice = filed_on(s.file(), day, hour=23)
        Notification.objects.all().delete()  # the filing's own notification
        mail.outbox.clear()

        assert shortfall_notice_escalate(municipality=s.municipality, today=day) == []
        before = day + datetime.timedelta(days=13)
        assert shortfall_notice_escalate(municipality=s.municipality, today=before) == []
        with django_capture_on_commit_callbacks(execute=True):
            escalated = shortfall_notice_escalate(
                municipality=s.municipality, today=day + datetime.timedelta(days=14)
            )
        assert escalated == [notice]
        notice.refresh_from_db()
        assert notice.escalated_at is not None
        told = Notification.objects.filter(key=f"shortfall-notice:{notice.pk}:escalated")
        assert {n.recipient for n in told} == {person(s.executive), person(s.coordinator)}
        assert len(mail.outbox) == 2
        (entry,) = [
            e
            for e in LogEntry.objects.get_for_object(notice).filter(action=LogEntry.Action.UPDATE)
            if "escalated_at" in e.changes_dict
        ]
        assert entry.actor is None  # by the system itself

        for later in (14, 15, 40):
            assert (
                shortfall_notice_escalate(
                    municipality=s.municipality, today=day + datetime.timedelta(days=later)
                )
                == []
            )
        assert told.count() == 2

    def test_the_municipalitys_period(self, s: Setting) -> None:
        SecuritySettings.objects.create(municipality=s.municipality, shortfall_escalation_days=3)
        day = datetime.date(2026, 3, 2)
        notice = filed_on(s.file(), day)
        assert (
            shortfall_notice_escalate(municipality=s.municipality, today=day.replace(day=4)) == []
        )
        assert shortfall_notice_escalate(municipality=s.municipality, today=day.replace(day=5)) == [
            notice
        ]

    def test_acknowledged_and_decided_notices_are_not_escalated(self, s: Setting) -> None:
        day = datetime.date(2026, 3, 2)
        acknowledged = filed_on(s.file(), day)
        shortfall_notice_acknowledge(notice=acknowledged, actor=s.head)
        decided = filed_on(s.file(), day)
        shortfall_notice_decide(notice=decided, status="funded", reason="", actor=s.head)
        other_municipality = Setting()
        filed_on(other_municipality.file(), day)
        later = day + datetime.timedelta(days=30)
        assert shortfall_notice_escalate(municipality=s.municipality, today=later) == []

    def test_an_escalated_notice_is_still_acknowledged_and_decided(self, s: Setting) -> None:
        day = datetime.date(2026, 3, 2)
        notice = filed_on(s.file(), day)
        shortfall_notice_escalate(municipality=s.municipality, today=day.replace(day=30))
        shortfall_notice_acknowledge(notice=notice, actor=s.head)
        notice.refresh_from_db()
        assert notice.escalated_at is not None
        assert notice.status == NoticeStatus.ACKNOWLEDGED


# --- notify -------------------------------------------------------------------------------------


class TestNotify:
    def test_once_per_key_and_recipient(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        head, member_ = person(s.head), person(s.board_member)
        args = {
            "municipality": s.municipality,
            "key": "test:1",
            "subject": "Ämne",
            "body": "Text",
            "link": "/k/x/",
            "due_date": datetime.date(2026, 5, 1),
        }
        with django_capture_on_commit_callbacks(execute=True):
            created = notify(recipients=[head, head], **args)
        assert [n.recipient for n in created] == [head]
        with django_capture_on_commit_callbacks(execute=True):
            created = notify(recipients=[head, member_], **args)
        assert [n.recipient for n in created] == [member_]
        assert len(mail.outbox) == 2
        assert "2026-05-01" in mail.outbox[0].body
        assert Notification.objects.get(recipient=head).due_date == datetime.date(2026, 5, 1)

    def test_not_across_municipalities_nor_to_those_who_left(self, s: Setting) -> None:
        stranger = PersonFactory()
        left = PersonFactory(municipality=s.municipality, archived_at=timezone.now())
        assert (
            notify(
                municipality=s.municipality,
                recipients=[stranger, left],
                key="test:2",
                subject="Ämne",
                body="",
                link="",
            )
            == []
        )
        assert not Notification.objects.exists()

    def test_a_rolled_back_write_sends_nothing(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            notify(
                municipality=s.municipality,
                recipients=[person(s.head)],
                key="test:3",
                subject="Ämne",
                body="",
                link="",
            )
            raise RuntimeError
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_an_address_without_e_mail_is_in_the_inbox_only(
        self, s: Setting, django_capture_on_commit_callbacks: Any
    ) -> None:
        quiet = PersonFactory(municipality=s.municipality, email="")
        with django_capture_on_commit_callbacks(execute=True):
            (created,) = notify(
                municipality=s.municipality,
                recipients=[quiet],
                key="test:4",
                subject="Ämne",
                body="",
                link="",
            )
        assert created.emailed_at is None
        assert mail.outbox == []


def test_escalation_reaches_a_department_without_a_head(s: Setting) -> None:
    """Nobody holds the department head role: nobody is told at filing, and the escalation is
    what brings the notice to the executive board."""
    department = DepartmentFactory(board=s.board)
    day = datetime.date(2026, 3, 2)
    notice = filed_on(s.file(department=department), day)
    assert not Notification.objects.exists()
    shortfall_notice_escalate(municipality=s.municipality, today=day + datetime.timedelta(days=14))
    assert Notification.objects.filter(key__endswith=f"{notice.pk}:escalated").count() == 2
