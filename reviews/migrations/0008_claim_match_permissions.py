"""Give the groups their claim-match permissions."""

from django.db import migrations

from reviews.roles import sync_groups


def forwards(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_claim_matching")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
