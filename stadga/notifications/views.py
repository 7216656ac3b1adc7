"""The inbox of reminders and notices, and the calendar feed of their deadlines."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from stadga.core.views import MunicipalityView

from . import selectors, services

PAGE_SIZE = 25


class InboxView(MunicipalityView):
    """The user's notifications in the municipality, newest first; mark one or all read."""

    nav_section = "inbox"

    def inbox_url(self, page: str | None = None) -> str:
        url = reverse("notifications:inbox", kwargs={"municipality": self.municipality.slug})
        return f"{url}?page={page}" if page and page.isdigit() else url

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notifications = selectors.notification_list(
            access=self.access, municipality=self.municipality
        )
        page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "notifications/inbox.html",
            self.context(
                page=page,
                unread=notifications.filter(read_at__isnull=True).count(),
                today=timezone.localdate(),
            ),
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        back = self.inbox_url(request.POST.get("page"))
        if action == "read_all":
            count = services.notifications_mark_all_read(
                municipality=self.municipality,
                person_ids=self.access.persons.get(self.municipality.pk, set()),
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d notification was marked read.",
                    "%(count)d notifications were marked read.",
                    count,
                )
                % {"count": count},
            )
            return HttpResponseRedirect(back)
        if action not in ("read", "unread"):
            return HttpResponseBadRequest(_("Unknown action."))
        pk = request.POST.get("notification", "")
        if not pk.isdigit():
            return HttpResponseBadRequest(_("Which notification?"))
        # Someone else's notification is a 404, like everything a user may not see.
        notification = get_object_or_404(
            selectors.notification_list(access=self.access, municipality=self.municipality),
            pk=int(pk),
        )
        services.notification_mark_read(notification=notification, read=action == "read")
        return HttpResponseRedirect(back)


class CalendarFeedView(MunicipalityView):
    """The user's secret calendar address: show it, create it, replace it, or stop it."""

    nav_section = "inbox"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        feed = services.calendar_feed_get(user=request.user)
        feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
        return TemplateResponse(
            request,
            "notifications/calendar.html",
            self.context(
                feed=feed,
                feed_url=feed_url,
                # Calendar programs subscribe with webcal:, which is the same address over https.
                webcal_url=feed_url.replace("https://", "webcal://", 1)
                if feed_url.startswith("https://")
                else "",
            ),
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "create":
            services.calendar_feed_create(user=request.user)
            messages.success(request, _("Your calendar address was created."))
        elif action == "regenerate":
            services.calendar_feed_regenerate(user=request.user)
            messages.success(
                request, _("A new calendar address was made; the old one no longer works.")
            )
        elif action == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar address was removed."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        return HttpResponseRedirect(request.path)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of the token owner's notifications as iCalendar all-day events.

    No login: a calendar program cannot log in, so the secret token in the address is the
    credential. An unknown (or replaced) token is a 404 that says nothing more.
    """
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//Stadga//Notifications//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Stadga deadlines"))
    host = request.get_host().split(":")[0]
    for notification in selectors.calendar_notifications(
        user=feed.user, today=timezone.localdate()
    ):
        due = notification.due_date
        assert due is not None  # the selector asks for deadlines only
        event = Event()
        event.add("uid", f"notification-{notification.pk}@{host}")
        event.add("dtstamp", notification.created_at)
        event.add("dtstart", due)
        event.add("dtend", due + datetime.timedelta(days=1))
        event.add("summary", notification.subject)
        description = [notification.body] if notification.body else []
        description.append(notification.municipality.name)
        event.add("description", "\n\n".join(description))
        event.add("categories", [notification.municipality.name])
        if notification.link and url_has_allowed_host_and_scheme(notification.link, None):
            event.add("url", request.build_absolute_uri(notification.link))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stadga.ics"'
    # The address is a secret: no shared cache may keep a copy, no search engine list it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
