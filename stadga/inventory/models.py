"""The installed-software inventory: what endpoint management reports as installed, device by
device, imported from a source (GLPI, Intune, a spreadsheet) as snapshots that replace each other.

A source's `current_snapshot` is the only one whose devices and installations are kept; readers go
through it, so they see either the previous import or the new one, never a mix. Installations are
bulk rows (a municipality may have a million): they are not governed objects and not individually
in the change log; the change log shows one `Snapshot` row per import instead.
"""

from __future__ import annotations

import re
from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import (
    GovernedModel,
    MunicipalityScopedModel,
    TimestampedModel,
    other_municipality_errors,
)

from .choices import InventoryFormat, RuleAction, RuleField, RuleMatch, SnapshotStatus

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

    def get_absolute_url(self) -> str:
        return reverse("inventory:source_detail", args=[self.municipality.slug, self.pk])


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
    # Progress while loading, read by the upload's progress page.
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    bytes_total = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    # The file uploaded on the web: kept while the snapshot loads and after a failure (to look
    # into and upload again), deleted once its rows are in.
    upload = models.FileField(_("uploaded file"), upload_to="inventory/%Y/", blank=True)
    # Installations per reconciliation status when the snapshot completed: the trend. Keys are
    # `Reconciliation` values; "devices" and "titles" as well.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
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

    def get_absolute_url(self) -> str:
        return reverse("inventory:snapshot_detail", args=[self.municipality.slug, self.pk])


class NormalisationRule(GovernedModel):
    """One entry of the software dictionary: titles whose name, publisher or version matches the
    pattern are mapped to a catalogue product, renamed or ignored (drivers, updates, operating
    system components). Rules are tried in order of `position`; the first that matches a title
    decides it, whatever its action (a rename does not go on to a later map rule)."""

    position = models.PositiveIntegerField(_("order"), validators=[MinValueValidator(1)])
    field = models.CharField(_("field"), max_length=20, choices=RuleField.choices)
    match = models.CharField(
        _("matching"), max_length=20, choices=RuleMatch.choices, default=RuleMatch.EXACT
    )
    pattern = models.CharField(
        _("pattern"),
        max_length=500,
        help_text=_(
            "Exact text: the whole value, ignoring case and surrounding spaces. Regular "
            "expression: found anywhere in the value, ignoring case; anchor it with ^ and $ "
            "to match the whole value."
        ),
    )
    action = models.CharField(_("action"), max_length=20, choices=RuleAction.choices)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product_version = models.ForeignKey(
        "catalogue.ProductVersion",
        verbose_name=_("product version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_name = models.CharField(_("new name"), max_length=TITLE_NAME_LENGTH, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("normalisation rule")
        verbose_name_plural = _("normalisation rules")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "position"], name="normalisationrule_unique_position"
            ),
            models.CheckConstraint(
                condition=~models.Q(action=RuleAction.MAP) | models.Q(product__isnull=False),
                name="normalisationrule_map_has_product",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=RuleAction.RENAME) | ~models.Q(new_name=""),
                name="normalisationrule_rename_has_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_field_display()}: {self.pattern}"

    def get_absolute_url(self) -> str:
        """Its row in the dictionary (rules have no page of their own)."""
        url = reverse("inventory:rule_list", args=[self.municipality.slug])
        return f"{url}{'?archived=1' if self.archived_at else ''}#rule-{self.pk}"

    def compiled(self) -> re.Pattern[str] | None:
        """The pattern as a compiled regular expression (None for exact text); raises
        `re.error` for an invalid one."""
        if self.match != RuleMatch.REGEX:
            return None
        return re.compile(self.pattern, re.IGNORECASE)

    def clean(self) -> None:
        errors: dict[str, Any] = other_municipality_errors(self, "product", "product_version")
        if self.match == RuleMatch.REGEX and self.pattern:
            try:
                self.compiled()
            except re.error as error:
                errors["pattern"] = _("This is not a valid regular expression: %(error)s.") % {
                    "error": error
                }
        if self.action == RuleAction.MAP:
            if not self.product_id:
                errors.setdefault("product", _("A rule that maps to a product needs a product."))
            elif (
                self.product_version is not None
                and "product_version" not in errors
                and self.product_version.product_id != self.product_id
            ):
                errors["product_version"] = _("The version belongs to another product.")
        else:
            if self.product_id:
                errors.setdefault("product", _("Only a rule that maps to a product takes one."))
            if self.product_version_id:
                errors.setdefault(
                    "product_version", _("Only a rule that maps to a product takes a version.")
                )
        if self.action == RuleAction.RENAME:
            if not self.new_name.strip():
                errors["new_name"] = _("A rule that renames needs the new name.")
        elif self.new_name:
            errors["new_name"] = _("Only a rule that renames takes a new name.")
        if errors:
            raise ValidationError(errors)


