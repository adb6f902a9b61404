"""The term counts kept so far become stripe 0 of the striped counts (and back, summed)."""

from django.db import migrations

FORWARD = """
INSERT INTO reviews_termcount (term, stripe, claims)
SELECT term, 0, claims FROM reviews_termstat WHERE claims <> 0
"""
BACKWARD = """
INSERT INTO reviews_termstat (term, claims)
SELECT term, SUM(claims) FROM reviews_termcount GROUP BY term
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0023_term_count_stripes_indexed_claims"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
    ]
