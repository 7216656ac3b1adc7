from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusReportsConfig(AppConfig):
    name = "stadga.statusreports"
    label = "statusreports"
    verbose_name = _("Status reports")
