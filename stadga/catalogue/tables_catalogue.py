"""Tables of the catalogue's lists (accessible markup from stadga.core's table template)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.core.tables import ScopedTable

from .models import Product, ProductCategory, Vendor


class VendorTable(ScopedTable):
    name = tables.Column(linkify=True)
    organisation_number = tables.Column()
    product_count = tables.Column(verbose_name=_("Products"), attrs={"td": {"class": "nowrap"}})
    assessed_on = tables.DateColumn(format="Y-m-d")

    class Meta(ScopedTable.Meta):
        model = Vendor
        fields = ("name", "organisation_number", "product_count", "assessed_on")
        order_by = ("name",)


class ProductCategoryTable(ScopedTable):
    name = tables.Column(linkify=True)
    is_business_system = tables.BooleanColumn(yesno=(_("Yes"), _("No")))
    product_count = tables.Column(verbose_name=_("Products"))

    class Meta(ScopedTable.Meta):
        model = ProductCategory
        fields = ("name", "is_business_system", "product_count")
        order_by = ("name",)


class ProductTable(ScopedTable):
    name = tables.Column(linkify=True)
    vendor = tables.Column(order_by=("vendor__name",))
    category = tables.Column(order_by=("category__name",))
    kind = tables.Column()
    phase = tables.Column()
    phase_ends_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "nowrap"}})
    end_of_support = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "nowrap"}})
    flags = tables.Column(verbose_name=_("Flags"), empty_values=(), orderable=False)

    class Meta(ScopedTable.Meta):
        model = Product
        fields = (
            "name",
            "vendor",
            "category",
            "kind",
            "phase",
            "phase_ends_on",
            "end_of_support",
        )
        sequence = (*fields, "flags")
        order_by = ("name",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_phase(self, record: Product) -> Any:
        return render_to_string("catalogue/partials/phase.html", {"product": record})

    def render_flags(self, record: Product) -> Any:
        return render_to_string(
            "catalogue/partials/flags.html", {"flags": record.flags_on(self.today)}
        )
