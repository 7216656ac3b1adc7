"""Routes of the public portal; see urls_public.py."""

from django.urls import path

from . import views_public_statement

urlpatterns = [
    path(
        "accessibility/",
        views_public_statement.AccessibilityStatementView.as_view(),
        name="accessibility",
    ),
]
