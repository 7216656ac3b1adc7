from django.urls import include, path

from . import views

app_name = "organisation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("boards/", include(views.board_views.urls())),
    path("departments/", include(views.department_views.urls())),
    path("people/", include(views.person_views.urls())),
    path("external-organisations/", include(views.external_organisation_views.urls())),
    path("roles/", include(views.role_assignment_views.urls())),
]
