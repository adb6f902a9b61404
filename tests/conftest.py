"""The named test world: an editor, two fact-checkers, a legal reviewer, an ingested seed."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from reviews.roles import EDITORS, FACT_CHECKERS, LEGAL_REVIEWERS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
POW_SEED = SEEDS / "001_147ffded2b2062e8.txt"


@pytest.fixture(autouse=True)
def shipped_models():
    """Every test scores with the shipped models, whatever a local `manage.py train` switched on."""
    from reviews.rules.scorer import use_scorer
    from reviews.textproc import matchmodel
    from reviews.textproc.model import use_model

    use_model(None)
    use_scorer(None)
    matchmodel.use_model(None)
    yield
    use_model(None)
    use_scorer(None)
    matchmodel.use_model(None)


def make_user(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True, email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def db(db):
    """The test's database, wrapped in a transaction that never commits; here the end of the
    outermost atomic block the code under test opens counts as its commit, as it does in
    production: what a service queues with ``transaction.on_commit`` (matching after an ingest,
    e-mail) runs then, inline, as jobs run with no broker configured. A block rolled back
    discards its callbacks, as Django always does."""
    from django.db import connection, transaction

    base = len(connection.atomic_blocks)
    original = transaction.Atomic.__exit__

    def exit_and_commit(self, exc_type, exc_value, traceback):
        outcome = original(self, exc_type, exc_value, traceback)
        if self.using in (None, "default") and len(connection.atomic_blocks) == base:
            while connection.run_on_commit:
                _, callback, _ = connection.run_on_commit.pop(0)
                callback()
        return outcome

    def on_commit_now_outside_blocks(func, robust=False):
        if len(connection.atomic_blocks) == base:  # autocommit, as far as the code is concerned
            func()
        else:
            queue_on_commit(func, robust)

    queue_on_commit = connection.on_commit
    transaction.Atomic.__exit__ = exit_and_commit
    connection.on_commit = on_commit_now_outside_blocks
    try:
        yield db
    finally:
        transaction.Atomic.__exit__ = original
        connection.on_commit = queue_on_commit


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "eddie", EDITORS)


@pytest.fixture
def alice(db, django_user_model):
    return make_user(django_user_model, "alice", FACT_CHECKERS)


@pytest.fixture
def bob(db, django_user_model):
    return make_user(django_user_model, "bob", FACT_CHECKERS)


@pytest.fixture
def lawyer(db, django_user_model):
    return make_user(django_user_model, "lara", LEGAL_REVIEWERS)


@pytest.fixture
def seed_article(editor):
    from reviews.services.articles import article_ingest

    return article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (the dashboard keeps figures for a minute)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite the exporters' golden files")


def page_queries(client, url, data=None):
    """(queries, response) of a GET after a warm-up one (session and permission caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return len(ctx), response
