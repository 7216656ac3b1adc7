"""The boards' IT plans (P3.3–P3.5) and what they are measured against: the policy's goals as data
(P2.1–P2.4), the kinds of cost and who bears each by default (P3.6–P3.9), each plan's initiatives
with their expected benefit (P1.2), their costs per year, and their follow-up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import (
    GovernedModel,
    MunicipalityScopedModel,
    MunicipalitySettings,
    TimestampedModel,
    other_municipality_errors,
)

from .choices import FINISHED_ITEM_STATUSES, BearerKind, ItemStatus, PlanStatus, Tenure

# Plan years Stadga accepts: wide enough for any real plan, narrow enough to catch typos.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def kronor(verbose_name: Any, **options: Any) -> models.DecimalField:
    """An amount in whole Swedish kronor, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("0"))],
        **options,
    )


def _year_field(verbose_name: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )


class Goal(GovernedModel):
    """One of the municipality's overarching IT goals (P2): by default the 2006 policy's four,
    Service, Democracy, Efficiency and Education. Plan items say which goals they serve.

    `code` is the policy's clause ID (P2.1 …). Plan items and product requests (`goals`) link
    the goals they serve."""

    code = models.CharField(
        _("code"), max_length=20, help_text=_("The policy's clause ID, e.g. P2.1.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="plans_goal_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:goal_detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )


class CostCategory(GovernedModel):
    """A kind of IT cost and who bears it unless an item says otherwise (P3.6–P3.9): cabling the
    technical department (recovered through internal rent), active network equipment and
    cross-departmental systems the central office, a department's own systems that department."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    default_bearer = models.CharField(
        _("borne by default by"),
        max_length=30,
        choices=BearerKind.choices,
        default=BearerKind.OWN_DEPARTMENT,
    )
    recovered_through_rent = models.BooleanField(
        _("recovered through internal rent (P3.7)"), default=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="plans_costcategory_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:costcategory_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )


class PlansSettings(MunicipalitySettings):
    """How one municipality runs its IT plans: which departments are the technical department
    and the central office (the default bearers, P3.6–P3.9), and when plans are due (P3.4)."""

    technical_department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("technical department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bears passive network equipment (cabling) (P3.6, P3.7)."),
    )
    central_office = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("central office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bears active network equipment and cross-departmental systems (P3.8, P3.9)."),
    )
    adopt_by_month = models.PositiveSmallIntegerField(
        _("next year's plan adopted by (month)"),
        default=11,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    adopt_by_day = models.PositiveSmallIntegerField(
        _("next year's plan adopted by (day)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    follow_up_by_month = models.PositiveSmallIntegerField(
        _("last year's plan followed up by (month)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    follow_up_by_day = models.PositiveSmallIntegerField(
        _("last year's plan followed up by (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before a date"), default=30
    )

    settings_url_name = "plans:settings"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("IT plan settings")
        verbose_name_plural = _("IT plan settings")

    def clean(self) -> None:
        errors = other_municipality_errors(self, "technical_department", "central_office")
        for prefix in ("adopt_by", "follow_up_by"):
            try:
                self.due_date(prefix, 2024)  # a leap year: 29 February is allowed
            except ValueError:
                errors[f"{prefix}_day"] = _("There is no such day in that month.")
        if errors:
            raise ValidationError(errors)

    def due_date(self, prefix: str, year: int) -> datetime.date:
        """The date `adopt_by` or `follow_up_by` falls on in `year` (29 February becomes the
        28th in a year that has none)."""
        month, day = getattr(self, f"{prefix}_month"), getattr(self, f"{prefix}_day")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                return datetime.date(year, 2, 28)
            raise

    def adopt_by(self, plan_year: int) -> datetime.date:
        """The date by which the plan for `plan_year` should be adopted: in the year before."""
        return self.due_date("adopt_by", plan_year - 1)

    def follow_up_by(self, plan_year: int) -> datetime.date:
        """The date by which the plan for `plan_year` should be followed up: in the year after."""
        return self.due_date("follow_up_by", plan_year + 1)


class Premises(GovernedModel):
    """A building or office the municipality's departments work in, owned or leased. Its
    passive network equipment (cabling) is borne by the technical department and recovered from
    its tenants through the internal rent (P3.6, P3.7).

    Leased premises follow the municipality's investment policy (P3.10): that is what leasing
    means under the policy, so it is not a separate flag that could disagree with the tenure —
    `follows_investment_policy` reads it from the tenure, and `lease_note` says where the lease
    and its investment terms are found."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    tenure = models.CharField(
        _("owned or leased"), max_length=20, choices=Tenure.choices, default=Tenure.OWNED
    )
    lease_note = models.TextField(
        _("lease"),
        blank=True,
        help_text=_(
            "For leased premises: the landlord, the lease and how investments are agreed "
            "under the investment policy (P3.10)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="plans_premises_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:premises_detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )

    @property
    def follows_investment_policy(self) -> bool:
        """P3.10: leased premises follow the municipality's investment policy."""
        return self.tenure == Tenure.LEASED


class Tenancy(GovernedModel):
    """A department's share of a premises from one date (until another), which decides its
    part of the premises' internal rent (P3.7). The shares of a premises' tenancies in force on
    any day sum to one (or there are none): they are set together, through
    `services.tenancies_set`, never one by one."""

    premises = models.ForeignKey(
        Premises, verbose_name=_("premises"), on_delete=models.PROTECT, related_name="tenancies"
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="tenancies",
    )
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("A fraction of the premises, e.g. 0.35 for 35 %."),
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["premises", "-valid_from", "department__name"]
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="plans_tenancy_share_fraction"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="plans_tenancy_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        premises = self.premises.name if self.premises_id else ""
        department = self.department.name if self.department_id else ""
        return f"{premises}: {department}"

    def get_absolute_url(self) -> str:
        return self.premises.get_absolute_url()

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self) -> None:
        errors = other_municipality_errors(self, "premises", "department")
        if errors:
            raise ValidationError(errors)


