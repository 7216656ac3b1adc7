"""The municipality's organisation (P3): boards, departments, people and who holds which role."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from stadga.core.models import ArchivableModel, GovernedModel, TimestampedModel

from .choices import ROLE_SCOPE, BoardKind, Role, Scope


class Municipality(TimestampedModel, ArchivableModel):
    """A Swedish municipality (kommun): the tenant every governed object belongs to."""

    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits."))],
        help_text=_("The four-digit code from Statistics Sweden, e.g. 1446 for Karlsborg."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    role_labels = models.JSONField(
        _("role names"),
        default=dict,
        blank=True,
        help_text=_(
            "The municipality's own names for the roles, e.g. 'systemägare' for system owner."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:overview", kwargs={"municipality": self.slug})

    def get_additional_data(self) -> dict[str, int]:
        return {"municipality_id": self.pk}

    @cached_property
    def max_consequence_level(self) -> int:
        """The highest step of the municipality's consequence scale (four by default)."""
        return self.consequence_levels.aggregate(top=Max("level"))["top"] or 4

    def role_label(self, role: str) -> str:
        """The municipality's name for a role, or the default label."""
        return self.role_labels.get(role) or str(Role(role).label)


class ConsequenceLevel(TimestampedModel):
    """One step of the municipality's consequence scale for classifying information (P9.1)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="consequence_levels",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["municipality", "level"]
        verbose_name = _("consequence level")
        verbose_name_plural = _("consequence levels")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "level"], name="consequence_level_unique"
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="consequence_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"

    def get_absolute_url(self) -> str:
        return self.municipality.get_absolute_url()


class Board(GovernedModel):
    """A board (nämnd, styrelse): owns business systems, staff competence, an IT plan (P3.3)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BoardKind.choices, default=BoardKind.BOARD
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="board_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisation:board_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )


class Department(GovernedModel):
    """A department (förvaltning) under a board; it appoints system owners and trains its staff."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisation:department_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        if (
            self.board_id
            and self.municipality_id
            and self.board.municipality_id != self.municipality_id
        ):
            raise ValidationError({"board": _("The board belongs to another municipality.")})


class Person(GovernedModel):
    """An official or elected representative; may be linked to a login."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(user__isnull=False),
                name="person_one_login_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisation:person_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        department = self.department if self.department_id else None
        if department is not None and department.municipality_id != self.municipality_id:
            raise ValidationError(
                {"department": _("The department belongs to another municipality.")}
            )


class ExternalOrganisation(GovernedModel):
    """A company or authority with a responsibility in the municipality's IT (P3.11)."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^\d{6}-?\d{4}$", _("Write it as NNNNNN-NNNN."))],
    )
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("external organisation")
        verbose_name_plural = _("external organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="external_organisation_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "organisation:externalorganisation_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )


class RoleAssignment(GovernedModel):
    """A person holds a role over a scope: the municipality, a board, a department or a system."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    board = models.ForeignKey(
        Board,
        verbose_name=_("board"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        ordering = ["person__name", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # The scope columns must match the role's kind of scope: exactly one or none.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.MUNICIPALITY],
                        board__isnull=True,
                        department__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.BOARD],
                        board__isnull=False,
                        department__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.DEPARTMENT],
                        board__isnull=True,
                        department__isnull=False,
                        system__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.SYSTEM],
                        board__isnull=True,
                        department__isnull=True,
                        system__isnull=False,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.scope_object
        label = self.get_role_display()
        return f"{self.person}: {label}" + (f" ({scope})" if scope else "")

    def get_absolute_url(self) -> str:
        return reverse(
            "organisation:roleassignment_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def scope_object(self) -> models.Model | None:
        return self.board or self.department or self.system

    def clean(self) -> None:
        scope = ROLE_SCOPE.get(self.role)
        errors: dict[str, object] = {}
        # Whole sentences per scope: Swedish needs en/ett, so no label is spliced into one.
        needed = {
            Scope.BOARD: _("This role is held over a board: choose one."),
            Scope.DEPARTMENT: _("This role is held over a department: choose one."),
            Scope.SYSTEM: _("This role is held over a system: choose one."),
        }
        not_held = {
            Scope.BOARD: _("This role is not held over a board."),
            Scope.DEPARTMENT: _("This role is not held over a department."),
            Scope.SYSTEM: _("This role is not held over a system."),
        }
        for field in ("board", "department", "system"):
            given = getattr(self, f"{field}_id") is not None
            if field == scope and not given:
                errors[field] = needed[Scope(field)]
            elif field != scope and given:
                errors[field] = not_held[Scope(field)]
            elif given and getattr(self, field).municipality_id != self.municipality_id:
                errors[field] = _("It belongs to another municipality.")
        if self.person_id and self.person.municipality_id != self.municipality_id:
            errors["person"] = _("The person belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


auditlog.register(Municipality)
auditlog.register(ConsequenceLevel)
auditlog.register(Board)
auditlog.register(Department)
auditlog.register(Person)
auditlog.register(ExternalOrganisation)
auditlog.register(RoleAssignment)
