"""Forms of the catalogue: vendors, categories, products, versions, the IT department's phase
decision (P5.4) and the products a system runs on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .choices import Phase
from .models import Product, ProductCategory, ProductVersion, Vendor


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _website() -> forms.URLField:
    return forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VendorForm(ScopedModelForm):
    website = _website()

    class Meta:
        model = Vendor
        fields = [
            "name",
            "organisation_number",
            "website",
            "market_standing",
            "long_term_prospects",
            "assessed_on",
            "notes",
        ]
        widgets = {
            "market_standing": _text(),
            "long_term_prospects": _text(),
            "assessed_on": _date(),
            "notes": _text(),
        }


class ProductCategoryForm(ScopedModelForm):
    class Meta:
        model = ProductCategory
        fields = ["name", "description", "is_business_system"]
        widgets = {"description": _text()}


class ProductForm(ScopedModelForm):
    """What a product is; where it stands is a decision of its own (the phase page)."""

    website = _website()

    class Meta:
        model = Product
        fields = [
            "name",
            "kind",
            "category",
            "vendor",
            "description",
            "website",
            "end_of_support",
            "notes",
        ]
        widgets = {
            "description": _text(),
            "end_of_support": _date(),
            "notes": _text(),
        }


class ProductVersionForm(ScopedModelForm):
    class Meta:
        model = ProductVersion
        fields = ["version", "general_availability", "end_of_sale", "end_of_support"]
        widgets = {
            "general_availability": _date(),
            "end_of_sale": _date(),
            "end_of_support": _date(),
        }

    def __init__(self, *args: Any, product: Product, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Known before validation, so the unique check (product, version) and clean() work.
        self.instance.product = product


class PhaseDecisionForm(forms.Form):
    """The IT department's decision on a product's phase (P5.4): always with reasons."""

    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[(v, label) for v, label in Phase.choices if v != Phase.NOT_ASSESSED],
    )
    effective_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=_date(),
        help_text=_("The date the decision takes effect; empty means today."),
    )
    ends_on = forms.DateField(
        label=_("Phase-out ends on"),
        required=False,
        widget=_date(),
        help_text=_("Only for a phase-out: the date after which the product is no longer used."),
    )
    constraints = forms.CharField(
        label=_("Constraints"),
        required=False,
        widget=_text(),
        help_text=_("Only for 'approved with constraints': the constraints in words."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        widget=_text(4),
        help_text=_("Why the IT department decides so; shown to everyone who looks it up."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()


class SystemProductForm(forms.Form):
    """Add a product (and optionally its version) to the products a system runs on."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    version = forms.ModelChoiceField(
        label=_("Version"),
        queryset=ProductVersion.objects.none(),
        required=False,
        help_text=_("Optional: the version the system runs, if known."),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = self.fields["product"]
        version = self.fields["version"]
        assert isinstance(product, forms.ModelChoiceField)
        assert isinstance(version, forms.ModelChoiceField)
        product.queryset = Product.objects.filter(
            municipality=municipality, archived_at__isnull=True
        ).select_related("vendor")
        version.queryset = ProductVersion.objects.filter(
            municipality=municipality, archived_at__isnull=True
        ).select_related("product")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        product, version = data.get("product"), data.get("version")
        if product is not None and version is not None and version.product_id != product.pk:
            self.add_error("version", _("Choose a version of the chosen product."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Product, vendor or category"), required=False, max_length=200)
