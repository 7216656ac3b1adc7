"""The policy as data (P3.1): versioned libraries of clauses, a municipality's adoption of one,
attestations for what only a person can judge, and daily snapshots of compliance."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stadga.core.models import GovernedModel, MunicipalityScopedModel, TimestampedModel
from stadga.organisation.choices import Role


class Policy(TimestampedModel):
    """One version of a policy library, e.g. Karlsborg's IT policy adopted 2006-09-25.

    Libraries are shipped as YAML files and shared by every municipality of the installation;
    a municipality adopts a version (PolicyAdoption). A loaded version is never changed: a new
    text is a new version, and two versions can be compared clause by clause.
    """

    key = models.SlugField(_("key"), max_length=100)
    version = models.CharField(_("version"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    issuing_body = models.CharField(_("issued by"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="sv")
    source = models.CharField(_("source file"), max_length=300, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)

    class Meta:
        ordering = ["key", "-adopted_on", "version"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="policy_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title


class Clause(models.Model):
    """One clause of a policy version, with the role that answers for it and its rules."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="clauses"
    )
    clause_id = models.CharField(_("clause"), max_length=20)  # e.g. P9.3
    order = models.PositiveIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=20)  # e.g. 9
    section_title = models.CharField(_("section title"), max_length=200)
    section_title_en = models.CharField(_("section title in English"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text in English"), blank=True)
    responsible_role = models.CharField(
        _("responsible role"), max_length=30, choices=Role.choices, blank=True
    )
    rule_ids = models.JSONField(_("rules"), default=list, blank=True)
    attestation_required = models.BooleanField(
        _("judged by a person"),
        default=False,
        help_text=_("No rule can measure it: the responsible role attests to it."),
    )
    # Why no rule measures the clause (yet), said plainly on the live policy page.
    unmeasured_note = models.TextField(_("why it is not measured"), blank=True)
    unmeasured_note_en = models.TextField(_("why it is not measured, in English"), blank=True)

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(fields=["policy", "clause_id"], name="clause_unique_id"),
        ]

    def __str__(self) -> str:
        return self.clause_id

    @property
    def display_text(self) -> str:
        if get_language() == "en" and self.text_en:
            return self.text_en
        return self.text

    @property
    def display_unmeasured_note(self) -> str:
        if get_language() == "en" and self.unmeasured_note_en:
            return self.unmeasured_note_en
        return self.unmeasured_note

    @property
    def display_section_title(self) -> str:
        if get_language() == "en" and self.section_title_en:
            return self.section_title_en
        return self.section_title


class PolicyAdoption(GovernedModel):
    """A municipality's decision to adopt a policy version (the council's decision)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="adoptions"
    )
    adopted_on = models.DateField(_("adopted on"))
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)

    class Meta:
        ordering = ["municipality", "-adopted_on", "-pk"]
        verbose_name = _("policy adoption")
        verbose_name_plural = _("policy adoptions")

    def __str__(self) -> str:
        return f"{self.policy} – {self.adopted_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("policy:live", kwargs={"municipality": self.municipality.slug})


class Attestation(GovernedModel):
    """A person's statement that a clause is kept, for what no rule can measure (e.g. P1.1,
    P6.4), with evidence and a period after which it must be renewed."""

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="attestations"
    )
    # Optional: the attestation speaks for one system only (e.g. its owner attests that the
    # system's protective measures are documented, P9.5).
    system = models.ForeignKey(
        "systems.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    statement = models.TextField(_("statement"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("link to evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="attestations/%Y/", blank=True)
    attested_by = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("attested by"),
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["clause__order", "-valid_until", "-pk"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="attestation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.clause_id}: {self.attested_by} ({self.valid_until:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse(
            "policy:attestation_detail",
            kwargs={"municipality": self.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The attestation cannot expire before it is valid.")
        if self.attested_by_id and self.attested_by.municipality_id != self.municipality_id:
            errors["attested_by"] = _("The person belongs to another municipality.")
        system = self.system if self.system_id else None
        if system is not None and system.municipality_id != self.municipality_id:
            errors["system"] = _("The system belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class ComplianceSnapshot(MunicipalityScopedModel, TimestampedModel):
    """The evaluation of the adopted policy on one day, kept for the trend (P3.1)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="snapshots"
    )
    taken_on = models.DateField(_("date"))
    # {"P9.3": {"status": "met", "numerator": 40, "denominator": 40, "summary": "…"}, …}
    clauses = models.JSONField(_("clauses"), default=dict)
    met = models.PositiveIntegerField(_("met"), default=0)
    partly_met = models.PositiveIntegerField(_("partly met"), default=0)
    not_met = models.PositiveIntegerField(_("not met"), default=0)
    not_measurable = models.PositiveIntegerField(_("not measurable"), default=0)
    not_applicable = models.PositiveIntegerField(_("not applicable"), default=0)

    class Meta:
        ordering = ["municipality", "-taken_on"]
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "policy", "taken_on"], name="snapshot_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.taken_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("policy:dashboard", kwargs={"municipality": self.municipality.slug})


auditlog.register(PolicyAdoption)
auditlog.register(Attestation)
