"""The inventory's report pages: the reconciliation report, the deviations (P5.5) and the
devices."""

from django.urls import path

from . import views_report as views

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("deviations/", views.DeviationListView.as_view(), name="unapproved"),
    path("devices/", views.DeviceListView.as_view(), name="device_list"),
    path("devices/<int:pk>/", views.DeviceDetailView.as_view(), name="device_detail"),
]
