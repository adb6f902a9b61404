"""The admin's text search is answered from trigram indexes on PostgreSQL."""

import pytest
from django.db import connection

from reviews.models import Article, Claim, Flag

SEARCHES = [
    (Claim, "text", "claim_text_trgm"),
    (Article, "title", "article_title_trgm"),
    (Article, "url", "article_url_trgm"),
    (Article, "byline", "article_byline_trgm"),
    (Flag, "text", "flag_text_trgm"),
]


def test_icontains_searches_use_the_trigram_indexes(db):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only (CI runs it)")
    plans = {}
    with connection.cursor() as cursor:
        # Small tables: rule out the plain scans, so the plan shows whether an index serves the
        # condition at all (a GIN index is read by a bitmap scan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for model, field, index in SEARCHES:
            query = model.objects.filter(**{f"{field}__icontains": "Geneva"}).order_by()
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans[index] = "\n".join(row[0] for row in cursor.fetchall())
    assert [index for index, plan in plans.items() if index not in plan] == [], plans
