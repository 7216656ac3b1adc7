from django.contrib import admin
from django.urls import include, path

from stadga.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", include("stadga.portal.urls_installation_statement")),
    path("accounts/", include("stadga.core.auth_urls")),
    path("admin/", admin.site.urls),
    path("operator/", include("stadga.organisation.urls_operator")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("stadga.api.urls")),
    path("policies/", include("stadga.policy.urls_library")),
    path("requirements/", include("stadga.security.urls_requirements")),
    path("", include("stadga.notifications.urls")),
    path("k/<slug:municipality>/", include("stadga.organisation.urls")),
    path("k/<slug:municipality>/policy/", include("stadga.policy.urls")),
    path("k/<slug:municipality>/security/", include("stadga.security.urls")),
    path("k/<slug:municipality>/catalogue/", include("stadga.catalogue.urls")),
    path("k/<slug:municipality>/inventory/", include("stadga.inventory.urls")),
    path("k/<slug:municipality>/it-group/", include("stadga.itgroup.urls")),
    path("k/<slug:municipality>/systems/", include("stadga.systems.urls")),
    path("k/<slug:municipality>/plans/", include("stadga.plans.urls")),
    path("k/<slug:municipality>/status-reports/", include("stadga.statusreports.urls")),
    path("k/<slug:municipality>/training/", include("stadga.training.urls")),
    path("k/<slug:municipality>/portal/", include("stadga.portal.urls")),
    path("k/<slug:municipality>/cooperation/", include("stadga.cooperation.urls")),
    path("p/<slug:municipality>/", include("stadga.portal.urls_public")),
]
