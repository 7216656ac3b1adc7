"""The register of processing activities (GDPR art. 30, P9.2), under
k/<municipality>/security/processing-activities/ in the `security` namespace."""

from django.urls import include, path

from .views_register import RegisterExportView, processing_activity_views

urlpatterns = [
    path("processing-activities/export/", RegisterExportView.as_view(), name="register_export"),
    path("processing-activities/", include(processing_activity_views.urls())),
]
