from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "stadga.policy"
    verbose_name = _("Policy and compliance")

    def ready(self) -> None:
        # Each app contributes the compliance rules over its own data in its `rules.py`.
        autodiscover_modules("rules")
