from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("sharing/<int:group_pk>/", views.SharingView.as_view(), name="sharing"),
    path("leave/<int:group_pk>/", views.LeaveView.as_view(), name="leave"),
    path("compare/", views.CompareView.as_view(), name="compare"),
]
