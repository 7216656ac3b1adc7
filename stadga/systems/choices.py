from django.db import models
from django.utils.translation import gettext_lazy as _


class LifecyclePhase(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PRODUCTION = "in_production", _("In production")
    PHASE_OUT = "phase_out", _("Phase-out")
    RETIRED = "retired", _("Retired")


class SystemType(models.TextChoices):
    BOUGHT = "bought", _("Bought product")
    SAAS = "saas", _("Cloud service (SaaS)")
    IN_HOUSE = "in_house", _("In-house development")  # P5.6 forbids it; the register shows it
    OTHER = "other", _("Other")


class Aspect(models.TextChoices):
    """The aspects information is classified on (P9.1, with traceability as in KLASSA)."""

    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    INTEGRITY = "integrity", _("Integrity")
    AVAILABILITY = "availability", _("Availability")
    TRACEABILITY = "traceability", _("Traceability")


class Flag(models.TextChoices):
    """Gaps the register points out on a system; the policy engine builds on the same facts."""

    NO_OWNER = "no_owner", _("No system owner")  # P9.3
    UNCLASSIFIED = "unclassified", _("Not classified")  # P9.1
    IN_HOUSE = "in_house", _("In-house development")  # P5.6


class ResponsibilityKind(models.TextChoices):
    """What an external organisation answers for in a system (P3.11, P8)."""

    SUPPLIER = "supplier", _("Supplier")
    OPERATION = "operation", _("Operation and hosting")
    SUPPORT = "support", _("Support and maintenance")
    NETWORK = "network", _("Network and connectivity")
    CONSULTANT = "consultant", _("Consultant")
    OTHER = "other", _("Other")
