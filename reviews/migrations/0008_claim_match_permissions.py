"""Formerly: the groups' claim-match permissions, now kept by a post_migrate handler
(``reviews.apps``) like every group permission."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_claim_matching")]

    operations = []
