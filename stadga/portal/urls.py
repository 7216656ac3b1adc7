"""The portal as the municipality keeps it, under /k/<municipality>/portal/: residents' views
and questions (`urls_messages`), the portal's settings and its accessibility statement
(`urls_settings`)."""

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("stadga.portal.urls_messages")),
    path("", include("stadga.portal.urls_settings")),
]
