"""The editorial data model.

Every editorial model keeps its full history (django-simple-history). Writes go
through ``reviews.services``, which set the acting user and a change reason;
``QuerySet.update()`` and ``F()`` are never used on these models because they
bypass history.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from .textproc.shorten import shorten


class User(AbstractUser):
    """A newsroom member; roles come from groups (Editors, Fact-checkers, Legal reviewers)."""

    expertise = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated topics this person checks best, e.g. 'defence, economy'.",
    )

    class Meta:
        db_table = "reviews_user"

    def expertise_tags(self) -> set[str]:
        return {t.strip().lower() for t in self.expertise.split(",") if t.strip()}


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="outlet_name_unique"),
        ]

    def __str__(self):
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, allow_unicode=False)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    byline = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    topics = models.CharField(max_length=300, blank=True, help_text="Comma-separated topics.")
    current_revision = models.OneToOneField(
        "ArticleRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    reviews_published_at = models.DateTimeField(
        null=True, blank=True, help_text="Since when its approved fact-checks are on the public pages."
    )
    reviews_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("publish_reviews", "Can publish an article's fact-checks on the public pages")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_published_at__isnull=True) | Q(reviews_published_by__isnull=False),
                name="article_published_by_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["url"], name="article_url_idx"),
            models.Index(fields=["-created_at"], name="article_created_idx"),
        ]

    def __str__(self):
        return self.title


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class IngestKey(models.Model):
    """A key ingest finds and locks articles by: ``text:<sha256 of a body>`` or ``url:<sha256 of
    a source URL>``.

    The primary key makes one text one article however many ingests race: a text key names
    the article that text is stored in. A URL key names no article (one URL can serve
    unrelated pages, each its own article); it is the row every ingest of that URL locks, so
    they decide one at a time whether a page is a new version or a new article. Derived from
    the revisions, so it keeps no history.
    """

    key = models.CharField(max_length=70, primary_key=True)
    article = models.ForeignKey(Article, null=True, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.key

    @staticmethod
    def for_text(body_sha: str) -> str:
        return f"text:{body_sha}"

    @staticmethod
    def for_url(url: str) -> str:
        return f"url:{sha256_hex(url)}"


class ArticleRevision(models.Model):
    """One immutable version of an article's body; claim spans index into ``body``."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the body text.")
    source_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the input as received.")
    source_name = models.CharField(max_length=500, blank=True)
    source_format = models.CharField(max_length=10, default="text")
    removed = models.JSONField(default=list, blank=True, help_text="Debris removed by cleaning.")
    metadata = models.JSONField(default=dict, blank=True)
    pipeline_version = models.CharField(max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]
        indexes = [
            models.Index(fields=["sha256"], name="revision_sha256_idx"),
            models.Index(fields=["source_sha256"], name="revision_source_sha256_idx"),
        ]

    def __str__(self):
        return f"{self.article} (revision {self.number})"

    def save(self, *args, **kwargs):
        # Claim offsets point into this text: once stored it must never change.
        if not self._state.adding:
            raise ValidationError("An article revision is immutable; ingest a new revision instead.")
        if self.sha256 != sha256_hex(self.body):
            raise ValidationError("sha256 does not match the body text.")
        super().save(*args, **kwargs)


class ClaimKind(models.TextChoices):
    STATISTIC = "statistic", "Statistic"
    QUOTE = "quote", "Quote"
    ATTRIBUTION = "attribution", "Attribution"
    EVENT = "event", "Event"
    OPINION = "opinion", "Opinion"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    IN_REVIEW = "in_review", "In review"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    NOT_CHECKWORTHY = "not_checkworthy", "Not check-worthy"
    STALE = "stale", "Stale"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


OPEN_STATUSES = (ClaimStatus.ASSIGNED, ClaimStatus.IN_REVIEW, ClaimStatus.RETURNED)
# What a fact-checker has to do: open claims, and stale ones (their sentence was edited in a new
# version of the article) back in the queue of whoever checked them.
TODO_STATUSES = (*OPEN_STATUSES, ClaimStatus.STALE)


class ClaimQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_checker(self, user):
        return self.filter(assignee=user, status__in=TODO_STATUSES)

    def overdue(self, today=None):
        return self.filter(status__in=TODO_STATUSES, due__lt=today or timezone.localdate())


class CheckworthyDecision(models.TextChoices):
    CHECK = "check", "Check this"
    NOT_A_CLAIM = "not_a_claim", "Not a claim"


class ClaimantKind(models.TextChoices):
    """schema.org types of who made a claim."""

    PERSON = "Person", "Person"
    ORGANIZATION = "Organization", "Organisation"


class MediaKind(models.TextChoices):
    VIDEO = "video", "Video"
    IMAGE = "image", "Image"


class MediaRating(models.TextChoices):
    """schema.org's MediaManipulationRatingEnumeration, with the labels fact-checkers use."""

    ORIGINAL = "OriginalMediaContent", "Original"
    MISSING_CONTEXT = "DecontextualizedContent", "Missing context"
    EDITED = "EditedOrCroppedContent", "Edited or cropped"
    TRANSFORMED = "TransformedContent", "Transformed"
    STAGED = "StagedContent", "Staged"
    SATIRE = "SatireOrParodyContent", "Satire or parody"


class Claim(models.Model):
    """A check-worthy (or dismissed) sentence of an article, anchored in one revision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="claims")
    index = models.PositiveIntegerField(help_text="Position of the sentence in its revision.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="The sentence, a copy of revision.body[start:end].")
    kind = models.CharField(max_length=20, choices=ClaimKind.choices, default=ClaimKind.OTHER)
    score = models.FloatField(help_text="Check-worthiness in [0, 1].")
    checkworthy = models.BooleanField()
    checkworthy_decision = models.CharField(
        max_length=12,
        choices=CheckworthyDecision.choices,
        blank=True,
        default="",
        help_text="A fact-checker's correction of the model's check-worthiness (training data).",
    )
    checkables = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True, help_text="When the current assignee got it.")
    due = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every save; guards against lost updates."
    )
    # Who made the claim and where it appeared (ClaimReview's itemReviewed): the claimant is
    # the person or body that said it, not the outlet whose article reports it.
    claimant = models.CharField(max_length=200, blank=True)
    claimant_kind = models.CharField(max_length=12, choices=ClaimantKind.choices, blank=True)
    claimant_url = models.URLField(
        max_length=2000, blank=True, help_text="A page that identifies the claimant (sameAs)."
    )
    appearances = models.JSONField(
        default=list, blank=True, help_text="URLs where the claim was made, the first appearance first."
    )
    first_appeared = models.DateField(null=True, blank=True, help_text="When the claim first appeared.")
    # The media item a claim is about (a video or an image), for a MediaReview.
    media_kind = models.CharField(max_length=5, choices=MediaKind.choices, blank=True)
    media_url = models.URLField(max_length=2000, blank=True)
    media_archive_url = models.URLField(max_length=2000, blank=True)
    media_description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "index"]
        permissions = [("assign_claim", "Can assign claims and set due dates")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_span_nonempty"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="claim_score_unit_range"
            ),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(checkworthy_decision__in=["", *CheckworthyDecision.values]),
                name="claim_checkworthy_decision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in OPEN_STATUSES]) | Q(assignee__isnull=False),
                name="claim_open_has_assignee",
            ),
            models.UniqueConstraint(fields=["revision", "index"], name="claim_revision_index_unique"),
            models.CheckConstraint(
                condition=Q(claimant_kind__in=["", *ClaimantKind.values]), name="claim_claimant_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(media_kind__in=["", *MediaKind.values]), name="claim_media_kind_valid"
            ),
            models.CheckConstraint(condition=Q(media_kind="") | ~Q(media_url=""), name="claim_media_has_url"),
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="claim_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status_idx"),
        ]

    def __str__(self):
        return f"#{self.index + 1} {shorten(self.text, 80)}"


class Rating(models.Model):
    """One entry of a verdict rating scale (value 1 = False … 5 = True; none for labels)."""

    scale = models.SlugField(max_length=50, default="default")
    label = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for non-numeric labels.")
    colour = models.CharField(max_length=7, help_text="Hex colour, e.g. #c0392b.")
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_scale_label_unique"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"),
        ]

    def __str__(self):
        return self.label


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


NO_SOURCE = (
    "Give the source's URL or, when it has no link, say what it is "
    "(e.g. “Phone interview with the mayor's press office, 4 Dec 2026, 10:15”)."
)


class Evidence(models.Model):
    """A source a verdict rests on; reusable across claims and verdicts.

    A source is a link or, when there is none (a phone interview, a document seen in person,
    an e-mail), a description of what it is: one of the two at least.
    """

    url = models.URLField(max_length=2000, blank=True)
    description = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the source is when it has no link: a phone interview, a document seen, an e-mail.",
    )
    title = models.CharField(max_length=500, blank=True)
    excerpt = models.TextField(blank=True, help_text="The quoted passage that matters.")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
    accessed = models.DateField(default=timezone.localdate)
    archive_url = models.URLField(max_length=2000, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="evidence_stance_valid"),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(description=""),
                name="evidence_url_or_description",
                violation_error_message=NO_SOURCE,
            ),
        ]

    def __str__(self):
        return self.title or self.url or Truncator(self.description).chars(80)


class VerdictStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    SUPERSEDED = "superseded", "Superseded (claim text changed)"


class Verdict(models.Model):
    """A fact-checker's finding on a claim; approved by a second person (four eyes)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    summary = models.CharField(max_length=300)
    claim_reviewed = models.CharField(
        max_length=200,
        blank=True,
        help_text="The claim as checked, in one short statement (ClaimReview's claimReviewed).",
    )
    media_rating = models.CharField(
        max_length=30, choices=MediaRating.choices, blank=True, help_text="For a claim about a media item."
    )
    explanation = models.TextField(blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="verdicts")
    status = models.CharField(max_length=12, choices=VerdictStatus.choices, default=VerdictStatus.SUBMITTED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    reused_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reused_by",
        help_text="The approved verdict on a matching claim this one reuses.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [("approve_verdict", "Can approve or return verdicts")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=VerdictStatus.values), name="verdict_status_valid"),
            models.CheckConstraint(
                condition=Q(media_rating__in=["", *MediaRating.values]), name="verdict_media_rating_valid"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("author")),
                name="verdict_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status__in=["submitted", "approved"]),
                name="verdict_one_current_per_claim",
            ),
        ]

    def __str__(self):
        return f"{self.rating}: {self.summary}"


