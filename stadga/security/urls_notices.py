"""Shortfall notices (P9.6) and incidents, under k/<municipality>/security/.

A notice has a list, a form to file it, its page and its history: no edit and no archive (it
is a written record), plus the addressees' acknowledge and decide. An incident has the generic
pages (its archive refuses: an incident is closed, not archived), plus recording a sent report
and closing.
"""

from django.urls import include, path

from .views_notices import (
    IncidentCloseView,
    IncidentMarkSentView,
    NoticeAcknowledgeView,
    NoticeDecideView,
    NoticeFileView,
    NoticePageView,
    incident_views,
    notice_views,
)

_NOTICE_PAGES = {"shortfallnotice_list", "shortfallnotice_history"}

notice_urls = [
    *(p for p in notice_views.urls() if p.name in _NOTICE_PAGES),
    path("new/", NoticeFileView.as_view(registration=notice_views), name="shortfallnotice_create"),
    path("<int:pk>/", NoticePageView.as_view(), name="shortfallnotice_detail"),
    path(
        "<int:pk>/acknowledge/",
        NoticeAcknowledgeView.as_view(),
        name="shortfallnotice_acknowledge",
    ),
    path("<int:pk>/decide/", NoticeDecideView.as_view(), name="shortfallnotice_decide"),
]

incident_urls = [
    *incident_views.urls(),
    path(
        "<int:pk>/sent/<slug:which>/",
        IncidentMarkSentView.as_view(),
        name="incident_mark_sent",
    ),
    path("<int:pk>/close/", IncidentCloseView.as_view(), name="incident_close"),
]

urlpatterns = [
    path("shortfall-notices/", include(notice_urls)),
    path("incidents/", include(incident_urls)),
]
