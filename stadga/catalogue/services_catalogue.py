"""Every write to the catalogue itself: vendors, categories, products and their versions, and
which products a system runs on (P5.4, P4.1). Atomic, validated, logged with who and when.

A product's phase is not written here: it changes only through a dated decision with reasons,
`services_phases.product_phase_set`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stadga.core.services import (
    governed_write,
    object_archive,
    object_create,
    object_restore,
    object_update,
)
from stadga.organisation.models import Municipality
from stadga.systems.models import System

from .models import Product, ProductCategory, ProductVersion, SystemProduct, Vendor

# Fields a product's form, import or API body may set; the phase fields are the decisions'.
PHASE_FIELDS = frozenset({"phase", "phase_since", "phase_ends_on", "constraints"})


def _without_phase(data: Mapping[str, Any]) -> dict[str, Any]:
    refused = PHASE_FIELDS & set(data)
    if refused:
        raise ValidationError(
            {
                name: _("The phase changes only through a decision with reasons (P5.4).")
                for name in refused
            }
        )
    return dict(data)


# --- vendors (P5.2) --------------------------------------------------------------------------


def vendor_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Vendor:
    return object_create(model=Vendor, data=data, actor=actor, municipality=municipality)


def vendor_update(*, vendor: Vendor, data: Mapping[str, Any], actor: Any) -> tuple[Vendor, bool]:
    """Change a vendor; returns whether anything changed."""
    return object_update(instance=vendor, data=data, actor=actor)


def vendor_archive(*, vendor: Vendor, actor: Any) -> Vendor:
    return object_archive(instance=vendor, actor=actor)


def vendor_restore(*, vendor: Vendor, actor: Any) -> Vendor:
    return object_restore(instance=vendor, actor=actor)


# --- categories (P4.1) -----------------------------------------------------------------------


def product_category_create(
    *, municipality: Municipality, data: Mapping[str, Any], actor: Any
) -> ProductCategory:
    return object_create(model=ProductCategory, data=data, actor=actor, municipality=municipality)


def product_category_update(
    *, category: ProductCategory, data: Mapping[str, Any], actor: Any
) -> tuple[ProductCategory, bool]:
    return object_update(instance=category, data=data, actor=actor)


def product_category_archive(*, category: ProductCategory, actor: Any) -> ProductCategory:
    return object_archive(instance=category, actor=actor)


def product_category_restore(*, category: ProductCategory, actor: Any) -> ProductCategory:
    return object_restore(instance=category, actor=actor)


# --- products (P5.4) -------------------------------------------------------------------------


def product_create(*, municipality: Municipality, data: Mapping[str, Any], actor: Any) -> Product:
    """Add a product to the catalogue, not yet assessed: its phase is a later decision."""
    return object_create(
        model=Product, data=_without_phase(data), actor=actor, municipality=municipality
    )


def product_update(
    *, product: Product, data: Mapping[str, Any], actor: Any
) -> tuple[Product, bool]:
    """Change a product's description; returns whether anything changed. Not its phase."""
    return object_update(instance=product, data=_without_phase(data), actor=actor)


def product_archive(*, product: Product, actor: Any) -> Product:
    return object_archive(instance=product, actor=actor)


def product_restore(*, product: Product, actor: Any) -> Product:
    return object_restore(instance=product, actor=actor)


# --- versions --------------------------------------------------------------------------------


def product_version_create(
    *, product: Product, data: Mapping[str, Any], actor: Any
) -> ProductVersion:
    """A version of `product` with the vendor's dates."""
    data = {k: v for k, v in data.items() if k != "product"}
    return object_create(
        model=ProductVersion,
        data=data,
        actor=actor,
        municipality=product.municipality,
        product=product,
    )


def product_version_update(
    *, version: ProductVersion, data: Mapping[str, Any], actor: Any
) -> tuple[ProductVersion, bool]:
    data = {k: v for k, v in data.items() if k != "product"}  # a version stays its product's
    return object_update(instance=version, data=data, actor=actor)


def product_version_archive(*, version: ProductVersion, actor: Any) -> ProductVersion:
    return object_archive(instance=version, actor=actor)


def product_version_restore(*, version: ProductVersion, actor: Any) -> ProductVersion:
    return object_restore(instance=version, actor=actor)


# --- which products a system runs on ---------------------------------------------------------


def system_products_set(
    *,
    system: System,
    links: Iterable[tuple[Product, ProductVersion | None]],
    actor: Any,
) -> bool:
    """Make `links` (product, version or None) exactly the products `system` runs on; returns
    whether anything changed. Each added, changed or removed link is logged with `actor`.

    The caller checks that the actor may edit the system (`Access.can_edit_system`). A product
    or version of another municipality, a version of another product, an archived product or
    version newly linked, or a product named twice, is refused."""
    wanted: dict[int, tuple[Product, ProductVersion | None]] = {}
    errors: list[str] = []
    current = {
        link.product_id: link
        for link in SystemProduct.objects.filter(system=system).select_related("version")
    }
    for product, version in links:
        if product.municipality_id != system.municipality_id:
            errors.append(
                _("“%(product)s” belongs to another municipality.") % {"product": product}
            )
            continue
        if version is not None and version.product_id != product.pk:
            errors.append(
                _("Version “%(version)s” is not a version of “%(product)s”.")
                % {"version": version.version, "product": product}
            )
            continue
        if product.pk in wanted:
            errors.append(_("“%(product)s” is named twice.") % {"product": product})
            continue
        link = current.get(product.pk)
        if product.archived_at is not None and link is None:
            errors.append(
                _("“%(product)s” is archived and cannot be chosen.") % {"product": product}
            )
            continue
        if (
            version is not None
            and version.archived_at is not None
            and (link is None or link.version_id != version.pk)
        ):
            errors.append(
                _("Version “%(version)s” is archived and cannot be chosen.") % {"version": version}
            )
            continue
        wanted[product.pk] = (product, version)
    if errors:
        raise ValidationError(errors)
    changed = False
    with governed_write(actor):
        for product_id, link in current.items():
            if product_id not in wanted:
                link.delete()
                changed = True
        for product_id, (product, version) in wanted.items():
            link = current.get(product_id)
            if link is None:
                link = SystemProduct(system=system, product=product, version=version)
            elif link.version_id != (version.pk if version else None):
                link.version = version
            else:
                continue
            link.full_clean()
            link.save()
            changed = True
    return changed
