from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupRole(models.TextChoices):
    """What a member is in the IT group (P3.12); the IT coordinator leads it by their role."""

    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Presence(models.TextChoices):
    """Whether someone attended a meeting."""

    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")
