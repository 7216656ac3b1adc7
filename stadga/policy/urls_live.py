from django.urls import path

from . import views

urlpatterns = [
    path("", views.LiveView.as_view(), name="live"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("clauses/<str:clause_id>/attest/", views.AttestView.as_view(), name="attest"),
    path(
        "attestations/<int:pk>/",
        views.AttestationDetailView.as_view(),
        name="attestation_detail",
    ),
    path(
        "attestations/<int:pk>/file/",
        views.AttestationFileView.as_view(),
        name="attestation_file",
    ),
]
