"""Formerly: the newsroom's groups and the default rating scale.

Both are now set up after every migrate by post_migrate handlers (``reviews.apps``): the
groups from ``reviews/roles.py``, the default ratings from ``reviews/defaults.py`` in a
database that has none. Migrations import no project code.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
