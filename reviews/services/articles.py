"""Article services: take articles in, as new articles or new versions, one or many.

One orchestrator for every way in (a file, pasted text, a page, a folder, an archive):

1. ``article_prepare``: decode, analyse, and evaluate the newsroom's rules (read once into a
   ``RuleBook``), outside any transaction, so the slow part holds no lock;
2. store, in one transaction per article (``article_ingest``) or per batch
   (``articles_import``): skip a text already stored, else a new version (the article given,
   or the same URL with enough of its sentences found again), else a new article. New
   articles, one or a thousand, are written by ``_articles_create`` (bulk statements, history
   copied by the database); new versions by ``_version_create`` (claims re-anchored, see
   ``services.revisions``). Both raise the prepared hits through ``flags.flag_rows``;
3. match the new claims against the archive.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify

from .. import rules, textproc
from ..jobs import claims_match_later
from ..models import Article, ArticleRevision, Claim, Flag, IngestKey, Outlet, sha256_hex
from ..textproc import Analysis, InputError
from .flags import RuleBook, flag_rows, rulebook
from .history import history_copy, save_with_history
from .revisions import SAME_ARTICLE, align, kept_share, revision_add, revision_changes
from .rows import claim_rows, revision_row
from .webhooks import flags_raised_emitted


@dataclass(frozen=True)
class Prepared:
    """One input, analysed and checked against the newsroom's rules, ready to store."""

    name: str
    analysis: Analysis
    hits: tuple[rules.Hit, ...]
    url: str = ""
    fmt: str = "text"
    source_sha: str = ""

    @property
    def body_sha(self) -> str:
        return sha256_hex(self.analysis.body)


def article_prepare(*, data: bytes | str, name: str, book: RuleBook, url: str = "") -> Prepared:
    """Decode and analyse one input and evaluate ``book``'s rules on it; writes nothing.

    Raises InputError when the input is not a usable article.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if url and not textproc.is_http_url(url):
        raise InputError(f"source URL {url[:100]!r} is not an http(s) URL")
    text = textproc.decode(raw, max_bytes=settings.ARTICLE_MAX_BYTES)
    fmt = textproc.format_for(name)
    analysis = textproc.analyze(text, fmt=fmt, max_claims=settings.ARTICLE_MAX_CLAIMS)
    return Prepared(
        name=name,
        analysis=analysis,
        hits=tuple(book.hits(analysis)),
        url=(url or analysis.metadata.url)[:2000],
        fmt=fmt,
        source_sha=hashlib.sha256(raw).hexdigest(),
    )


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
    touched: tuple[Claim, ...] = ()  # for a new version: the claims new or changed in it

    @property
    def revised(self) -> bool:
        return self.fates is not None

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


def _same_article(url: str, analysis: Analysis, body_sha: str):
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


def article_ingest(
    *, data: bytes | str, name: str, actor, url: str = "", article: Article | None = None
) -> IngestResult:
    """Analyse one article and store it, its first revision, its claims and flags.

    A new version of a stored article (``article`` given, or the same URL with at least
    ``SAME_ARTICLE`` of its sentences found again) becomes its next revision and its claims
    are re-anchored (see ``services.revisions``); a page sharing only the URL is a new
    article and the result's ``note`` says so. Raises InputError (and writes nothing) when
    the input is not a usable article. A text already stored is skipped, not duplicated,
    even when ingests of it run in parallel.
    """
    book = rulebook(actor=actor)
    prepared = article_prepare(data=data, name=name, book=book, url=url)
    result = _ingest(prepared, book, actor, article)
    return result


def _ingest(prepared: Prepared, book: RuleBook, actor, article: Article | None) -> IngestResult:
    # Ingests of one text, or of one URL, run one at a time: each locks its keys first (see
    # IngestKey), then decides (skip, new version, new article) on what is stored by then.
    body_sha = prepared.body_sha
    with transaction.atomic():
        if article is not None:
            (text_key,) = _locked_keys(IngestKey.for_text(body_sha))
            result = _version_create(article, prepared, book, actor)
        else:
            url_keys = [IngestKey.for_url(prepared.url)] if prepared.url else []
            text_key = _locked_keys(*url_keys, IngestKey.for_text(body_sha))[-1]
            result = _ingest_new(prepared, book, actor, text_key)
        if text_key.article_id is None and result.revision is not None and result.revision.sha256 == body_sha:
            text_key.article = result.article
            text_key.save(update_fields=["article"])
        if result.created:
            # Matching runs as a job once this ingest commits (inline when no broker is set).
            claims_match_later(article=result.article, claims=_matchable(result), actor=actor)
    return result


def _matchable(result: IngestResult):
    if result.revised:
        return result.touched
    return Claim.objects.filter(revision=result.revision)


def _ingest_new(prepared: Prepared, book: RuleBook, actor, text_key: IngestKey) -> IngestResult:
    """Store a page given without an article: a new version of the article with its URL when
    the text is plausibly that article's, else a new article (or nothing, when stored already)."""
    same = _same_article(prepared.url, prepared.analysis, prepared.body_sha) if prepared.url else None
    unrelated = None
    if same is not None:
        article, kept, planned = same
        if kept >= SAME_ARTICLE:
            return _version_create(article, prepared, book, actor, planned)
        unrelated = same
    if text_key.article_id is not None:
        existing = text_key.article
        revision = existing.revisions.filter(sha256=prepared.body_sha).order_by("number").first()
        return IngestResult(name=prepared.name, article=existing, revision=revision, created=False)
    ((article, claims, flags),) = _articles_create(
        [prepared], book, actor, f"ingested from {prepared.name}"[:500]
    )
    return IngestResult(
        name=prepared.name,
        article=article,
        revision=article.current_revision,
        created=True,
        claims=claims,
        flags=flags,
        kept=unrelated[1] if unrelated else None,
        unrelated=unrelated[0] if unrelated else None,
    )


