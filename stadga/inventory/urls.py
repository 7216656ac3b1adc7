"""The installed-software inventory, mounted at k/<municipality>/inventory/: the reconciliation
report, the software dictionary, and the sources with their imports."""

from django.urls import include, path

app_name = "inventory"

urlpatterns = [
    path("", include("stadga.inventory.urls_report")),
    path("", include("stadga.inventory.urls_rules")),
    path("", include("stadga.inventory.urls_sources")),
    path("", include("stadga.inventory.urls_departments")),
]