class Category(models.TextChoices):
    LEGAL = "legal", "Legal"
    SOURCING = "sourcing", "Sourcing"
    ACCURACY = "accuracy", "Accuracy"
    ETHICS = "ethics", "Ethics"
    STYLE = "style", "Style"


class Severity(models.TextChoices):
    INFO = "info", "Info"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    LEGAL = "legal", "Legal sign-off"


class ResolverRole(models.TextChoices):
    EDITOR = "editor", "Editor"
    LEGAL = "legal", "Legal reviewer"


class FlagRule(models.Model):
    """A flag rule as the newsroom configures it: on or off, severity and guidance."""

    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=10, choices=Category.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    reference = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    resolver_role = models.CharField(max_length=10, choices=ResolverRole.choices, default=ResolverRole.EDITOR)
    enabled = models.BooleanField(default=True)
    builtin = models.BooleanField(default=False, help_text="Detection logic ships with the rule library.")
    terms = models.TextField(
        blank=True, help_text="Watch-term rules: one term or regular expression per line."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="flagrule_code_unique"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="flagrule_category_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="flagrule_severity_valid"),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def clean(self):
        from reviews.rules import RULES_BY_CODE, WatchTermError, compile_terms

        if self.builtin and self.code not in RULES_BY_CODE:
            raise ValidationError({"builtin": "Only rules of the library are built in."})
        if not self.builtin:
            if self.code in RULES_BY_CODE:
                raise ValidationError({"code": "This code belongs to a built-in rule."})
            try:
                compile_terms(self.terms)
            except WatchTermError as exc:
                raise ValidationError({"terms": str(exc)}) from None


class PartySource(models.Model):
    """A name that marks a source as a party to a conflict (extends the shipped list)."""

    class Kind(models.TextChoices):
        ALIAS = "alias", "Name, demonym or capital (e.g. Ukrainian, Kyiv)"
        BODY = "body", "Organisation speaking for the party (e.g. a ministry or project)"

    conflict = models.CharField(max_length=200, help_text="e.g. Russia–Ukraine war")
    party = models.CharField(max_length=200, help_text="e.g. Ukraine")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.BODY)
    term = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["conflict", "party", "term"]
        constraints = [
            models.UniqueConstraint(fields=["conflict", "party", "kind", "term"], name="partysource_unique"),
            models.CheckConstraint(condition=Q(kind__in=["alias", "body"]), name="partysource_kind_valid"),
        ]

    def __str__(self):
        return f"{self.term} ({self.party}, {self.conflict})"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    SUPERSEDED = "superseded", "Closed with its revision"


