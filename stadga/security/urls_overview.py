"""The security hub at k/<municipality>/security/ (P9.1–P9.6)."""

from django.urls import path

from .views_overview import OverviewView

urlpatterns = [
    path("", OverviewView.as_view(), name="overview"),
]
