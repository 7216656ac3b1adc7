"""The API alone, for its tests while the rest of the site's URLconf is not importable.

The layout the reference page extends links to `home`, `logout` and `set_language`; they are
stood in for here so that page renders. `stadga.api.testing.api_urls_marks` picks this module
only when `stadga.urls` cannot be imported.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


urlpatterns = [
    path("", _placeholder, name="home"),
    path("accounts/logout/", _placeholder, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("stadga.api.urls")),
]
