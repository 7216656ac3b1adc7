"""Routes of the portal as the municipality keeps it; see urls.py."""

from django.urls import path

from . import views_settings

urlpatterns = [
    path("settings/", views_settings.PortalSettingsView.as_view(), name="settings"),
    path("statement/", views_settings.StatementView.as_view(), name="statement"),
]