def article_rows(items: Sequence[Prepared], book: RuleBook, *, actor, outlets: dict[str, Outlet]):
    """The unsaved rows of each new article: (article, revision, claims, [(claim index, flag)])."""
    for item in items:
        analysis, meta = item.analysis, item.analysis.metadata
        # With no headline in the text, its first sentence, shortened (see title_was_derived).
        title = (meta.title or textproc.title_from(analysis.claims[0].text))[:500]
        article = Article(
            title=title,
            slug=slugify(title)[:100] or "article",
            url=item.url,
            outlet=outlets.get(meta.outlet.strip()[:200]),
            byline=meta.byline[:300],
            published=_published(meta.published),
            created_by=actor,
        )
        revision = revision_row(
            analysis, number=1, source_sha=item.source_sha, name=item.name, fmt=item.fmt, actor=actor
        )
        yield article, revision, claim_rows(analysis), flag_rows(item.hits, book)


def articles_insert(built: list) -> tuple[list[Article], list[int], list[int]]:
    """Insert built rows (``article_rows``) in a few statements; the articles, and the claims
    and flags stored for each. Writes no history: its callers copy it (``_articles_create``)."""
    articles = Article.objects.bulk_create([a for a, _, _, _ in built])
    revisions = []
    for article, (_, revision, _, _) in zip(articles, built, strict=True):
        revision.article = article
        revisions.append(revision)
    revisions = ArticleRevision.objects.bulk_create(revisions)
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
    flags_raised_emitted(flags)
    return articles, [len(rows) for _, _, rows, _ in built], [len(rows) for _, _, _, rows in built]


def _articles_create(items: Sequence[Prepared], book: RuleBook, actor, reason: str) -> list[tuple]:
    """Store new articles (article, first revision, claims, flags) with their history rows
    attributed to ``actor`` with ``reason``; (article, claims, flags) for each."""
    outlets = {}
    for item in items:
        meta = item.analysis.metadata
        name = meta.outlet.strip()[:200]
        if name and name not in outlets:
            outlets[name] = _outlet_for(name, meta.url, actor=actor)
    articles, claims, flags = articles_insert(list(article_rows(items, book, actor=actor, outlets=outlets)))
    # One "created" row per stored row, copied by the database (see history_copy).
    ids = [a.pk for a in articles]
    marks = ", ".join(["%s"] * len(ids))
    history_copy(Article, where=f"id IN ({marks})", params=ids, actor=actor, reason=reason)
    for model in (ArticleRevision, Claim, Flag):
        history_copy(model, where=f"article_id IN ({marks})", params=ids, actor=actor, reason=reason)
    return list(zip(articles, claims, flags, strict=True))


@dataclass(frozen=True)
class ImportResult:
    articles: int
    claims: int
    flags: int
    skipped: tuple[str, ...]  # names of inputs whose text was stored already


def articles_import(
    *, items: Sequence[Prepared], book: RuleBook, actor, reason: str = "bulk import"
) -> ImportResult:
    """Store many prepared articles as new articles in one transaction (an archive import).

    The same rows and history as ``article_ingest`` writes; a text stored already (before or
    earlier in the batch) is skipped and named in the result. Imported claims are not matched.
    """
    with transaction.atomic():
        keys = sorted({IngestKey.for_text(item.body_sha) for item in items})
        IngestKey.objects.bulk_create([IngestKey(key=k) for k in keys], ignore_conflicts=True)
        locked = {
            k.key: k for k in IngestKey.objects.select_for_update().filter(key__in=keys).order_by("key")
        }
        fresh, skipped, seen = [], [], set()
        for item in items:
            key = IngestKey.for_text(item.body_sha)
            if locked[key].article_id is not None or key in seen:
                skipped.append(item.name)
                continue
            seen.add(key)
            fresh.append(item)
        stored = _articles_create(fresh, book, actor, reason) if fresh else []
        for item, (article, _, _) in zip(fresh, stored, strict=True):
            key = locked[IngestKey.for_text(item.body_sha)]
            key.article = article
        IngestKey.objects.bulk_update([locked[IngestKey.for_text(i.body_sha)] for i in fresh], ["article"])
    return ImportResult(
        articles=len(stored),
        claims=sum(c for _, c, _ in stored),
        flags=sum(f for _, _, f in stored),
        skipped=tuple(skipped),
    )


def _version_create(
    article: Article, prepared: Prepared, book: RuleBook, actor, planned=None
) -> IngestResult:
    """Store ``prepared`` as the article's next revision; ``planned`` is (revision id, fates)
    when the diff against the current revision is already known."""
    analysis, name, body_sha = prepared.analysis, prepared.name, prepared.body_sha
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
    revision = revision_row(
        analysis,
        article=article,
        number=number,
        source_sha=prepared.source_sha,
        name=name,
        fmt=prepared.fmt,
        actor=actor,
        changes=revision_changes(old, analysis, fates),
    )
    save_with_history(revision, actor=actor, reason=reason)
    counts, touched = revision_add(
        article=article,
        revision=revision,
        analysis=analysis,
        hits=list(prepared.hits),
        book=book,
        old=old,
        fates=fates,
        actor=actor,
    )
    return IngestResult(
        name=name,
        article=article,
        revision=revision,
        created=True,
        claims=len(analysis.claims),
        flags=revision.flags.count(),
        fates=dict(counts),
        kept=kept_share(fates),
        touched=tuple(touched),
    )
