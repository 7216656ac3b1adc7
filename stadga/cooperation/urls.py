from django.urls import path

from . import views, views_compliance, views_training

app_name = "cooperation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("sharing/<int:group_pk>/", views.SharingView.as_view(), name="sharing"),
    path("leave/<int:group_pk>/", views.LeaveView.as_view(), name="leave"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path(
        "groups/<int:group_pk>/compliance/",
        views_compliance.GroupComplianceView.as_view(),
        name="group_compliance",
    ),
    path("training/", views_training.PartnerSessionsView.as_view(), name="partner_sessions"),
    path(
        "training/<int:session_pk>/book/",
        views_training.PartnerBookView.as_view(),
        name="partner_book",
    ),
    path(
        "training/bookings/<int:pk>/cancel/",
        views_training.PartnerBookingCancelView.as_view(),
        name="partner_booking_cancel",
    ),
]
