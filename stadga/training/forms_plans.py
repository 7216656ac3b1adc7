"""Forms of the departments' training plans (P6.2), their lines, and the IT department's watch
log (P6.4), with the tables and filters of their lists."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.models import Product
from stadga.core.forms import ScopedFilterSet, ScopedModelForm
from stadga.core.tables import ScopedTable
from stadga.organisation.models import Department
from stadga.plans.models import ITPlan
from stadga.systems.models import System

from .access import keeps_training
from .choices import TrainingPlanStatus
from .models import TrainingPlan, TrainingPlanLine, WatchNote
from .selectors_plans import central_office_id

COMPETENCE_PLAN = _("The IT department's competence plan")


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- training plans ----------------------------------------------------------------------------


class TrainingPlanForm(ScopedModelForm):
    """A department's plan for a year. A department head chooses among their departments; the
    IT plan among the plans of the department's board for the plan's year (P6.2)."""

    class Meta:
        model = TrainingPlan
        fields = ["department", "year", "it_plan", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        it_plan = self.fields["it_plan"]
        assert isinstance(department, forms.ModelChoiceField)
        assert isinstance(it_plan, forms.ModelChoiceField)
        departments = Department.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        )
        if not keeps_training(self.access, self.municipality.pk):
            departments = departments.filter(pk__in=self.access.department_head_of)
        current_department = self.instance.department_id if self.instance.pk else None
        department.queryset = Department.objects.filter(
            Q(pk__in=departments.values("pk")) | Q(pk=current_department or 0)
        )
        plans = ITPlan.objects.filter(municipality=self.municipality, archived_at__isnull=True)
        if self.instance.pk is not None:
            plans = plans.filter(
                board_id=self.instance.department.board_id, year=self.instance.year
            )
        else:
            plans = plans.filter(board__departments__in=departments).distinct()
            self.fields["year"].initial = timezone.localdate().year
        current = self.instance.it_plan_id
        it_plan.queryset = ITPlan.objects.filter(
            Q(pk__in=plans.values("pk")) | Q(pk=current or 0)
        ).select_related("board")
        it_plan.help_text = _(
            "The IT plan of the department's board for the same year. Left empty on a new plan, "
            "the board's plan for the year is linked if it has one."
        )


class TrainingPlanLineForm(ScopedModelForm):
    class Meta:
        model = TrainingPlanLine
        fields = ["course", "description", "participants", "cost", "shared_with_others"]


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What was carried out, what it cost and what is carried over to next year's plan. "
            "A followed-up plan is a record and is not changed."
        ),
    )


class TrainingPlanTable(ScopedTable):
    department = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("department__name",)
    )
    year = tables.Column()
    status = tables.Column()
    total_cost = tables.Column(verbose_name=_("Total cost (SEK)"), attrs={"td": {"class": "num"}})
    shared_lines = tables.Column(verbose_name=_("Together with other departments"))
    it_plan = tables.Column(verbose_name=_("Board's IT plan"), order_by=("it_plan__year",))

    class Meta(ScopedTable.Meta):
        model = TrainingPlan
        fields = ("department", "year", "status", "total_cost", "shared_lines", "it_plan")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.central_office_id = central_office_id(self.municipality) if self.municipality else None

    def render_department(self, value: Any, record: TrainingPlan) -> Any:
        if record.department_id == self.central_office_id and self.central_office_id:
            return format_html("{} ({})", COMPETENCE_PLAN, value)
        return value

    def render_total_cost(self, value: Any) -> str:
        return f"{value:,.0f}".replace(",", "\u00a0")

    def render_it_plan(self, value: Any) -> Any:
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)


class TrainingPlanFilterSet(ScopedFilterSet):
    search_fields = ("department__name", "summary")
    year = django_filters.NumberFilter(label=_("Year"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )
    status = django_filters.ChoiceFilter(choices=TrainingPlanStatus.choices, label=_("Status"))

    class Meta:
        model = TrainingPlan
        fields = ["q", "year", "department", "status"]


# --- the watch log -----------------------------------------------------------------------------


def _plan_item_label(item: Any) -> str:
    return f"{item.plan.year} {item.plan.board}: {item}"


class WatchNoteForm(ScopedModelForm):
    source = forms.URLField(
        label=_("source"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = WatchNote
        fields = [
            "noted_on",
            "title",
            "body",
            "source",
            "author",
            "products",
            "systems",
            "plan_items",
        ]
        widgets = {"noted_on": _date(), "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["plan_items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        chosen = items.queryset
        assert chosen is not None
        items.queryset = chosen.select_related("plan__board").order_by(
            "-plan__year", "plan__board__name", "title"
        )
        items.label_from_instance = _plan_item_label  # type: ignore[method-assign,assignment]


class WatchNoteTable(ScopedTable):
    noted_on = tables.DateColumn(linkify=lambda record: record.get_absolute_url(), format="Y-m-d")
    title = tables.Column()
    products = tables.ManyToManyColumn(verbose_name=_("Products"), orderable=False)
    systems = tables.ManyToManyColumn(verbose_name=_("Systems"), orderable=False)
    author = tables.Column(order_by=("author__name",))

    class Meta(ScopedTable.Meta):
        model = WatchNote
        fields = ("noted_on", "title", "products", "systems", "author")


class WatchNoteFilterSet(ScopedFilterSet):
    search_fields = ("title", "body")
    product = django_filters.ModelChoiceFilter(
        field_name="products", queryset=Product.objects.all(), label=_("Product")
    )
    system = django_filters.ModelChoiceFilter(
        field_name="systems", queryset=System.objects.all(), label=_("System")
    )

    class Meta:
        model = WatchNote
        fields = ["q", "product", "system"]
