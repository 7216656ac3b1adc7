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


class Reconciliation(models.TextChoices):
    """What an installation is, measured against the catalogue (P5.4, P5.5): read from the
    product its title maps to and that product's phase today. A phase-out whose end date has
    passed counts as retired; a product not assessed, under evaluation or rejected as never
    approved. Titles the dictionary ignores are left out of every figure."""

    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONSTRAINTS = "approved_with_constraints", _("Approved with constraints")
    PHASE_OUT = "phase_out", _("Phase-out")
    RETIRED = "retired", _("Retired")
    UNAPPROVED = "unapproved", _("Unapproved")
    UNKNOWN = "unknown", _("Unknown")
    IGNORED = "ignored", _("Ignored")


# Installations the IT department may install and support (P5.5); the others are deviations.
SUPPORTED = (
    Reconciliation.APPROVED,
    Reconciliation.APPROVED_WITH_CONSTRAINTS,
    Reconciliation.PHASE_OUT,
)
# Installations of products that may not be installed or supported (P5.5).
NOT_SUPPORTED = (Reconciliation.UNAPPROVED, Reconciliation.RETIRED)
# Every status a figure counts (ignored titles count for nothing).
COUNTED = (*SUPPORTED, *NOT_SUPPORTED, Reconciliation.UNKNOWN)
