"""Where the coverage page, the rules and the reminders send someone who lacks a course: the
course's coming sessions, booking a person on one, a person's competence. Built without a query
(from the municipality's slug and ids).

The session and people pages live in the courses' routes; where one is not installed, the link
falls back to the nearest page that is, rather than failing the page that links to it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def _first(*candidates: tuple[str, dict[str, object]]) -> str:
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


def coverage_url(slug: str, **query: object) -> str:
    url = reverse("training:coverage", kwargs={"municipality": slug})
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


def person_url(slug: str, person_id: int) -> str:
    """A person's competence page (or their page in the organisation)."""
    kwargs = {"municipality": slug, "pk": person_id}
    return _first(("training:person_competence", kwargs), ("organisation:person_detail", kwargs))


def course_sessions_url(slug: str, course_id: int) -> str:
    """The course's sessions to book on: the session list filtered to the course, or the
    course's page, or the coverage of the course."""
    listing = _first(("training:session_list", {"municipality": slug}))
    if listing:
        return f"{listing}?{urlencode({'course': course_id})}"
    course = _first(("training:course_detail", {"municipality": slug, "pk": course_id}))
    return course or coverage_url(slug, course=course_id)


def session_url(slug: str, session_id: int, person_id: int | None = None) -> str:
    """A session's page, where a person is booked; `person_id` preselects them."""
    url = _first(("training:session_detail", {"municipality": slug, "pk": session_id}))
    if url and person_id is not None:
        url += f"?{urlencode({'person': person_id})}"
    return url
