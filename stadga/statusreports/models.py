"""The IT coordinator's status report to the management group (P3.13).

A report is a draft while the coordinator writes the commentary; its figures are computed live
from Stadga's data whenever the draft is shown. Issuing it freezes the figures of that moment into
`content` and makes the report a record: the services refuse every change after that (it may only
be archived), and the PDF sent to the management group is rendered from the frozen content.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel

from .choices import ReportStatus


class StatusReport(GovernedModel):
    """A status report on the state of IT for a period, from the IT coordinator to the
    management group (chefsgruppen), at least twice a year (P3.13)."""

    title = models.CharField(_("title"), max_length=300)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    commentary = models.TextField(
        _("commentary"),
        blank=True,
        help_text=_("The IT coordinator's assessment for the management group."),
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The figures as they stood when the report was issued (empty for a draft); see figures.py.
    content = models.JSONField(_("figures"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-period_to", "-pk"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")),
                name="statusreports_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(issued_at__isnull=False),
                name="statusreports_issued_has_date",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status", "issued_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "statusreports:statusreport_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.period_from and self.period_to and self.period_to < self.period_from:
            errors["period_to"] = _("The period cannot end before it begins.")
        if errors:
            raise ValidationError(errors)


auditlog.register(StatusReport)
