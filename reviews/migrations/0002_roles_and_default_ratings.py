"""Create the newsroom's groups with their permissions, and the default rating scale.

Data migrations write no history rows (django-simple-history does not see them):
the ratings' first history rows are created here explicitly.
"""

from django.db import migrations
from django.utils import timezone

from reviews.roles import GROUP_PERMISSIONS, sync_groups

# ClaimReview's convention: 1 = False ... 5 = True; labels without a value sit outside the scale.
DEFAULT_RATINGS = [
    ("False", 1, "#c0392b", "The claim is inaccurate."),
    (
        "Mostly false",
        2,
        "#e67e22",
        "The claim has an element of truth but ignores facts that change the impression.",
    ),
    ("Half true", 3, "#f1c40f", "The claim is partly accurate but leaves out important details."),
    ("Mostly true", 4, "#7dbb42", "The claim is accurate but needs clarification."),
    ("True", 5, "#27ae60", "The claim is accurate and nothing significant is missing."),
    ("Unverifiable", None, "#7f8c8d", "Available evidence neither confirms nor refutes the claim."),
]


def create_groups(apps, schema_editor):
    sync_groups(apps, require_all=False)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


def create_ratings(apps, schema_editor):
    Rating = apps.get_model("reviews", "Rating")
    HistoricalRating = apps.get_model("reviews", "HistoricalRating")
    now = timezone.now()
    for order, (label, value, colour, description) in enumerate(DEFAULT_RATINGS):
        rating, created = Rating.objects.get_or_create(
            scale="default",
            label=label,
            defaults={"value": value, "colour": colour, "description": description, "order": order},
        )
        if created:
            HistoricalRating.objects.create(
                id=rating.id,
                scale=rating.scale,
                label=rating.label,
                value=rating.value,
                colour=rating.colour,
                description=rating.description,
                order=rating.order,
                history_date=now,
                history_type="+",
                history_change_reason="default rating scale",
            )


def remove_ratings(apps, schema_editor):
    Rating = apps.get_model("reviews", "Rating")
    Rating.objects.filter(scale="default", label__in=[r[0] for r in DEFAULT_RATINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(create_ratings, remove_ratings),
    ]
