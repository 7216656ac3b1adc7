"""The inventory's rules pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
