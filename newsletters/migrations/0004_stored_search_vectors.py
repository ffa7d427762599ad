"""Stored search vectors with GIN indexes on PostgreSQL, filled here and kept current on save.

They replace 0002's indexes on expressions. On SQLite the columns exist but stay empty: search
there matches the text itself.
"""

from importlib import import_module

import django.contrib.postgres.search
from django.db import migrations

INDEXES = {
    "newsitem": "newsitem_search_vector",
    "action": "action_search_vector",
    "resource": "resource_search_vector",
}
EXPRESSION_INDEXES = import_module("newsletters.migrations.0002_search_indexes")


def fill_and_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    EXPRESSION_INDEXES.remove_indexes(apps, schema_editor)
    for model_name, vector in EXPRESSION_INDEXES.vectors().items():
        model = apps.get_model("newsletters", model_name)
        model.objects.update(search_vector=vector)
        schema_editor.add_index(model, GinIndex("search_vector", name=INDEXES[model_name]))
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    EXPRESSION_INDEXES.add_indexes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0003_history"),
    ]

    operations = [
        migrations.AddField(
            model_name=model_name,
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        )
        for model_name in INDEXES
    ] + [migrations.RunPython(fill_and_index, unindex)]
