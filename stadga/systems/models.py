"""The register of the municipality's IT systems (P9.3, P9.1, P5.6)."""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel, other_municipality_errors

from .choices import Aspect, Flag, LifecyclePhase, ResponsibilityKind, SystemType

IDENTIFIER_PREFIX = "SYS-"


def level_errors(obj: models.Model) -> dict[str, Any]:
    """`clean()` errors for classification levels outside the municipality's consequence scale
    (P9.1); for a system and for each of its information types alike."""
    top = obj.municipality.max_consequence_level  # type: ignore[attr-defined]
    errors: dict[str, Any] = {}
    for aspect in Aspect.values:
        level = getattr(obj, aspect)
        if level is not None and not 1 <= level <= top:
            errors[aspect] = _("Choose a level from 1 to %(top)s.") % {"top": top}
    return errors


class System(GovernedModel):
    """An IT system the municipality runs its work on, with its named system owner (P9.3)."""

    identifier = models.CharField(
        _("system ID"),
        max_length=40,
        help_text=_("A stable key, e.g. SYS-0012; used to update the system from an import."),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    board = models.ForeignKey(
        "organisation.Board",
        verbose_name=_("board"),
        on_delete=models.PROTECT,
        related_name="systems",
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="systems",
    )
    system_owner = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("system owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_systems",
        help_text=_("The named official responsible for the system's security (P9.3)."),
    )
    contacts = models.ManyToManyField(
        "organisation.Person",
        verbose_name=_("other contacts"),
        blank=True,
        related_name="contact_for_systems",
    )
    lifecycle_phase = models.CharField(
        _("lifecycle phase"),
        max_length=20,
        choices=LifecyclePhase.choices,
        default=LifecyclePhase.IN_PRODUCTION,
    )
    in_production_from = models.DateField(_("in production from"), null=True, blank=True)
    phase_out_from = models.DateField(_("phase-out from"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    system_type = models.CharField(
        _("type"), max_length=20, choices=SystemType.choices, default=SystemType.BOUGHT
    )
    user_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        symmetrical=False,
        blank=True,
        related_name="dependants",
    )
    personal_data = models.BooleanField(_("personal data"), default=False)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality"), null=True, blank=True)
    integrity = models.PositiveSmallIntegerField(_("integrity"), null=True, blank=True)
    availability = models.PositiveSmallIntegerField(_("availability"), null=True, blank=True)
    traceability = models.PositiveSmallIntegerField(_("traceability"), null=True, blank=True)
    classification_justification = models.TextField(_("classification justification"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown in the public register of IT systems (P7.1)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("IT system")
        verbose_name_plural = _("IT systems")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "identifier"], name="system_unique_identifier"
            ),
            # P9.3: only a system still being planned may lack a named owner.
            models.CheckConstraint(
                condition=Q(system_owner__isnull=False) | Q(lifecycle_phase=LifecyclePhase.PLANNED),
                name="system_owner_required_unless_planned",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{a}__isnull": True}) | Q(**{f"{a}__gte": 1}),
                    name=f"system_{a}_level_positive",
                )
                for a in Aspect.values
            ],
        ]
        indexes = [
            models.Index(fields=["municipality", "archived_at", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "systems:system_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def classification(self) -> dict[str, int | None]:
        return {aspect: getattr(self, aspect) for aspect in Aspect.values}

    @property
    def is_classified(self) -> bool:
        return all(level is not None for level in self.classification.values())

    @property
    def flags(self) -> list[Flag]:
        """The gaps the register points out on this system."""
        flags = []
        if self.system_owner_id is None:
            flags.append(Flag.NO_OWNER)
        if not self.is_classified and self.lifecycle_phase != LifecyclePhase.RETIRED:
            flags.append(Flag.UNCLASSIFIED)
        if self.system_type == SystemType.IN_HOUSE:
            flags.append(Flag.IN_HOUSE)
        return flags

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.system_owner_id is None and self.lifecycle_phase != LifecyclePhase.PLANNED:
            errors["system_owner"] = _(
                "Every system has a named system owner (P9.3); only a planned system may lack one."
            )
        if self.municipality_id:
            errors.update(other_municipality_errors(self, "board", "department", "system_owner"))
            errors.update(level_errors(self))
        if (
            self.department is not None
            and self.board_id
            and self.department.board_id != self.board_id
        ):
            errors["department"] = _("The department does not belong to the chosen board.")
        if (
            self.in_production_from
            and self.retired_on
            and self.retired_on < self.in_production_from
        ):
            errors["retired_on"] = _("A system cannot be retired before it went into production.")
        if errors:
            raise ValidationError(errors)


class ExternalResponsibility(GovernedModel):
    """What an external organisation answers for in one of the municipality's systems: e.g. the
    supplier of the product, whoever runs it, or the company that builds the network it needs
    (P3.11, P8). Kept by whoever may edit the system."""

    system = models.ForeignKey(
        System,
        verbose_name=_("system"),
        on_delete=models.PROTECT,
        related_name="external_responsibilities",
    )
    organisation = models.ForeignKey(
        "organisation.ExternalOrganisation",
        verbose_name=_("external organisation"),
        on_delete=models.PROTECT,
        related_name="system_responsibilities",
    )
    kind = models.CharField(_("responsible for"), max_length=20, choices=ResponsibilityKind.choices)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What exactly they answer for, e.g. the contract's scope or service levels."),
    )
    contract_ends_on = models.DateField(_("contract ends on"), null=True, blank=True)

    class Meta:
        ordering = ["system__name", "organisation__name", "kind", "pk"]
        verbose_name = _("external responsibility")
        verbose_name_plural = _("external responsibilities")
        constraints = [
            # An archived responsibility is history: the same one may be recorded again.
            models.UniqueConstraint(
                fields=["system", "organisation", "kind"],
                condition=Q(archived_at__isnull=True),
                name="external_responsibility_unique_current",
                violation_error_message=_(
                    "The organisation already has this responsibility for the system."
                ),
            ),
        ]

    def __str__(self) -> str:
        organisation = self.organisation.name if self.organisation_id else ""
        return f"{organisation}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "systems:externalresponsibility_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "system", "organisation")
        if errors:
            raise ValidationError(errors)


auditlog.register(System, m2m_fields={"contacts", "depends_on"})
auditlog.register(ExternalResponsibility)
