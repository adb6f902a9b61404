"""Storing many analysed articles at once: an archive import, a synthetic newsroom.

The same rows as ``article_ingest`` writes one article at a time (article, first revision,
claims, flags, each with its history row attributed to the actor with a reason), written in
a handful of bulk statements per batch; the history rows are copied by the database.
Claim matching does not run here: imported claims are not proposed as matches.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from . import rules
from .flagging import flagrules_sync
from .history import history_copy
from .models import Article, ArticleRevision, Claim, Flag, IngestKey
from .rows import claim_rows, revision_row
from .textproc import Analysis


@dataclass(frozen=True)
class Analysed:
    """One article, analysed and checked against the rules, ready to store."""

    analysis: Analysis
    hits: Sequence[rules.Hit]
    name: str
    url: str = ""


def _rows(items: Sequence[Analysed], actor, rule_rows: dict):
    """The unsaved rows of each article, built once for the store and for the bare insert."""
    for item in items:
        analysis, meta = item.analysis, item.analysis.metadata
        title = (meta.title or analysis.claims[0].text)[:500]
        article = Article(
            title=title,
            slug=slugify(title)[:100] or "article",
            url=item.url,
            byline=meta.byline[:300],
            created_by=actor,
        )
        revision = revision_row(analysis, name=item.name, actor=actor)
        claims = claim_rows(analysis)
        flags = [
            (
                hit.claim,
                Flag(
                    rule=rule_rows[hit.rule],
                    field=hit.field,
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    why=hit.why,
                    severity=rule_rows[hit.rule].severity,
                    resolver_role=rule_rows[hit.rule].resolver_role,
                    rules_version=rules.RULES_VERSION,
                ),
            )
            for hit in item.hits
            if hit.rule in rule_rows
        ]
        yield article, revision, claims, flags


def _store(items, actor, reason, *, history: bool):
    built = list(_rows(items, actor, flagrules_sync(actor=actor)))
    articles = Article.objects.bulk_create([a for a, _, _, _ in built])
    revisions = []
    for article, (_, revision, _, _) in zip(articles, built, strict=True):
        revision.article = article
        revisions.append(revision)
    revisions = ArticleRevision.objects.bulk_create(revisions)
    # Later ingests of these texts find them (a text stored twice here keeps its first article).
    IngestKey.objects.bulk_create(
        [IngestKey(key=IngestKey.for_text(r.sha256), article_id=r.article_id) for r in revisions],
        ignore_conflicts=True,
    )
    for article, revision in zip(articles, revisions, strict=True):
        article.current_revision = revision
    Article.objects.bulk_update(articles, ["current_revision"])
    claims = []
    for article, revision, (_, _, rows, _) in zip(articles, revisions, built, strict=True):
        for claim in rows:
            claim.article, claim.revision = article, revision
            claims.append(claim)
    claims = Claim.objects.bulk_create(claims, batch_size=2000)
    by_position = {(c.revision_id, c.index): c.pk for c in claims}
    flags = []
    for article, revision, (_, _, _, rows) in zip(articles, revisions, built, strict=True):
        for claim_index, flag in rows:
            flag.article, flag.revision = article, revision
            flag.claim_id = by_position.get((revision.pk, claim_index))
            flags.append(flag)
    Flag.objects.bulk_create(flags, batch_size=2000)
    if history:
        # One "created" row per stored row, copied by the database (see history_copy).
        ids = [a.pk for a in articles]
        marks = ", ".join(["%s"] * len(ids))
        history_copy(Article, where=f"id IN ({marks})", params=ids, actor=actor, reason=reason)
        for model in (ArticleRevision, Claim, Flag):
            history_copy(model, where=f"article_id IN ({marks})", params=ids, actor=actor, reason=reason)
    return len(articles), len(claims), len(flags)


@transaction.atomic
def articles_store(items: Sequence[Analysed], *, actor, reason: str = "bulk import") -> tuple[int, int, int]:
    """Store analysed articles with their history in one transaction; (articles, claims, flags)."""
    return _store(items, actor, reason, history=True)


def bare_insert(items: Sequence[Analysed], *, actor) -> tuple[int, int, int]:
    """The same rows with plain ``bulk_create`` and no history: the floor ``articles_store``
    is measured against. Rolled back."""
    with transaction.atomic():
        counts = _store(items, actor, "", history=False)
        transaction.set_rollback(True)
    return counts
