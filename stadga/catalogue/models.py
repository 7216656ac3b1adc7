"""The product catalogue and the way into it: vendors, products and their versions, the IT
department's dated decisions (P5.4), product requests with their assessment against the policy's
criteria (P5.1–P5.7), approval steps, the executive board's exceptions (P5.6) and the coordination
inquiries to neighbouring municipalities (P8.2)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import (
    GovernedModel,
    MunicipalityScopedModel,
    MunicipalitySettings,
    TimestampedModel,
    other_municipality_errors,
)

from .choices import (
    APPROVED_PHASES,
    Answer,
    Approver,
    Criterion,
    InquiryStatus,
    Outcome,
    Phase,
    ProductFlag,
    ProductKind,
    RequestStatus,
    StepStatus,
    Verdict,
)


def sek(verbose_name: Any, **options: Any) -> models.DecimalField:
    """An amount in Swedish kronor, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        **options,
    )


class CatalogueSettings(MunicipalitySettings):
    """How one municipality runs its catalogue: reminder periods and its neighbours (P8.2)."""

    request_wait_days = models.PositiveSmallIntegerField(
        _("remind of requests waiting longer than (days)"), default=14
    )
    phase_out_notice_days = models.PositiveSmallIntegerField(
        _("remind of phase-out end dates this many days ahead"), default=60
    )
    neighbours = models.ManyToManyField(
        "organisation.Municipality",
        verbose_name=_("neighbouring municipalities in Stadga"),
        blank=True,
        related_name="+",
        help_text=_(
            "Asked before a new business system is acquired; they answer in Stadga (P8.2)."
        ),
    )
    other_neighbours = models.TextField(
        _("other neighbouring municipalities"),
        blank=True,
        help_text=_("One per line; their answers are recorded by hand (P8.2)."),
    )

    settings_url_name = "catalogue:settings"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    @property
    def other_neighbour_names(self) -> list[str]:
        return [line.strip() for line in self.other_neighbours.splitlines() if line.strip()]


