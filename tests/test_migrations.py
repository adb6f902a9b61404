import hashlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.models import IngestKey, Rating
from reviews.roles import GROUP_PERMISSIONS


def test_groups_have_exactly_their_permissions(db):
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(codenames)


def test_default_rating_scale(db):
    scale = list(Rating.objects.filter(scale="default").values_list("label", "value"))
    assert scale == [
        ("False", 1),
        ("Mostly false", 2),
        ("Half true", 3),
        ("Mostly true", 4),
        ("True", 5),
        ("Unverifiable", None),
    ]
    assert Rating.history.filter(history_type="+").count() == 6


def test_workflow_permissions_are_split_by_role(db):
    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert "approve_verdict" in perms("Editors") and "approve_verdict" not in perms("Fact-checkers")
    assert "add_verdict" in perms("Fact-checkers") and "add_verdict" not in perms("Editors")
    assert "resolve_legal_flag" in perms("Legal reviewers") and "resolve_legal_flag" not in perms("Editors")
    assert "add_article" not in perms("Fact-checkers") | perms("Legal reviewers")


@pytest.mark.django_db(transaction=True)
def test_ingest_keys_name_the_first_article_of_each_text_stored_before_them():
    """Texts stored twice before the keys existed keep both articles; the key names the first."""
    before, after = [("reviews", "0013_ingest_keys")], [("reviews", "0014_ingest_keys_from_revisions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Article, Revision = apps.get_model("reviews", "Article"), apps.get_model("reviews", "ArticleRevision")

    def stored(body, title="A story"):
        article = Article.objects.create(title=title, slug="a-story")
        sha = hashlib.sha256(body.encode()).hexdigest()
        Revision.objects.create(
            article=article, number=1, body=body, sha256=sha, source_sha256=sha, pipeline_version="1"
        )
        return article, sha

    first, twice = stored("A drone hit a depot.")
    copy, _ = stored("A drone hit a depot.")
    other, once = stored("Nine people were hurt.")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    try:
        keys = dict(IngestKey.objects.values_list("key", "article_id"))
        assert keys == {f"text:{twice}": first.pk, f"text:{once}": other.pk}
        assert Article.objects.filter(pk=copy.pk).exists()
    finally:  # back to the latest schema for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_term_counts_become_stripe_zero_and_back():
    before = [("reviews", "0022_flag_confidence")]
    after = [("reviews", "0025_delete_termstat")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        TermStat = executor.loader.project_state(before).apps.get_model("reviews", "TermStat")
        TermStat.objects.bulk_create(
            [TermStat(term="", claims=3), TermStat(term="soldier", claims=2), TermStat(term="gone", claims=0)]
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        counts = apps.get_model("reviews", "TermCount").objects.values_list("term", "stripe", "claims")
        assert sorted(counts) == [("", 0, 3), ("soldier", 0, 2)]
        TermCount = apps.get_model("reviews", "TermCount")
        TermCount.objects.create(term="soldier", stripe=5, claims=1)
        executor = MigrationExecutor(connection)
        executor.migrate(before)  # back: each term's stripes summed
        TermStat = executor.loader.project_state(before).apps.get_model("reviews", "TermStat")
        assert sorted(TermStat.objects.values_list("term", "claims")) == [("", 3), ("soldier", 3)]
    finally:  # back to the latest schema for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_migrate_from_zero_with_a_new_model_and_permission(tmp_path):
    """Adding a model whose permission a group gets never breaks a migrate from zero: the
    groups are set up after migrating, not by data migrations tied to one moment's models."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "tests.throwaway.settings",
        "THROWAWAY_DB": str(tmp_path / "zero.sqlite3"),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.contrib.auth.models import Group; "
            "print(sorted(Group.objects.get(name='Editors').permissions.filter("
            "content_type__app_label='throwaway').values_list('codename', flat=True)))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "['use_gadget']", check.stderr[-2000:]


def test_migrations_import_no_project_code():
    from tests.conftest import ROOT

    for path in sorted((ROOT / "reviews" / "migrations").glob("*.py")):
        text = path.read_text()
        assert "from reviews" not in text and "import reviews" not in text, path.name