class Flag(models.Model):
    """A risk found on a passage, for a person to confirm or dismiss."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="flags")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="flags")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags")
    related_claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For conflicting figures: the claim elsewhere that states another figure.",
    )
    rule = models.ForeignKey(FlagRule, on_delete=models.PROTECT, related_name="flags")
    field = models.CharField(
        max_length=5,
        choices=[("body", "Body"), ("title", "Headline")],
        default="body",
        help_text="Where the span points: the revision's body, or the article's headline.",
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    why = models.TextField(blank=True)
    confidence = models.FloatField(
        null=True,
        blank=True,
        help_text=(
            "How likely the flag is right, by the learned flag scorer (calibrated on held-out "
            "articles); empty for rules it does not score."
        ),
    )
    severity = models.CharField(max_length=10, choices=Severity.choices)
    resolver_role = models.CharField(
        max_length=10,
        choices=ResolverRole.choices,
        default=ResolverRole.EDITOR,
        help_text="Who may confirm or dismiss it: the rule's resolver when the flag was raised.",
    )
    rules_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "start"]
        permissions = [("resolve_legal_flag", "Can clear or uphold legal flags")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="flag_span_nonempty"),
            models.CheckConstraint(condition=Q(status__in=FlagStatus.values), name="flag_status_valid"),
            models.CheckConstraint(
                condition=Q(resolver_role__in=ResolverRole.values), name="flag_resolver_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(resolved_by__isnull=False) & ~Q(note="")),
                name="flag_resolution_has_person_and_note",
            ),
            models.UniqueConstraint(
                fields=["revision", "rule", "field", "start", "end"], name="flag_unique_per_passage"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="flag_status_severity_idx"),
            models.Index(fields=["status", "resolver_role"], name="flag_status_resolver_idx"),
        ]

    def __str__(self):
        return f"{self.rule.code} on {shorten(self.text, 60)}"

    # Bands of the scorer's calibrated probability, as an editor reads them: on held-out
    # articles, about three flags in four of the "high" band were right, one in five of "low".
    CONFIDENCE_BANDS = ((0.6, "high"), (0.35, "medium"), (0.0, "low"))

    @property
    def confidence_band(self) -> str:
        """ "high", "medium" or "low"; "" when the rule is not scored (every proposal kept)."""
        if self.confidence is None:
            return ""
        return next(label for floor, label in self.CONFIDENCE_BANDS if self.confidence >= floor)

    @property
    def confidence_label(self) -> str:
        """The band with the probability, e.g. "high (82 %)"; "" when the rule is not scored."""
        if self.confidence is None:
            return ""
        return f"{self.confidence_band} ({round(self.confidence * 100)} %)"


class ClaimTerm(models.Model):
    """One content term of a claim: the inverted index that finds similar claims.

    Derived from the claim's text (``reviews.textproc.similarity.terms``) and rebuilt when
    the text changes; not editorial data, so it keeps no history of its own.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="terms")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "term"], name="claimterm_unique")]
        indexes = [models.Index(fields=["term", "article"], name="claimterm_term_idx")]

    def __str__(self):
        return self.term


