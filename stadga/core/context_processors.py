from typing import Any

from django.http import HttpRequest


def stadga(request: HttpRequest) -> dict[str, Any]:
    """The current municipality and the user's access, for the layout's navigation."""
    return {
        "municipality": getattr(request, "municipality", None),
        "access": getattr(request, "access", None),
    }
