from typing import Any

from django.http import HttpRequest


def stadga(request: HttpRequest) -> dict[str, Any]:
    """The current municipality and the user's rights there, for the layout's navigation.

    The rights are read off the `Access` the municipality's view already built (no query); on
    pages outside a municipality there are none."""
    municipality = getattr(request, "municipality", None)
    access = getattr(request, "_stadga_access", None)
    rights: dict[str, bool] = {}
    if municipality is not None and access is not None:
        rights = {
            "reads_all": access.reads_all(municipality.pk),
            "keeps_register": access.keeps_register(municipality.pk),
            "manages_organisation": access.manages_organisation(municipality.pk),
        }
    return {"municipality": municipality, "access": access, "rights": rights}
