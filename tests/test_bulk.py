"""Bulk storage: the same rows and history as ingest, in a few statements per batch."""

import random

from reviews.bulk import articles_store, bare_insert
from reviews.management.commands.bench_scale import analysed_seeds, perturbed
from reviews.models import Article, ArticleRevision, Claim, Flag


def test_articles_store_writes_rows_and_attributed_history(editor):
    seeds = analysed_seeds()
    items = [perturbed(seeds, n, random.Random(n)) for n in range(7)]
    assert bare_insert(items, actor=editor)[0] == 7 and not Article.objects.exists()  # rolled back
    articles, claims, flags = articles_store(items, actor=editor, reason="archive import")
    assert (articles, claims, flags) == (7, Claim.objects.count(), Flag.objects.count())
    assert flags > 0
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
