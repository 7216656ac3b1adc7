from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Whether a clause (or one rule of it) is kept, as of one evaluation."""

    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_MEASURABLE = "not_measurable", _("Not measurable")


# Worst first: a clause is as kept as its least kept rule.
SEVERITY = [
    Status.NOT_MET,
    Status.PARTLY_MET,
    Status.NOT_MEASURABLE,
    Status.MET,
    Status.NOT_APPLICABLE,
]


def worst(statuses: list[str]) -> str:
    """The least kept of several statuses; not applicable only when every one is."""
    if not statuses:
        return Status.NOT_MEASURABLE
    return min(statuses, key=lambda status: SEVERITY.index(Status(status)))
