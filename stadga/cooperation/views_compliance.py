"""The group-level view of compliance per clause (P8.1): every member of a member municipality
reads it; what it shows is only what each member shares."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from stadga.core.views import MunicipalityView

from .selectors_compliance import group_compliance
from .views import NAV_SECTION


class GroupComplianceView(MunicipalityView):
    """The compliance per clause of the group's members that share it; a 404 for a group the
    municipality is not a current member of."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, group_pk: int, **kwargs: Any) -> HttpResponse:
        table = group_compliance(self.municipality, group_pk)
        return TemplateResponse(
            request, "cooperation/group_compliance.html", self.context(table=table)
        )
