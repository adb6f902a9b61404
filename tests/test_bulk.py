"""Bulk import: the same rows, flags and history as single ingest, in a few statements per batch."""

import random

from django.db import transaction

from reviews.management.commands.bench_scale import SEEDS, analysed_seeds, bare_insert, perturbed
from reviews.models import Article, ArticleRevision, Claim, Flag, FlagRule
from reviews.services.articles import article_ingest, article_prepare, articles_import
from reviews.services.flags import rulebook
from reviews.services.history import save_with_history


def test_articles_import_writes_rows_and_attributed_history(editor):
    book = rulebook(actor=editor)
    seeds = analysed_seeds(book)
    items = [perturbed(seeds, n, random.Random(n)) for n in range(7)]
    assert bare_insert(items, book, actor=editor) == 7 and not Article.objects.exists()  # rolled back
    result = articles_import(items=items, book=book, actor=editor, reason="archive import")
    assert (result.articles, result.claims, result.flags) == (7, Claim.objects.count(), Flag.objects.count())
    assert result.flags > 0 and result.skipped == ()
    for model in (Article, ArticleRevision, Claim, Flag):
        rows = model.history.all()
        assert rows.count() == model.objects.count()
        assert {(h.history_user, h.history_change_reason, h.history_type) for h in rows} == {
            (editor, "archive import", "+")
        }
    for article in Article.objects.select_related("current_revision"):
        body = article.current_revision.body
        for claim in article.claims.all():
            assert body[claim.start : claim.end] == claim.text and claim.revision == article.current_revision
        for flag in article.flags.filter(field="body"):
            assert body[flag.start : flag.end] == flag.text
            assert flag.claim is None or flag.claim.start <= flag.start < flag.claim.end
    assert Article.history.get(id=Article.objects.first().pk).current_revision_id is not None


def test_texts_stored_already_are_skipped_and_named(editor):
    book = rulebook(actor=editor)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    article_ingest(data=seed.read_bytes(), name=seed.name, actor=editor)
    again = article_prepare(data=seed.read_bytes(), name="again.txt", book=book)
    other = sorted(SEEDS.glob("*.txt"))[1]
    new = article_prepare(data=other.read_bytes(), name=other.name, book=book)
    result = articles_import(items=[again, new, new], book=book, actor=editor)
    assert result.articles == 1 and result.skipped == ("again.txt", other.name)
    assert Article.objects.count() == 2


def _flags(article):
    return sorted((f.rule.code, f.field, f.start, f.end) for f in article.flags.select_related("rule"))


def _stored_flags(store) -> list:
    """The flags ``store()`` raises on the one article it stores, rolled back afterwards."""
    with transaction.atomic():
        store()
        flags = _flags(Article.objects.get())
        transaction.set_rollback(True)
    return flags


def test_a_disabled_rule_raises_nothing_on_either_path(editor):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    data = seed.read_bytes()

    def single():
        article_ingest(data=data, name=seed.name, actor=editor)

    def bulk():
        book = rulebook(actor=editor)
        articles_import(
            items=[article_prepare(data=data, name=seed.name, book=book)], book=book, actor=editor
        )

    before = _stored_flags(single)
    assert before == _stored_flags(bulk)
    off = FlagRule.objects.get(code=before[0][0])
    off.enabled = False
    save_with_history(off, actor=editor, reason="switched off for the test")
    after = _stored_flags(single)
    assert after == _stored_flags(bulk)
    assert off.code not in {code for code, _, _, _ in after}
    assert after == [f for f in before if f[0] != off.code]
