"""The inventory's sources pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
