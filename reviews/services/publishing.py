"""Public fact-checks: editors publish an article's approved reviews; checkers and editors
record who made a claim, where it appeared and the media item it is about.

Only approved verdicts on the text as it stands reach the public pages (``Claim.published``
of the export snapshot); publishing is per article and stays until withdrawn, so a verdict
approved later appears there too.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from .. import exporters as ex
from ..models import (
    Article,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Flag,
    FlagStatus,
    MediaKind,
    Rating,
    ResolverRole,
    Verdict,
    VerdictStatus,
)
from ..selectors import article_export_doc
from .common import claim_guard, claim_save, locked_claim
from .history import save_with_history
from .workflow import WorkflowError

MAX_APPEARANCES = 20


class PublishError(Exception):
    """Publishing refused; the message says why."""


def _published_verdicts(article: Article):
    return Verdict.objects.filter(
        claim__revision_id=article.current_revision_id, status=VerdictStatus.APPROVED
    ).exclude(claim__status=ClaimStatus.STALE)


def publish_refusal(article: Article, user) -> str | None:
    """Why ``user`` may not publish ``article``'s fact-checks now, or None when they may."""
    if not user.has_perm("reviews.publish_reviews"):
        return f"{user.get_username()} may not publish fact-checks"
    if article.current_revision_id is None:
        return "the article has no text"
    if not _published_verdicts(article).exists():
        return "no approved verdict to publish yet"
    legal = Flag.objects.filter(
        revision_id=article.current_revision_id, status=FlagStatus.OPEN, resolver_role=ResolverRole.LEGAL
    ).count()
    if legal:
        return f"{legal} legal flag(s) are still open: a legal reviewer must confirm or dismiss them first"
    return None


@transaction.atomic
def article_reviews_publish(*, article: Article, actor) -> Article:
    """Put the article's approved fact-checks on the public pages (an editor's decision)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.reviews_published_at is not None:
        raise PublishError("its fact-checks are already published")
    refusal = publish_refusal(article, actor)
    if refusal:
        raise PublishError(refusal)
    article.reviews_published_at, article.reviews_published_by = timezone.now(), actor
    count = _published_verdicts(article).count()
    save_with_history(article, actor=actor, reason=f"fact-checks published ({count} approved)")
    return article


@transaction.atomic
def article_reviews_withdraw(*, article: Article, actor, reason: str) -> Article:
    """Take the article's fact-checks off the public pages, saying why."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not actor.has_perm("reviews.publish_reviews"):
        raise PublishError(f"{actor.get_username()} may not withdraw fact-checks")
    if article.reviews_published_at is None:
        raise PublishError("its fact-checks are not published")
    if not reason.strip():
        raise PublishError("say why the fact-checks are withdrawn")
    article.reviews_published_at, article.reviews_published_by = None, None
    save_with_history(article, actor=actor, reason=f"fact-checks withdrawn: {reason.strip()}"[:500])
    return article


class DetailsError(WorkflowError):
    """Claim details that cannot be recorded as given; the message says what is wrong."""


def _urls(values, what: str) -> list[str]:
    check = URLValidator(schemes=["http", "https"])
    out = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            check(value)
        except ValidationError:
            raise DetailsError(f"{what}: “{value[:80]}” is not an http(s) address") from None
        if value not in out:
            out.append(value)
    return out


def _url(value: str, what: str) -> str:
    return (_urls([value], what) or [""])[0]


# What the claim page's "describe" step records, in the groups a person thinks of them.
DETAILS = (
    ("claimant", ("claimant", "claimant_kind", "claimant_url")),
    ("appearances", ("appearances", "first_appeared")),
    ("media item", ("media_kind", "media_url", "media_archive_url", "media_description")),
)
DETAIL_FIELDS = tuple(field for _, fields in DETAILS for field in fields)


