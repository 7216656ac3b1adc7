"""The municipality's policy pages, mounted at k/<municipality>/policy/."""

from django.urls import include, path

app_name = "policy"

urlpatterns = [
    path("", include("stadga.policy.urls_live")),
    path("", include("stadga.policy.urls_adoption")),
]
