"""The public portal (P7.1): what the municipality publishes to residents, its accessibility
statement, and the views and questions residents send."""

from __future__ import annotations

import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel, MunicipalitySettings, other_municipality_errors

from .choices import ComplianceLevel, DataLicence, MessageKind, MessageStatus, Subject

# P7.1 sets no time; two weeks is the service target most Swedish municipalities state.
DEFAULT_ANSWER_TARGET_DAYS = 14
MESSAGE_MAX_LENGTH = 5_000
# The supervisory authority's form for reporting an inaccessible public website (DIGG).
SUPERVISORY_AUTHORITY_URL = "https://www.digg.se/tdosanmalan"


def new_receipt_token() -> str:
    """The secret in a resident's receipt address: the only way back to their message."""
    return secrets.token_urlsafe(24)


class PortalSettings(MunicipalitySettings):
    """Whether and how the municipality publishes its public portal (P7.1)."""

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "The public pages under /p/<municipality>/ are shown to anyone. Until then they "
            "answer 404."
        ),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A few words to residents on the portal's first page."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    answer_target_days = models.PositiveSmallIntegerField(
        _("answer residents within (days)"),
        default=DEFAULT_ANSWER_TARGET_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("The compliance view counts a view or question as answered in time (P7.1)."),
    )
    data_licence = models.CharField(
        _("licence of the open data"),
        max_length=20,
        choices=DataLicence.choices,
        default=DataLicence.CC0,
    )

    settings_url_name = "portal:settings"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")


class AccessibilityStatement(MunicipalitySettings):
    """The portal's accessibility statement (tillgänglighetsredogörelse), with what the law on
    accessibility of digital public services requires it to say (lag 2018:1937; MDFFS 2019:2).

    Blank texts are shown as Stadga's standard wording, in the reader's language.
    """

    compliance = models.CharField(
        _("compliance status"),
        max_length=20,
        choices=ComplianceLevel.choices,
        default=ComplianceLevel.PARTIAL,
    )
    shortcomings = models.TextField(
        _("known shortcomings"),
        blank=True,
        help_text=_("Leave blank for Stadga's standard text on its known shortcomings."),
    )
    disproportionate_burden = models.TextField(
        _("disproportionate burden"),
        blank=True,
        help_text=_("Content the municipality does not make accessible, and why."),
    )
    assessment_method = models.TextField(
        _("how it was assessed"),
        blank=True,
        help_text=_("Leave blank for Stadga's standard text on how its pages are tested."),
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    prepared_on = models.DateField(_("statement prepared on"), null=True, blank=True)
    feedback_email = models.EmailField(_("feedback e-mail"), blank=True)
    feedback_phone = models.CharField(_("feedback phone"), max_length=50, blank=True)

    settings_url_name = "portal:statement"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        # The base's constraint is named per app; this is the app's second settings row.
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="portal_statement_one"),
        ]

    def get_public_url(self) -> str:
        return reverse("public:accessibility", kwargs={"municipality": self.municipality.slug})


class ResidentMessage(GovernedModel):
    """A view or a question a resident sent through the public portal (P7.1), routed to the
    person responsible for what it is about, and the municipality's answer.

    An incoming letter to the municipality is a public record (allmän handling): it is archived,
    never deleted. The exchange is published on the portal only if the resident agreed to it and
    the municipality chose to.
    """

    reference = models.CharField(_("reference"), max_length=20, editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MessageKind.choices, default=MessageKind.QUESTION
    )
    subject = models.CharField(
        _("about"), max_length=20, choices=Subject.choices, default=Subject.GENERAL
    )
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("IT system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_messages",
    )
    plan = models.ForeignKey(
        "plans.ITPlan",
        verbose_name=_("IT plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_messages",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_messages",
    )
    status_report = models.ForeignKey(
        "statusreports.StatusReport",
        verbose_name=_("status report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_messages",
    )
    clause = models.CharField(_("clause"), max_length=20, blank=True)  # e.g. "P7.1"
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    publish_consent = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("The resident agrees that the message and the answer are shown on the portal."),
    )
    language = models.CharField(_("language"), max_length=8, default="sv")
    recipient = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_messages",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MessageStatus.choices,
        default=MessageStatus.RECEIVED,
        editable=False,
    )
    answer = models.TextField(_("answer"), blank=True, max_length=MESSAGE_MAX_LENGTH)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When it was closed without an answer: the P7.1 rule counts that as handled in time.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    receipt_token = models.CharField(
        _("receipt token"), max_length=64, unique=True, default=new_receipt_token, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("view or question from a resident")
        verbose_name_plural = _("views and questions from residents")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="portal_message_unique_reference"
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="portal_message_answered_has_date",
            ),
            # Published only what the resident agreed to have published.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(publish_consent=True),
                name="portal_message_published_with_consent",
            ),
        ]
        indexes = [
            # The inbox and the P7.1 rule: a municipality's messages by status, oldest first.
            models.Index(fields=["municipality", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("New message"))

    def get_absolute_url(self) -> str:
        return reverse(
            "portal:message_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def get_receipt_url(self) -> str:
        return reverse(
            "public:receipt",
            kwargs={"municipality": self.municipality.slug, "token": self.receipt_token},
        )

    @property
    def about(self) -> models.Model | None:
        """The object the message is about, if any."""
        return self.system or self.plan or self.product or self.status_report

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        errors = {}
        if self.municipality_id:
            errors.update(
                other_municipality_errors(
                    self, "system", "plan", "product", "status_report", "recipient"
                )
            )
        if errors:
            raise ValidationError(errors)


auditlog.register(PortalSettings)
auditlog.register(AccessibilityStatement)
auditlog.register(ResidentMessage, exclude_fields=["receipt_token"])
