"""The inventory's report pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
