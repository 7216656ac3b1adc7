"""Information security management (P9): classification of information, baseline requirements,
protective measures and their follow-up, resource-shortfall notices, incidents, and the register
of processing activities (GDPR art. 30)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel, TimestampedModel, other_municipality_errors
from stadga.systems.choices import Aspect
from stadga.systems.models import level_errors

from .choices import Effect, LegalBasis, MeasureStatus, NoticeStatus, RequirementCategory

DEFAULT_FOLLOW_UP_MONTHS = {1: 24, 2: 12, 3: 6, 4: 3}


def default_follow_up_months() -> dict[str, int]:
    """The follow-up interval per consequence level as the settings store it (JSON keys are
    strings)."""
    return {str(level): months for level, months in DEFAULT_FOLLOW_UP_MONTHS.items()}


class SecuritySettings(TimestampedModel):
    """The municipality's intervals for classification review, follow-ups and escalation."""

    municipality = models.OneToOneField(
        "organisation.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="security_settings",
    )
    classification_review_months = models.PositiveSmallIntegerField(
        _("review classifications every (months)"), default=12
    )
    shortfall_escalation_days = models.PositiveSmallIntegerField(
        _("escalate unacknowledged shortfall notices after (days)"), default=14
    )
    # Follow-up interval in months per consequence level, e.g. {"1": 24, "2": 12, "3": 6, "4": 3}
    follow_up_months = models.JSONField(
        _("follow-up interval per level (months)"),
        default=default_follow_up_months,
        blank=True,
    )

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self) -> str:
        return str(self.municipality)

    @classmethod
    def for_municipality(cls, municipality: Any) -> SecuritySettings:
        """The municipality's stored settings, or (unsaved) the defaults it would get: one
        query. The one reader of the settings; `services.security_settings_for` stores them."""
        return cls.objects.filter(municipality=municipality).first() or cls(
            municipality=municipality
        )

    def get_absolute_url(self) -> str:
        return reverse("security:settings", kwargs={"municipality": self.municipality.slug})


