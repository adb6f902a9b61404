"""Formerly: the groups' party-source permissions and the built-in flag rules.

Both are now set up after every migrate by post_migrate handlers (``reviews.apps``): the
groups from ``reviews/roles.py``, the built-in rules from the rule library. Migrations
import no project code, so adding a model never breaks a migrate from zero.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_party_sources_and_flag_field")]

    operations = []
