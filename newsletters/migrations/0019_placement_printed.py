"""The updates already published keep their items' title and text as they are now: what they
printed before was not kept, so today's text is the best record there is."""

from django.db import migrations, models

TEXT = ("title", "update_text", "action_text")


def freeze_items_text(apps, schema_editor):
    Placement = apps.get_model("newsletters", "Placement")
    published = Placement.objects.filter(issue__published_at__isnull=False, printed__isnull=True)
    batch = []
    for placement in published.select_related("item").only("pk", *(f"item__{n}" for n in TEXT)):
        placement.printed = {name: getattr(placement.item, name) for name in TEXT}
        batch.append(placement)
        if len(batch) == 1000:
            Placement.objects.bulk_update(batch, ["printed"])
            batch = []
    Placement.objects.bulk_update(batch, ["printed"])


class Migration(migrations.Migration):

    dependencies = [
        ('newsletters', '0018_editors_answer_for_authorities'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalplacement',
            name='printed',
            field=models.JSONField(blank=True, editable=False, help_text="The item's title and text as the update printed them, kept once it is published: later edits of the item do not change what this update printed.", null=True),
        ),
        migrations.AddField(
            model_name='placement',
            name='printed',
            field=models.JSONField(blank=True, editable=False, help_text="The item's title and text as the update printed them, kept once it is published: later edits of the item do not change what this update printed.", null=True),
        ),
        migrations.RunPython(freeze_items_text, migrations.RunPython.noop),
    ]
