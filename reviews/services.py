"""Every write to the editorial model goes through these functions.

Each is atomic, takes keyword-only arguments and an explicit ``actor``, and
attributes its history rows to that actor with a change reason.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from . import textproc
from .flagging import revision_flag
from .history import save_with_history
from .jobs import claims_match_later
from .models import Article, ArticleRevision, Claim, IngestKey, Outlet, sha256_hex
from .revisions import SAME_ARTICLE, align, kept_share, revision_add, revision_changes
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
    # For a new version: the share of the previous version's sentences found again in it.
    # With ``unrelated``: the best share among the articles with the same URL.
    kept: float | None = None
    unrelated: Article | None = None  # has the page's URL, but not its text: not a new version

    @property
    def revised(self) -> bool:
        return self.fates is not None

    @property
    def skipped(self) -> bool:
        return not self.created

    @property
    def note(self) -> str:
        """What an editor should know about how the input was stored ("" when nothing)."""
        if self.unrelated is not None:
            return (
                f"stored as a new article, not as a version of article {self.unrelated.pk} with the "
                f"same URL: {self.kept:.0%} of its sentences are in this text "
                f"(a new version keeps at least {SAME_ARTICLE:.0%})"
            )
        if self.revised and self.kept is not None and self.kept < SAME_ARTICLE:
            return (
                f"only {self.kept:.0%} of the previous version's sentences are found again in this one: "
                "check that it is the same article"
            )
        return ""


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
        try:
            with transaction.atomic():
                outlet = Outlet(name=name, domain=domain[:253])
                save_with_history(outlet, actor=actor, reason="outlet first seen at ingest")
        except IntegrityError:
            # A parallel ingest stored it first (the unique name waited for its commit).
            outlet = Outlet.objects.get(name=name)
    return outlet


def _locked_keys(*keys: str) -> list[IngestKey]:
    """Create (if new) and lock these ingest keys, in the order given.

    Every caller locks a URL key before a text key, and both before an article row, so two
    ingests never wait on each other in a circle.
    """
    locked = []
    for key in keys:
        IngestKey.objects.bulk_create([IngestKey(key=key)], ignore_conflicts=True)
        locked.append(IngestKey.objects.select_for_update().get(key=key))
    return locked


# Articles with one URL compared with a page found by it: the newest few.
URL_CANDIDATES = 5


def _same_article(url: str, analysis, body_sha: str):
    """The article with this URL that the page is a version of, else the closest one.

    Returns (article, kept, planned): ``planned`` is (revision id, fates) for the article's
    current revision, or None when the page is its current text.
    """
    new = [c.text for c in analysis.claims]
    best = None
    candidates = Article.objects.filter(url=url, current_revision__isnull=False).select_related(
        "current_revision"
    )
    for article in candidates.order_by("-id")[:URL_CANDIDATES]:
        if article.current_revision.sha256 == body_sha:
            return article, 1.0, None
        old = list(
            Claim.objects.filter(revision=article.current_revision_id)
            .order_by("index")
            .values_list("text", flat=True)
        )
        fates = align(old, new)
        kept = kept_share(fates)
        if best is None or kept > best[1]:
            best = (article, kept, (article.current_revision_id, fates))
    return best


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

    A new version of a stored article (``article`` given, or the same URL with at least
    ``SAME_ARTICLE`` of its sentences found again) becomes its next revision and its claims
    are re-anchored (see ``reviews.revisions``); a page sharing only the URL is a new article
    and the result's ``note`` says so. Raises InputError (and writes nothing) when the input
    is not a usable article. A text already stored is skipped, not duplicated, even when
    ingests of it run in parallel.
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

    # Ingests of one text, or of one URL, run one at a time: each locks its keys first (see
    # IngestKey), then decides (skip, new version, new article) on what is stored by then.
    with transaction.atomic():
        if article is not None:
            (text_key,) = _locked_keys(IngestKey.for_text(body_sha))
            result = _new_version(article, analysis, body_sha, source_sha, name, fmt, actor)
        else:
            url_keys = [IngestKey.for_url(url)] if url else []
            text_key = _locked_keys(*url_keys, IngestKey.for_text(body_sha))[-1]
            result = _ingest_new(url, analysis, body_sha, source_sha, name, fmt, actor, text_key)
        if text_key.article_id is None and result.revision is not None and result.revision.sha256 == body_sha:
            text_key.article = result.article
            text_key.save(update_fields=["article"])
    return result


def _ingest_new(url, analysis, body_sha, source_sha, name, fmt, actor, text_key) -> IngestResult:
    """Store a page given without an article: a new version of the article with its URL when
    the text is plausibly that article's, else a new article (or nothing, when stored already)."""
    same = _same_article(url, analysis, body_sha) if url else None
    unrelated = None
    if same is not None:
        article, kept, planned = same
        if kept >= SAME_ARTICLE:
            return _new_version(article, analysis, body_sha, source_sha, name, fmt, actor, planned)
        unrelated = same
    if text_key.article_id is not None:
        existing = text_key.article
        revision = existing.revisions.filter(sha256=body_sha).order_by("number").first()
        return IngestResult(name=name, article=existing, revision=revision, created=False)
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
    # Matching runs as a job once this ingest commits (inline when no broker is configured).
    claims_match_later(article=article, claims=Claim.objects.filter(revision=revision), actor=actor)
    return IngestResult(
        name=name,
        article=article,
        revision=revision,
        created=True,
        claims=len(claims),
        flags=len(flags),
        kept=unrelated[1] if unrelated else None,
        unrelated=unrelated[0] if unrelated else None,
    )


def _new_version(article, analysis, body_sha, source_sha, name, fmt, actor, planned=None) -> IngestResult:
    """Store ``analysis`` as the article's next revision; ``planned`` is (revision id, fates)
    when the diff against the current revision is already known."""
    article = (
        Article.objects.select_for_update(of=("self",)).select_related("current_revision").get(pk=article.pk)
    )
    current = article.current_revision
    if current is not None and current.sha256 == body_sha:
        return IngestResult(name=name, article=article, revision=current, created=False)
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    reason = f"revision {number} ingested from {name}"[:500]
    # Read without locks: the diff can take a while, and revision_add locks the claims and
    # rewrites them as they are by then.
    old = list(Claim.objects.filter(revision=current).order_by("index"))
    if planned is not None and current is not None and planned[0] == current.pk:
        fates = planned[1]
    else:
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
    # Matching runs as a job once this ingest commits (inline when no broker is configured).
    claims_match_later(article=article, claims=touched, actor=actor)
    return IngestResult(
        name=name,
        article=article,
        revision=revision,
        created=True,
        claims=len(analysis.claims),
        flags=revision.flags.count(),
        fates=dict(counts),
        kept=kept_share(fates),
    )
