"""Abstract building blocks every governed model is made of (NetBox's pattern: small mixins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models.constraints import BaseConstraint
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """When a row was created and last changed; who changed it is in the change log."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Public records are archived, never deleted: an archived row is hidden, not gone."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class MunicipalityScopedModel(models.Model):
    """Belongs to exactly one municipality (the tenant); nothing crosses that line."""

    municipality = models.ForeignKey(
        "organisation.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with every change-log entry so an auditor can export one municipality's log."""
        return {"municipality_id": self.municipality_id}


class MunicipalitySettings(MunicipalityScopedModel, TimestampedModel):
    """One app's settings for one municipality: at most one row, and until it is saved the
    field defaults are the settings. Subclass with the fields, `settings_url_name` (the settings
    page, which takes the municipality's slug) and `class Meta(MunicipalitySettings.Meta)`."""

    settings_url_name: ClassVar[str]

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="%(app_label)s_settings_one"),
        ]

    def __str__(self) -> str:
        return str(capfirst(self._meta.verbose_name))

    def get_absolute_url(self) -> str:
        return reverse(self.settings_url_name, kwargs={"municipality": self.municipality.slug})

    @classmethod
    def for_municipality(cls, municipality: Any, *, related: Sequence[str] = ()) -> Self:
        """The municipality's stored row, or the defaults (unsaved). One query; `related` are
        the relations to read with it."""
        row = cls._default_manager.filter(municipality=municipality).select_related(*related)
        return row.first() or cls(municipality=municipality)


def other_municipality_errors(obj: models.Model, *fields: str) -> dict[str, Any]:
    """`clean()` errors for related objects that belong to another municipality than `obj`:
    nothing crosses that line unless it is explicitly shared."""
    errors: dict[str, Any] = {}
    for field in fields:
        related = getattr(obj, field) if getattr(obj, f"{field}_id", None) else None
        if related is not None and related.municipality_id != obj.municipality_id:  # type: ignore[attr-defined]
            errors[field] = _("It belongs to another municipality.")
    return errors


class GovernedModel(MunicipalityScopedModel, TimestampedModel, ArchivableModel):
    """A municipality's object whose every change is logged and which is archived, not deleted."""

    class Meta:
        abstract = True

    def get_constraints(self) -> list[tuple[type[models.Model], Sequence[BaseConstraint]]]:
        """The constraints `full_clean()` asks the database about before a save: the unique ones.

        Every check constraint is a backstop for a rule that `clean()` already checks and
        explains in words; asking the database too would cost a query per constraint per row of
        an import. The database still enforces them on write.
        """
        return [
            (model, [c for c in constraints if not isinstance(c, models.CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(
            f"{type(self).__name__} holds public records and is archived, never deleted."
        )
