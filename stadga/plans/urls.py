"""The IT plans, mounted at k/<municipality>/plans/ in the `plans` namespace."""

from django.urls import include, path

from . import views

app_name = "plans"


def _items() -> list:
    """The generic item pages, with a create page that may start from a plan."""
    urls = [u for u in views.planitem_views.urls() if u.name != "planitem_create"]
    return [
        path("new/", views.PlanItemEditView.as_view(), name="planitem_create"),
        path("import/", views.PlanItemImportView.as_view(), name="planitem_import"),
        path(
            "import/confirm/",
            views.PlanItemImportConfirmView.as_view(),
            name="planitem_import_confirm",
        ),
        path(
            "import/template/",
            views.PlanItemImportTemplateView.as_view(),
            name="planitem_import_template",
        ),
        path("export/", views.PlanItemExportView.as_view(), name="planitem_export"),
        path("<int:pk>/costs/", views.ItemCostsView.as_view(), name="planitem_costs"),
        path("<int:pk>/follow-up/", views.ItemFollowUpView.as_view(), name="planitem_follow_up"),
        *urls,
    ]


urlpatterns = [
    path("rollup/", views.RollupView.as_view(), name="rollup"),
    path("settings/", views.PlansSettingsView.as_view(), name="settings"),
    path("rent/", views.RentAllocationView.as_view(), name="rent"),
    path("premises/<int:pk>/tenants/", views.TenantsView.as_view(), name="premises_tenants"),
    path("premises/", include(views.premises_views.urls())),
    path("goals/", include(views.goal_views.urls())),
    path("cost-categories/", include(views.costcategory_views.urls())),
    path("items/", include(_items())),
    path("<int:pk>/adopt/", views.PlanAdoptView.as_view(), name="itplan_adopt"),
    path("<int:pk>/follow-up/", views.PlanFollowUpView.as_view(), name="itplan_follow_up"),
    path("<int:pk>/evaluate/", views.PlanEvaluateView.as_view(), name="itplan_evaluate"),
    path("<int:pk>/copy/", views.PlanCopyView.as_view(), name="itplan_copy"),
    path("<int:pk>/pdf/", views.PlanPdfView.as_view(), name="itplan_pdf"),
    *views.itplan_views.urls(),
]