def details_clean(
    *,
    claimant: str = "",
    claimant_kind: str = "",
    claimant_url: str = "",
    appearances=(),
    first_appeared: date | None = None,
    media_kind: str = "",
    media_url: str = "",
    media_archive_url: str = "",
    media_description: str = "",
) -> dict:
    """The details as they are recorded, or DetailsError saying what is wrong with them."""
    claimant = " ".join(claimant.split())
    if claimant_kind not in ("", *ClaimantKind.values):
        raise DetailsError(f"unknown kind of claimant “{claimant_kind}”")
    if claimant and not claimant_kind:
        raise DetailsError("say whether the claimant is a person or an organisation")
    if media_kind not in ("", *MediaKind.values):
        raise DetailsError(f"unknown kind of media “{media_kind}”")
    claimant_url = _url(claimant_url, "claimant page")
    urls = _urls(appearances, "appearance")
    if len(urls) > MAX_APPEARANCES:
        raise DetailsError(f"at most {MAX_APPEARANCES} appearances; this has {len(urls)}")
    media_url = _url(media_url, "media URL")
    media_archive_url = _url(media_archive_url, "media archive URL")
    if bool(media_kind) != bool(media_url):
        raise DetailsError("a media item needs both its kind (video or image) and its URL")
    if (media_archive_url or media_description.strip()) and not media_url:
        raise DetailsError("give the media item's URL with its archive copy or description")
    if first_appeared is not None and first_appeared > timezone.localdate():
        raise DetailsError(f"the first appearance ({first_appeared:%d %b %Y}) is in the future")
    return {
        "claimant": claimant[:200],
        "claimant_kind": claimant_kind if claimant else "",
        "claimant_url": claimant_url if claimant else "",
        "appearances": urls,
        "first_appeared": first_appeared,
        "media_kind": media_kind,
        "media_url": media_url,
        "media_archive_url": media_archive_url,
        "media_description": media_description.strip()[:2000],
    }


@transaction.atomic
def claim_describe(
    *,
    claim: Claim,
    actor,
    claimant: str = "",
    claimant_kind: str = "",
    claimant_url: str = "",
    appearances=(),
    first_appeared: date | None = None,
    media_kind: str = "",
    media_url: str = "",
    media_archive_url: str = "",
    media_description: str = "",
    version: int | None = None,
) -> Claim:
    """Record who made the claim, where it appeared and the media item it is about (every
    detail as given: one left empty is cleared)."""
    details = {
        "claimant": claimant,
        "claimant_kind": claimant_kind,
        "claimant_url": claimant_url,
        "appearances": appearances,
        "first_appeared": first_appeared,
        "media_kind": media_kind,
        "media_url": media_url,
        "media_archive_url": media_archive_url,
        "media_description": media_description,
    }
    return _described(locked_claim(claim, version), actor, details)


@transaction.atomic
def claim_details_change(
    *, claim: Claim, actor, changes: dict, version: int | None = None, why: str = ""
) -> Claim:
    """Change only the details named in ``changes``; the others stay as recorded.

    ``why`` is added to the history's reason (where the details came from, say).
    """
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not a detail of a claim: {', '.join(sorted(unknown))}")
    claim = locked_claim(claim, version)
    return _described(claim, actor, {name: getattr(claim, name) for name in DETAIL_FIELDS} | changes, why)


def _described(claim: Claim, actor, details: dict, why: str = "") -> Claim:
    claim_guard("describe", actor, claim)
    details = details_clean(**details)
    changed = [name for name, value in details.items() if getattr(claim, name) != value]
    if not changed:
        return claim
    for name, value in details.items():
        setattr(claim, name, value)
    what = ", ".join(group for group, fields in DETAILS if set(fields) & set(changed))
    return claim_save(claim, actor=actor, reason=f"described: {what}{f' ({why})' if why else ''}"[:500])


@dataclass(frozen=True)
class PublicPage:
    doc: ex.ExportDoc
    reviews: tuple[ex.Claim, ...]  # the published ones, in text order
    published_at: object


def public_article(pk: int) -> PublicPage | None:
    """The article's public fact-checks, or None when it has none published."""
    article = (
        Article.objects.filter(pk=pk, reviews_published_at__isnull=False, current_revision__isnull=False)
        .only("pk", "reviews_published_at")
        .first()
    )
    if article is None:
        return None
    doc = article_export_doc(article)
    return PublicPage(doc, tuple(c for c in doc.claims if c.published), article.reviews_published_at)


# A fact-check once public keeps its address: readers, links and search engines may hold it
# after it comes off the public pages. What they see then is told by history (when it was
# public, with which verdict), never by a record kept beside it.


