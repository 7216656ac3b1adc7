"""Where the coverage page, the rules and the reminders send someone who lacks a course: the
course's coming sessions, booking a person on one, a person's competence. Built without a query
(from the municipality's slug and ids)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def _with(url: str, **query: object) -> str:
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


def coverage_url(slug: str, **query: object) -> str:
    return _with(reverse("training:coverage", kwargs={"municipality": slug}), **query)


def person_url(slug: str, person_id: int) -> str:
    """A person's competence page."""
    return reverse("training:person_competence", kwargs={"municipality": slug, "pk": person_id})


def course_sessions_url(slug: str, course_id: int) -> str:
    """The course's sessions to book on: the session list filtered to the course."""
    return _with(reverse("training:session_list", kwargs={"municipality": slug}), course=course_id)


def session_url(slug: str, session_id: int, person_id: int | None = None) -> str:
    """A session's page, where a person is booked; `person_id` preselects them."""
    url = reverse("training:session_detail", kwargs={"municipality": slug, "pk": session_id})
    return _with(url, person=person_id)
