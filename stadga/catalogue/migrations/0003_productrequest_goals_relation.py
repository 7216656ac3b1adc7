"""A product request's goals (P2) become a relation to its municipality's goals (`plans.Goal`)
instead of a list of clause IDs.

Each stored code is linked to the goal with that code in the request's municipality. A code the
municipality has no goal for is created from the 2006 policy's defaults (`plans.defaults`) when
it is one of them (e.g. a goal deleted by hand); any other code is left out, and named in the
migration's log, rather than invented. 0004 then drops the list. Backwards, the linked goals'
codes go back into the list. Written with the historical models, so without change-log entries."""

import logging

from django.db import migrations, models

from stadga.plans.defaults import DEFAULT_GOALS

logger = logging.getLogger(__name__)

DEFAULTS = {
    code: (order, name, description)
    for order, (code, name, description) in enumerate(DEFAULT_GOALS, start=1)
}


def codes_to_goals(apps, schema_editor):
    ProductRequest = apps.get_model("catalogue", "ProductRequest")
    Goal = apps.get_model("plans", "Goal")
    goals: dict[tuple[int, str], object] = {}
    requests = ProductRequest.objects.only("pk", "municipality_id", "goals").order_by("pk")
    for request in requests.iterator():
        codes = request.goals if isinstance(request.goals, list) else []
        if not codes:
            continue
        linked = []
        for code in dict.fromkeys(str(c).strip() for c in codes):
            key = (request.municipality_id, code)
            if key not in goals:
                goal = Goal.objects.filter(municipality_id=key[0], code=code).first()
                if goal is None and code in DEFAULTS:
                    order, name, description = DEFAULTS[code]
                    goal = Goal.objects.create(
                        municipality_id=key[0],
                        code=code,
                        name=name,
                        description=description,
                        order=order,
                    )
                goals[key] = goal
            if goals[key] is None:
                logger.warning(
                    "Product request %s: no goal %r in its municipality; left out.",
                    request.pk,
                    code,
                )
                continue
            linked.append(goals[key])
        request.goals_new.set(linked)


def goals_to_codes(apps, schema_editor):
    ProductRequest = apps.get_model("catalogue", "ProductRequest")
    for request in ProductRequest.objects.prefetch_related("goals_new").order_by("pk"):
        codes = sorted(g.code for g in request.goals_new.all())
        if codes:
            ProductRequest.objects.filter(pk=request.pk).update(goals=codes)


class Migration(migrations.Migration):
    """The new relation beside the list, filled from it. Dropping the list and renaming the
    relation is 0004's, in a transaction of its own: PostgreSQL does not alter a table with
    rows whose deferred checks are still pending."""

    dependencies = [
        ("catalogue", "0002_vendor_from_register"),
        ("plans", "0002_seed_goals_and_cost_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="productrequest",
            name="goals_new",
            field=models.ManyToManyField(blank=True, related_name="+", to="plans.goal"),
        ),
        migrations.RunPython(codes_to_goals, goals_to_codes),
    ]