class TermCountQuerySet(models.QuerySet):
    def totals(self, terms=None) -> dict[str, int]:
        """Term -> claims containing it, summed over the stripes (all terms when ``terms`` is None)."""
        rows = self if terms is None else self.filter(term__in=terms)
        return dict(rows.values("term").annotate(total=models.Sum("claims")).values_list("term", "total"))


class TermCount(models.Model):
    """How many claims contain a term (the rarity that weighs it in claim matching), in stripes.

    A term's count is the sum of its rows, one per stripe written to. Each matching
    transaction adds to one stripe that no other open transaction holds (an advisory lock,
    ``services.match_index``), so parallel matching jobs never wait for each other's commit
    on a popular term. The term "" counts the indexed claims themselves.
    """

    term = models.CharField(max_length=40)
    stripe = models.PositiveSmallIntegerField(default=0)
    claims = models.IntegerField(default=0)

    objects = TermCountQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "stripe"], name="termcount_term_stripe")]

    def __str__(self):
        return f"{self.term} [{self.stripe}]: {self.claims}"


class IndexedClaim(models.Model):
    """A claim whose terms are in the match index, and which version of the index terms they are.

    Index rows written by an older version of ``textproc.similarity`` (or before versions were
    recorded) are re-written by ``manage.py reindex_claims``; derived data, so no history.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, primary_key=True, related_name="indexed")
    terms_version = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["terms_version"], name="indexedclaim_version_idx")]

    def __str__(self):
        return f"claim {self.claim_id}: index terms {self.terms_version}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class MatchTier(models.TextChoices):
    # Stored values sort "likely" before "suggested": ordering by tier shows the likely first.
    LIKELY = "likely", "Likely the same"
    SUGGESTED = "suggested", "Suggested"


class ClaimMatch(models.Model):
    """A claim found similar to a claim of another article, for a person to confirm or reject."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matched_by")
    score = models.FloatField(help_text="How likely the two state the same fact, in [0, 1].")
    tier = models.CharField(
        max_length=10,
        choices=MatchTier.choices,
        default=MatchTier.SUGGESTED,
        help_text="Likely the same (shown first) or suggested, by the match model's thresholds.",
    )
    explanation = models.TextField(blank=True, help_text="What the two claims share, in words.")
    shared_terms = models.JSONField(default=list, blank=True)
    figures_differ = models.BooleanField(
        default=False, help_text="Both state a figure for what looks like one quantity, and they differ."
    )
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tier", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claimmatch_pair_unique"),
            models.CheckConstraint(condition=~Q(claim=models.F("other")), name="claimmatch_not_self"),
            models.CheckConstraint(
                condition=Q(status__in=MatchStatus.values), name="claimmatch_status_valid"
            ),
            models.CheckConstraint(condition=Q(tier__in=MatchTier.values), name="claimmatch_tier_valid"),
        ]

    def __str__(self):
        return f"{self.claim_id} ~ {self.other_id} ({self.score:.2f})"


class ClaimNote(models.Model):
    """A note in a claim's discussion, by one of the team; a reply names the note it answers.
    ``@username`` in the text mentions a colleague, who is told by e-mail."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The note answered.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=[mentions])

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claimnote_text_nonempty"),
        ]

    def __str__(self):
        return f"{self.author} on claim {self.claim_id}: {shorten(self.text, 60)}"


# API tokens and webhooks (reviews/api/models.py), registered with this app.
from .api.models import ApiToken, Webhook, WebhookAttempt, WebhookDelivery  # noqa: E402, F401

# Background jobs and feeds: their own module, registered with this app from here.
from .jobmodels import (  # noqa: E402, F401
    UNFINISHED,
    EntryState,
    Feed,
    FeedEntry,
    FeedState,
    Job,
    JobKind,
    JobState,
)