class ITPlan(GovernedModel):
    """A board's IT plan for one year (P3.4): drawn up from the policy and the board's own
    needs, adopted by the board (meeting date and the minutes' paragraph), followed up and
    evaluated. Its costs feed the budget and operational plan (P3.5)."""

    board = models.ForeignKey(
        "organisation.Board",
        verbose_name=_("board"),
        on_delete=models.PROTECT,
        related_name="it_plans",
    )
    year = _year_field(_("year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        editable=False,
    )
    adopted_on = models.DateField(_("adopted at the meeting of"), null=True, editable=False)
    decision_paragraph = models.CharField(
        _("decision paragraph"), max_length=100, blank=True, editable=False
    )
    followed_up_on = models.DateField(_("followed up on"), null=True, editable=False)
    evaluated_on = models.DateField(_("evaluated on"), null=True, editable=False)
    evaluation = models.TextField(_("evaluation"), blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "board__name"]
        verbose_name = _("IT plan")
        verbose_name_plural = _("IT plans")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "board", "year"], name="plans_itplan_one_per_board_year"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT)
                | (Q(adopted_on__isnull=False) & ~Q(decision_paragraph="")),
                name="plans_itplan_adopted_has_decision",
            ),
        ]

    def __str__(self) -> str:
        board = self.board.name if self.board_id else ""
        return str(_("IT plan %(year)s – %(board)s") % {"year": self.year, "board": board})

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:itplan_detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self) -> None:
        errors = other_municipality_errors(self, "board")
        if errors:
            raise ValidationError(errors)


