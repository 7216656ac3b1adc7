"""The requirement catalogues (shared by every municipality), mounted at requirements/."""

from django.urls import path

from . import views_requirements as views

app_name = "requirements"

urlpatterns = [
    path("", views.RequirementCatalogueListView.as_view(), name="list"),
    path("<int:pk>/", views.RequirementCatalogueDetailView.as_view(), name="detail"),
]
