from django.urls import include, path

from .views import external_responsibility_urls, system_views

app_name = "systems"

urlpatterns = [
    path("", include("stadga.systems.urls_tabular")),
    path("external-responsibilities/", include(external_responsibility_urls())),
    *system_views.urls(),
]
