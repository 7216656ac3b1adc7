"""The product catalogue and product requests, mounted at k/<municipality>/catalogue/."""

from django.urls import include, path

app_name = "catalogue"

urlpatterns = [
    path("", include("stadga.catalogue.urls_catalogue")),
    path("", include("stadga.catalogue.urls_requests")),
    path("", include("stadga.catalogue.urls_uniformity")),
]
