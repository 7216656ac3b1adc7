"""The public portal, without login, under /p/<municipality>/ (P7.1). Each area keeps its own
routes: the published pages (`urls_public_pages`), the open data and its DCAT-AP-SE catalogue
(`urls_public_data`), residents' views and questions (`urls_public_ask`) and the accessibility
statement (`urls_public_statement`)."""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("", include("stadga.portal.urls_public_pages")),
    path("", include("stadga.portal.urls_public_data")),
    path("", include("stadga.portal.urls_public_ask")),
    path("", include("stadga.portal.urls_public_statement")),
]
