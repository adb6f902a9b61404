from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from . import textproc
from .models import ClaimantKind, Evidence, MediaKind, MediaRating, Priority, Rating
from .roles import FACT_CHECKERS


def _human_size(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def about(name: str, message: str) -> str:
    """``message`` about an input: "name: message" for a file, a sentence of its own for a paste."""
    if name:
        return f"{name}: {message}"
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class ArticleAddForm(forms.Form):
    """Paste an article's text or upload its file (.txt, .md, .html)."""

    text = forms.CharField(
        label="Paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "placeholder": "Headline\n\nFirst paragraph…"}),
    )
    file = forms.FileField(
        label="…or upload a file",
        required=False,
        help_text="A .txt, .md or .html file of at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )
    url = forms.URLField(label="Source URL", required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        text, upload = data.get("text", "").strip(), data.get("file")
        if bool(text) == bool(upload):
            raise forms.ValidationError("Paste the text or upload a file (one of the two).")
        if upload and upload.size > settings.ARTICLE_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name}: file is {upload.size:,} bytes, over the "
                f"{settings.ARTICLE_MAX_BYTES:,}-byte limit"
            )
        if text:
            self._check_pasted(data["text"])
        return data

    @staticmethod
    def _check_pasted(text: str) -> None:
        """Refuse pasted text the pipeline cannot take, in words about the paste (not a file)."""
        size, limit = len(text.encode("utf-8")), settings.ARTICLE_MAX_BYTES
        if size > limit:
            raise forms.ValidationError(
                f"The pasted text is {size:,} bytes ({len(text):,} characters); the limit is "
                f"{limit:,} bytes ({_human_size(limit)}). Paste a shorter text."
            )
        try:
            textproc.decode(text.encode("utf-8"), max_bytes=limit, subject="the pasted text")
        except textproc.InputError as exc:
            raise forms.ValidationError(about("", str(exc))) from None

    @property
    def source_label(self) -> str:
        """The uploaded file's name, or "" for pasted text."""
        upload = self.cleaned_data.get("file")
        return upload.name if upload else ""

    def source(self) -> tuple[bytes, str]:
        """Return the raw bytes and a name that tells the pipeline how to read them."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        text = self.cleaned_data["text"]
        looks_html = text.lstrip().startswith("<") and "</" in text
        return text.encode("utf-8"), "pasted.html" if looks_html else "pasted.txt"


class ArticleUrlForm(forms.Form):
    """The address of an article's page on the web (fetched by a job, then ingested)."""

    url = forms.URLField(
        label="Page URL",
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 100, "placeholder": "https://"}),
        help_text="The page is fetched (public addresses only), its main text and metadata taken.",
    )


def _due_from_today(field: forms.DateField, kept: date | None = None) -> None:
    """Let the date picker offer today (the newsroom's day) or later, or the date kept."""
    today = timezone.localdate()
    field.widget.attrs["min"] = min(today, kept or today).isoformat()


def _refuse_past(due: date | None, kept: date | None = None) -> date | None:
    if due is not None and due != kept and due < timezone.localdate():
        raise forms.ValidationError(f"{due:%d %b %Y} is in the past: choose today or a later day.")
    return due


class ClaimAssignForm(forms.Form):
    """Assign a claim, or many from the claim list. ``current_due`` is the claim's own due date,
    which an overdue claim may keep (the service allows it); any other past date is refused here,
    once, before anything is written."""

    assignee = forms.ModelChoiceField(queryset=None, label="Fact-checker")
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    priority = forms.TypedChoiceField(
        choices=[("", "keep"), *Priority.choices], coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, current_due: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_due = current_due
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(groups__name=FACT_CHECKERS, is_active=True).order_by("username")
        )
        _due_from_today(self.fields["due"], current_due)

    def clean_due(self):
        return _refuse_past(self.cleaned_data["due"], self.current_due)


class ClaimDueForm(forms.Form):
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _due_from_today(self.fields["due"])

    def clean_due(self):
        return _refuse_past(self.cleaned_data["due"])


class ClaimDismissForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), help_text="Why it is not check-worthy."
    )


