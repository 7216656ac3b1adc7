"""The policy libraries (shared by every municipality), mounted at policies/."""

from django.urls import path

from . import views_library

app_name = "policies"

urlpatterns = [
    path("", views_library.PolicyListView.as_view(), name="list"),
    path("compare/", views_library.PolicyCompareView.as_view(), name="compare"),
    path("<int:pk>/", views_library.PolicyDetailView.as_view(), name="detail"),
]