class DepartmentMapping(GovernedModel):
    """A department as an inventory source names it (e.g. "BUF" or an Active Directory unit)
    mapped to one of the municipality's departments. A device whose reported department is a
    department's name, ignoring case, needs no mapping."""

    reported_name = models.CharField(_("department as reported"), max_length=200)
    # `reported_name` trimmed and case-folded: what devices are matched on.
    key = models.CharField(max_length=200, editable=False)
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["reported_name"]
        verbose_name = _("department mapping")
        verbose_name_plural = _("department mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"], name="departmentmapping_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reported_name} → {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:departments", args=[self.municipality.slug])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = department_key(self.reported_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = other_municipality_errors(self, "department")
        if errors:
            raise ValidationError(errors)


def department_key(text: str) -> str:
    """How a reported department is matched: trimmed, ignoring case."""
    return text.strip().casefold()


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
    # What the software dictionary made of the title: derived data, recomputed by
    # `dictionary.dictionary_apply` whenever the rules change, never edited.
    rule = models.ForeignKey(
        NormalisationRule,
        verbose_name=_("matched rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product_version = models.ForeignKey(
        "catalogue.ProductVersion",
        verbose_name=_("product version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ignored = models.BooleanField(_("ignored"), default=False)
    display_name = models.CharField(_("display name"), max_length=TITLE_NAME_LENGTH, blank=True)

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
    """One title installed on one device in one snapshot: a bulk row, written by COPY.

    Its keys have no constraint in the database (`db_constraint=False`): checking three keys per
    row at each commit took four tenths of a million-row import (`bench/inventory.py`). Only the
    loader writes these rows, with ids it has just read or created, and a snapshot's rows are
    deleted before its devices; nothing else deletes what they point to (titles are kept for
    ever, snapshots too). Two indexes besides the key, both led by the snapshot: every reader
    reads a current snapshot's rows."""

    id = models.BigAutoField(primary_key=True)
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # DO_NOTHING: a snapshot's devices are deleted right after its installations, and a
    # cascade would make Django fetch every device before deleting.
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    title = models.ForeignKey(
        SoftwareTitle,
        verbose_name=_("software title"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
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


class Tally(models.Model):
    """How many installations of one title, on how many devices, one department has in one
    snapshot: written once when the snapshot completes and deleted with its rows. The reports
    read these (thousands of rows) rather than the installations (a million); the status of each
    is read live from the title's product, so the figures follow the rules and the catalogue.
    Written in one INSERT … SELECT from the installations, so its keys, like theirs, have no
    constraint in the database."""

    id = models.BigAutoField(primary_key=True)
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    title = models.ForeignKey(
        SoftwareTitle,
        verbose_name=_("software title"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    installations = models.PositiveIntegerField(_("installations"))
    devices = models.PositiveIntegerField(_("devices"))

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.title_id} × {self.installations}"


auditlog.register(InventorySource)
auditlog.register(Snapshot)
auditlog.register(NormalisationRule)
auditlog.register(DepartmentMapping)
