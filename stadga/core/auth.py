from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView

from stadga.organisation.models import Municipality


class StadgaLoginView(LoginView):
    """Django's login, listing the demo accounts while a demo municipality is loaded."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if Municipality.objects.filter(is_demo=True, archived_at__isnull=True).exists():
            from stadga.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context
