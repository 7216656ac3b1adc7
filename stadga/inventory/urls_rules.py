"""The software dictionary's pages (dictionary/…) and the software titles list (titles/)."""

from django.urls import path

from . import views_rules as views

urlpatterns = [
    path("dictionary/", views.RuleListView.as_view(), name="rule_list"),
    path("dictionary/new/", views.RuleEditView.as_view(), name="rule_create"),
    path("dictionary/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_update"),
    path(
        "dictionary/<int:pk>/archive/",
        views.RuleArchiveView.as_view(archiving=True),
        name="rule_archive",
    ),
    path(
        "dictionary/<int:pk>/restore/",
        views.RuleArchiveView.as_view(archiving=False),
        name="rule_restore",
    ),
    path("dictionary/reorder/", views.RuleReorderView.as_view(), name="rule_reorder"),
    path("dictionary/replay/", views.RulesReplayView.as_view(), name="rules_replay"),
    path("dictionary/import/", views.RuleImportView.as_view(), name="rule_import"),
    path(
        "dictionary/import/confirm/",
        views.RuleImportConfirmView.as_view(),
        name="rule_import_confirm",
    ),
    path(
        "dictionary/import/template/",
        views.RuleImportTemplateView.as_view(),
        name="rule_import_template",
    ),
    path("dictionary/export/", views.RuleExportView.as_view(), name="rule_export"),
    path("titles/", views.TitleListView.as_view(), name="title_list"),
]
