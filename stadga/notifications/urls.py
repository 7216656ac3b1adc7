"""Mounted at the site root: the inbox lives under its municipality, the calendar feed does not
(one address for a user's deadlines in every municipality)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("k/<slug:municipality>/inbox/", views.InboxView.as_view(), name="inbox"),
    path(
        "k/<slug:municipality>/inbox/calendar/",
        views.CalendarFeedView.as_view(),
        name="calendar",
    ),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]
