"""GIN indexes for search on PostgreSQL: on the same expressions newsletters.search queries with.

SQLite has no full-text search here (search falls back to icontains), so this does nothing there.
"""

from django.db import migrations

INDEXES = {
    "newsitem": "newsitem_search",
    "action": "action_search",
    "resource": "resource_search",
}


def vectors():
    """Frozen copies of newsletters.search's vectors (a test checks the search uses the index)."""
    from django.contrib.postgres.search import SearchVector

    return {
        "newsitem": SearchVector("title", weight="A", config="english")
        + SearchVector("update_text", "action_text", weight="B", config="english"),
        "action": SearchVector("description", config="english"),
        "resource": SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english"),
    }


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    for model_name, expression in vectors().items():
        model = apps.get_model("newsletters", model_name)
        schema_editor.add_index(model, GinIndex(expression, name=INDEXES[model_name]))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
