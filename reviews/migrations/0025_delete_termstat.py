from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0024_term_counts_into_stripes"),
    ]

    operations = [
        migrations.DeleteModel(
            name="TermStat",
        ),
    ]
