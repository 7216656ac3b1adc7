from django.urls import path

from . import views, views_compliance

app_name = "cooperation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("sharing/<int:group_pk>/", views.SharingView.as_view(), name="sharing"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path(
        "groups/<int:group_pk>/compliance/",
        views_compliance.GroupComplianceView.as_view(),
        name="group_compliance",
    ),
]