class VerdictForm(forms.Form):
    """The fact-checker's finding; evidence comes in the formset beside it."""

    rating = forms.ModelChoiceField(
        queryset=Rating.objects.order_by("scale", "order"), empty_label="— choose a rating —"
    )
    claim_reviewed = forms.CharField(
        label="Claim as checked",
        max_length=200,
        widget=forms.TextInput(attrs={"size": 90}),
        help_text="The claim in one short statement, as readers will see it on the public page and in "
        "search results (aim for under 75 characters; keep the checked figure). Written or confirmed by you.",
    )
    summary = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"size": 90}),
        help_text="One line readers will see, e.g. 'The figure is from 2019.'",
    )
    explanation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80}))
    reuse = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="Reuse evidence",
        help_text="Sources already recorded on this article or by you.",
        widget=forms.CheckboxSelectMultiple,
    )

    media_rating = forms.ChoiceField(
        choices=[("", "—"), *MediaRating.choices],
        required=False,
        label="Media rating",
        help_text="How the claim's video or image was presented (schema.org's MediaReview ratings).",
    )

    def __init__(self, *args, reusable=None, media=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reuse"].queryset = reusable if reusable is not None else Evidence.objects.none()
        # Two sources can share a title or a description: their stance and date tell them apart.
        self.fields["reuse"].label_from_instance = lambda e: (
            f"{e} ({e.get_stance_display().lower()}, {e.accessed.day} {e.accessed:%b %Y})"
        )
        if not media:
            del self.fields["media_rating"]


class ClaimDescribeForm(forms.Form):
    """Who made the claim, where it appeared, and the media item it is about."""

    claimant = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Who made the claim (e.g. the defence ministry), not the outlet that reported it.",
    )
    claimant_kind = forms.ChoiceField(
        choices=[("", "—"), *ClaimantKind.choices], required=False, label="Person or organisation"
    )
    claimant_url = forms.URLField(
        max_length=2000,
        required=False,
        assume_scheme="https",
        label="Claimant's page",
        help_text="A page that identifies them (official site, Wikipedia).",
    )
    appearances = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Where the claim was made: one URL per line, the first appearance first.",
    )
    first_appeared = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    media_kind = forms.ChoiceField(choices=[("", "—"), *MediaKind.choices], required=False, label="Media")
    media_url = forms.URLField(max_length=2000, required=False, assume_scheme="https", label="Media URL")
    media_archive_url = forms.URLField(
        max_length=2000, required=False, assume_scheme="https", label="Media archive URL"
    )
    media_description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        label="Media description",
        help_text="What the video or image shows, as shared.",
    )

    @classmethod
    def initial_for(cls, claim) -> dict:
        return {
            name: "\n".join(claim.appearances) if name == "appearances" else getattr(claim, name)
            for name in cls.base_fields
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["appearances"] = data["appearances"].split()
        return data


class EvidenceForm(forms.ModelForm):
    """One source: its link, or a description of it when it has none (an interview, a document)."""

    url = forms.URLField(max_length=2000, assume_scheme="https", required=False, label="URL")
    description = forms.CharField(
        max_length=500,
        required=False,
        label="No link: what it is",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 28, "placeholder": "Phone interview with …, date"}),
    )
    archive_url = forms.URLField(max_length=2000, assume_scheme="https", required=False, label="Archive URL")

    # A row is blank, and skipped, until one of these is filled: stance and date have defaults.
    content_fields = ("url", "description", "title", "excerpt", "archive_url", "note")

    def has_changed(self):
        return self.is_bound and any(
            self.data.get(self.add_prefix(f), "").strip() for f in self.content_fields
        )

    # A row with neither a URL nor a description breaks the model's evidence_url_or_description
    # constraint, which the form checks and reports in the constraint's own words.

    class Meta:
        model = Evidence
        fields = ["url", "description", "title", "excerpt", "stance", "accessed", "archive_url", "note"]
        widgets = {
            "excerpt": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 20}),
            "accessed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=3, max_num=20)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), help_text="What needs to change."
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Why the fact-checks come off the public pages (kept in the article's history).",
    )
