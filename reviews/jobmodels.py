"""Background jobs and the feeds articles are taken in from (imported by ``reviews.models``).

A Job is an operational record, not editorial content: it keeps its own who and when
(``created_by``, timestamps, attempts, error) and no history rows. A Feed is newsroom
configuration, kept with its history like the flag rules; what polling learns about it
(last seen, errors) lives in FeedState and FeedEntry, which change at every poll.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class JobKind(models.TextChoices):
    INGEST = "ingest", "Ingest an article"
    INGEST_URL = "ingest_url", "Ingest a URL"
    INGEST_BATCH = "ingest_batch", "Ingest a batch"
    MATCH = "match", "Claim matching"
    REFLAG = "reflag", "Re-run flag rules"
    REINDEX = "reindex", "Re-index claims for matching"
    FEED = "feed", "Fetch a feed"
    EXPORT = "export", "Export bundle"
    TRAIN = "train", "Retrain models"
    EMAIL = "email", "E-mail"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    RETRYING = "retrying", "Waiting to retry"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


UNFINISHED = (JobState.QUEUED, JobState.RUNNING, JobState.RETRYING)


class Job(models.Model):
    """One piece of background work: what, for whom, how far, and how it ended."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    article = models.ForeignKey(
        "reviews.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    feed = models.ForeignKey("Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(null=True, blank=True, help_text="The input, until the job is done.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, help_text="Where it last ran.")
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    output = models.BinaryField(null=True, blank=True, help_text="A file the job made (an export bundle).")
    output_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="job_state_idx"),
            models.Index(fields=["article", "kind", "state"], name="job_article_idx"),
            models.Index(fields=["parent", "state"], name="job_parent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=JobState.FAILED) | ~Q(error=""), name="job_failed_has_error"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class Feed(models.Model):
    """An RSS or Atom feed whose new entries are taken in as articles."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    enabled = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "url"]

    def __str__(self):
        return self.title or self.url


class FeedState(models.Model):
    """What polling has learnt about a feed: when, what it last saw, how often it failed."""

    feed = models.OneToOneField(Feed, on_delete=models.CASCADE, primary_key=True, related_name="state")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_entry_at = models.DateTimeField(null=True, blank=True, help_text="Newest entry seen.")
    entries_seen = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    errors_total = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"state of {self.feed}"


class EntryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    STORED = "stored", "Stored as an article"
    DUPLICATE = "duplicate", "Already stored"
    FAILED = "failed", "Failed"


class FeedEntry(models.Model):
    """One entry of a feed, by its link: taken in once, whatever the feed repeats."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=EntryState.choices, default=EntryState.QUEUED)
    article = models.ForeignKey(
        "reviews.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    seen_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "url"], name="feedentry_feed_url_unique"),
            models.CheckConstraint(condition=Q(state__in=EntryState.values), name="feedentry_state_valid"),
        ]
        indexes = [models.Index(fields=["url"], name="feedentry_url_idx")]

    def __str__(self):
        return self.url
