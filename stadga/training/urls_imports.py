"""Import of attendance lists (XLSX or CSV) as competence records (P6), under
/k/<municipality>/training/imports/."""

from django.urls import URLPattern, URLResolver, path

from . import views_imports as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/attendance/", views.AttendanceImportView.as_view(), name="attendance_import"),
    path(
        "imports/attendance/confirm/",
        views.AttendanceImportConfirmView.as_view(),
        name="attendance_import_confirm",
    ),
    path(
        "imports/attendance/template/",
        views.AttendanceImportTemplateView.as_view(),
        name="attendance_import_template",
    ),
]
