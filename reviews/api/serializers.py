"""What the API reads and writes: output shapes of the editorial model, and the input of each
step (validated here, then handed to the step's service)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..exporters import FORMATS
from ..models import (
    NO_SOURCE,
    Article,
    ArticleRevision,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Evidence,
    Flag,
    FlagStatus,
    MediaKind,
    MediaRating,
    Priority,
    Rating,
    Stance,
    Verdict,
)
from ..services.publishing import DETAIL_FIELDS, MAX_APPEARANCES


def _username(user) -> str | None:
    return user.get_username() if user else None


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "scale", "label", "value", "colour", "description"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "url", "description", "title", "excerpt", "stance", "accessed", "archive_url", "note"]
        extra_kwargs = {
            "url": {"help_text": "The source's address; empty for a source with no link (see description)."}
        }


class VerdictSerializer(serializers.ModelSerializer):
    rating = serializers.CharField(source="rating.label")
    rating_value = serializers.IntegerField(source="rating.value", allow_null=True)
    author = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = Verdict
        fields = [
            "id",
            "claim",
            "status",
            "rating",
            "rating_value",
            "summary",
            "claim_reviewed",
            "media_rating",
            "explanation",
            "author",
            "approved_by",
            "submitted_at",
            "approved_at",
            "return_comment",
            "returned_at",
            "reused_from",
            "evidence",
        ]

    def get_author(self, obj) -> str:
        return _username(obj.author)

    def get_approved_by(self, obj) -> str | None:
        return _username(obj.approved_by)


class ClaimSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    revision = serializers.IntegerField(source="revision.number")

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "revision",
            "number",
            "start",
            "end",
            "text",
            "kind",
            "score",
            "checkworthy",
            "status",
            "assignee",
            "due",
            "priority",
            "version",
            "updated_at",
        ]

    def get_number(self, obj) -> int:
        return obj.index + 1

    def get_assignee(self, obj) -> str | None:
        return _username(obj.assignee)


class FlagSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    title = serializers.CharField(source="rule.title")
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = [
            "id",
            "claim",
            "rule",
            "title",
            "severity",
            "resolver_role",
            "status",
            "field",
            "start",
            "end",
            "text",
            "why",
            "confidence",
            "note",
            "resolved_by",
            "resolved_at",
        ]

    def get_resolved_by(self, obj) -> str | None:
        return _username(obj.resolved_by)


class ClaimDetailsSerializer(serializers.ModelSerializer):
    """Who made the claim, where it appeared and the media item it is about (ClaimReview's
    itemReviewed, MediaReview): the claim page's "describe" step."""

    appearances = serializers.ListField(child=serializers.URLField())

    class Meta:
        model = Claim
        fields = list(DETAIL_FIELDS)


class ClaimDetailSerializer(ClaimSerializer):
    details = ClaimDetailsSerializer(source="*", read_only=True)
    verdicts = VerdictSerializer(many=True, source="verdicts_all")
    flags = FlagSerializer(many=True, source="flags_all")
    allowed_actions = serializers.ListField(
        child=serializers.CharField(), source="allowed", help_text="The workflow steps you may take now."
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "details", "verdicts", "flags", "allowed_actions"]


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleRevision
        fields = ["id", "number", "created_at", "source_name", "source_format", "sha256", "pipeline_version"]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name", allow_null=True, default=None)
    revision = serializers.IntegerField(source="current_revision.number")
    body = serializers.CharField(source="current_revision.body")
    revisions = RevisionSerializer(many=True, source="api_revisions")
    claims = ClaimSerializer(many=True, source="api_claims", help_text="The claims of the current revision.")
    flags = FlagSerializer(many=True, source="api_flags", help_text="The flags of the current revision.")
    verdicts = VerdictSerializer(
        many=True, source="api_verdicts", help_text="Every verdict on the current revision's claims."
    )
    exports = serializers.DictField(child=serializers.URLField(), source="api_exports")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "byline",
            "published",
            "topics",
            "created_at",
            "revision",
            "body",
            "revisions",
            "claims",
            "flags",
            "verdicts",
            "exports",
        ]


class IngestResultSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.IntegerField(allow_null=True, help_text="The revision's number.")
    created = serializers.BooleanField(help_text="False when this text was stored already.")
    new_version = serializers.BooleanField()
    claims = serializers.IntegerField()
    flags = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    api_url = serializers.URLField()


class ArticleInput(serializers.Serializer):
    """One article: its plain text or its HTML page, with the page's URL if it has one."""

    text = serializers.CharField(required=False, trim_whitespace=False, max_length=settings.ARTICLE_MAX_BYTES)
    html = serializers.CharField(required=False, trim_whitespace=False, max_length=settings.ARTICLE_MAX_BYTES)
    url = serializers.URLField(
        required=False, max_length=2000, help_text="The article's address (http or https)."
    )
    name = serializers.RegexField(
        r"^[\w .-]{1,100}$",
        required=False,
        help_text="A name for the source (letters, digits, space, dot, dash, underscore).",
    )

    def validate(self, data):
        if "text" in data and "html" in data:
            raise serializers.ValidationError("send the article as text or as html, not both")
        return data


