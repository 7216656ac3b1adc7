from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "stadga.plans"
    verbose_name = _("IT plans")

    def ready(self) -> None:
        from stadga.organisation.models import Municipality

        post_save.connect(
            _seed_new_municipality, sender=Municipality, dispatch_uid="plans_seed_municipality"
        )


def _seed_new_municipality(sender: Any, instance: Any, created: bool, raw: bool, **_: Any) -> None:
    """A new municipality starts with the policy's four goals and the default cost categories
    (P2, P3.6–P3.9). Through a signal, so the organisation need not know the plans exist; the
    rows are written inside the municipality's own creation and logged with its actor."""
    if created and not raw:
        from .services import plans_defaults_seed

        plans_defaults_seed(municipality=instance, actor=None)
