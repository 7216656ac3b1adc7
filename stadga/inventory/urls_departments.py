"""The departments the inventories report and their mapping."""

from django.urls import path

from .views_departments import DepartmentMappingView

urlpatterns = [
    path("departments/", DepartmentMappingView.as_view(), name="departments"),
]
