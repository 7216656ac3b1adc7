from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    """What a resident sends (P7.1: "föra fram åsikter")."""

    QUESTION = "question", _("Question")
    VIEW = "view", _("View")


class MessageStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    # Needs no answer (e.g. a view that asks nothing) or cannot be answered (no address given).
    CLOSED = "closed", _("Closed without answer")


class Subject(models.TextChoices):
    """What a resident's message is about: the public page it was sent from."""

    GENERAL = "general", _("The municipality's IT in general")
    SYSTEM = "system", _("An IT system")
    PLAN = "plan", _("An IT plan")
    PRODUCT = "product", _("A product decision")
    STATUS_REPORT = "status_report", _("A status report")
    POLICY = "policy", _("The IT policy")


class DataLicence(models.TextChoices):
    """The licence the open data is published under (CC0 by default: no conditions at all)."""

    CC0 = "CC0-1.0", _("CC0 1.0 (public domain dedication)")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0 (attribution)")


# Where each licence is described; the DCAT-AP-SE catalogue and the data pages link to it.
LICENCE_URLS = {
    DataLicence.CC0: "http://creativecommons.org/publicdomain/zero/1.0/",
    DataLicence.CC_BY: "http://creativecommons.org/licenses/by/4.0/",
}


class ComplianceLevel(models.TextChoices):
    """How far the portal meets the accessibility requirements, in the words the law's
    statement uses (lag 2018:1937, MDFFS 2019:2)."""

    FULL = "full", _("Fully compliant")
    PARTIAL = "partial", _("Partially compliant")
    NONE = "none", _("Not compliant")
