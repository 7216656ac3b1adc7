"""Training and competence (P6): courses, their sessions and who takes part, what each person has
completed, what each role and each system's users must have completed, the departments' yearly
training plans and the IT department's watch of the outside world.

- A **course** teaches general IT skills, information security awareness or one or more systems
  (P6.2). The central office's basic training in cross-departmental systems is a course marked
  `basic_training` (P6.3). A course may expire: its competence is valid `validity_months` after
  completion.
- A **session** of a course is given on a date, on site or online, for one or more departments:
  several departments sharing one session is the cooperation P6.2 asks for.
- A **registration** is a person's place on a session, or on its waiting list, and after the
  session their attendance.
- A **competence record** says a person completed a course on a date: from attendance at a
  session, from an imported attendance list or recorded by hand. It is valid until the course's
  validity runs out.
- A **requirement** says who must have a course: the holders of a role (optionally in one
  department) or the users of a system. Who uses a system is `SystemUse`.
- A department's **training plan** for a year (P6.2) lists the training it intends and its cost,
  linked to the board's IT plan; the IT department's own is its competence plan (P6.4).
- A **watch note** records a change in technology or the market that the IT department noticed
  (omvärldsanalys, P6.4), linked to the products, systems and plan items it concerns.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.dates import add_months
from stadga.core.models import GovernedModel, MunicipalitySettings, other_municipality_errors
from stadga.organisation.choices import Role

from .choices import (
    CourseKind,
    RecordSource,
    RegistrationStatus,
    RequirementScope,
    SessionMode,
    TrainingPlanStatus,
)

# Days before a competence runs out that its holder and their department head are reminded.
DEFAULT_EXPIRY_NOTICE_DAYS = 30
# Days a new user of a system has to complete its required course before it counts as missing
# in the reminders (the coverage figures count it missing at once).
DEFAULT_NEW_USER_GRACE_DAYS = 90
# Months within which the IT department's watch log must have a note (P6.4).
DEFAULT_WATCH_INTERVAL_MONTHS = 6


class TrainingSettings(MunicipalitySettings):
    """The municipality's training settings: reminder periods and the watch log's interval."""

    expiry_notice_days = models.PositiveSmallIntegerField(
        _("remind before a competence expires (days)"),
        default=DEFAULT_EXPIRY_NOTICE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    new_user_grace_days = models.PositiveSmallIntegerField(
        _("days a new system user has for the required course"),
        default=DEFAULT_NEW_USER_GRACE_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )
    watch_interval_months = models.PositiveSmallIntegerField(
        _("a watch note at least every (months)"),
        default=DEFAULT_WATCH_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "The compliance view counts the IT department's outside-world watch (P6.4) as kept "
            "when it has a note within this many months."
        ),
    )

    settings_url_name = "training:settings"

    class Meta(MunicipalitySettings.Meta):
        verbose_name = _("training settings")
        verbose_name_plural = _("training settings")


class Course(GovernedModel):
    """A course: general IT skills, security awareness or a system's training (P6.2, P6.3)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    description = models.TextField(_("description"), blank=True)
    systems = models.ManyToManyField(
        "systems.System",
        verbose_name=_("systems"),
        blank=True,
        related_name="courses",
        help_text=_("The systems a system-specific course teaches."),
    )
    basic_training = models.BooleanField(
        _("basic training in a cross-departmental system"),
        default=False,
        help_text=_("Given by the central office to the departments' case officers (P6.3)."),
    )
    given_by = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses_given",
        help_text=_("The department that gives the course; empty for an outside provider."),
    )
    provider = models.CharField(
        _("outside provider"), max_length=200, blank=True, help_text=_("E.g. a training company.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Empty: the competence does not expire."),
    )
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    cost_per_participant = models.DecimalField(
        _("cost per participant (SEK)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                condition=Q(archived_at__isnull=True),
                name="training_course_unique_name",
                violation_error_message=_("The municipality already has a course by this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "training:course_detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )

    def valid_until(self, completed_on: datetime.date) -> datetime.date | None:
        """The last day a completion on `completed_on` is valid, or None if it does not expire."""
        if self.validity_months is None:
            return None
        return add_months(completed_on, self.validity_months) - datetime.timedelta(days=1)

    def clean(self) -> None:
        errors = other_municipality_errors(self, "given_by")
        if self.basic_training and self.kind != CourseKind.SYSTEM:
            errors["basic_training"] = _("Basic training is training in a system: choose kind.")
        if errors:
            raise ValidationError(errors)


class TrainingSession(GovernedModel):
    """A course given on a date, on site or online, for one or more departments (P6.2)."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    mode = models.CharField(
        _("form"), max_length=20, choices=SessionMode.choices, default=SessionMode.ON_SITE
    )
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    departments = models.ManyToManyField(
        "organisation.Department",
        verbose_name=_("for departments"),
        blank=True,
        related_name="training_sessions",
        help_text=_(
            "Several departments sharing one session is the cooperation P6.2 asks for. "
            "Empty: open to every department."
        ),
    )
    open_to_partners = models.BooleanField(
        _("open to partners' staff"),
        default=False,
        help_text=_(
            "Partner municipalities that the municipality shares its training sessions with "
            "(cooperation, P8.1) see the session and may book places for their staff."
        ),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse(
            "training:session_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "course")
        ends, starts = self.ends_at, self.starts_at
        if ends is not None and starts is not None and ends < starts:
            errors["ends_at"] = _("The session cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class Registration(GovernedModel):
    """A person's place on a session or on its waiting list, and afterwards their attendance."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        # The waiting list is served in the order people joined it.
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="training_registration_one_per_person",
                violation_error_message=_("This person is already registered for the session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.session}"

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()

    def clean(self) -> None:
        errors = other_municipality_errors(self, "session", "person")
        if errors:
            raise ValidationError(errors)


class CompetenceRecord(GovernedModel):
    """A person completed a course on a date (P6): the basis of every coverage figure."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="competence_records",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="competence_records",
    )
    completed_on = models.DateField(_("completed"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Set from the course's validity; empty: does not expire."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competence_records",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("competence record")
        verbose_name_plural = _("competence records")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"],
                condition=Q(archived_at__isnull=True),
                name="training_record_once_a_day",
                violation_error_message=_(
                    "This person already has this course recorded on this date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["course", "person"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} ({self.completed_on})"

    def get_absolute_url(self) -> str:
        return reverse(
            "training:person_competence",
            kwargs={"municipality": self.municipality.slug, "pk": self.person_id},
        )

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.archived_at is None
            and self.completed_on <= day
            and (self.valid_until is None or self.valid_until >= day)
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "person", "course", "session")
        session = self.session if self.session_id else None
        if session is not None and self.course_id and session.course_id != self.course_id:
            errors["session"] = _("The session is of another course.")
        if (
            self.valid_until is not None
            and self.completed_on is not None
            and self.valid_until < self.completed_on
        ):
            errors["valid_until"] = _("A competence cannot expire before it is gained.")
        if errors:
            raise ValidationError(errors)


class SystemUse(GovernedModel):
    """A person works in a system (as a user, not its owner): whom a system's required training
    applies to. Kept by the department head for their department and by the IT department."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="system_uses",
    )
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        on_delete=models.PROTECT,
        related_name="uses",
    )
    since = models.DateField(_("user since"), default=datetime.date.today)

    class Meta:
        ordering = ["system__name", "person__name", "pk"]
        verbose_name = _("system user")
        verbose_name_plural = _("system users")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "system"],
                condition=Q(archived_at__isnull=True),
                name="training_system_use_once",
                violation_error_message=_("This person is already a user of the system."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.system}"

    def get_absolute_url(self) -> str:
        return reverse(
            "training:person_competence",
            kwargs={"municipality": self.municipality.slug, "pk": self.person_id},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "person", "system")
        if errors:
            raise ValidationError(errors)


