"""The inventory's fixed vocabularies: the file formats it reads and the states of a snapshot."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InventoryFormat(models.TextChoices):
    CSV = "csv", _("Generic CSV")
    GLPI_JSON = "glpi-json", _("GLPI agent inventory (JSON)")
    INTUNE_CSV = "intune-csv", _("Microsoft Intune discovered apps (CSV)")


class SnapshotStatus(models.TextChoices):
    """Where one import of a source stands. Only a complete snapshot is ever a source's current
    one; a superseded snapshot keeps its counts (for the trend) but not its rows."""

    LOADING = "loading", _("Loading")
    COMPLETE = "complete", _("Complete")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Superseded")
