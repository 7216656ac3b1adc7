"""Routes of the public portal's pages; see urls_public.py. The names are the layout's
(base_public.html) and the other areas' links: keep them."""

from django.urls import path

from . import views_public as pages
from . import views_public_registers as registers

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("policy/", pages.PolicyView.as_view(), name="policy"),
    path("systems/", registers.SystemListView.as_view(), name="system_list"),
    path("systems/<int:pk>/", registers.SystemDetailView.as_view(), name="system_detail"),
    path("decisions/", registers.DecisionListView.as_view(), name="decision_list"),
    path("products/<int:pk>/", registers.ProductDetailView.as_view(), name="product_detail"),
    path("plans/", registers.PlanListView.as_view(), name="plan_list"),
    path("plans/<int:pk>/", registers.PlanDetailView.as_view(), name="plan_detail"),
    path("status-reports/", registers.ReportListView.as_view(), name="report_list"),
    path("status-reports/<int:pk>/", registers.ReportDetailView.as_view(), name="report_detail"),
    path("contacts/", pages.ContactsView.as_view(), name="contacts"),
    path("questions/", pages.AnswersView.as_view(), name="answers"),
    path("language/<str:code>/", pages.LanguageView.as_view(), name="language"),
]
