"""Give the groups their party-source permissions and create the built-in flag rules.

Data migrations write no history by themselves: each new rule's first history row is
written here.
"""

from django.db import migrations
from django.utils import timezone

from reviews.roles import sync_groups
from reviews.rules import RULES

FIELDS = ("title", "category", "severity", "reference", "guidance", "resolver_role")


def forwards(apps, schema_editor):
    sync_groups(apps, require_all=False)  # later models get theirs in later migrations
    FlagRule = apps.get_model("reviews", "FlagRule")
    HistoricalFlagRule = apps.get_model("reviews", "HistoricalFlagRule")
    now = timezone.now()
    for rule in RULES:
        obj, created = FlagRule.objects.get_or_create(
            code=rule.code, defaults={"builtin": True, **{f: getattr(rule, f) for f in FIELDS}}
        )
        if created:
            HistoricalFlagRule.objects.create(
                id=obj.id,
                code=obj.code,
                builtin=True,
                enabled=True,
                terms="",
                created_at=obj.created_at,
                history_date=now,
                history_type="+",
                history_change_reason="built-in rule library",
                **{f: getattr(obj, f) for f in FIELDS},
            )


def backwards(apps, schema_editor):
    apps.get_model("reviews", "FlagRule").objects.filter(builtin=True, flags__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_party_sources_and_flag_field")]

    operations = [migrations.RunPython(forwards, backwards)]
