"""The search vectors become columns the database generates from the text (GeneratedField), so
every write keeps them current; their GIN indexes are declared on the models.

A stored column cannot be turned into a generated one in place: each is dropped (PostgreSQL drops
0004's index with it) and added again as generated, which fills it.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import seslip.lib.search

VECTORS = {
    "newsitem": (("A", "title"), ("B", "update_text", "action_text")),
    "action": ((None, "description"),),
    "resource": (("A", "title"), ("B", "description")),
}


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0012_freeze_published_updates"),
    ]

    operations = (
        [
            migrations.RemoveField(model_name=model_name, name="search_vector")
            for model_name in VECTORS
        ]
        + [
            migrations.AddField(
                model_name=model_name,
                name="search_vector",
                field=models.GeneratedField(
                    db_persist=True,
                    expression=seslip.lib.search.SearchDocument(*weighted),
                    output_field=django.contrib.postgres.search.SearchVectorField(null=True),
                ),
            )
            for model_name, weighted in VECTORS.items()
        ]
        + [
            migrations.AddIndex(
                model_name=model_name,
                index=seslip.lib.search.SearchIndex(
                    fields=["search_vector"], name=f"{model_name}_search_vector"
                ),
            )
            for model_name in VECTORS
        ]
    )