class ApprovalStep(GovernedModel):
    """A sign-off a product request needs after the IT department's decision, e.g. the
    department head's above a cost threshold. Steps are data: the municipality sets them."""

    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    approver = models.CharField(_("who signs"), max_length=30, choices=Approver.choices)
    min_total_cost = sek(
        _("from a total cost of (SEK)"),
        null=True,
        blank=True,
        help_text=_("One-time cost plus the first year's running cost; empty: every request."),
    )
    only_business_systems = models.BooleanField(_("only for new business systems"), default=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:approvalstep_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def applies_to(self, request: ProductRequest) -> bool:
        if self.only_business_systems and not request.is_business_system:
            return False
        return self.min_total_cost is None or request.total_cost >= self.min_total_cost


class Vendor(GovernedModel):
    """A company that makes or sells products, with the IT department's view of its market
    standing and long-term prospects (P5.2)."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^\d{6}-?\d{4}$", _("Write it as NNNNNN-NNNN."))],
    )
    website = models.URLField(_("website"), blank=True)
    market_standing = models.TextField(
        _("market standing"),
        blank=True,
        help_text=_("Size, customers among municipalities, references (P5.2)."),
    )
    long_term_prospects = models.TextField(
        _("long-term prospects"),
        blank=True,
        help_text=_("Ownership, finances, roadmap: will the vendor be there in ten years (P5.2)?"),
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="vendor_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:vendor_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )


class ProductCategory(GovernedModel):
    """What a product is for, e.g. 'Finance system' or 'Laptop': the unit in which the platform's
    uniformity is measured (P4.1)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_business_system = models.BooleanField(
        _("business systems"),
        default=False,
        help_text=_("Products of this category are business systems (verksamhetssystem)."),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:productcategory_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )


class Product(GovernedModel):
    """Hardware, software or a cloud service, and where it stands in the catalogue (P5.4).

    `phase` and its dates are the latest `PhaseDecision`; only the phase services change them."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.SOFTWARE
    )
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    end_of_support = models.DateField(
        _("end of support"),
        null=True,
        blank=True,
        help_text=_("The vendor's end of support for the product as a whole, if announced."),
    )
    phase = models.CharField(
        _("phase"), max_length=30, choices=Phase.choices, default=Phase.NOT_ASSESSED, editable=False
    )
    phase_since = models.DateField(_("in this phase since"), null=True, blank=True, editable=False)
    phase_ends_on = models.DateField(_("phase-out ends on"), null=True, blank=True, editable=False)
    constraints = models.TextField(_("constraints"), blank=True, editable=False)
    systems = models.ManyToManyField(
        "systems.System",
        verbose_name=_("systems"),
        through="SystemProduct",
        blank=True,
        related_name="products",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="product_unique_name"),
            models.CheckConstraint(
                condition=~Q(phase=Phase.PHASE_OUT) | Q(phase_ends_on__isnull=False),
                name="product_phase_out_has_end",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "archived_at", "phase"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:product_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "category", "vendor")
        if errors:
            raise ValidationError(errors)

    @property
    def is_approved(self) -> bool:
        return self.phase in APPROVED_PHASES

    def flags_on(self, today: datetime.date, version: ProductVersion | None = None) -> list[str]:
        """Why a system running on this product (and version) is pointed out today (P5.4)."""
        flags: list[str] = []
        if self.phase in (Phase.NOT_ASSESSED, Phase.EVALUATION):
            flags.append(ProductFlag.NEVER_APPROVED)
        elif self.phase == Phase.REJECTED:
            flags.append(ProductFlag.REJECTED)
        elif self.phase == Phase.RETIRED:
            flags.append(ProductFlag.RETIRED)
        elif self.phase == Phase.PHASE_OUT and self.phase_ends_on and self.phase_ends_on < today:
            flags.append(ProductFlag.PHASE_OUT_ENDED)
        ends = [d for d in (self.end_of_support, version and version.end_of_support) if d]
        if any(d < today for d in ends):
            flags.append(ProductFlag.PAST_END_OF_SUPPORT)
        return flags


class ProductVersion(GovernedModel):
    """A version of a product with the vendor's own dates."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=100)
    general_availability = models.DateField(_("general availability"), null=True, blank=True)
    end_of_sale = models.DateField(_("end of sale"), null=True, blank=True)
    end_of_support = models.DateField(_("end of support"), null=True, blank=True)

    class Meta:
        ordering = ["product", "-general_availability", "version", "pk"]
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "product", "version"], name="product_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"

    def get_absolute_url(self) -> str:
        return self.product.get_absolute_url()

    def clean(self) -> None:
        errors = other_municipality_errors(self, "product")
        ga, eos = self.general_availability, self.end_of_support
        if ga and eos and eos < ga:
            errors["end_of_support"] = _("Support cannot end before the version is available.")
        if ga and self.end_of_sale and self.end_of_sale < ga:
            errors["end_of_sale"] = _("Sales cannot end before the version is available.")
        if errors:
            raise ValidationError(errors)


