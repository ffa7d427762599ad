"""The site search's language, and the search vectors the database keeps.

A searchable model declares `search_vector = search_vector_of(...)`: a GeneratedField, so the
database recomputes it on every write however it is made (a save, a bulk write, raw SQL), and
`SearchIndex` (GIN) indexes it. On PostgreSQL it is the weighted full-text vector the search
ranks with; on SQLite, where search matches the text itself, the column holds NULL.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.backends.ddl_references import Statement
    from django.db.models.sql.compiler import SQLCompiler

SEARCH_CONFIG = "english"  # the one language of the site search: stems, stop words


class SearchDocument(models.Func):
    """The search vector of a row's text: `weighted` is (weight, field, …) tuples, weight "A"
    for the words that matter most, or None."""

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self, *weighted: tuple[Any, ...]) -> None:
        parts = [SearchVector(*fields, weight=w, config=SEARCH_CONFIG) for w, *fields in weighted]
        vector: Any = parts[0]
        for part in parts[1:]:
            vector = vector + part
        super().__init__(vector)

    def as_sqlite(
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper", **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return "NULL", ()


def search_vector_of(*weighted: tuple[Any, ...]) -> models.GeneratedField:
    """A stored search vector of these weighted fields, which the database keeps current."""
    return models.GeneratedField(
        expression=SearchDocument(*weighted),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )


class SearchIndex(GinIndex):
    """A GIN index on a search vector on PostgreSQL; elsewhere an ordinary index on the column
    (which SQLite's search never reads, but the model declares one index for both)."""

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: "BaseDatabaseSchemaEditor",
        using: str = "",
        **kwargs: Any,
    ) -> "Statement":
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)
