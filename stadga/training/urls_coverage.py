"""Requirements, system users and coverage (P6.1–P6.3), under /k/<municipality>/training/."""

from django.urls import URLPattern, URLResolver, include, path

from . import views_coverage, views_requirements

urlpatterns: list[URLPattern | URLResolver] = [
    path("requirements/", include(views_requirements.requirement_views.urls())),
    path("coverage/", views_coverage.CoverageView.as_view(), name="coverage"),
    path(
        "systems/<int:system>/users/",
        views_requirements.SystemUsersView.as_view(),
        name="system_users",
    ),
    path(
        "systems/<int:system>/users/<int:use>/end/",
        views_requirements.SystemUseEndView.as_view(),
        name="system_use_end",
    ),
    path(
        "systems/<int:system>/users/<int:use>/restore/",
        views_requirements.SystemUseEndView.as_view(restoring=True),
        name="system_use_restore",
    ),
]
