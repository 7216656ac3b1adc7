from django.urls import include, path

from . import views

app_name = "statusreports"

urlpatterns = [
    path("", include(views.report_views.urls())),
    path("<int:pk>/issue/", views.IssueView.as_view(), name="statusreport_issue"),
    path("<int:pk>/pdf/", views.PdfView.as_view(), name="statusreport_pdf"),
]
