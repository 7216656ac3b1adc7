from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "stadga.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Each app declares the reminders over its own data in its `reminders.py`.
        autodiscover_modules("reminders")
