import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0022_flag_confidence"),
    ]

    operations = [
        migrations.CreateModel(
            name="TermCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=40)),
                ("stripe", models.PositiveSmallIntegerField(default=0)),
                ("claims", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("term", "stripe"), name="termcount_term_stripe")
                ],
            },
        ),
        migrations.CreateModel(
            name="IndexedClaim",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="indexed",
                        serialize=False,
                        to="reviews.claim",
                    ),
                ),
                ("terms_version", models.CharField(max_length=20)),
            ],
            options={
                "indexes": [models.Index(fields=["terms_version"], name="indexedclaim_version_idx")],
            },
        ),
        migrations.RemoveConstraint(
            model_name="job",
            name="job_kind_valid",
        ),
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(
                choices=[
                    ("ingest", "Ingest an article"),
                    ("ingest_url", "Ingest a URL"),
                    ("ingest_batch", "Ingest a batch"),
                    ("match", "Claim matching"),
                    ("reflag", "Re-run flag rules"),
                    ("reindex", "Re-index claims for matching"),
                    ("feed", "Fetch a feed"),
                    ("export", "Export bundle"),
                    ("train", "Retrain models"),
                    ("email", "E-mail"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="job",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "ingest",
                            "ingest_url",
                            "ingest_batch",
                            "match",
                            "reflag",
                            "reindex",
                            "feed",
                            "export",
                            "train",
                            "email",
                        ],
                    )
                ),
                name="job_kind_valid",
            ),
        ),
    ]
