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


class RuleField(models.TextChoices):
    """Which part of a software title a normalisation rule reads."""

    NAME = "name", _("Name")
    PUBLISHER = "publisher", _("Publisher")
    VERSION = "version", _("Version")


class RuleMatch(models.TextChoices):
    """How a rule's pattern is compared: both ignore case. Exact compares the whole trimmed text;
    a regular expression (Python's `re`) matches anywhere in the text unless anchored with ^…$."""

    EXACT = "exact", _("Exact text")
    REGEX = "regex", _("Regular expression")


class RuleAction(models.TextChoices):
    """What a matching rule does with a title."""

    MAP = "map", _("Map to a catalogue product")
    RENAME = "rename", _("Rename")
    IGNORE = "ignore", _("Ignore")
