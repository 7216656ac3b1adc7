"""Every municipality that existed before the IT plans gets the policy's four goals (P2.1–P2.4)
and the default cost categories (P3.6–P3.9); new ones get them when they are created
(`stadga.plans.apps`). Written with the historical models, so without change-log entries: the
rows are the defaults, not anyone's change."""

from django.db import migrations

from stadga.plans.defaults import DEFAULT_COST_CATEGORIES, DEFAULT_GOALS


def seed(apps, schema_editor):
    Municipality = apps.get_model("organisation", "Municipality")
    Goal = apps.get_model("plans", "Goal")
    CostCategory = apps.get_model("plans", "CostCategory")
    for municipality in Municipality.objects.all():
        codes = set(Goal.objects.filter(municipality=municipality).values_list("code", flat=True))
        Goal.objects.bulk_create(
            Goal(
                municipality=municipality,
                code=code,
                name=name,
                description=description,
                order=order,
            )
            for order, (code, name, description) in enumerate(DEFAULT_GOALS, start=1)
            if code not in codes
        )
        names = set(
            CostCategory.objects.filter(municipality=municipality).values_list("name", flat=True)
        )
        CostCategory.objects.bulk_create(
            CostCategory(
                municipality=municipality,
                name=name,
                description=description,
                default_bearer=bearer,
                recovered_through_rent=rent,
            )
            for name, description, bearer, rent in DEFAULT_COST_CATEGORIES
            if name not in names
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
