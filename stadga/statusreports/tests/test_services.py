"""The status report's services (P3.13): a draft is written, issuing freezes the figures and
tells the management group, and an issued report is a record that every change is refused."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Person
from stadga.statusreports import services
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.testing.factories import MunicipalityFactory, member
from stadga.testing.policy import adopted_policy

from .helpers import report

pytestmark = pytest.mark.django_db


def test_create_and_update_a_draft_logged_with_who() -> None:
    m = MunicipalityFactory()
    user = member(m, Role.IT_COORDINATOR)
    today = timezone.localdate()
    draft = services.report_create(
        municipality=m,
        data={"title": "Vår", "period_from": today.replace(day=1), "period_to": today},
        actor=user,
    )
    assert draft.status == ReportStatus.DRAFT and draft.content == {}
    _, changed = services.report_update(report=draft, data={"commentary": "Bra."}, actor=user)
    assert changed
    assert LogEntry.objects.get_for_object(draft).filter(actor=user).count() == 2


def test_a_period_that_ends_before_it_begins_is_refused() -> None:
    m = MunicipalityFactory()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.report_create(
            municipality=m,
            data={"title": "X", "period_from": today, "period_to": today - datetime.timedelta(1)},
            actor=None,
        )


def test_issue_freezes_the_figures_and_tells_the_management_group() -> None:
    m = MunicipalityFactory()
    adopted_policy(m, {"P3.13": ["statusreports.reported_twice_a_year"]})
    coordinator = member(m, Role.IT_COORDINATOR)
    board_reader = Person.objects.get(user=member(m, Role.EXECUTIVE_BOARD_READER))
    auditor = Person.objects.get(user=member(m, Role.AUDITOR))
    draft = report(m)
    issued = services.report_issue(report=draft, actor=coordinator)
    issued.refresh_from_db()
    assert issued.status == ReportStatus.ISSUED
    assert issued.issued_by == coordinator and issued.issued_at is not None
    (clause,) = issued.content["compliance"]["clauses"]
    assert clause["clause"] == "P3.13" and clause["status"] == "not_met"  # none issued before
    told = Notification.objects.filter(key=f"status-report-issued:{draft.pk}")
    assert set(told.values_list("recipient", flat=True)) == {board_reader.pk}
    assert auditor.pk not in set(told.values_list("recipient", flat=True))


def test_an_issued_report_cannot_be_changed_only_archived() -> None:
    m = MunicipalityFactory()
    user = member(m, Role.IT_COORDINATOR)
    issued = services.report_issue(report=report(m), actor=user)
    frozen = dict(issued.content)
    with pytest.raises(ValidationError):
        services.report_update(report=issued, data={"commentary": "Ändrat"}, actor=user)
    with pytest.raises(ValidationError):
        services.report_update(report=issued, data={"title": "Nytt"}, actor=user)
    with pytest.raises(ValidationError):
        services.report_issue(report=issued, actor=user)
    stored = StatusReport.objects.get(pk=issued.pk)
    assert stored.commentary == "" and stored.title == "Lägesrapport"
    assert stored.content == frozen
    services.report_archive(report=stored, actor=user)
    stored.refresh_from_db()
    assert stored.is_archived and stored.is_issued
    with pytest.raises(PermissionError):
        stored.delete()


def test_an_archived_draft_is_not_issued() -> None:
    m = MunicipalityFactory()
    draft = services.report_archive(report=report(m), actor=None)
    with pytest.raises(ValidationError):
        services.report_issue(report=draft, actor=None)


def test_a_copy_of_the_draft_from_before_the_issue_cannot_change_it() -> None:
    """Two tabs: the report is issued in one, the other still holds the draft."""
    m = MunicipalityFactory()
    draft = report(m)
    stale = StatusReport.objects.get(pk=draft.pk)
    services.report_issue(report=draft, actor=None)
    with pytest.raises(ValidationError):
        services.report_update(report=stale, data={"commentary": "Sent"}, actor=None)
    with pytest.raises(ValidationError):
        services.report_issue(report=stale, actor=None)
    assert StatusReport.objects.get(pk=draft.pk).commentary == ""
