from django.urls import include, path

from .views import system_views

app_name = "systems"

urlpatterns = [
    path("", include("stadga.systems.urls_tabular")),
    *system_views.urls(),
]
