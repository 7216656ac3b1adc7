"""The coverage page (P6.1–P6.3): per department and per system, how many of the required
courses are held, and who lacks which — each with a link to the course's coming sessions and,
for one who may book the person, to booking them on the next session open to their department.

Those who read everything see the whole municipality; a department head their departments
(`access.coverage_department_q`); anyone else gets a 404. `?format=xlsx` downloads what the page
shows. A fixed number of queries, whatever the number of people.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from stadga.core.views import MunicipalityView

from . import selectors_requirements as selectors
from .access import keeps_training, may_book, reads_coverage, reads_everyone
from .coverage import CoverageLine, resolve
from .exports import write_coverage_xlsx
from .forms_requirements import CoverageFilterForm
from .links import course_sessions_url, person_url, session_url
from .models import TrainingSession

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAV_SECTION = "training"


@dataclass
class LackingRow:
    """One line of who lacks what, with where to book it."""

    line: CoverageLine
    person_url: str
    sessions_url: str
    session: TrainingSession | None = None
    book_url: str = ""


def next_sessions(course_ids: set[int]) -> dict[int, list[TrainingSession]]:
    """The coming sessions of the courses, soonest first, with their departments. Two
    queries."""
    by_course: dict[int, list[TrainingSession]] = {}
    if not course_ids:
        return by_course
    sessions = (
        TrainingSession.objects.filter(
            course_id__in=course_ids,
            archived_at__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gte=timezone.now(),
        )
        .prefetch_related("departments")
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        by_course.setdefault(session.course_id, []).append(session)
    return by_course


def _open_to(session: TrainingSession, department_id: int | None) -> bool:
    named = {d.pk for d in session.departments.all()}
    return not named or department_id in named


class CoverageView(MunicipalityView):
    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        m = self.municipality
        if not reads_coverage(self.access, m.pk):
            raise Http404
        departments = selectors.coverage_departments(access=self.access, municipality=m)
        whole = reads_everyone(self.access, m.pk)
        form = CoverageFilterForm(
            request.GET or None,
            departments=departments,
            systems=selectors.required_systems(m),
            courses=selectors.required_courses(m),
        )
        valid = form.is_valid()
        chosen = form.cleaned_data if valid else {}
        coverage = resolve(
            m,
            departments=None if whole else departments,
            department=chosen.get("department"),
            system=chosen.get("system"),
            course=chosen.get("course"),
        )
        lines = coverage.lacking(chosen.get("status") or None)
        if request.GET.get("format") == "xlsx":
            out = io.BytesIO()
            write_coverage_xlsx(coverage, lines, out)
            response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
            filename = f"utbildning-tackning-{m.slug}-{coverage.day:%Y-%m-%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        sessions = next_sessions({line.course.pk for line in lines if line.is_lacking})
        rows = []
        for line in lines:
            row = LackingRow(
                line=line,
                person_url=person_url(m.slug, line.person.pk),
                sessions_url=course_sessions_url(m.slug, line.course.pk),
            )
            if line.is_lacking:
                department_id = line.person.department_id
                row.session = next(
                    (s for s in sessions.get(line.course.pk, []) if _open_to(s, department_id)),
                    None,
                )
                if row.session is not None and may_book(self.access, m.pk, department_id):
                    row.book_url = session_url(m.slug, row.session.pk, line.person.pk)
            rows.append(row)
        query = request.GET.copy()
        query["format"] = "xlsx"
        return TemplateResponse(
            request,
            "training/coverage.html",
            self.context(
                form=form,
                coverage=coverage,
                rows=rows,
                whole=whole,
                keeps=keeps_training(self.access, m.pk),
                xlsx_query=query.urlencode(),
            ),
        )
