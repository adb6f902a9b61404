"""Trigram indexes for the admin's text search, on PostgreSQL.

The admin searches with ``icontains``, which PostgreSQL runs as ``UPPER(column) LIKE
UPPER('%term%')``: without an index that reads every row (1.5 s over 2.7 million claims).
A GIN index of the trigrams of ``UPPER(column)`` answers it from the index. SQLite has no
such index and keeps scanning, which is fine at the sizes SQLite serves.
"""

from django.db import migrations

# (table, column) searched by the admin on the largest tables.
SEARCHED = [
    ("reviews_claim", "text"),
    ("reviews_article", "title"),
    ("reviews_article", "url"),
    ("reviews_article", "byline"),
    ("reviews_flag", "text"),
]


def index_name(table: str, column: str) -> str:
    return f"{table.removeprefix('reviews_')}_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
            f'USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_term_counts"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