@dataclass(frozen=True)
class PublicWindow:
    """A stretch of time a claim's fact-check was on the public pages (``end`` None: still is)."""

    start: datetime
    end: datetime | None
    verdict: dict  # the verdict's history row as it was shown
    text: str  # the claim's sentence as it was shown
    revision_id: int


def public_windows(article_rows, claim_rows, verdict_rows) -> list[PublicWindow]:
    """When a claim's fact-check was public, from the history rows (dicts, oldest first) of its
    article, the claim and its verdicts.

    Public is what ``public_article`` shows: the article's fact-checks published, the claim in
    its current revision and not stale, and an approved verdict on it.
    """
    events = sorted(
        [(r["history_date"], 0, r) for r in article_rows]
        + [(r["history_date"], 1, r) for r in claim_rows]
        + [(r["history_date"], 2, r) for r in verdict_rows],
        key=lambda e: e[0],
    )
    article: dict = {}
    claim: dict | None = None
    verdicts: dict[int, dict] = {}
    windows: list[PublicWindow] = []
    open_at = None
    for i, (when, kind, row) in enumerate(events):
        gone = row.get("history_type") == "-"
        if kind == 0:
            article = {} if gone else row
        elif kind == 1:
            claim = None if gone else row
        else:
            verdicts[row["id"]] = {} if gone else row
        if i + 1 < len(events) and events[i + 1][0] == when:
            continue  # judge the state once every row written at this moment is in
        shown = next((v for v in verdicts.values() if v.get("status") == VerdictStatus.APPROVED), None)
        public = (
            shown is not None
            and claim is not None
            and article.get("reviews_published_at") is not None
            and claim["status"] != ClaimStatus.STALE
            and claim["revision_id"] == article.get("current_revision_id")
        )
        if open_at is not None and (not public or open_at.verdict["id"] != shown["id"]):
            windows.append(dataclasses.replace(open_at, end=when))
            open_at = None
        if public and open_at is None:
            open_at = PublicWindow(when, None, shown, claim["text"], claim["revision_id"])
    if open_at is not None:
        windows.append(open_at)
    return windows


def _rows(model, **where) -> list[dict]:
    return list(model.history.filter(**where).order_by("history_date", "history_id").values())


def article_withdrawn_at(pk: int) -> datetime | None:
    """When the article's fact-checks, once public, last came off the public pages; None when
    they are public now or never were."""
    withdrawn, was_public = None, False
    for row in _rows(Article, id=pk):
        if row["reviews_published_at"] is not None:
            was_public, withdrawn = True, None
        elif was_public and withdrawn is None:
            withdrawn = row["history_date"]
    return withdrawn


@dataclass(frozen=True)
class PastFactCheck:
    """A fact-check that was public and is not now: what its page tells readers."""

    statement: str  # the claim as it was checked
    rating: str  # the rating it had then (never shown as current)
    valid_until: datetime  # when it came off the public pages
    withdrawn_at: datetime | None  # when the article's fact-checks were withdrawn, if they were
    article_changed: bool  # the article has a new version since
    in_article: bool  # the claim is still a sentence of the article's current version


def public_claim_past(claim: Claim) -> PastFactCheck | None:
    """What a claim's public page says once its fact-check is off the public pages, or None
    when it never was on them (or still is)."""
    article = Article.objects.only("current_revision_id", "reviews_published_at").get(pk=claim.article_id)
    windows = public_windows(
        _rows(Article, id=article.pk), _rows(Claim, id=claim.pk), _rows(Verdict, claim_id=claim.pk)
    )
    if not windows or windows[-1].end is None:
        return None
    last = windows[-1]
    rating = Rating.objects.filter(pk=last.verdict["rating_id"]).values_list("label", flat=True).first()
    return PastFactCheck(
        statement=last.verdict.get("claim_reviewed") or last.text,
        rating=rating or "",
        valid_until=last.end,
        withdrawn_at=article_withdrawn_at(article.pk) if article.reviews_published_at is None else None,
        article_changed=last.revision_id != article.current_revision_id,
        in_article=claim.revision_id == article.current_revision_id and claim.status != ClaimStatus.WITHDRAWN,
    )
