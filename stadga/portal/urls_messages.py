"""Routes of the portal as the municipality keeps it; see urls.py."""

urlpatterns: list = []
