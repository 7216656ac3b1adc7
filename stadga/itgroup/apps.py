from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ITGroupConfig(AppConfig):
    name = "stadga.itgroup"
    label = "itgroup"
    verbose_name = _("IT group")
