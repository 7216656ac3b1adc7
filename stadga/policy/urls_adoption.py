"""The adoption page, included into the `policy` namespace (k/<municipality>/policy/)."""

from django.urls import path

from . import views_adoption

urlpatterns = [
    path("adopt/", views_adoption.PolicyAdoptView.as_view(), name="adopt"),
]
