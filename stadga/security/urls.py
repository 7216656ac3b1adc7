"""The municipality's information security pages, mounted at k/<municipality>/security/."""

from django.urls import include, path

app_name = "security"

urlpatterns = [
    path("", include("stadga.security.urls_overview")),
    path("", include("stadga.security.urls_classification")),
    path("", include("stadga.security.urls_measures")),
    path("", include("stadga.security.urls_notices")),
    path("", include("stadga.security.urls_register")),
]
