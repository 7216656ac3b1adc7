"""Filled in by the work on issue 5."""

urlpatterns: list = []
