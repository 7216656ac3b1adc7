"""Import and export of the register; included by stadga/systems/urls.py under
k/<municipality>/systems/ in the `systems` namespace."""

from django.urls import path

from . import views_tabular as views

urlpatterns = [
    path("import/", views.SystemImportView.as_view(), name="system_import"),
    path("import/confirm/", views.SystemImportConfirmView.as_view(), name="system_import_confirm"),
    path(
        "import/template/", views.SystemImportTemplateView.as_view(), name="system_import_template"
    ),
    path("export/", views.SystemExportView.as_view(), name="system_export"),
]
