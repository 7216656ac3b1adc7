"""The status reports' pages (P3.13): every page × every role × another municipality (the
matrix), a draft with its live figures and commentary, issuing it, the issued record with its
frozen figures, and the PDF for the management group."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadga.notifications.models import Notification
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.statusreports.views import report_figures
from stadga.testing.factories import MunicipalityFactory, member
from stadga.testing.matrix import ViewMatrix
from stadga.testing.policy import adopted_policy

from .helpers import data_rows, report

pytestmark = pytest.mark.django_db


def url(m: Municipality, rest: str = "") -> str:
    return f"/k/{m.slug}/status-reports/{rest}"


class TestReportPages(ViewMatrix):
    url_prefix = "status-reports"
    member_sees = False

    def model_class(self) -> Any:
        return StatusReport

    def make(self, municipality: Municipality, **kwargs: Any) -> StatusReport:
        return report(municipality, **kwargs)

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "title": "Lägesrapport hösten",
            "period_from": (today - datetime.timedelta(days=120)).isoformat(),
            "period_to": today.isoformat(),
            "commentary": "Det går bra.",
        }

    def edit_data(self, obj: StatusReport) -> dict[str, Any]:
        return {
            "title": "Ändrad rapport",
            "period_from": obj.period_from.isoformat(),
            "period_to": obj.period_to.isoformat(),
            "commentary": obj.commentary,
        }

    def edited_values(self) -> dict[str, Any]:
        return {"title": "Ändrad rapport"}

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "title": ""}


def test_the_list_shows_the_newest_first(client: Any) -> None:
    m = MunicipalityFactory()
    today = timezone.localdate()
    old = report(m, title="Våren", period_to=today - datetime.timedelta(days=200))
    new = report(m, title="Hösten")
    client.force_login(member(m, Role.EXECUTIVE_BOARD_READER))
    page = client.get(url(m)).content.decode()
    assert page.index(new.get_absolute_url()) < page.index(old.get_absolute_url())


def test_the_create_form_starts_after_the_last_issued_period(client: Any) -> None:
    m = MunicipalityFactory()
    today = timezone.localdate()
    report(
        m,
        issued_on=today - datetime.timedelta(days=60),
        period_to=today - datetime.timedelta(days=61),
    )
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(url(m, "new/")).content.decode()
    assert f'value="{(today - datetime.timedelta(days=60)).isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page


def test_a_draft_shows_live_figures_beside_the_commentary_form(client: Any) -> None:
    m = MunicipalityFactory()
    adopted_policy(m, {"P3.13": ["statusreports.reported_twice_a_year"]})
    draft = report(m)
    data_rows(m, 3)
    client.force_login(member(m, Role.IT_COORDINATOR))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="clause-P3.13" data-status="not_met"' in page
    assert 'name="commentary"' in page
    assert f'action="{url(m, f"{draft.pk}/issue/")}"' in page
    assert 'id="requests-decided">1<' in page
    # later data shows at once: the draft is live
    data_rows(m, 2)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="requests-decided">2<' in page


def test_the_commentary_is_saved_from_the_draft_page(client: Any) -> None:
    m = MunicipalityFactory()
    draft = report(m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(
        url(m, f"{draft.pk}/edit/"),
        {
            "title": draft.title,
            "period_from": draft.period_from.isoformat(),
            "period_to": draft.period_to.isoformat(),
            "commentary": "Läget är gott.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.commentary == "Läget är gott."


def test_issuing_freezes_the_figures_and_makes_the_page_a_record(client: Any) -> None:
    m = MunicipalityFactory()
    adopted_policy(m, {"P3.13": ["statusreports.reported_twice_a_year"]})
    member(m, Role.EXECUTIVE_BOARD_READER)
    draft = report(m, commentary="Kommentar")
    data_rows(m, 2)
    client.force_login(member(m, Role.IT_COORDINATOR))
    response = client.post(url(m, f"{draft.pk}/issue/"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.ISSUED
    assert draft.content["incidents"]["total"] == 2
    assert Notification.objects.filter(key=f"status-report-issued:{draft.pk}").count() == 1
    data_rows(m, 3)  # what happens afterwards does not change the record
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'name="commentary"' not in page and "/issue/" not in page
    assert f'href="{url(m, f"{draft.pk}/pdf/")}"' in page
    assert f'href="{url(m, f"{draft.pk}/edit/")}"' not in page
    assert report_figures(draft)["incidents"]["total"] == 2
    assert client.get(url(m, f"{draft.pk}/edit/")).status_code == 403
    assert client.post(url(m, f"{draft.pk}/issue/")).status_code == 302  # refused, told why
    draft.refresh_from_db()
    assert draft.content["incidents"]["total"] == 2


def test_only_the_it_department_issues(client: Any) -> None:
    m = MunicipalityFactory()
    draft = report(m)
    client.force_login(member(m, Role.EXECUTIVE_BOARD_READER))
    assert client.post(url(m, f"{draft.pk}/issue/")).status_code == 403
    client.force_login(member(m))
    assert client.post(url(m, f"{draft.pk}/issue/")).status_code == 404
    assert client.get(url(m, f"{draft.pk}/pdf/")).status_code == 404
    client.force_login(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert client.post(url(m, f"{draft.pk}/issue/")).status_code == 404
    assert client.get(url(m, f"{draft.pk}/pdf/")).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_the_pdf_is_produced_from_the_frozen_content(client: Any) -> None:
    pytest.importorskip("weasyprint")
    m = MunicipalityFactory()
    adopted_policy(m, {"P3.13": ["statusreports.reported_twice_a_year"]})
    issued = report(m, issued_on=timezone.localdate(), commentary="Kommentar")
    client.force_login(member(m, Role.IT_COORDINATOR))
    from stadga.statusreports import services

    draft = report(m)
    services.report_issue(report=draft, actor=None)
    response = client.get(url(m, f"{draft.pk}/pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # The document is the frozen content, not a new computation.
    StatusReport.objects.filter(pk=issued.pk).update(
        content={**draft.content, "incidents": {"total": 987654, "significant": 0, "open": 0}}
    )
    issued.refresh_from_db()
    html = render_to_string(
        "statusreports/pdf.html",
        {"report": issued, "figures": report_figures(issued), "municipality": m},
    )
    assert "987654" in html and "Kommentar" in html
    assert "Klausul P3.13." in html  # the management group reads each clause's text


def test_the_detail_page_takes_a_fixed_number_of_queries(client: Any) -> None:
    m = MunicipalityFactory()
    adopted_policy(m, {"P3.13": ["statusreports.reported_twice_a_year"]})
    draft = report(m)
    client.force_login(member(m, Role.IT_COORDINATOR))
    counts = []
    for rows in (1, 6):
        data_rows(m, rows)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(draft.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
