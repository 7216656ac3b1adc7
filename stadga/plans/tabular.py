"""Plan items as a spreadsheet (P3.4, P3.5): for boards that draw up their plan in Excel, and for
the finance office's export.

A row is one item of one board's plan for one year, found by three columns together: Nämnd, År and
Satsning (an initiative's title is unique enough within its plan). As in the classification
import (`stadga/security/tabular.py`) the key is computed after the cells are read, and the stored
items carry the same text as a database annotation. A row for a board and year without a plan
starts that plan as a draft; items are imported into draft plans only (an adopted plan is the
board's decision). The costs columns are the plan year's planned investment and running costs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.models import Product
from stadga.core import tabular
from stadga.core.tabular import Column, Integer, Lookup, ManyLookup, Text
from stadga.organisation.models import Board, Department, ExternalOrganisation, Person
from stadga.systems.models import System

from . import services
from .models import FIRST_YEAR, LAST_YEAR, CostCategory, Goal, ITPlan, PlanItem

KEY_FIELD = "import_key"
KEY_SEPARATOR = " / "


def row_key(board_name: str, year: int, title: str) -> str:
    return f"{board_name}{KEY_SEPARATOR}{year}{KEY_SEPARATOR}{title}"


class _PlanYearCost(Integer):
    """The plan year's planned investment or running cost of an item, in whole kronor; a
    blank cell is none (0)."""

    def __init__(self, kind: str) -> None:
        super().__init__(min_value=0)
        self.kind = kind

    def empty_value(self) -> int:
        return 0

    def current(self, instance: Any, field: str, ctx: Any) -> int:
        cost = instance.cost_in(instance.plan.year)
        return int(getattr(cost, self.kind)) if cost is not None else 0


def _scoped(model: Any) -> Any:
    return lambda spec: model.objects.filter(municipality=spec.municipality)


_KEY_COLUMN = Column("Nämnd + År + Satsning", KEY_FIELD, Text())
_COST_FIELDS = ("plan_year_investment", "plan_year_running")


@tabular.register
class PlanItemTabular(tabular.TabularSpec):
    """Plan items keyed by Nämnd + År + Satsning."""

    kind = "plan-items"
    model = PlanItem
    key = KEY_FIELD
    label_field = "title"
    sheet_title = "Planposter"
    filename = "it-planposter"
    title = _("Plan items")
    columns = [
        Column(
            "Nämnd",
            "board",
            Lookup(
                _scoped(Board),
                by=("name", "short_name"),
                required=True,
                not_found=_("There is no board named “%(value)s”."),
            ),
            aliases=("Board",),
            required=True,
            width=30,
        ),
        Column(
            "År",
            "year",
            Integer(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=True),
            aliases=("Year",),
            required=True,
            width=8,
        ),
        Column(
            "Satsning",
            "title",
            Text(required=True, max_length=300),
            aliases=("Initiative",),
            required=True,
            width=40,
        ),
        Column("Beskrivning", "description", Text(), aliases=("Description",), width=40),
        Column(
            "Mål",
            "goals",
            ManyLookup(_scoped(Goal), by=("code", "name")),
            aliases=("Goals",),
            help_text=_("The goals' codes, e.g. P2.1; P2.3."),
        ),
        Column(
            "Verksamhetsnytta",
            "business_benefit",
            Text(),
            aliases=("Business benefit",),
            width=40,
        ),
        Column(
            "Samhällsnytta", "societal_benefit", Text(), aliases=("Societal benefit",), width=40
        ),
        Column(
            "System",
            "systems",
            ManyLookup(_scoped(System), by=("identifier", "name")),
            aliases=("Systems",),
        ),
        Column("Produkter", "products", ManyLookup(_scoped(Product)), aliases=("Products",)),
        Column(
            "Externa organisationer",
            "external_organisations",
            ManyLookup(_scoped(ExternalOrganisation)),
            aliases=("External organisations",),
            help_text=_("The organisations' names, e.g. Karlsborgs Energi AB (P3.11)."),
        ),
        Column(
            "Ansvarig",
            "responsible",
            Lookup(_scoped(Person), by=("name", "email")),
            aliases=("Responsible",),
        ),
        Column("Förvaltning", "department", Lookup(_scoped(Department)), aliases=("Department",)),
        Column(
            "Kostnadskategori",
            "cost_category",
            Lookup(_scoped(CostCategory)),
            aliases=("Cost category",),
        ),
        Column(
            "Kostnadsbärare",
            "bearer",
            Lookup(_scoped(Department)),
            aliases=("Cost borne by",),
            help_text=_("Blank: the cost category's default bearer."),
        ),
        Column("Skäl för annan bärare", "bearer_reason", Text(), aliases=("Why another bearer",)),
        Column(
            "Investering planåret (kr)",
            "plan_year_investment",
            _PlanYearCost("investment"),
            aliases=("Investment (SEK)",),
        ),
        Column(
            "Drift planåret (kr)",
            "plan_year_running",
            _PlanYearCost("running"),
            aliases=("Running cost (SEK)",),
        ),
    ]

    @classmethod
    def key_column(cls) -> Column:
        return _KEY_COLUMN

    def get_queryset(self) -> QuerySet[PlanItem]:
        return PlanItem.objects.filter(municipality=self.municipality).annotate(
            **{
                KEY_FIELD: Concat(
                    F("plan__board__name"),
                    Value(KEY_SEPARATOR),
                    Cast("plan__year", output_field=CharField()),
                    Value(KEY_SEPARATOR),
                    F("title"),
                    output_field=CharField(),
                )
            }
        )

    def export_queryset(self) -> QuerySet[PlanItem]:
        return self.get_queryset().filter(archived_at__isnull=True)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(
            "plan__board", "responsible", "department", "cost_category", "bearer"
        ).prefetch_related("goals", "systems", "products", "external_organisations", "costs")

    def complete_row(self, values: dict[str, Any]) -> None:
        board, year, title = values.get("board"), values.get("year"), values.get("title")
        if board is not None and year and title:
            values[KEY_FIELD] = row_key(board.name, year, title)

    def _plan(self, board: Board, year: int) -> ITPlan:
        """The board's plan for the year, a draft; started if there is none."""
        plan = ITPlan.objects.filter(municipality=self.municipality, board=board, year=year).first()
        if plan is None:
            plan = services.it_plan_create(
                municipality=self.municipality,
                data={"board": board, "year": year},
                actor=self.actor,
            )
        if not plan.is_draft or plan.is_archived:
            raise ValidationError(
                gettext("%(plan)s is not a draft; its items are not imported.") % {"plan": plan}
            )
        return plan

    def _costs(self, item: PlanItem, data: dict[str, Any], fresh: bool) -> bool:
        if not fresh and not any(name in data for name in _COST_FIELDS):
            return False
        current = item.cost_in(item.plan.year)
        investment = data.get(
            "plan_year_investment", current.investment if current else Decimal("0")
        )
        running = data.get("plan_year_running", current.running if current else Decimal("0"))
        if fresh and not investment and not running:
            return False
        return services.plan_item_costs_set(
            item=item, costs=[(item.plan.year, investment, running)], actor=self.actor
        )

    def create(self, data: dict[str, Any]) -> PlanItem:
        values = {k: v for k, v in data.items() if k not in (KEY_FIELD, *_COST_FIELDS)}
        try:
            values["plan"] = self._plan(values.pop("board"), values.pop("year"))
            item = services.plan_item_create(
                municipality=self.municipality, data=values, actor=self.actor
            )
            self._costs(item, data, fresh=True)
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from denied
        return item

    def update(self, instance: Any, data: dict[str, Any]) -> tuple[PlanItem, bool]:
        values = {
            k: v
            for k, v in data.items()
            if k not in (KEY_FIELD, "board", "year", "title", *_COST_FIELDS)
        }
        try:
            item, changed = services.plan_item_update(item=instance, data=values, actor=self.actor)
            costs_changed = self._costs(item, data, fresh=False)
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from denied
        return item, changed or costs_changed

    def archived_message(self, key: str) -> str:
        return gettext(
            "The plan item “%(key)s” is archived; restore it before importing changes to it."
        ) % {"key": key}
