from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """A status report to the management group (P3.13): written, then issued as a record."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Change(models.TextChoices):
    """How a clause's status moved since the last issued report."""

    IMPROVED = "improved", _("Improved")
    WORSENED = "worsened", _("Worsened")
    UNCHANGED = "unchanged", _("Unchanged")
    CHANGED = "changed", _("Changed")
    NEW = "new", _("Not in the last report")
