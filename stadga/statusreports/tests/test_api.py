"""The status reports' API (P3.13): the generic matrix, issuing through the action, and an
issued report refused every change."""

from __future__ import annotations

from typing import Any

import pytest

from stadga.api.testing import ApiMatrix, api_url, client_for
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.statusreports.choices import ReportStatus
from stadga.statusreports.models import StatusReport
from stadga.testing.factories import MunicipalityFactory, member

from .helpers import report

pytestmark = pytest.mark.django_db


class TestStatusReportApi(ApiMatrix):
    resource = "statusreport"
    member_sees = False

    def model_class(self) -> Any:
        return StatusReport

    def make(self, municipality: Municipality, **kwargs: Any) -> StatusReport:
        return report(municipality, **kwargs)

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        return {
            "municipality": municipality.slug,
            "title": "Lägesrapport",
            "period_from": "2026-01-01",
            "period_to": "2026-06-30",
            "commentary": "Läget.",
        }

    def update_data(self, obj: StatusReport) -> dict[str, Any]:
        return {"commentary": "Nytt läge."}


def test_issue_through_the_api_and_then_no_change() -> None:
    m = MunicipalityFactory()
    draft = report(m)
    reader = client_for(member(m, Role.AUDITOR))
    detail = api_url("statusreport-detail", draft.pk)
    issue = api_url("statusreport-issue", draft.pk)
    assert reader.post(issue).status_code == 403
    client = client_for(member(m, Role.IT_COORDINATOR))
    response = client.post(issue)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ReportStatus.ISSUED
    assert "incidents" in body["content"]
    assert client.patch(detail, {"commentary": "Ändrat"}, format="json").status_code == 400
    assert client.post(issue).status_code == 400
    draft.refresh_from_db()
    assert draft.commentary == "" and draft.status == ReportStatus.ISSUED


def test_another_municipality_does_not_see_or_issue() -> None:
    m = MunicipalityFactory()
    draft = report(m)
    outsider = client_for(member(MunicipalityFactory(), Role.IT_COORDINATOR))
    assert outsider.get(api_url("statusreport-detail", draft.pk)).status_code == 404
    assert outsider.post(api_url("statusreport-issue", draft.pk)).status_code == 404
