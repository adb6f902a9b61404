"""Text keys for the articles stored so far: each text names the article first stored from it.

Every revision's text gets its key, the earliest revision winning when one text was stored
more than once (parallel ingests could do that before keys existed): those later copies stay
as they are, editorial records with their own history, and ingest finds the first.
"""

from django.db import migrations

FILL = """
INSERT INTO reviews_ingestkey (key, article_id)
SELECT 'text:' || sha256, article_id FROM reviews_articlerevision
WHERE id IN (SELECT MIN(id) FROM reviews_articlerevision GROUP BY sha256)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_ingest_keys"),
    ]

    operations = [
        migrations.RunSQL(FILL, reverse_sql="DELETE FROM reviews_ingestkey"),
    ]
