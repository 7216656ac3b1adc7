"""The software dictionary as a spreadsheet: one row per normalisation rule, keyed by Ordning.

`stadga import software-rules FILE` / `stadga export software-rules`. The headers are Swedish
data constants; the English headers are accepted on import too. A product is named as in the
catalogue; Version is one of that product's versions. The rules are written without replaying
the dictionary row by row; a committed import that changed anything replays it once, in the
same transaction. Re-importing an export changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.models import Product, ProductVersion
from stadga.core import tabular
from stadga.core.tabular import Choice, Column, Integer, Lookup, Text
from stadga.core.tabular.columns import clean_text
from stadga.core.tabular.reading import Cell

from .choices import RuleAction, RuleField, RuleMatch
from .dictionary import dictionary_apply
from .models import NormalisationRule
from .services_rules import normalisation_rule_create, normalisation_rule_update


class VersionText(Text):
    """A version of the row's product, written as its version text; resolved when the row is
    written, since it depends on the product column."""

    def current(self, instance: Model, field: str, ctx: tabular.TabularSpec) -> str:
        version = getattr(instance, field)
        return "" if version is None else version.version

    def parse_value(self, value: Cell, ctx: tabular.TabularSpec) -> Any:
        return clean_text(value)

    def empty_value(self) -> Any:
        return ""

    def to_cell(self, value: Any, ctx: tabular.TabularSpec) -> Cell:
        if isinstance(value, ProductVersion):
            return value.version
        return value or None


@tabular.register
class NormalisationRuleTabular(tabular.TabularSpec):
    """The software dictionary's rules, keyed by Ordning (the rule's position)."""

    kind = "software-rules"
    model = NormalisationRule
    key = "position"
    label_field = "pattern"
    sheet_title = "Programvaruregler"
    filename = "programvaruregler"
    title = _("Software dictionary rules")
    columns = [
        Column(
            "Ordning",
            "position",
            Integer(min_value=1),
            aliases=("Order", "Position"),
            required=True,
            help_text=_("Rules are tried in this order; the first that matches decides."),
            width=10,
        ),
        Column("Fält", "field", Choice(RuleField), aliases=("Field",), required=True, width=14),
        Column(
            "Matchning",
            "match",
            Choice(RuleMatch),
            aliases=("Matching", "Match"),
            required=True,
            help_text=_(
                "Exact text (whole value, ignoring case) or regular expression (found anywhere "
                "in the value, ignoring case)."
            ),
            width=20,
        ),
        Column(
            "Mönster",
            "pattern",
            Text(required=True, max_length=500),
            aliases=("Pattern",),
            required=True,
            width=40,
        ),
        Column(
            "Åtgärd", "action", Choice(RuleAction), aliases=("Action",), required=True, width=24
        ),
        Column(
            "Produkt",
            "product",
            Lookup(
                lambda spec: Product.objects.filter(municipality=spec.municipality),
                not_found=_("There is no product named “%(value)s” in the catalogue."),
            ),
            aliases=("Product",),
            help_text=_("For a rule that maps: the catalogue product's name."),
            width=30,
        ),
        Column(
            "Version",
            "product_version",
            VersionText(max_length=100),
            help_text=_("Optional: one of the product's versions in the catalogue."),
            width=12,
        ),
        Column(
            "Nytt namn",
            "new_name",
            Text(max_length=300),
            aliases=("New name",),
            help_text=_("For a rule that renames: the name to show."),
            width=30,
        ),
        Column("Anteckningar", "notes", aliases=("Notes",), width=40),
    ]

    def get_queryset(self) -> QuerySet[NormalisationRule]:
        return NormalisationRule.objects.filter(municipality=self.municipality)

    def export_queryset(self) -> QuerySet[NormalisationRule]:
        return super().export_queryset().select_related("product_version").order_by("position")

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("product", "product_version")

    def archived_message(self, key: str) -> str:
        return gettext("Rule %(key)s is archived; restore it before importing changes to it.") % {
            "key": key
        }

    def complete_row(self, values: dict[str, Any]) -> None:
        # An update receives only the columns that differ; the version is resolved against the
        # row's product, so both are kept here.
        if values.get("position"):
            self.cache[("row", values["position"])] = (
                values.get("product"),
                values.get("product_version", ""),
            )

    def _resolve(self, instance: NormalisationRule | None, data: dict[str, Any]) -> dict:
        """Turn the version text into the product's version (when either column changed)."""
        data = dict(data)
        if "product" not in data and "product_version" not in data:
            return data
        key = data.get("position", getattr(instance, "position", None))
        product, text = self.cache.get(("row", key), (data.get("product"), ""))
        if not text:
            data["product_version"] = None
            return data
        version = (
            ProductVersion.objects.filter(
                municipality=self.municipality, product=product, version__iexact=text
            ).first()
            if product is not None
            else None
        )
        if version is None:
            raise ValidationError(
                {
                    "product_version": gettext(
                        "The product has no version “%(version)s” in the catalogue."
                    )
                    % {"version": text}
                }
            )
        data["product_version"] = version
        return data

    def create(self, data: dict[str, Any]) -> NormalisationRule:
        return normalisation_rule_create(
            municipality=self.municipality,
            data=self._resolve(None, data),
            actor=self.actor,
            replay=False,
        )

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[NormalisationRule, bool]:
        return normalisation_rule_update(
            rule=instance, data=self._resolve(instance, data), actor=self.actor, replay=False
        )

    def import_file(
        self, data: bytes, *, file_format: str | None = None, dry_run: bool = False
    ) -> Any:
        """The engine's import, then one replay of the dictionary if it wrote anything."""
        with transaction.atomic():
            result = super().import_file(data, file_format=file_format, dry_run=dry_run)
            if result.committed and (result.created or result.updated):
                dictionary_apply(municipality=self.municipality, actor=self.actor)
        return result
