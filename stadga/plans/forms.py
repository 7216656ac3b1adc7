"""Forms of the IT plans: goals, cost categories, the settings, a plan and its steps (adoption,
evaluation), an item, its costs per year and its follow-up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.access import request_q
from stadga.catalogue.models import ProductRequest
from stadga.core.forms import ScopedModelForm
from stadga.organisation.models import Board, Department
from stadga.systems.models import System

from .choices import ItemStatus
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    CostCategory,
    Goal,
    ITPlan,
    PlanItem,
    PlansSettings,
    Premises,
)
from .selectors import visible_boards, writable_draft_plans

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(ScopedModelForm):
    class Meta:
        model = Goal
        fields = ["code", "name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CostCategoryForm(ScopedModelForm):
    class Meta:
        model = CostCategory
        fields = ["name", "description", "default_bearer", "recovered_through_rent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlansSettingsForm(ScopedModelForm):
    class Meta:
        model = PlansSettings
        fields = [
            "technical_department",
            "central_office",
            "adopt_by_month",
            "adopt_by_day",
            "follow_up_by_month",
            "follow_up_by_day",
            "reminder_days",
        ]


class ITPlanForm(ScopedModelForm):
    """A board's plan for a year: the boards offered are those the user may plan for."""

    class Meta:
        model = ITPlan
        fields = ["board", "year", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = self.fields["board"]
        assert isinstance(board, forms.ModelChoiceField)
        boards = visible_boards(self.access, self.municipality)
        board.queryset = Board.objects.filter(
            Q(pk__in=boards.values("pk")) | Q(pk=self.instance.board_id or 0)
        )
        if self.instance.pk is None:
            self.fields["year"].initial = timezone.localdate().year + 1
        elif not self.instance.is_draft:
            self.fields["board"].disabled = True
            self.fields["year"].disabled = True


class PlanItemForm(ScopedModelForm):
    """An initiative of a draft plan (P1.2, P2, P3.5–P3.9)."""

    class Meta:
        model = PlanItem
        fields = [
            "plan",
            "title",
            "description",
            "goals",
            "business_benefit",
            "societal_benefit",
            "systems",
            "products",
            "product_requests",
            "external_organisations",
            "responsible",
            "department",
            "cost_category",
            "bearer",
            "bearer_reason",
            "premises",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "business_benefit": forms.Textarea(attrs={"rows": 3}),
            "societal_benefit": forms.Textarea(attrs={"rows": 3}),
            "bearer_reason": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.CheckboxSelectMultiple,
            "systems": forms.SelectMultiple(attrs={"size": 6}),
            "products": forms.SelectMultiple(attrs={"size": 6}),
            "product_requests": forms.SelectMultiple(attrs={"size": 4}),
            "external_organisations": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "business_benefit": _("What the municipality's work gains, and how you will know."),
            "societal_benefit": _("What residents, businesses and society gain."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ModelChoiceField)
        plans = writable_draft_plans(self.access, self.municipality)
        plan.queryset = ITPlan.objects.filter(
            Q(pk__in=plans.values("pk")) | Q(pk=self.instance.plan_id or 0)
        ).select_related("board")
        # Systems and requests the user may read, and those the item already names.
        visible = {
            "systems": System.objects.filter(self.access.system_q()),
            "product_requests": ProductRequest.objects.filter(request_q(self.access)),
        }
        for name, readable in visible.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            assert field.queryset is not None
            current = [getattr(o, "pk", o) for o in self.initial.get(name) or []]
            field.queryset = field.queryset.filter(
                Q(pk__in=readable.values("pk")) | Q(pk__in=current)
            )


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted at the board's meeting of"), widget=DATE)
    decision_paragraph = forms.CharField(
        label=_("Decision paragraph"),
        max_length=100,
        help_text=_("The paragraph of the minutes, e.g. § 45."),
    )


class EvaluateForm(forms.Form):
    evaluation = forms.CharField(
        label=_("Evaluation"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the plan achieved against the goals, and what the board learnt."),
    )


def _whole_kronor(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0"), decimal_places=0, max_digits=14, required=required
    )


class CostRowForm(forms.Form):
    """One year of an item's planned costs, in whole kronor (P3.5)."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    investment = _whole_kronor(_("Investment (SEK)"))
    running = _whole_kronor(_("Running cost (SEK)"))


class BaseCostFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        years = [
            f.cleaned_data["year"]
            for f in self.forms
            if f.has_changed() and f.cleaned_data.get("year") is not None
        ]
        if len(years) != len(set(years)):
            raise forms.ValidationError(_("Each year once."))


CostFormSet = forms.formset_factory(CostRowForm, formset=BaseCostFormSet, extra=2)


class FollowUpForm(forms.Form):
    """How an initiative stood at follow-up, and its actual costs per year (P3.4)."""

    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"actual_investment_{year}"] = _whole_kronor(
                _("Actual investment %(year)s (SEK)") % {"year": year}, required=False
            )
            self.fields[f"actual_running_{year}"] = _whole_kronor(
                _("Actual running cost %(year)s (SEK)") % {"year": year}, required=False
            )

    def actuals(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        data = self.cleaned_data
        return {
            year: (data.get(f"actual_investment_{year}"), data.get(f"actual_running_{year}"))
            for year in self.years
        }


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Plan year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"]:
            return int(self.cleaned_data["year"])
        return default


class PremisesForm(ScopedModelForm):
    class Meta:
        model = Premises
        fields = ["name", "address", "tenure", "lease_note"]
        widgets = {"lease_note": forms.Textarea(attrs={"rows": 3})}


class TenantsForm(forms.Form):
    """From which day the tenants below hold the premises."""

    valid_from = forms.DateField(label=_("From"), widget=DATE)


class TenantRowForm(forms.Form):
    """One tenant and its share of the premises, as a fraction (0.35 for 35 %)."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    share = forms.DecimalField(
        label=_("Share"),
        min_value=Decimal("0.0001"),
        max_value=Decimal("1"),
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text=_("A fraction, e.g. 0.35 for 35 %."),
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments if departments is not None else Department.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("department") is None) != (data.get("share") is None):
            raise forms.ValidationError(_("Give both the department and its share."))
        return data


TenantFormSet = forms.formset_factory(TenantRowForm, extra=3)
