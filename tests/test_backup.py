"""Backup and restore: a dumpdata/loaddata round trip keeps every row and all of history."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from reviews.models import Claim, Rating, Verdict
from reviews.services.claims import claim_assign
from reviews.services.verdicts import verdict_approve, verdict_submit

pytestmark = pytest.mark.django_db(transaction=True)

BACKUP_ARGS = ["reviews", "auth.group", "--natural-foreign", "--natural-primary"]


def row_counts():
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("reviews").get_models()}
    counts["auth.Group"] = Group.objects.count()
    return counts


def test_round_trip_keeps_rows_and_history(seed_article, editor, alice, tmp_path):
    claim = seed_article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Checked.", actor=alice)
    verdict_approve(claim=claim, actor=editor)
    before = row_counts()
    trail = [(h.history_user.username, h.history_change_reason) for h in claim.history.order_by("history_id")]
    backup = tmp_path / "backup.json"
    call_command("dumpdata", *BACKUP_ARGS, "--output", str(backup), verbosity=0)

    # The README's restore: an empty database, migrated (which sets up the groups, built-in
    # rules and default ratings, here with other ids than the backup's), then the backup.
    call_command("flush", interactive=False, verbosity=0)
    assert Claim.objects.count() == 0 and Verdict.history.count() == 0 and Rating.objects.exists()
    call_command("restore", str(backup), verbosity=0)
    assert row_counts() == before
    restored = Claim.objects.get(pk=claim.pk)
    assert [
        (h.history_user.username, h.history_change_reason) for h in restored.history.order_by("history_id")
    ] == trail
    assert (
        restored.status == "approved" and Verdict.objects.get(claim=restored).approved_by.username == "eddie"
    )
    assert Group.objects.get(name="Editors").permissions.filter(codename="approve_verdict").exists()
    assert before["reviews.HistoricalClaim"] > before["reviews.Claim"]  # history was in the backup


def test_restore_refuses_a_database_that_holds_articles(seed_article, tmp_path):
    from django.core.management.base import CommandError

    backup = tmp_path / "backup.json"
    call_command("dumpdata", *BACKUP_ARGS, "--output", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("restore", str(backup), verbosity=0)
