"""Routes of the public portal: residents' views and questions (P7.1); see urls_public.py."""

from django.urls import path

from .views_public_ask import AskView, ReceiptView

urlpatterns = [
    path("ask/", AskView.as_view(), name="ask"),
    path("receipt/<str:token>/", ReceiptView.as_view(), name="receipt"),
]
