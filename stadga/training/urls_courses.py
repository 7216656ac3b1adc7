"""Courses, sessions (booking, attendance, cancelling), people's competence, "my training" and
the settings (P6)."""

from django.urls import URLPattern, URLResolver, include, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/", include(views.registration_urls(views.course_views))),
    path(
        "sessions/",
        include(
            views.registration_urls(
                views.session_views, detail=views.SessionDetailView, edit=views.SessionEditView
            )
        ),
    ),
    path("sessions/<int:pk>/book/", views.BookView.as_view(), name="session_book"),
    path(
        "sessions/<int:pk>/registrations/<int:registration>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path(
        "sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="session_attendance"
    ),
    path("sessions/<int:pk>/cancel/", views.SessionCancelView.as_view(), name="session_cancel"),
    path("people/<int:pk>/", views.PersonCompetenceView.as_view(), name="person_competence"),
    path("people/<int:pk>/records/new/", views.RecordCreateView.as_view(), name="record_create"),
    path("records/<int:pk>/archive/", views.RecordArchiveView.as_view(), name="record_archive"),
    path("my/", views.MyTrainingView.as_view(), name="my_training"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
]