class TrainingRequirement(GovernedModel):
    """Who must have a course (P6): the holders of a role, optionally in one department, or
    every user of a system. The course's validity says how long a completion counts."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="requirements"
    )
    scope = models.CharField(_("applies to"), max_length=20, choices=RequirementScope.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("only in department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_requirements",
    )
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_requirements",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["course__name", "pk"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=RequirementScope.ROLE) & ~Q(role="") & Q(system__isnull=True))
                | (Q(scope=RequirementScope.SYSTEM_USERS) & Q(role="") & Q(system__isnull=False)),
                name="training_requirement_scope_fields",
            ),
        ]

    def __str__(self) -> str:
        if self.scope == RequirementScope.SYSTEM_USERS:
            whom = str(_("users of %(system)s") % {"system": self.system})
        else:
            whom = str(Role(self.role).label) if self.role in Role.values else self.role
        return f"{self.course} — {whom}"

    def get_absolute_url(self) -> str:
        return reverse(
            "training:requirement_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "course", "department", "system")
        if self.scope == RequirementScope.ROLE:
            if not self.role:
                errors["role"] = _("Choose the role the requirement applies to.")
            if self.system_id:
                errors["system"] = _("A requirement on a role names no system.")
        elif self.scope == RequirementScope.SYSTEM_USERS:
            if not self.system_id:
                errors["system"] = _("Choose the system whose users must have the course.")
            if self.role:
                errors["role"] = _("A requirement on a system's users names no role.")
        if errors:
            raise ValidationError(errors)


class TrainingPlan(GovernedModel):
    """A department's training for a year and its cost (P6.2), linked to its board's IT plan;
    the IT department's own plan is its competence plan (P6.4)."""

    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="training_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrainingPlanStatus.choices,
        default=TrainingPlanStatus.DRAFT,
    )
    it_plan = models.ForeignKey(
        "plans.ITPlan",
        verbose_name=_("board's IT plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_plans",
    )
    summary = models.TextField(_("summary"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["-year", "department__name"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"],
                condition=Q(archived_at__isnull=True),
                name="training_plan_one_a_year",
                violation_error_message=_("The department already has a training plan this year."),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Training plan %(year)s, %(department)s")
            % {"year": self.year, "department": self.department}
        )

    def get_absolute_url(self) -> str:
        return reverse(
            "training:plan_detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "department", "it_plan")
        it_plan = self.it_plan if self.it_plan_id else None
        if it_plan is not None and self.department_id:
            if it_plan.board_id != self.department.board_id:
                errors["it_plan"] = _("Choose the IT plan of the department's own board.")
            elif self.year and it_plan.year != self.year:
                errors["it_plan"] = _("Choose the IT plan of the same year.")
        if errors:
            raise ValidationError(errors)


class TrainingPlanLine(GovernedModel):
    """One planned training in a department's plan: a course (or a description), how many take
    part, and its cost."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="lines"
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_lines",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    cost = models.DecimalField(
        _("cost (SEK)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    shared_with_others = models.BooleanField(
        _("together with other departments"),
        default=False,
        help_text=_("Departments cooperating for the best result at the lowest cost (P6.2)."),
    )

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("training plan line")
        verbose_name_plural = _("training plan lines")

    def __str__(self) -> str:
        return str(self.course or self.description)

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()

    def clean(self) -> None:
        errors = other_municipality_errors(self, "plan", "course")
        if not self.course_id and not self.description.strip():
            errors["description"] = _("Choose a course or describe the training.")
        if errors:
            raise ValidationError(errors)


class WatchNote(GovernedModel):
    """A change in technology or the market the IT department noticed (omvärldsanalys, P6.4),
    with what it means for the municipality and what it concerns."""

    noted_on = models.DateField(_("noted"), default=datetime.date.today)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what it means for us"), blank=True)
    source = models.URLField(_("source"), blank=True)
    author = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("noted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch_notes",
    )
    products = models.ManyToManyField(
        "catalogue.Product", verbose_name=_("products"), blank=True, related_name="watch_notes"
    )
    systems = models.ManyToManyField(
        "systems.System", verbose_name=_("systems"), blank=True, related_name="watch_notes"
    )
    plan_items = models.ManyToManyField(
        "plans.PlanItem", verbose_name=_("plan items"), blank=True, related_name="watch_notes"
    )

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("watch note")
        verbose_name_plural = _("watch notes")
        indexes = [models.Index(fields=["municipality", "noted_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "training:watchnote_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors = other_municipality_errors(self, "author")
        if errors:
            raise ValidationError(errors)


auditlog.register(TrainingSettings)
auditlog.register(Course, m2m_fields={"systems"})
auditlog.register(TrainingSession, m2m_fields={"departments"})
auditlog.register(Registration)
auditlog.register(CompetenceRecord)
auditlog.register(SystemUse)
auditlog.register(TrainingRequirement)
auditlog.register(TrainingPlan)
auditlog.register(TrainingPlanLine)
auditlog.register(WatchNote, m2m_fields={"products", "systems", "plan_items"})
