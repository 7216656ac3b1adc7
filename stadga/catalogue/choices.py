"""The catalogue's fixed vocabularies: kinds of product, phases of a decision, the steps of a
product request and the criteria the policy asks the IT department to weigh (P5.1–P5.7, P8.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")
    CLOUD_SERVICE = "cloud_service", _("Cloud service")


class Phase(models.TextChoices):
    """Where a product stands in the IT department's catalogue (P5.4). A product nobody has
    decided on yet is 'not assessed', which counts as never approved."""

    NOT_ASSESSED = "not_assessed", _("Not assessed")
    EVALUATION = "evaluation", _("Under evaluation")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONSTRAINTS = "approved_with_constraints", _("Approved with constraints")
    PHASE_OUT = "phase_out", _("Phase-out")
    RETIRED = "retired", _("Retired")
    REJECTED = "rejected", _("Rejected")


# Phases in which a product may be bought, installed and supported (P5.4, P5.5). A product in
# phase-out is still supported until its end date, but nothing new is built on it.
APPROVED_PHASES = (Phase.APPROVED, Phase.APPROVED_WITH_CONSTRAINTS)
SUPPORTED_PHASES = (*APPROVED_PHASES, Phase.PHASE_OUT)


class ProductFlag(models.TextChoices):
    """Why a system's product is pointed out on the system (P5.4, P5.5)."""

    NEVER_APPROVED = "never_approved", _("Never approved")
    REJECTED = "rejected", _("Rejected")
    RETIRED = "retired", _("Retired")
    PHASE_OUT_ENDED = "phase_out_ended", _("Phase-out has ended")
    PAST_END_OF_SUPPORT = "past_end_of_support", _("Past the vendor's end of support")


class RequestStatus(models.TextChoices):
    """A product request's way from the requester to a decision (P5.4)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    """A decision on a request, or on one step of it: always with written reasons."""

    APPROVED = "approved", _("Approve")
    APPROVED_WITH_CONSTRAINTS = "approved_with_constraints", _("Approve with constraints")
    REJECTED = "rejected", _("Reject")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONSTRAINTS = "approved_with_constraints", _("Approved with constraints")
    REJECTED = "rejected", _("Rejected")
    SKIPPED = "skipped", _("Not needed")


class Approver(models.TextChoices):
    """Who signs one step of a product request."""

    IT_DEPARTMENT = "it_department", _("The IT department")
    DEPARTMENT_HEAD = "department_head", _("The requesting department's head")
    EXECUTIVE_BOARD = "executive_board", _("The executive board (read role)")


class Criterion(models.TextChoices):
    """The policy's criteria for choosing a product, assessed by the IT department (P5)."""

    ESTABLISHED = "established", _("Established and well-proven (P5.1)")
    VENDOR = "vendor", _("The vendor's market standing and long-term survival (P5.2)")
    COEXISTENCE = (
        "coexistence",
        _("Coexistence with existing systems and the technical platform (P5.3, P4.1)"),
    )
    NOT_IN_HOUSE = (
        "not_in_house",
        _("Not in-house development and not an unfinished business system (P5.6)"),
    )
    FINANCING = "financing", _("Financed according to the investment policy (P5.7)")


CRITERION_CLAUSES: dict[str, tuple[str, ...]] = {
    Criterion.ESTABLISHED: ("P5.1",),
    Criterion.VENDOR: ("P5.2",),
    Criterion.COEXISTENCE: ("P5.3", "P4.1"),
    Criterion.NOT_IN_HOUSE: ("P5.6",),
    Criterion.FINANCING: ("P5.7",),
}


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class InquiryStatus(models.TextChoices):
    """A coordination inquiry to the neighbouring municipalities (P8.2)."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WAIVED = "waived", _("Waived")


class Answer(models.TextChoices):
    """A neighbouring municipality's answer to a coordination inquiry (P8.2)."""

    NO_ANSWER = "no_answer", _("No answer yet")
    INTERESTED = "interested", _("Interested in joint procurement")
    ALREADY_USES = "already_uses", _("Already uses a product for this")
    NOT_INTERESTED = "not_interested", _("Not interested")
