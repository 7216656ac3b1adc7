"""The installed-software inventory: what endpoint management reports as installed, device by
device, imported from a source (GLPI, Intune, a spreadsheet) as snapshots that replace each other.

A source's `current_snapshot` is the only one whose devices and installations are kept; readers go
through it, so they see either the previous import or the new one, never a mix. Installations are
bulk rows (a municipality may have a million): they are not governed objects and not individually
in the change log; the change log shows one `Snapshot` row per import instead.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel, MunicipalityScopedModel, TimestampedModel

from .choices import InventoryFormat, SnapshotStatus

# Field lengths of a software title; longer values from a file are truncated to them.
TITLE_NAME_LENGTH = 300
TITLE_PUBLISHER_LENGTH = 200
TITLE_VERSION_LENGTH = 100


class InventorySource(GovernedModel):
    """Where an inventory comes from, e.g. 'GLPI' or 'Intune': each import of it is a snapshot
    that replaces the previous one."""

    name = models.CharField(_("name"), max_length=100)
    format = models.CharField(_("file format"), max_length=20, choices=InventoryFormat.choices)
    current_snapshot = models.ForeignKey(
        "Snapshot",
        verbose_name=_("current snapshot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("inventory source")
        verbose_name_plural = _("inventory sources")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="inventorysource_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Snapshot(MunicipalityScopedModel, TimestampedModel):
    """One import of a source: its devices and installations while it is current, and its counts
    for ever (the trend)."""

    source = models.ForeignKey(
        InventorySource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SnapshotStatus.choices,
        default=SnapshotStatus.LOADING,
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    device_count = models.PositiveIntegerField(_("devices"), default=0)
    title_count = models.PositiveIntegerField(_("distinct software titles"), default=0)
    error = models.TextField(_("errors"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("inventory snapshot")
        verbose_name_plural = _("inventory snapshots")
        indexes = [models.Index(fields=["source", "-started_at"], name="snapshot_source_started")]

    def __str__(self) -> str:
        return f"{self.source.name} {self.started_at:%Y-%m-%d %H:%M}"


class SoftwareTitle(models.Model):
    """A distinct raw title (name, publisher, version) as the municipality's inventories report
    it. Titles outlive snapshots: normalisation rules are matched once per title, not once per
    installation."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=TITLE_NAME_LENGTH)
    publisher = models.CharField(_("publisher"), max_length=TITLE_PUBLISHER_LENGTH, blank=True)
    version = models.CharField(_("version"), max_length=TITLE_VERSION_LENGTH, blank=True)

    class Meta:
        ordering = ["name", "publisher", "version"]
        verbose_name = _("software title")
        verbose_name_plural = _("software titles")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "publisher", "version"],
                name="softwaretitle_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.version) if part)


class Device(models.Model):
    """A computer in one snapshot, with its user and department as the source reported them."""

    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="devices"
    )
    name = models.CharField(_("name"), max_length=255)
    user = models.CharField(_("user"), max_length=255, blank=True)
    department_text = models.CharField(_("department (as reported)"), max_length=200, blank=True)
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "name"], name="device_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Installation(models.Model):
    """One title installed on one device in one snapshot: a bulk row, written by COPY."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: the two composite indexes below begin with it.
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # DO_NOTHING: a snapshot's devices are deleted right after its installations, and a
    # cascade would make Django fetch every device before deleting (the database still
    # enforces the key).
    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.DO_NOTHING, related_name="+"
    )
    title = models.ForeignKey(
        SoftwareTitle, verbose_name=_("software title"), on_delete=models.PROTECT, related_name="+"
    )
    install_date = models.DateField(_("installed"), null=True, blank=True)
    arch = models.CharField(_("architecture"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        indexes = [
            models.Index(fields=["snapshot", "title"], name="installation_snapshot_title"),
            models.Index(fields=["snapshot", "device"], name="installation_snapshot_device"),
        ]

    def __str__(self) -> str:
        return f"{self.title_id} @ {self.device_id}"


auditlog.register(InventorySource)
auditlog.register(Snapshot)
