import pytest

from reviews.models import Article, ArticleRevision, Claim, Outlet, sha256_hex
from reviews.services.articles import article_ingest
from reviews.textproc import InputError
from tests.conftest import POW_SEED


def test_ingest_stores_article_revision_and_claims(editor):
    result = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor)
    article, revision = result.article, result.revision
    assert result.created and result.claims == 20
    assert article.current_revision == revision
    assert article.title.startswith("Captured Russian Soldiers Claim")
    assert article.byline == "Poppy Bilderbeck"
    assert revision.sha256 == sha256_hex(revision.body)
    assert any(r["text"] == "Featured Image Credit: Alamy" for r in revision.removed)
    for claim in Claim.objects.filter(revision=revision):
        assert revision.body[claim.start : claim.end] == claim.text


def test_failure_midway_writes_nothing(editor, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("reviews.services.articles.history_copy", explode)
    with pytest.raises(RuntimeError):
        article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor)
    for model in (Article, ArticleRevision, Claim, Outlet):
        assert model.objects.count() == 0
        assert model.history.count() == 0


def test_input_errors_raise_before_writing(editor):
    with pytest.raises(InputError, match="file is empty"):
        article_ingest(data=b"", name="x.txt", actor=editor)
    assert Article.objects.count() == 0


def test_revision_is_immutable(seed_article):
    from django.core.exceptions import ValidationError

    revision = seed_article.current_revision
    revision.body = "changed"
    with pytest.raises(ValidationError, match="immutable"):
        revision.save()
