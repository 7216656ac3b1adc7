from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY = "partly", _("Partly implemented")
    PLANNED = "planned", _("Planned")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Effect(models.TextChoices):
    """What a follow-up found the measure's effect to be (P9.5)."""

    EFFECTIVE = "effective", _("Effective")
    PARTLY_EFFECTIVE = "partly_effective", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class NoticeStatus(models.TextChoices):
    """A resource-shortfall notice's way from written need to decision (P9.6)."""

    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FUNDED = "funded", _("Funded")
    RISK_ACCEPTED = "risk_accepted", _("Risk accepted")
    REJECTED = "rejected", _("Rejected")


DECIDED_NOTICE_STATUSES = (NoticeStatus.FUNDED, NoticeStatus.RISK_ACCEPTED, NoticeStatus.REJECTED)


class RequirementCategory(models.TextChoices):
    ACCESS_CONTROL = "access_control", _("Access control")
    LOGGING = "logging", _("Logging")
    BACKUP = "backup", _("Backup and restore")
    CONTINUITY = "continuity", _("Continuity")
    ENCRYPTION = "encryption", _("Encryption")
    SUPPLIERS = "suppliers", _("Supplier agreements")
    PERSONAL_DATA = "personal_data", _("Personal data")
    PHYSICAL = "physical", _("Physical security")
    OPERATIONS = "operations", _("Operations")
    GOVERNANCE = "governance", _("Governance")


class LegalBasis(models.TextChoices):
    """GDPR art. 6(1)."""

    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    VITAL_INTERESTS = "vital_interests", _("Vital interests")
    PUBLIC_TASK = "public_task", _("Public interest or exercise of official authority")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")
