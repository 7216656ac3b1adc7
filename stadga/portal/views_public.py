"""The public portal's own pages (P7.1, P2.2): its first page, the IT policy kept clause by
clause, who answers for what, the published questions and answers, and the choice of language.
The registers (systems, product decisions, plans, status reports) are in
`views_public_registers`. Every read goes through `selectors_public`; every page is cached by
`PublicView`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from stadga.policy.choices import Status

from .asking import ask_about
from .selectors_public import (
    CONTACT_ROLES,
    public_about,
    public_compliance,
    public_contacts,
    public_decisions,
    public_plans,
    public_reports,
    published_messages,
)
from .views_public_base import PublicView, paginate

# How many of the latest product decisions the first page lists.
HOME_DECISIONS = 5

__all__ = [
    "AnswersView",
    "ContactsView",
    "HomeView",
    "LanguageView",
    "PolicyView",
    "status_rows",
]


def status_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the policy pages' order."""
    return [(status.value, str(status.label), counts.get(status.value, 0)) for status in Status]


class HomeView(PublicView):
    """The portal's first page: the municipality's introduction, what residents can do here
    (P2.2), the policy at a glance, the latest decisions, this year's plans, the latest status
    report and how to reach the IT department."""

    public_section = "home"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        m = self.municipality
        year = timezone.localdate().year
        compliance = public_compliance(m)
        return self.render(
            "portal/public/home.html",
            self.context(
                compliance=compliance,
                status_counts=status_rows(compliance["counts"]) if compliance else [],
                decisions=list(public_decisions(m)[:HOME_DECISIONS]),
                plans=list(public_plans(m).filter(year=year)),
                year=year,
                report=public_reports(m).first(),
                ask=ask_about(),
            ),
        )


class PolicyView(PublicView):
    """The adopted IT policy with its live compliance per section and clause (P3.1, P7.1).
    Evaluating runs every rule; the page cache is what keeps it cheap."""

    public_section = "policy"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        compliance = public_compliance(self.municipality)
        if compliance is not None:
            compliance["status_counts"] = status_rows(compliance["counts"])
            for section in compliance["sections"]:
                section["status_counts"] = status_rows(section["counts"])
                section["present"] = [row for row in section["status_counts"] if row[2]]
            compliance["withheld"] = [
                s["section"] for s in compliance["sections"] if not s["figures_shown"]
            ]
        return self.render(
            "portal/public/policy.html",
            self.context(compliance=compliance, statuses=status_rows({}), ask=ask_about()),
        )


class ContactsView(PublicView):
    """Who answers for what (P7.1: it is easy to reach officials): the holders of the roles
    residents may want to reach, by role, and the portal's general contact."""

    public_section = "contacts"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        by_role: dict[str, list[Any]] = {role: [] for role in CONTACT_ROLES}
        for assignment in public_contacts(self.municipality):
            by_role.setdefault(assignment.role, []).append(assignment)
        groups = [
            {"role": role, "label": self.municipality.role_label(role), "holders": holders}
            for role, holders in by_role.items()
            if holders
        ]
        return self.render(
            "portal/public/contacts.html", self.context(groups=groups, ask=ask_about())
        )


class AnswersView(PublicView):
    """The residents' questions and views the municipality published with its answer. Never
    the resident's name or address."""

    public_section = "answers"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = paginate(request, published_messages(self.municipality))
        exchanges = [
            {"message": message, "about": public_about(message)} for message in page.object_list
        ]
        return self.render(
            "portal/public/answers.html",
            self.context(page=page, exchanges=exchanges, ask=ask_about()),
        )


class LanguageView(PublicView):
    """Switches the portal between Swedish and English with the language cookie, then goes
    back to the page the reader came from (`next`, only a local address) or to the first
    page. A link, not a form: the public pages hold no CSRF token."""

    cached = False

    def get(self, request: HttpRequest, *args: Any, code: str, **kwargs: Any) -> HttpResponse:
        if code not in {language for language, _name in settings.LANGUAGES}:
            raise Http404
        target = request.GET.get("next", "")
        if not (
            target.startswith("/")
            and url_has_allowed_host_and_scheme(
                target, allowed_hosts=None, require_https=request.is_secure()
            )
        ):
            target = reverse("public:home", kwargs={"municipality": self.municipality.slug})
        response = HttpResponseRedirect(target)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
