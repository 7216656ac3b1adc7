"""The health endpoint for load balancers and monitoring (P4.3 availability, P9.1): no login, one
query, no data.

`GET /health/` answers 200 with {"status": "ok", "database": "ok", "version": …} while the
database answers, 503 with {"status": "error", "database": "unavailable", …} when it does not.
The reason is logged, never shown: the endpoint is public.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import stadga

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database status: one `SELECT 1`, nothing read from any table."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure is a 503, never a 500
        logger.exception("Health check: the database does not answer")
        return JsonResponse(
            {"status": "error", "database": "unavailable", "version": stadga.__version__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "version": stadga.__version__})
