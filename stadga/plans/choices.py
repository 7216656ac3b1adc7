"""The IT plans' fixed vocabularies: where a board's plan stands (P3.4), where each item stands at
follow-up, and who bears a kind of cost by default (P3.6–P3.9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stadga.organisation.choices import BoardKind

# The kinds of board that draw up an IT plan (P3.4): the executive board and the boards
# (nämnder). The municipality's companies answer to their own boards' governance.
PLANNING_BOARD_KINDS = (BoardKind.EXECUTIVE_BOARD, BoardKind.BOARD)


class PlanStatus(models.TextChoices):
    """A board's IT plan for a year: drawn up, adopted by the board, followed up, evaluated
    (P3.4). Each step is taken through a service that checks what it needs."""

    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    FOLLOWED_UP = "followed_up", _("Followed up")
    EVALUATED = "evaluated", _("Evaluated")


# A plan the board has adopted, whatever came after.
ADOPTED_STATUSES = (PlanStatus.ADOPTED, PlanStatus.FOLLOWED_UP, PlanStatus.EVALUATED)
# A plan whose year has been followed up (P3.4: "följs upp och utvärderas").
FOLLOWED_UP_STATUSES = (PlanStatus.FOLLOWED_UP, PlanStatus.EVALUATED)


class ItemStatus(models.TextChoices):
    """How far an initiative of the plan has come, as recorded at follow-up."""

    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Items that need no place in next year's plan.
FINISHED_ITEM_STATUSES = (ItemStatus.DONE, ItemStatus.CANCELLED)


class BearerKind(models.TextChoices):
    """Who bears a kind of cost by default (P3.6–P3.9)."""

    # P3.6, P3.7: passive equipment (cabling), recovered from the tenants through internal rent.
    TECHNICAL_DEPARTMENT = "technical_department", _("The technical department")
    # P3.8, P3.9: active network equipment and cross-departmental systems (finance, HR).
    CENTRAL_OFFICE = "central_office", _("The central office")
    # P3.3: a board's own business systems are its department's.
    OWN_DEPARTMENT = "own_department", _("The item's own department")


class Tenure(models.TextChoices):
    """Whether the municipality owns its premises or leases them (P3.10)."""

    OWNED = "owned", _("Owned")
    # P3.10: leased premises follow the municipality's investment policy.
    LEASED = "leased", _("Leased")