class AssignInput(serializers.Serializer):
    assignee = serializers.CharField(max_length=150, help_text="The fact-checker's username.")
    due = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate_assignee(self, value):
        user = get_user_model().objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(f"there is no active user {value!r}")
        return user


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The claim's version you saw: refused (409) if it changed since.",
    )


class EvidenceInput(serializers.Serializer):
    """A source: its URL, or a description of it when it has no link (one of the two at least)."""

    url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the source is when it has no link, e.g. "
        "'Phone interview with the mayor's press office, 4 Dec 2026, 10:15'.",
    )
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    excerpt = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)
    accessed = serializers.DateField(required=False)
    archive_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True)

    def validate(self, data):
        if not (data.get("url", "").strip() or data.get("description", "").strip()):
            raise serializers.ValidationError(NO_SOURCE)
        return data


class VerdictInput(VersionInput):
    rating = serializers.CharField(max_length=60, help_text="A rating's label (see /api/ratings/) or id.")
    summary = serializers.CharField(max_length=300)
    claim_reviewed = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The claim as checked, in one short statement (ClaimReview's claimReviewed); "
        "without it the sentence is published.",
    )
    media_rating = serializers.ChoiceField(
        choices=MediaRating.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a claim about a media item (record it first: describe).",
    )
    explanation = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of sources already recorded.",
    )
    new_evidence = EvidenceInput(
        many=True, required=False, default=list, help_text="Sources to record with it."
    )

    def validate_rating(self, value):
        ratings = Rating.objects.all()
        found = ratings.filter(pk=int(value)).first() if value.isdigit() and len(value) < 10 else None
        found = found or ratings.filter(label__iexact=value.strip()).order_by("pk").first()
        if found is None:
            labels = ", ".join(ratings.order_by("order", "pk").values_list("label", flat=True))
            raise serializers.ValidationError(f"unknown rating {value!r}; one of: {labels}")
        return found

    def validate_evidence(self, value):
        found = {e.pk: e for e in Evidence.objects.filter(pk__in=value)}
        missing = [pk for pk in value if pk not in found]
        if missing:
            raise serializers.ValidationError(f"no evidence with id {', '.join(map(str, missing))}")
        return [found[pk] for pk in dict.fromkeys(value)]


class DescribeInput(VersionInput):
    """The details to record; those not sent stay as they are, an empty one is cleared."""

    claimant = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Who made the claim (e.g. the defence ministry), not the outlet that reported it.",
    )
    claimant_kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False, allow_blank=True)
    claimant_url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, help_text="A page that identifies them."
    )
    appearances = serializers.ListField(
        child=serializers.URLField(max_length=2000),
        required=False,
        max_length=MAX_APPEARANCES,
        help_text="Where the claim was made, the first appearance first.",
    )
    first_appeared = serializers.DateField(required=False, allow_null=True)
    media_kind = serializers.ChoiceField(choices=MediaKind.choices, required=False, allow_blank=True)
    media_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    media_archive_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    media_description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReturnInput(VersionInput):
    comment = serializers.CharField(max_length=5000, help_text="What needs to change.")


class FlagResolveInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[FlagStatus.CONFIRMED, FlagStatus.DISMISSED])
    note = serializers.CharField(max_length=5000, help_text="Why: required.")


class ClaimFilter(serializers.Serializer):
    """The claim list's filters (query parameters)."""

    status = serializers.ChoiceField(choices=ClaimStatus.choices, required=False)
    assignee = serializers.CharField(
        max_length=150, required=False, help_text="A username, or 'none' for claims nobody has."
    )
    flag = serializers.SlugField(
        max_length=60, required=False, help_text="Claims with a flag of this rule (its code)."
    )
    rating = serializers.CharField(
        max_length=60, required=False, help_text="Claims whose current verdict has this rating (its label)."
    )
    article = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    checkworthy = serializers.BooleanField(required=False, allow_null=True, default=None)
    updated_after = serializers.DateTimeField(required=False, help_text="Changed at or after (ISO 8601).")
    updated_before = serializers.DateTimeField(required=False, help_text="Changed before (ISO 8601).")


EXPORT_FORMATS = sorted(FORMATS)


class JobSerializer(serializers.Serializer):
    """Work queued for a URL: follow the job (the article appears when it is done)."""

    job = serializers.IntegerField()
    state = serializers.CharField()
    error = serializers.CharField(allow_blank=True)
    article = serializers.IntegerField(allow_null=True)
    job_url = serializers.URLField()
