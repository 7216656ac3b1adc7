"""The product catalogue as a spreadsheet (P5.4, P4.1): one row per product, keyed by its name.

`stadga import catalogue FILE` / `stadga export catalogue`, and the catalogue's import and export
pages. The headers are Swedish data constants; the English headers are accepted on import too.

- A vendor or category the file names that the catalogue does not have is created (the preview
  lists them), through the catalogue's services like everything else.
- The phase columns (Fas, Fas från, Avveckling slutar, Villkor) describe the IT department's
  current decision. A row that changes any of them records a new decision through
  `product_phase_set`, and then needs its reasons (Motivering): without them the row is refused.
  A blank phase cell leaves the decision as it is, so a file without phases changes none.
- Re-importing an export changes nothing and logs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadga.core import tabular
from stadga.core.tabular import Choice, Column, Date, Lookup, Text
from stadga.core.tabular.columns import clean_text, normalise
from stadga.core.tabular.reading import Cell
from stadga.organisation.models import Person

from . import services_catalogue as services
from .choices import Phase, ProductKind
from .models import Product, ProductCategory, Vendor
from .services_phases import product_phase_set

# The row's columns that make up a phase decision, and the decision's own names for them.
PHASE_COLUMNS = {
    "phase": "phase",
    "phase_since": "effective_from",
    "phase_ends_on": "ends_on",
    "constraints": "constraints",
}
_DECISION_FIELDS = {v: k for k, v in PHASE_COLUMNS.items()}


@dataclass(frozen=True)
class NewName:
    """A vendor or category the catalogue does not have yet: created when the row is written."""

    name: str
    model: type[Model]

    def __str__(self) -> str:
        return self.name

    @property
    def pk(self) -> None:  # never the same as a stored object
        return None


class NamedOrNew(Lookup):
    """A vendor or category by name; an unknown name becomes a new one (listed in the preview)."""

    def __init__(self, model: type[Model]) -> None:
        super().__init__(lambda spec: model._default_manager.filter(municipality=spec.municipality))
        self.model = model

    def same(self, current: Any, new: Any) -> bool:
        return not isinstance(new, NewName) and super().same(current, new)

    def parse_value(self, value: Cell, ctx: tabular.TabularSpec) -> Any:
        text = " ".join(clean_text(value).split())
        if normalise(text) not in self.index(ctx):
            new = NewName(text[:200], self.model)
            ctx.cache.setdefault(("new", self.model), {}).setdefault(normalise(text), new)
            return ctx.cache[("new", self.model)][normalise(text)]
        return self.find(text, ctx)

    def display(self, value: Any, ctx: tabular.TabularSpec) -> str:
        if isinstance(value, NewName):
            return gettext("%(name)s (new)") % {"name": value.name}
        return super().display(value, ctx)


class KeptIfBlank:
    """A phase column: a blank cell leaves the current decision as it is."""

    def same(self, current: Any, new: Any) -> bool:
        if new is None or new == "":
            return True
        return super().same(current, new)  # type: ignore[misc]


class PhaseChoice(KeptIfBlank, Choice):
    pass


class PhaseDate(KeptIfBlank, Date):
    pass


class PhaseText(KeptIfBlank, Text):
    pass


class Reasons(Text):
    """The reasons for a new phase decision: never stored on the product, so never a change by
    itself; the row's other phase columns decide whether a decision is recorded."""

    def current(self, instance: Model, field: str, ctx: tabular.TabularSpec) -> str:
        return ""

    def same(self, current: Any, new: Any) -> bool:
        return True


def _reason_key(name: Any) -> tuple[str, str]:
    return ("reason", str(name))