class InformationType(GovernedModel):
    """A kind of information a system handles (e.g. 'case files with sensitive personal data'),
    classified on the municipality's consequence scale (P9.1). The system's level per aspect is
    the highest of its information types."""

    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        on_delete=models.PROTECT,
        related_name="information_types",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)
    sensitive_personal_data = models.BooleanField(_("sensitive personal data"), default=False)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality"), null=True, blank=True)
    integrity = models.PositiveSmallIntegerField(_("integrity"), null=True, blank=True)
    availability = models.PositiveSmallIntegerField(_("availability"), null=True, blank=True)
    traceability = models.PositiveSmallIntegerField(_("traceability"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    classified_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("classified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    classified_on = models.DateField(_("classified on"), null=True, blank=True)

    class Meta:
        ordering = ["system__name", "name"]
        verbose_name = _("information type")
        verbose_name_plural = _("information types")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "name"], name="information_type_unique_per_system"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "security:informationtype_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def levels(self) -> dict[str, int | None]:
        return {aspect: getattr(self, aspect) for aspect in Aspect.values}

    def clean(self) -> None:
        errors = other_municipality_errors(self, "system", "classified_by")
        if self.municipality_id:
            errors.update(level_errors(self))
        if self.sensitive_personal_data and not self.personal_data:
            errors["personal_data"] = _("Sensitive personal data is personal data too.")
        if errors:
            raise ValidationError(errors)


class RequirementCatalogue(TimestampedModel):
    """A versioned library of baseline security requirements, shipped as YAML and shared by
    every municipality (like the policy libraries)."""

    key = models.SlugField(_("key"), max_length=100)
    version = models.CharField(_("version"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("requirement catalogue")
        verbose_name_plural = _("requirement catalogues")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], name="requirement_catalogue_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("requirements:detail", kwargs={"pk": self.pk})


class Requirement(models.Model):
    """A baseline requirement that applies when an aspect's level reaches a threshold, e.g.
    'restore tests at least yearly' from availability 3. Cites an ISO/IEC 27002:2022 control by
    number only."""

    catalogue = models.ForeignKey(
        RequirementCatalogue,
        verbose_name=_("catalogue"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    code = models.CharField(_("code"), max_length=20)  # e.g. KR-12
    order = models.PositiveIntegerField(_("order"))
    category = models.CharField(_("category"), max_length=30, choices=RequirementCategory.choices)
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    level = models.PositiveSmallIntegerField(_("from level"))
    iso_control = models.CharField(_("ISO/IEC 27002:2022 control"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text in English"), blank=True)
    # Also applies to systems that handle personal data, whatever their levels.
    personal_data = models.BooleanField(_("applies to personal data"), default=False)

    class Meta:
        ordering = ["catalogue", "order"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="requirement_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_text[:60]}"

    @property
    def display_text(self) -> str:
        if get_language() == "en" and self.text_en:
            return self.text_en
        return self.text


class Measure(GovernedModel):
    """A protective measure (P9.5): for a system (kept by its system owner) or, with no system,
    for the technical platform and data communication (kept by the IT coordinator, P9.4)."""

    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    requirement = models.ForeignKey(
        Requirement,
        verbose_name=_("requirement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    not_applicable_reason = models.TextField(_("why not applicable"), blank=True)
    responsible = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("link to evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="measures/%Y/", blank=True)
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow up every (months)"), validators=[MinValueValidator(1)], default=12
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        ordering = ["system__name", "title", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["municipality", "archived_at", "next_follow_up"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "security:measure_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def is_platform(self) -> bool:
        return self.system_id is None

    def clean(self) -> None:
        errors = other_municipality_errors(self, "system", "responsible")
        if self.status == MeasureStatus.PLANNED and not self.planned_for:
            errors["planned_for"] = _("A planned measure has a date it is planned for.")
        if self.status == MeasureStatus.NOT_APPLICABLE and not self.not_applicable_reason.strip():
            errors["not_applicable_reason"] = _("Say why the measure does not apply.")
        if errors:
            raise ValidationError(errors)


class FollowUp(GovernedModel):
    """A check of a measure's effect (P9.5): what was checked, by whom, when, and the result."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    performed_on = models.DateField(_("performed on"))
    performed_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("performed by"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    checked = models.TextField(_("what was checked"))
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)
    action = models.TextField(
        _("action"), blank=True, help_text=_("What will be done when the effect falls short.")
    )

    class Meta:
        ordering = ["measure", "-performed_on", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.measure} {self.performed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.measure.get_absolute_url()

    def clean(self) -> None:
        errors = other_municipality_errors(self, "measure", "performed_by")
        if (
            self.effect in (Effect.NOT_EFFECTIVE, Effect.PARTLY_EFFECTIVE)
            and not self.action.strip()
        ):
            errors["action"] = _("Say what will be done, since the effect falls short.")
        if errors:
            raise ValidationError(errors)


class ShortfallNotice(GovernedModel):
    """A written need (P9.6): the money is not enough to keep IT security acceptable. Addressed
    to the department head and/or the board, acknowledged and decided; never deleted."""

    written_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="shortfall_notices_written",
    )
    title = models.CharField(_("title"), max_length=300)
    need = models.TextField(_("what is missing"))
    risk = models.TextField(_("the risk it leaves"))
    estimated_cost = models.DecimalField(
        _("estimated cost (SEK)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    systems = models.ManyToManyField(
        "systems.System", verbose_name=_("systems"), blank=True, related_name="shortfall_notices"
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures affected"), blank=True, related_name="shortfall_notices"
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("to the department (its head)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shortfall_notices",
    )
    board = models.ForeignKey(
        "organisation.Board",
        verbose_name=_("to the board"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shortfall_notices",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shortfall notice")
        verbose_name_plural = _("shortfall notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(board__isnull=False),
                name="shortfall_notice_has_addressee",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "security:shortfallnotice_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "written_by", "department", "board")
        if not self.department_id and not self.board_id:
            errors["department"] = _(
                "Address the notice to the department head, the board, or both (P9.6)."
            )
        if (
            self.status in (NoticeStatus.RISK_ACCEPTED, NoticeStatus.REJECTED)
            and not self.decision_reason.strip()
        ):
            errors["decision_reason"] = _("Give the reason for the decision.")
        if errors:
            raise ValidationError(errors)


class Incident(GovernedModel):
    """A security incident, with the Cybersecurity Act's (2025:1506) deadlines for a
    significant one: early warning in 24 hours, notification in 72 hours, final report in one
    month, counted from discovery."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    discovered_at = models.DateTimeField(_("discovered"))
    significant = models.BooleanField(
        _("significant incident"),
        default=False,
        help_text=_("Significant under the Cybersecurity Act: the reporting deadlines apply."),
    )
    systems = models.ManyToManyField(
        "systems.System", verbose_name=_("systems"), blank=True, related_name="incidents"
    )
    information_types = models.ManyToManyField(
        InformationType,
        verbose_name=_("information types"),
        blank=True,
        related_name="incidents",
    )
    early_warning_sent_at = models.DateTimeField(_("early warning sent"), null=True, blank=True)
    notification_sent_at = models.DateTimeField(_("notification sent"), null=True, blank=True)
    final_report_sent_at = models.DateTimeField(_("final report sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    measures = models.ManyToManyField(
        Measure,
        verbose_name=_("measures taken or changed"),
        blank=True,
        related_name="incidents",
    )
    reported_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-discovered_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "security:incident_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "reported_by")
        if errors:
            raise ValidationError(errors)


class ProcessingActivity(GovernedModel):
    """An entry of the register of processing activities (GDPR art. 30), kept per board as
    controller (P9.2)."""

    board = models.ForeignKey(
        "organisation.Board",
        verbose_name=_("controller (board)"),
        on_delete=models.PROTECT,
        related_name="processing_activities",
    )
    name = models.CharField(_("name"), max_length=300)
    purposes = models.TextField(_("purposes"))
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    legal_basis_detail = models.TextField(_("legal basis in detail"), blank=True)
    data_subjects = models.TextField(_("categories of data subjects"))
    personal_data_categories = models.TextField(_("categories of personal data"))
    sensitive_data = models.BooleanField(_("sensitive personal data"), default=False)
    recipients = models.TextField(_("recipients"), blank=True)
    third_country_transfers = models.TextField(_("transfers to third countries"), blank=True)
    erasure_time_limits = models.TextField(_("time limits for erasure"), blank=True)
    dpia_done = models.BooleanField(_("impact assessment (DPIA) done"), default=False)
    processor_agreements = models.TextField(_("processor agreements"), blank=True)
    systems = models.ManyToManyField(
        "systems.System",
        verbose_name=_("systems"),
        blank=True,
        related_name="processing_activities",
    )
    security_measures = models.ManyToManyField(
        Measure,
        verbose_name=_("security measures"),
        blank=True,
        related_name="processing_activities",
    )

    class Meta:
        ordering = ["board__name", "name"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "security:processingactivity_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "board")
        if errors:
            raise ValidationError(errors)


auditlog.register(SecuritySettings)
auditlog.register(InformationType)
auditlog.register(Measure)
auditlog.register(FollowUp)
auditlog.register(ShortfallNotice, m2m_fields={"systems", "measures"})
auditlog.register(Incident, m2m_fields={"systems", "information_types", "measures"})
auditlog.register(ProcessingActivity, m2m_fields={"systems", "security_measures"})
