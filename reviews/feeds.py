"""RSS and Atom feeds: editors register them; a periodic job takes in their new entries.

An entry is known by its link: each feed remembers every link it has seen (FeedEntry), so a
feed that repeats its last 30 entries at every poll yields only the new ones. A link already
stored as an article (from another feed, or added by hand) is not fetched again, and a page
whose text is already stored is skipped by ingest itself: duplicates are caught by URL and by
body. Each new entry's page is fetched and ingested by its own job, so many workers share a
busy feed.
"""

from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

import feedparser
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import jobs
from .fetch import FEED_TYPES, FetchError, FetchPolicy, fetch
from .models import UNFINISHED, Article, EntryState, Feed, FeedEntry, FeedState, Job, JobKind
from .services.history import save_with_history
from .textproc import InputError, is_http_url


@transaction.atomic
def feed_register(*, url: str, actor, title: str = "") -> Feed:
    """Add a feed to poll; its first poll is queued at once."""
    url = url.strip()
    if not is_http_url(url):
        raise InputError(f"{url[:200]!r} is not an http(s) URL")
    if Feed.objects.filter(url=url).exists():
        raise InputError(f"the feed {url} is registered already")
    feed = Feed(url=url, title=title.strip()[:300], added_by=actor)
    save_with_history(feed, actor=actor, reason="feed registered")
    FeedState.objects.create(feed=feed)
    feed_poll_later(feed=feed, actor=actor)
    return feed


def feed_poll_later(*, feed: Feed, actor=None) -> Job | None:
    """Queue a poll of this feed, unless one is queued or running already."""
    if Job.objects.filter(feed=feed, kind=JobKind.FEED, state__in=UNFINISHED).exists():
        return None
    job = jobs.job_create(
        kind=JobKind.FEED, actor=actor or feed.added_by, feed=feed, params={"url": feed.url}
    )
    return jobs.job_enqueue(job)


def feeds_poll_due() -> list[Job]:
    """Queue a poll of every enabled feed (what the periodic task does)."""
    queued = []
    for feed in Feed.objects.filter(enabled=True).select_related("added_by").order_by("pk"):
        job = feed_poll_later(feed=feed)
        if job is not None:
            queued.append(job)
    return queued


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _entries(parsed, base: str) -> list[tuple[str, str, datetime | None]]:
    """(link, title, published) of each entry with an http(s) link, oldest first, once each."""
    out, seen = [], set()
    for entry in reversed(parsed.entries):  # feeds list the newest first
        link = urldefrag(urljoin(base, (entry.get("link") or "").strip()))[0]
        if not is_http_url(link) or link in seen:
            continue
        seen.add(link)
        out.append((link[:2000], (entry.get("title") or "")[:500], _when(entry)))
    return out


def feed_fetch(job: Job) -> dict:
    """Fetch the job's feed and queue a job for each entry not seen before (a ``feed`` job)."""
    feed = job.feed
    if feed is None:
        raise InputError("the feed was deleted")
    state, _ = FeedState.objects.get_or_create(feed=feed)
    state.last_polled_at = timezone.now()
    try:
        page = fetch(feed.url, policy=FetchPolicy.from_settings(), accept=FEED_TYPES)
        parsed = feedparser.parse(page.data, sanitize_html=False, resolve_relative_uris=False)
        if parsed.get("bozo") and not parsed.entries:
            reason = parsed.get("bozo_exception")
            raise FetchError(f"{feed.url}: not an RSS or Atom feed ({reason})")
    except FetchError as exc:
        state.error_count += 1
        state.errors_total += 1
        state.last_error = str(exc)[:2000]
        state.save()
        raise
    entries = _entries(parsed, page.url)
    actor = job.created_by or feed.added_by
    new = duplicates = 0
    for link, title, published in entries:
        try:
            with transaction.atomic():
                entry, created = FeedEntry.objects.get_or_create(
                    feed=feed, url=link, defaults={"title": title, "published": published}
                )
                if not created:
                    continue
                stored = Article.objects.filter(url=link).order_by("pk").first()
                if stored is not None:
                    entry.state, entry.article = EntryState.DUPLICATE, stored
                    entry.note = f"an article with this URL is stored already (article {stored.pk})"
                    duplicates += 1
                else:
                    entry.job = jobs.url_ingest_later(url=link, actor=actor, parent=job, feed=feed)
                    new += 1
                entry.save()
        except IntegrityError:  # a poll of the same feed running in parallel took this entry
            continue
    newest = max((p for _, _, p in entries if p), default=None)
    if newest and (state.last_entry_at is None or newest > state.last_entry_at):
        state.last_entry_at = newest
    if parsed.feed.get("title") and not feed.title:
        feed.title = parsed.feed.get("title")[:300]
        save_with_history(feed, actor=actor, reason="title read from the feed", update_fields=["title"])
    state.entries_seen += new + duplicates
    state.last_success_at, state.error_count, state.last_error = timezone.now(), 0, ""
    state.save()
    # Only the total: the entries' jobs count themselves into ``progress_done`` as they finish.
    Job.objects.filter(pk=job.pk).update(progress_total=new)
    job.progress_total = new
    return {"entries": len(entries), "new": new, "url_duplicates": duplicates}


def entry_settle(job: Job, *, article: Article | None = None, created: bool = False, error: str = "") -> None:
    """Record on its feed entry how an entry's ingest ended."""
    entry = FeedEntry.objects.filter(job=job).first()
    if entry is None:
        return
    if error:
        entry.state, entry.note = EntryState.FAILED, error[:2000]
    elif created:
        entry.state, entry.article, entry.note = EntryState.STORED, article, ""
    else:
        entry.state, entry.article = EntryState.DUPLICATE, article
        entry.note = f"the page's text is stored already (article {article.pk})" if article else ""
    entry.save(update_fields=["state", "article", "note"])
