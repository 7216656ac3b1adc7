"""The installation-wide accessibility statement at /accessibility/ (pages outside any
municipality, such as the login page); mounted in the root urls without a namespace."""

from django.urls import path

from .views_public_statement import installation_accessibility

urlpatterns = [
    path("", installation_accessibility, name="accessibility"),
]
