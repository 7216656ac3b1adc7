from django.urls import include, path

from . import views

app_name = "itgroup"

urlpatterns = [
    path("", views.GroupView.as_view(), name="group"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("members/", include(views.member_views.urls())),
    path("meetings/", include(views.meeting_views.urls())),
    path(
        "meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting_attendance"
    ),
    path("meetings/<int:pk>/minutes/", views.MinutesView.as_view(), name="meeting_minutes"),
    path("meetings/<int:pk>/approve/", views.ApproveMinutesView.as_view(), name="meeting_approve"),
    path("meetings/<int:pk>/convene/", views.ConveneView.as_view(), name="meeting_convene"),
    path("meetings/<int:pk>/pdf/", views.MeetingPdfView.as_view(), name="meeting_pdf"),
    path(
        "meetings/<int:pk>/decisions/new/",
        views.DecisionView.as_view(),
        name="decision_create",
    ),
    path(
        "meetings/<int:pk>/decisions/<int:decision>/edit/",
        views.DecisionView.as_view(),
        name="decision_edit",
    ),
]
