"""The register's free-text vendor becomes the catalogue: each distinct vendor of a municipality
(case and surrounding spaces ignored) a `Vendor`, and each system with a vendor runs on a product
of that vendor named after the system, not yet assessed (P5.4: nobody has decided on it in Stadga).
Reversing writes the vendor of each system's products back as text."""

from django.db import migrations


def forwards(apps, schema_editor):
    System = apps.get_model("systems", "System")
    Vendor = apps.get_model("catalogue", "Vendor")
    Product = apps.get_model("catalogue", "Product")
    SystemProduct = apps.get_model("catalogue", "SystemProduct")
    vendors: dict[tuple[int, str], object] = {}
    products: dict[tuple[int, str], object] = {}
    for system in System.objects.exclude(vendor="").order_by("pk").iterator():
        name = " ".join(system.vendor.split())
        if not name:
            continue
        key = (system.municipality_id, name.casefold())
        vendor = vendors.get(key)
        if vendor is None:
            vendor = Vendor.objects.filter(
                municipality_id=system.municipality_id, name__iexact=name
            ).first() or Vendor.objects.create(municipality_id=system.municipality_id, name=name)
            vendors[key] = vendor
        product_key = (system.municipality_id, system.name)
        product = products.get(product_key)
        if product is None:
            product = Product.objects.filter(
                municipality_id=system.municipality_id, name=system.name
            ).first() or Product.objects.create(
                municipality_id=system.municipality_id,
                name=system.name,
                vendor=vendor,
                notes="Skapad från IT-systemregistrets leverantörsfält.",
            )
            products[product_key] = product
        SystemProduct.objects.get_or_create(system=system, product=product)


def backwards(apps, schema_editor):
    System = apps.get_model("systems", "System")
    SystemProduct = apps.get_model("catalogue", "SystemProduct")
    for link in SystemProduct.objects.select_related("product__vendor").order_by("pk"):
        vendor = link.product.vendor
        if vendor is not None:
            System.objects.filter(pk=link.system_id, vendor="").update(vendor=vendor.name[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
