"""Cooperation groups of municipalities in one installation, and what each member shares (P8.1).

A group spans municipalities, so it is not one municipality's object: the operator forms it and
adds members. What a member shares is the member's own choice, made by its IT coordinator on its
`Membership`; nothing is shared until it opts in, and a choice withdrawn (or the group left)
stops the sharing at once, because every read of a partner's data goes through the memberships.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import ArchivableModel, TimestampedModel

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


auditlog.register(CooperationGroup)
auditlog.register(Membership)
