"""The filters of the inventory's report pages: plain GET forms (they work without JavaScript),
their choices read from the municipality in one query each.

The lists are not django-filter sets over a queryset: the deviations list narrows the
installations through `reconciliation.current_installations` and takes its total from the
tallies, which a filter set's queryset cannot say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stadga.catalogue.models import Product
from stadga.organisation.models import Department, Municipality

from .choices import NOT_SUPPORTED, Reconciliation
from .models import InventorySource, SoftwareTitle
from .reconciliation import NO_DEPARTMENT

# What the deviations list shows unless the user chooses otherwise: what P5.5 says the IT
# department neither installs nor supports.
DEFAULT_STATUSES = tuple(str(s) for s in NOT_SUPPORTED)
YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


def source_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """The municipality's current sources that have been imported: one query."""
    sources = InventorySource.objects.filter(
        municipality=municipality, archived_at__isnull=True, current_snapshot__isnull=False
    ).order_by("name")
    return [("", str(_("All sources")))] + [
        (str(pk), name) for pk, name in sources.values_list("pk", "name")
    ]


def department_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """The municipality's departments (archived ones too: a device may still be reported in
    one), and "no department" for devices whose reported department is none of them: one
    query."""
    departments = Department.objects.filter(municipality=municipality).order_by("name")
    return [
        ("", str(_("All departments"))),
        *((str(pk), name) for pk, name in departments.values_list("pk", "name")),
        (str(NO_DEPARTMENT), str(_("No department"))),
    ]


def product_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """The catalogue products some software title maps to: one query."""
    mapped = SoftwareTitle.objects.filter(municipality=municipality, product__isnull=False).values(
        "product"
    )
    products = Product.objects.filter(municipality=municipality, pk__in=mapped).order_by("name")
    return [("", str(_("All products")))] + [
        (str(pk), name) for pk, name in products.values_list("pk", "name")
    ]


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


class ReportFilterForm(forms.Form):
    """The report's filters: one source and one department."""

    source = forms.TypedChoiceField(label=_("Source"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data: Any, *, municipality: Municipality) -> None:
        super().__init__(data)
        self.fields["source"].choices = source_choices(municipality)  # type: ignore[attr-defined]
        self.fields["department"].choices = department_choices(municipality)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out, not an error page)."""
        if not self.is_bound:
            return {"source": None, "department": None}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "source": _optional_int(cleaned.get("source")),
            "department": _optional_int(cleaned.get("department")),
        }


class DeviationFilterForm(ReportFilterForm):
    """The deviations list's filters (P5.5): statuses (unapproved and retired unless others are
    chosen), source, department, product, and a search on device, user and title."""

    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Reconciliation.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unapproved and retired unless you choose others."),
    )
    product = forms.TypedChoiceField(
        label=_("Product"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("Search device, user or software"), required=False, max_length=200)

    field_order = ["status", "source", "department", "product", "q"]

    def __init__(self, data: Any, *, municipality: Municipality) -> None:
        if data is not None and not data.getlist("status"):
            # The boxes show what the list shows when none is ticked.
            data = data.copy()
            data.setlist("status", list(DEFAULT_STATUSES))
        super().__init__(data, municipality=municipality)
        self.fields["product"].choices = product_choices(municipality)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        values = super().values()
        cleaned = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        values["statuses"] = tuple(cleaned.get("status") or DEFAULT_STATUSES)
        values["product"] = _optional_int(cleaned.get("product"))
        values["q"] = (cleaned.get("q") or "").strip()
        return values


class DeviceFilterForm(ReportFilterForm):
    """The device list's filters: source, department, whether a device has deviations, and a
    search on its name and user."""

    deviations = forms.ChoiceField(
        label=_("Has deviations"),
        required=False,
        choices=YES_NO,
        help_text=_("Unapproved or retired software installed."),
    )
    q = forms.CharField(label=_("Search device or user"), required=False, max_length=200)

    def values(self) -> dict[str, Any]:
        values = super().values()
        cleaned = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        values["deviations"] = cleaned.get("deviations") or ""
        values["q"] = (cleaned.get("q") or "").strip()
        return values
