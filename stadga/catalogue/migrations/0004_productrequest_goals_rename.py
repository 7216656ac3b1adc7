"""The second half of 0003: the list of clause IDs goes, and the relation takes its name."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_productrequest_goals_relation"),
    ]

    operations = [
        migrations.RemoveField(model_name="productrequest", name="goals"),
        migrations.RenameField(model_name="productrequest", old_name="goals_new", new_name="goals"),
        migrations.AlterField(
            model_name="productrequest",
            name="goals",
            field=models.ManyToManyField(
                blank=True,
                help_text="The municipality's IT goals the product helps reach.",
                related_name="product_requests",
                to="plans.goal",
                verbose_name="goals it serves (P2)",
            ),
        ),
    ]
