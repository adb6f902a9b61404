"""Feeds served locally: new entries become articles once, whatever the feed repeats."""

import io

import pytest
from django.core.management import CommandError, call_command

from reviews.feeds import feed_register
from reviews.management.commands.bench_jobs import synthetic_story
from reviews.models import Article, EntryState, Feed, FeedEntry, FeedState, Job, JobState
from reviews.tasks import feeds_poll
from reviews.textproc import InputError
from tests.webserver import Answer, Site, article_html, atom, rss


@pytest.fixture
def site(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with Site() as s:
        yield s


def publish(site, numbers, path="/wire.xml", kind=rss):
    """Serve the stories numbered ``numbers`` and a feed listing them, newest first."""
    items = []
    for n in numbers:
        title, paragraphs = synthetic_story(n)
        site.routes[f"/story/{n}"] = Answer(
            article_html(title, paragraphs, canonical=f"https://x.example/{n}")
        )
        day = 1 + n % 28
        date = f"Mon, {day:02d} Sep 2025 08:00:00 GMT" if kind is rss else f"2025-09-{day:02d}T08:00:00Z"
        items.append((site.url(f"/story/{n}"), title, date))
    site.routes[path] = Answer(kind("Wire", list(reversed(items))), content_type="application/rss+xml")


def poll():
    out, err = io.StringIO(), io.StringIO()
    call_command("feeds", "poll", stdout=out, stderr=err)
    return out.getvalue()


def test_thirty_entries_then_five_new_make_thirty_five_articles(site, editor):
    publish(site, range(30))
    feed = feed_register(url=site.url("/wire.xml"), actor=editor)  # its first poll runs at once
    assert Article.objects.count() == 30
    assert poll().endswith("0 articles stored, 0 already stored, 0 failed\n")  # nothing new
    publish(site, range(35))
    out = poll()
    assert "35 entries, 5 new" in out and "5 articles stored" in out
    articles = Article.objects.all()
    assert articles.count() == 35
    assert len({a.url for a in articles}) == 35
    assert len({a.current_revision.sha256 for a in articles}) == 35
    assert FeedEntry.objects.filter(feed=feed, state=EntryState.STORED).count() == 35
    state = FeedState.objects.get(feed=feed)
    assert (state.entries_seen, state.error_count, state.last_error) == (35, 0, "")
    assert state.last_entry_at is not None and state.last_success_at is not None
    assert feed.history.count() >= 1 and Feed.objects.get().title == "Wire"
    # Each page was fetched once: the repeated entries were never fetched again.
    assert sorted(h for h in site.hits if h.startswith("/story/")) == sorted(f"/story/{n}" for n in range(35))
    # Every article was matched.
    assert Job.objects.filter(kind="match", state=JobState.DONE).count() == 35


def test_duplicates_by_url_and_by_body_are_not_stored_twice(site, editor):
    publish(site, range(3))
    feed_register(url=site.url("/wire.xml"), actor=editor)
    # A second feed (Atom) repeats one link, and links a copy of another story under a new URL.
    title, paragraphs = synthetic_story(1)
    site.routes["/mirror/1"] = Answer(article_html(title, paragraphs))
    site.routes["/other.xml"] = Answer(
        atom(
            "Other",
            [
                (site.url("/story/0"), "repeat", "2025-09-02T08:00:00Z"),
                (site.url("/mirror/1"), "copy", "2025-09-03T08:00:00Z"),
            ],
        ),
        content_type="application/atom+xml",
    )
    other = feed_register(url=site.url("/other.xml"), actor=editor)
    assert Article.objects.count() == 3
    entries = {e.url.rsplit("/", 2)[-2]: e for e in FeedEntry.objects.filter(feed=other)}
    assert entries["story"].state == EntryState.DUPLICATE and "URL" in entries["story"].note
    assert (
        entries["mirror"].state == EntryState.DUPLICATE and "text is stored already" in entries["mirror"].note
    )
    assert "/story/0" not in site.hits[site.hits.index("/other.xml") :]  # not fetched again


def test_a_failing_feed_counts_its_errors_and_recovers(site, editor):
    site.routes["/wire.xml"] = Answer(b"down", status=503, content_type="text/plain")
    feed = feed_register(url=site.url("/wire.xml"), actor=editor)
    with pytest.raises(CommandError, match="1 feed"):
        poll()
    state = FeedState.objects.get(feed=feed)
    assert state.error_count == 2 and state.errors_total == 2 and "503" in state.last_error
    failed = Job.objects.filter(feed=feed, kind="feed", state=JobState.FAILED)
    assert failed.count() == 2 and "503" in failed.first().error
    site.routes["/wire.xml"] = Answer(b"<html><body>Not a feed</body></html>", content_type="text/html")
    with pytest.raises(CommandError):
        poll()
    assert "the answer is text/html" in FeedState.objects.get(feed=feed).last_error
    publish(site, range(2))
    poll()
    state.refresh_from_db()
    assert (state.error_count, state.errors_total, state.last_error) == (0, 3, "")
    assert Article.objects.count() == 2


def test_the_periodic_task_polls_every_enabled_feed(site, editor):
    publish(site, range(2))
    feed_register(url=site.url("/wire.xml"), actor=editor)
    publish(site, range(2), path="/off.xml")
    off = feed_register(url=site.url("/off.xml"), actor=editor)
    off.enabled = False
    off.save()
    publish(site, range(4))
    before = Job.objects.filter(kind="feed").count()
    feeds_poll.delay()  # what `make beat` sends every FEED_POLL_MINUTES
    assert Job.objects.filter(kind="feed").count() == before + 1
    assert Article.objects.count() == 4


def test_a_feed_is_registered_once_and_must_be_http(site, editor):
    publish(site, range(1))
    feed_register(url=site.url("/wire.xml"), actor=editor)
    with pytest.raises(InputError, match="registered already"):
        feed_register(url=site.url("/wire.xml"), actor=editor)
    with pytest.raises(InputError, match="not an http"):
        feed_register(url="file:///etc/passwd", actor=editor)