class PlanItem(GovernedModel):
    """One initiative (IT-satsning) of a board's plan: what it is, the goals it serves (P2), its
    expected benefit to the work and to society (P1.2), the systems, products and requests it
    concerns, who is responsible, its kind of cost and who bears it (P3.6–P3.9), and how it
    stood at follow-up (P3.4)."""

    plan = models.ForeignKey(
        ITPlan, verbose_name=_("IT plan"), on_delete=models.PROTECT, related_name="plan_items"
    )
    title = models.CharField(_("initiative"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals it serves (P2)"), blank=True, related_name="plan_items"
    )
    business_benefit = models.TextField(_("expected business benefit (P1.2)"), blank=True)
    societal_benefit = models.TextField(_("expected societal benefit (P1.2)"), blank=True)
    systems = models.ManyToManyField(
        "systems.System", verbose_name=_("systems"), blank=True, related_name="plan_items"
    )
    products = models.ManyToManyField(
        "catalogue.Product", verbose_name=_("products"), blank=True, related_name="plan_items"
    )
    product_requests = models.ManyToManyField(
        "catalogue.ProductRequest",
        verbose_name=_("product requests"),
        blank=True,
        related_name="plan_items",
    )
    external_organisations = models.ManyToManyField(
        "organisation.ExternalOrganisation",
        verbose_name=_("external organisations"),
        blank=True,
        related_name="plan_items",
        help_text=_("Companies or authorities that carry out part of it (P3.11)."),
    )
    responsible = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
        help_text=_("The department whose initiative it is."),
    )
    cost_category = models.ForeignKey(
        CostCategory,
        verbose_name=_("cost category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    bearer = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("cost borne by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="borne_plan_items",
        help_text=_("Left blank, the cost category's default bearer (P3.6–P3.9)."),
    )
    bearer_reason = models.TextField(
        _("why another bearer"),
        blank=True,
        help_text=_("Needed when the cost is borne by another than the category's default."),
    )
    premises = models.ForeignKey(
        Premises,
        verbose_name=_("premises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
        help_text=_(
            "The premises whose cabling it is, if it is cabling recovered through the internal "
            "rent (P3.7); left blank, the cost is shared by all let premises."
        ),
    )
    follow_up_status = models.CharField(
        _("status at follow-up"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.NOT_STARTED,
        editable=False,
    )
    follow_up_comment = models.TextField(_("follow-up comment"), blank=True, editable=False)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, editable=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("continued from"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:planitem_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def is_finished(self) -> bool:
        return self.follow_up_status in FINISHED_ITEM_STATUSES

    # What the spreadsheet columns read (stadga/plans/tabular.py).
    @property
    def board(self) -> Any:
        return self.plan.board

    @property
    def year(self) -> int:
        return self.plan.year

    def cost_in(self, year: int) -> PlanItemCost | None:
        """The item's cost row for `year` (from prefetched costs when there are)."""
        return next((c for c in self.costs.all() if c.year == year), None)

    def clean(self) -> None:
        errors = other_municipality_errors(
            self, "plan", "responsible", "department", "cost_category", "bearer", "premises"
        )
        if errors:
            raise ValidationError(errors)


class PlanItemCost(MunicipalityScopedModel, TimestampedModel):
    """What a plan item costs in one year, in whole kronor, split into investment and running
    costs (P3.5); at follow-up, what it actually cost."""

    item = models.ForeignKey(
        PlanItem, verbose_name=_("plan item"), on_delete=models.PROTECT, related_name="costs"
    )
    year = _year_field(_("year"))
    investment = kronor(_("investment (SEK)"), default=Decimal("0"))
    running = kronor(_("running cost (SEK)"), default=Decimal("0"))
    actual_investment = kronor(_("actual investment (SEK)"), null=True, blank=True)
    actual_running = kronor(_("actual running cost (SEK)"), null=True, blank=True)

    class Meta:
        ordering = ["item", "year"]
        verbose_name = _("plan item cost")
        verbose_name_plural = _("plan item costs")
        constraints = [
            models.UniqueConstraint(fields=["item", "year"], name="plans_cost_one_per_year"),
            models.CheckConstraint(
                condition=Q(investment__gte=0) & Q(running__gte=0),
                name="plans_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.year}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    @property
    def total(self) -> Decimal:
        return self.investment + self.running


auditlog.register(Goal)
auditlog.register(CostCategory)
auditlog.register(PlansSettings)
auditlog.register(Premises)
auditlog.register(Tenancy)
auditlog.register(ITPlan)
auditlog.register(
    PlanItem,
    m2m_fields={"goals", "systems", "products", "product_requests", "external_organisations"},
)
auditlog.register(PlanItemCost)
