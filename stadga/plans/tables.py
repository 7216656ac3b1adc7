"""Tables of the plans, their items, the goals and the cost categories."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import CostCategory, Goal, ITPlan, PlanItem, Premises


class ITPlanTable(ScopedTable):
    name = tables.Column(
        verbose_name=_("IT plan"), accessor="pk", linkify=True, order_by=("year", "board__name")
    )
    board = tables.Column(order_by=("board__name",))
    year = tables.Column()
    status = tables.Column()
    adopted_on = tables.DateColumn(format="Y-m-d", default="–")
    decision_paragraph = tables.Column(default="–")

    class Meta(ScopedTable.Meta):
        model = ITPlan
        fields = ("name", "board", "year", "status", "adopted_on", "decision_paragraph")
        sequence = ("name", "board", "year", "status", "adopted_on", "decision_paragraph")

    def render_name(self, record: ITPlan) -> str:
        return str(record)


class PlanItemTable(ScopedTable):
    title = tables.Column(linkify=True)
    plan = tables.Column(order_by=("plan__year", "plan__board__name"))
    cost_category = tables.Column(default="–", order_by=("cost_category__name",))
    bearer = tables.Column(default="–", order_by=("bearer__name",))
    follow_up_status = tables.Column()

    class Meta(ScopedTable.Meta):
        model = PlanItem
        fields = ("title", "plan", "cost_category", "bearer", "follow_up_status")


class GoalTable(ScopedTable):
    code = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Goal
        fields = ("code", "name", "order")


class CostCategoryTable(ScopedTable):
    name = tables.Column(linkify=True)
    recovered_through_rent = tables.BooleanColumn(yesno=(_("Yes"), _("No")))

    class Meta(ScopedTable.Meta):
        model = CostCategory
        fields = ("name", "default_bearer", "recovered_through_rent")


class PremisesTable(ScopedTable):
    name = tables.Column(linkify=True)
    address = tables.Column(default="–")
    tenure = tables.Column()

    class Meta(ScopedTable.Meta):
        model = Premises
        fields = ("name", "address", "tenure")