class PhaseDecision(MunicipalityScopedModel, TimestampedModel):
    """One dated decision on a product's phase, with its reasons: the catalogue's history.
    Written once by the phase services, never changed."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="decisions"
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    effective_from = models.DateField(_("from"))
    ends_on = models.DateField(_("phase-out ends on"), null=True, blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    reason = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    request = models.ForeignKey(
        "ProductRequest",
        verbose_name=_("product request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="phase_decisions",
    )

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("phase decision")
        verbose_name_plural = _("phase decisions")

    def __str__(self) -> str:
        return f"{self.product}: {self.get_phase_display()} ({self.effective_from:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return self.product.get_absolute_url()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("A phase decision is a public record and is never deleted.")


class SystemProduct(models.Model):
    """A system runs on a product (optionally a given version): what ties the register to the
    catalogue (P5.4, P4.1)."""

    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        on_delete=models.CASCADE,
        related_name="product_links",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="system_links"
    )
    version = models.ForeignKey(
        ProductVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="system_links",
    )

    class Meta:
        ordering = ["system", "product__name"]
        verbose_name = _("product of a system")
        verbose_name_plural = _("products of systems")
        constraints = [
            models.UniqueConstraint(fields=["system", "product"], name="system_product_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.system} → {self.product}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"municipality_id": self.system.municipality_id}

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.product_id
            and self.system_id
            and self.product.municipality_id != self.system.municipality_id
        ):
            errors["product"] = _("It belongs to another municipality.")
        if self.version is not None and self.version.product_id != self.product_id:
            errors["version"] = _("The version is not one of the product's.")
        if errors:
            raise ValidationError(errors)


class ProductRequest(GovernedModel):
    """An employee's request for a product (P5.4), assessed by the IT department against the
    policy's criteria and decided, step by step, with written reasons."""

    title = models.CharField(_("what is requested"), max_length=300)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product in the catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        help_text=_("If the product is already in the catalogue."),
    )
    product_name = models.CharField(
        _("product name"),
        max_length=200,
        blank=True,
        help_text=_("If the product is not in the catalogue yet."),
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    vendor_name = models.CharField(
        _("vendor name"),
        max_length=200,
        blank=True,
        help_text=_("If the vendor is not in the catalogue yet."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProductKind.choices, default=ProductKind.SOFTWARE
    )
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    reason = models.TextField(_("why it is needed"))
    requested_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="product_requests",
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="product_requests",
    )
    one_time_cost = sek(_("one-time cost (SEK)"), default=Decimal("0"))
    yearly_cost = sek(_("yearly cost (SEK)"), default=Decimal("0"))
    goals = models.ManyToManyField(
        "plans.Goal",
        verbose_name=_("goals it serves (P2)"),
        blank=True,
        related_name="product_requests",
        help_text=_("The municipality's IT goals the product helps reach."),
    )
    expected_benefit = models.TextField(_("expected benefit (P1.2)"), blank=True)
    information_handled = models.TextField(_("information it will handle"), blank=True)
    personal_data = models.BooleanField(_("handles personal data"), default=False)
    is_business_system = models.BooleanField(
        _("a new business system"),
        default=False,
        help_text=_("Neighbouring municipalities are asked before it is decided (P8.2)."),
    )
    is_in_house_development = models.BooleanField(_("in-house development (P5.6)"), default=False)
    is_unfinished = models.BooleanField(
        _("a business system that is not fully developed (P5.6)"), default=False
    )
    systems = models.ManyToManyField(
        "systems.System",
        verbose_name=_("related systems"),
        blank=True,
        related_name="product_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("decision"), max_length=30, choices=Outcome.choices, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True, editable=False)
    constraints = models.TextField(_("constraints"), blank=True, editable=False)
    decided_product = models.ForeignKey(
        Product,
        verbose_name=_("decided product"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The catalogue product the decision was recorded on."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("product request")
        verbose_name_plural = _("product requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECIDED) | ~Q(outcome=""),
                name="request_decided_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}" if self.pk else self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:productrequest_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def total_cost(self) -> Decimal:
        """One-time cost plus the first year's running cost: what approval thresholds read."""
        return (self.one_time_cost or Decimal("0")) + (self.yearly_cost or Decimal("0"))

    @property
    def offends_p56(self) -> bool:
        """In-house development or an unfinished business system (P5.6)."""
        return self.is_in_house_development or self.is_unfinished

    @property
    def requested_product_name(self) -> str:
        return self.product.name if self.product_id else self.product_name  # type: ignore[union-attr]

    def clean(self) -> None:
        errors = other_municipality_errors(
            self, "product", "vendor", "category", "requested_by", "department"
        )
        if not self.product_id and not self.product_name.strip():
            errors["product_name"] = _("Name the product, or choose it from the catalogue.")
        if errors:
            raise ValidationError(errors)


class Assessment(MunicipalityScopedModel, TimestampedModel):
    """The IT department's assessment of one criterion of a request, with its note (P5)."""

    request = models.ForeignKey(
        ProductRequest,
        verbose_name=_("product request"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    verdict = models.CharField(_("assessment"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("note"))
    assessed_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["request", "criterion"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "criterion"], name="assessment_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_criterion_display()}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("An assessment is part of a public record and is never deleted.")


class RequestStep(MunicipalityScopedModel, TimestampedModel):
    """One sign-off of a request, in order: the IT department's first, then the municipality's
    approval steps that apply to it. Each with its own decision, reasons and time."""

    request = models.ForeignKey(
        ProductRequest,
        verbose_name=_("product request"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    approver = models.CharField(_("who signs"), max_length=30, choices=Approver.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    reason = models.TextField(_("reasons"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    decided_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["request", "order"]
        verbose_name = _("approval step of a request")
        verbose_name_plural = _("approval steps of requests")
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="request_step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.name}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("A decision step is part of a public record and is never deleted.")


class PolicyException(GovernedModel):
    """An exception from the policy decided by the executive board, e.g. an in-house system
    allowed despite P5.6: for a system in the register or for a product request."""

    clause = models.CharField(_("clause"), max_length=10, default="P5.6")
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_exceptions",
    )
    request = models.ForeignKey(
        ProductRequest,
        verbose_name=_("product request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_exceptions",
    )
    board = models.ForeignKey(
        "organisation.Board",
        verbose_name=_("decided by the board"),
        on_delete=models.PROTECT,
        related_name="policy_exceptions",
    )
    decided_on = models.DateField(_("decided on"))
    minute_reference = models.CharField(
        _("minute reference"), max_length=100, help_text=_("E.g. KS 2026-03-12 § 45.")
    )
    reason = models.TextField(_("reasons"))

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("policy exception")
        verbose_name_plural = _("policy exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(system__isnull=False) | Q(request__isnull=False),
                name="policy_exception_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause}: {self.minute_reference}"

    def get_absolute_url(self) -> str:
        if self.request_id:
            return self.request.get_absolute_url()  # type: ignore[union-attr]
        return self.system.get_absolute_url()  # type: ignore[union-attr]

    def clean(self) -> None:
        from stadga.organisation.choices import BoardKind

        errors = other_municipality_errors(self, "system", "request", "board")
        if not self.system_id and not self.request_id:
            errors["system"] = _("An exception is for a system or a product request.")
        if self.board_id and self.board.kind != BoardKind.EXECUTIVE_BOARD:
            errors["board"] = _("Only the executive board decides exceptions from the policy.")
        if errors:
            raise ValidationError(errors)


class CoordinationInquiry(GovernedModel):
    """Before a new business system is acquired, the neighbouring municipalities are asked
    whether they want to coordinate (P8.2). The decision waits until it is closed or waived."""

    request = models.OneToOneField(
        ProductRequest,
        verbose_name=_("product request"),
        on_delete=models.PROTECT,
        related_name="inquiry",
    )
    question = models.TextField(_("question"))
    sent_on = models.DateField(_("sent on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InquiryStatus.choices,
        default=InquiryStatus.OPEN,
        editable=False,
    )
    conclusion = models.TextField(
        _("conclusion"), blank=True, editable=False, help_text=_("Why it was closed or waived.")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("coordination inquiry")
        verbose_name_plural = _("coordination inquiries")

    def __str__(self) -> str:
        return str(_("Coordination inquiry on %(request)s") % {"request": self.request})

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    @property
    def is_settled(self) -> bool:
        return self.status in (InquiryStatus.CLOSED, InquiryStatus.WAIVED)


class InquiryRecipient(MunicipalityScopedModel, TimestampedModel):
    """One neighbouring municipality asked, and its answer (P8.2). A partner in this installation
    (`partner`) answers in Stadga; for others the asking municipality records the answer.
    `municipality` is the asking one: the row is its record."""

    inquiry = models.ForeignKey(
        CoordinationInquiry,
        verbose_name=_("coordination inquiry"),
        on_delete=models.PROTECT,
        related_name="recipients",
    )
    partner = models.ForeignKey(
        "organisation.Municipality",
        verbose_name=_("municipality in Stadga"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries_received",
    )
    organisation_name = models.CharField(_("municipality"), max_length=200, blank=True)
    asked_on = models.DateField(_("asked on"))
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.NO_ANSWER
    )
    answer_text = models.TextField(_("answer in words"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A person of the partner municipality, when it answered in Stadga."),
    )
    answered_by_name = models.CharField(_("answered by (name)"), max_length=200, blank=True)

    class Meta:
        ordering = ["inquiry", "organisation_name", "pk"]
        verbose_name = _("municipality asked")
        verbose_name_plural = _("municipalities asked")
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(organisation_name=""),
                name="inquiry_recipient_named",
            ),
            models.UniqueConstraint(
                fields=["inquiry", "partner"],
                condition=Q(partner__isnull=False),
                name="inquiry_recipient_partner_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.partner.name if self.partner_id else self.organisation_name  # type: ignore[union-attr]

    def get_absolute_url(self) -> str:
        return self.inquiry.get_absolute_url()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("An inquiry's record is never deleted.")


auditlog.register(CatalogueSettings, m2m_fields={"neighbours"})
auditlog.register(ApprovalStep)
auditlog.register(Vendor)
auditlog.register(ProductCategory)
auditlog.register(Product)
auditlog.register(ProductVersion)
auditlog.register(PhaseDecision)
auditlog.register(SystemProduct)
auditlog.register(ProductRequest, m2m_fields={"systems", "goals"})
auditlog.register(Assessment)
auditlog.register(RequestStep)
auditlog.register(PolicyException)
auditlog.register(CoordinationInquiry)
auditlog.register(InquiryRecipient)
