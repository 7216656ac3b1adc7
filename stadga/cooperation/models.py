"""Cooperation groups of municipalities in one installation, and what each member shares (P8.1).

A group spans municipalities, so it is not one municipality's object: the operator forms it and
adds members. What a member shares is the member's own choice, made by its IT coordinator on its
`Membership`; nothing is shared until it opts in, and a choice withdrawn (or the group left)
stops the sharing at once, because every read of a partner's data goes through the memberships.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import ArchivableModel, GovernedModel, TimestampedModel

from .choices import SHARING_CATEGORIES


class CooperationGroup(TimestampedModel, ArchivableModel):
    """A cooperation of municipalities (e.g. a regional one) that buy and run systems together.
    Archived: the cooperation has ended, and nothing is shared through it any more."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("cooperation group")
        verbose_name_plural = _("cooperation groups")

    def __str__(self) -> str:
        return self.name


class Membership(TimestampedModel, ArchivableModel):
    """A municipality's place in a cooperation group and what it chooses to share with the other
    members. Archived: the municipality has left the group."""

    group = models.ForeignKey(
        CooperationGroup,
        verbose_name=_("cooperation group"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        "organisation.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="cooperation_memberships",
    )
    shares_catalogue = models.BooleanField(
        SHARING_CATEGORIES["shares_catalogue"],
        default=False,
        help_text=_("The products in the catalogue, their phase, since when and any constraints."),
    )
    shares_systems = models.BooleanField(
        SHARING_CATEGORIES["shares_systems"],
        default=False,
        help_text=_(
            "The systems marked public: what residents may already read, e.g. their lifecycle "
            "phase and the products they run on."
        ),
    )
    shares_contacts = models.BooleanField(
        SHARING_CATEGORIES["shares_contacts"],
        default=False,
        help_text=_("So that partners know whom to ask about a joint procurement."),
    )
    shares_assessments = models.BooleanField(
        SHARING_CATEGORIES["shares_assessments"],
        default=False,
        help_text=_(
            "The IT department's view of each vendor's market standing and long-term prospects "
            "(P5.2), with the date it was assessed."
        ),
    )
    shares_training = models.BooleanField(
        SHARING_CATEGORIES["shares_training"],
        default=False,
        help_text=_(
            "The training sessions marked open to partners: partners see them and may book "
            "places for their own staff."
        ),
    )
    shares_compliance = models.BooleanField(
        SHARING_CATEGORIES["shares_compliance"],
        default=False,
        help_text=_(
            "The latest compliance snapshot's status per clause, for the group's own follow-up. "
            "For information security only the statuses, never the figures."
        ),
    )

    class Meta:
        ordering = ["group__name", "municipality__name", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "municipality"], name="cooperation_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:overview", kwargs={"municipality": self.municipality.slug})

    def get_additional_data(self) -> dict[str, int]:
        """Stored with every change-log entry so one municipality's log can be exported."""
        return {"municipality_id": self.municipality_id}

    @property
    def shared_categories(self) -> list[str]:
        """The field names of the categories this member shares."""
        return [name for name in SHARING_CATEGORIES if getattr(self, name)]

    @property
    def shares_anything(self) -> bool:
        return bool(self.shared_categories)


class PartnerBookingStatus(models.TextChoices):
    """A partner's place on another municipality's training session (P8.1, P6.2): booked, or
    cancelled (a booking is never deleted)."""

    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class PartnerBooking(GovernedModel):
    """A place that a partner municipality (`municipality`) booked for one of its own staff on
    another member's training session that is open to partners (P8.1, P6.2). It belongs to the
    booking municipality; the giver reads it on its session's page and counts it against the
    session's places. Never deleted: a booking given up is cancelled."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("training session"),
        on_delete=models.PROTECT,
        related_name="partner_bookings",
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="partner_bookings",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnerBookingStatus.choices,
        default=PartnerBookingStatus.BOOKED,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["session__starts_at", "created_at", "pk"]
        verbose_name = _("partner booking")
        verbose_name_plural = _("partner bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status=PartnerBookingStatus.BOOKED),
                name="cooperation_partnerbooking_one_per_person",
                violation_error_message=_("This person is already booked on the session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.session}"

    def get_absolute_url(self) -> str:
        return reverse(
            "cooperation:partner_sessions", kwargs={"municipality": self.municipality.slug}
        )

    def clean(self) -> None:
        # The session is the giver's, by design; the person must be the booker's own (P8.1).
        person = self.person if self.person_id else None
        if person is not None and person.municipality_id != self.municipality_id:
            raise ValidationError({"person": _("It belongs to another municipality.")})


auditlog.register(CooperationGroup)
auditlog.register(Membership)
auditlog.register(PartnerBooking)
