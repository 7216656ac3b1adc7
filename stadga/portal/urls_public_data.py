"""Routes of the public portal; see urls_public.py."""

urlpatterns: list = []