@tabular.register
class ProductTabular(tabular.TabularSpec):
    """The catalogue's products (P5.4), keyed by Produkt (the product's name)."""

    kind = "catalogue"
    model = Product
    key = "name"
    sheet_title = "Produkter"
    filename = "produktkatalog"
    title = _("Products")
    columns = [
        Column(
            "Produkt",
            "name",
            Text(required=True, max_length=200),
            aliases=("Product", "Namn", "Name"),
            required=True,
            help_text=_(
                "The product's name: a row with a name in the catalogue updates that product, "
                "another name adds one."
            ),
            width=30,
        ),
        Column(
            "Leverantör",
            "vendor",
            NamedOrNew(Vendor),
            aliases=("Vendor",),
            help_text=_("The vendor's name; a vendor not in the catalogue is added."),
            width=26,
        ),
        Column(
            "Kategori",
            "category",
            NamedOrNew(ProductCategory),
            aliases=("Category",),
            help_text=_("What the product is for; a category not in the catalogue is added."),
            width=24,
        ),
        Column(
            "Typ",
            "kind",
            Choice(ProductKind),
            aliases=("Kind", "Type"),
            help_text=_("Hardware, software or cloud service."),
            width=14,
        ),
        Column(
            "Supporten upphör",
            "end_of_support",
            Date(),
            aliases=("End of support",),
            help_text=_("The vendor's end of support for the product as a whole, if announced."),
            width=14,
        ),
        Column("Webbplats", "website", Text(max_length=200), aliases=("Website",), width=30),
        Column("Beskrivning", "description", aliases=("Description",), width=40),
        Column("Anteckningar", "notes", aliases=("Notes",), width=40),
        Column(
            "Fas",
            "phase",
            PhaseChoice(Phase, required=False),
            aliases=("Phase",),
            help_text=_(
                "The IT department's decision (P5.4). A changed phase is a new decision and "
                "needs Motivering; blank leaves the phase as it is."
            ),
            width=22,
        ),
        Column(
            "Fas från",
            "phase_since",
            PhaseDate(),
            aliases=("Phase from", "In this phase since"),
            help_text=_("The date the decision takes effect; blank means today."),
            width=14,
        ),
        Column(
            "Avveckling slutar",
            "phase_ends_on",
            PhaseDate(),
            aliases=("Phase-out ends on",),
            help_text=_("For a phase-out: the date it ends."),
            width=14,
        ),
        Column(
            "Villkor",
            "constraints",
            PhaseText(),
            aliases=("Constraints",),
            help_text=_("For 'approved with constraints': the constraints in words."),
            width=40,
        ),
        Column(
            "Motivering",
            "reason",
            Reasons(),
            aliases=("Reasons", "Reason"),
            help_text=_("Why: required on a row that changes the phase columns."),
            width=40,
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._decided_by: Person | bool | None = False

    # --- hooks ---------------------------------------------------------------------------------

    def get_queryset(self) -> QuerySet[Product]:
        return Product.objects.filter(municipality=self.municipality)

    def archived_message(self, key: str) -> str:
        return gettext(
            "Product “%(key)s” is archived; restore it before importing changes to it."
        ) % {"key": key}

    def complete_row(self, values: dict[str, Any]) -> None:
        # An update receives only the columns that differ; the reasons never differ, so they
        # are kept here for the decision a changed phase column records.
        if values.get("name"):
            self.cache[_reason_key(values["name"])] = values.get("reason", "")

    def new_names(self) -> dict[str, list[str]]:
        """The vendors and categories the file names that the catalogue does not have yet."""
        found = {
            "vendors": self.cache.get(("new", Vendor), {}),
            "categories": self.cache.get(("new", ProductCategory), {}),
        }
        return {key: sorted(n.name for n in names.values()) for key, names in found.items()}

    # --- writing -------------------------------------------------------------------------------

    def _resolve(self, data: dict[str, Any]) -> None:
        """Create the new vendors and categories a row names (once each; a later row finds the
        one an earlier row created)."""
        for field, model, create in (
            ("vendor", Vendor, services.vendor_create),
            ("category", ProductCategory, services.product_category_create),
        ):
            value = data.get(field)
            if isinstance(value, NewName):
                existing = model._default_manager.filter(
                    municipality=self.municipality, name__iexact=value.name
                ).first()
                data[field] = existing or create(
                    municipality=self.municipality, data={"name": value.name}, actor=self.actor
                )

    def _split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(data)
        data.pop("reason", None)
        phase = {name: data.pop(name) for name in list(data) if name in PHASE_COLUMNS}
        self._resolve(data)
        return data, phase

    def decided_by(self) -> Person | None:
        if self._decided_by is False:
            self._decided_by = (
                Person.objects.filter(municipality=self.municipality, user=self.actor)
                .order_by("pk")
                .first()
                if getattr(self.actor, "pk", None)
                else None
            )
        return self._decided_by  # type: ignore[return-value]

    def _decide(self, product: Product, phase: dict[str, Any]) -> None:
        """Record the decision the row's changed phase columns describe (P5.4)."""
        phase = {k: v for k, v in phase.items() if v not in (None, "")}
        if not phase:
            return
        new_phase = phase.get("phase", product.phase)
        if new_phase == Phase.NOT_ASSESSED == product.phase:
            return  # a new product nobody has decided on yet, as an export writes it
        try:
            product_phase_set(
                product=product,
                phase=new_phase,
                reason=self.cache.get(_reason_key(product.name), "") or "",
                effective_from=phase.get("phase_since"),
                ends_on=phase.get("phase_ends_on", product.phase_ends_on)
                if new_phase == Phase.PHASE_OUT
                else None,
                constraints=phase.get("constraints", product.constraints)
                if new_phase == Phase.APPROVED_WITH_CONSTRAINTS
                else "",
                decided_by=self.decided_by(),
                actor=self.actor,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {_DECISION_FIELDS.get(k, k): v for k, v in error.error_dict.items()}
                ) from error
            raise

    def create(self, data: dict[str, Any]) -> Product:
        plain, phase = self._split(data)
        product = services.product_create(
            municipality=self.municipality, data=plain, actor=self.actor
        )
        self._decide(product, phase)
        return product

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[Product, bool]:
        plain, phase = self._split(data)
        product, changed = services.product_update(product=instance, data=plain, actor=self.actor)
        before = product.phase_since, product.phase
        self._decide(product, phase)
        return product, changed or (product.phase_since, product.phase) != before or bool(phase)
