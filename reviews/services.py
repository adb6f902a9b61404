"""Every write to the editorial model goes through these functions.

Each is atomic, takes keyword-only arguments and an explicit ``actor``, and
attributes its history rows to that actor with a change reason.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from . import textproc
from .flagging import revision_flag
from .history import save_with_history
from .matching import claims_match
from .models import Article, ArticleRevision, Claim, Outlet, sha256_hex
from .revisions import align, revision_add, revision_changes
from .rows import claim_rows, revision_row
from .textproc import InputError

__all__ = ["IngestResult", "InputError", "article_ingest", "save_with_history"]


@dataclass(frozen=True)
class IngestResult:
    name: str
    article: Article
    revision: ArticleRevision | None
    created: bool
    claims: int = 0
    flags: int = 0
    fates: dict | None = None  # for a new version: claims unchanged, changed, withdrawn, new

    @property
    def revised(self) -> bool:
        return self.fates is not None

    @property
    def skipped(self) -> bool:
        return not self.created


def _published(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _outlet_for(name: str, domain: str, *, actor) -> Outlet | None:
    name = name.strip()[:200]
    if not name:
        return None
    outlet = Outlet.objects.filter(name=name).first()
    if outlet is None:
        outlet = Outlet(name=name, domain=domain[:253])
        save_with_history(outlet, actor=actor, reason="outlet first seen at ingest")
    return outlet


def _revision(article, number, analysis, *, source_sha, name, fmt, actor, reason, changes=()):
    revision = revision_row(
        analysis,
        article=article,
        number=number,
        source_sha=source_sha,
        name=name,
        fmt=fmt,
        actor=actor,
        changes=changes,
    )
    save_with_history(revision, actor=actor, reason=reason)
    return revision


def article_ingest(
    *, data: bytes | str, name: str, actor, url: str = "", article: Article | None = None
) -> IngestResult:
    """Analyse one article and store it, its first revision and its claims.

    A new version of a stored article (``article`` given, or the same URL) becomes its next
    revision and its claims are re-anchored (see ``reviews.revisions``). Raises InputError
    (and writes nothing) when the input is not a usable article. A text already stored is
    skipped, not duplicated.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if url and not textproc.is_http_url(url):
        raise InputError(f"source URL {url[:100]!r} is not an http(s) URL")
    text = textproc.decode(raw, max_bytes=settings.ARTICLE_MAX_BYTES)
    fmt = textproc.format_for(name)
    analysis = textproc.analyze(text, fmt=fmt, max_claims=settings.ARTICLE_MAX_CLAIMS)
    body_sha = sha256_hex(analysis.body)
    source_sha = hashlib.sha256(raw).hexdigest()
    url = (url or analysis.metadata.url)[:2000]

    with transaction.atomic():
        if article is None and url:
            article = Article.objects.filter(url=url).order_by("id").first()
        if article is not None:
            return _new_version(article, analysis, body_sha, source_sha, name, fmt, actor)
        existing = (
            ArticleRevision.objects.select_related("article").filter(sha256=body_sha).order_by("id").first()
        )
        if existing is not None:
            return IngestResult(name=name, article=existing.article, revision=existing, created=False)

        meta = analysis.metadata
        reason = f"ingested from {name}"[:500]
        outlet = _outlet_for(meta.outlet, meta.url, actor=actor)
        title = (meta.title or analysis.claims[0].text)[:500]
        article = Article(
            title=title,
            slug=slugify(title)[:100] or "article",
            url=url,
            outlet=outlet,
            byline=meta.byline[:300],
            published=_published(meta.published),
            created_by=actor,
        )
        save_with_history(article, actor=actor, reason=reason)
        revision = _revision(
            article,
            1,
            analysis,
            source_sha=source_sha,
            name=name,
            fmt=fmt,
            actor=actor,
            reason=reason,
        )
        article.current_revision = revision
        save_with_history(
            article, actor=actor, reason="first revision attached", update_fields=["current_revision"]
        )
        claims = bulk_create_with_history(
            claim_rows(analysis, article=article, revision=revision),
            Claim,
            default_user=actor,
            default_change_reason=reason,
        )
        flags = revision_flag(revision=revision, analysis=analysis, actor=actor, reason=reason)
        claims_match(Claim.objects.filter(revision=revision), actor=actor)
    return IngestResult(
        name=name, article=article, revision=revision, created=True, claims=len(claims), flags=len(flags)
    )


def _new_version(article, analysis, body_sha, source_sha, name, fmt, actor) -> IngestResult:
    article = (
        Article.objects.select_for_update(of=("self",)).select_related("current_revision").get(pk=article.pk)
    )
    current = article.current_revision
    if current is not None and current.sha256 == body_sha:
        return IngestResult(name=name, article=article, revision=current, created=False)
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    reason = f"revision {number} ingested from {name}"[:500]
    old = list(Claim.objects.filter(revision=current).order_by("index"))
    fates = align([c.text for c in old], [c.text for c in analysis.claims])
    revision = _revision(
        article,
        number,
        analysis,
        source_sha=source_sha,
        name=name,
        fmt=fmt,
        actor=actor,
        reason=reason,
        changes=revision_changes(old, analysis, fates),
    )
    counts, touched = revision_add(
        article=article, revision=revision, analysis=analysis, old=old, fates=fates, actor=actor
    )
    claims_match(touched, actor=actor)
    return IngestResult(
        name=name,
        article=article,
        revision=revision,
        created=True,
        claims=len(analysis.claims),
        flags=revision.flags.count(),
        fates=dict(counts),
    )
