"""Classification (P9.1): a system's information types, the information types themselves, their
import and export, and the security settings. Included by stadga/security/urls.py under
k/<municipality>/security/ in the `security` namespace."""

from django.urls import include, path

from . import views_classification as views

urlpatterns = [
    path(
        "systems/<int:system_pk>/classification/",
        views.SystemClassificationView.as_view(),
        name="system_classification",
    ),
    path("information-types/", include(views.information_type_urls())),
    path(
        "classification/import/",
        views.ClassificationImportView.as_view(),
        name="classification_import",
    ),
    path(
        "classification/import/confirm/",
        views.ClassificationImportConfirmView.as_view(),
        name="classification_import_confirm",
    ),
    path(
        "classification/import/template/",
        views.ClassificationImportTemplateView.as_view(),
        name="classification_import_template",
    ),
    path(
        "classification/export/",
        views.ClassificationExportView.as_view(),
        name="classification_export",
    ),
    path("settings/", views.SecuritySettingsView.as_view(), name="settings"),
]
