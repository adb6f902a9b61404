"""The export snapshot: everything an exporter needs, as plain frozen dataclasses."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    url: str  # "" for a source with no link (an interview, a document seen): see description
    title: str
    excerpt: str
    stance: str
    accessed: str
    archive_url: str
    note: str
    description: str = ""  # what the source is, when it has no link

    @property
    def label(self) -> str:
        """What to call the source: its title, else its URL, else its description."""
        return self.title or self.url or self.description

    @property
    def detail(self) -> str:
        """The description, when the label is not already it ("" otherwise)."""
        return self.description if self.description != self.label else ""

    @property
    def key(self) -> str:
        """One key per source: its URL, or its description when it has no link."""
        return f"url:{self.url}" if self.url else f"described:{self.title}|{self.description}"


@dataclass(frozen=True)
class TimelineEntry:
    when: str
    who: str
    status: str
    rating: str
    note: str


@dataclass(frozen=True)
class Note:
    """A note of a claim's discussion (a reply names the note it answers)."""

    id: int
    author: str
    when: str
    text: str
    parent_id: int | None = None


@dataclass(frozen=True)
class Media:
    """The video or image a claim is about."""

    kind: str  # "video" or "image"
    url: str
    archive_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class Verdict:
    rating: str
    rating_value: int | None
    colour: str
    worst: int
    best: int
    summary: str
    explanation: str
    status: str
    author: str  # username
    approved_by: str  # username
    submitted_at: str
    approved_at: str
    evidence: tuple[Evidence, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    claim_reviewed: str = ""  # the claim as checked, in one statement written by the checker
    media_rating: str = ""  # schema.org MediaManipulationRatingEnumeration member, for media claims
    media_rating_label: str = ""
    author_name: str = ""  # the person's full name when they gave one
    approver_name: str = ""

    @property
    def author_display(self) -> str:
        return self.author_name or self.author

    @property
    def approver_display(self) -> str:
        return self.approver_name or self.approved_by


@dataclass(frozen=True)
class Claim:
    id: int
    number: int
    start: int
    end: int
    text: str
    kind: str
    status: str
    checkworthy: bool
    score: float
    verdict: Verdict | None = None
    claimant: str = ""
    claimant_kind: str = ""  # "Person" or "Organization"
    claimant_url: str = ""
    appearances: tuple[str, ...] = ()
    first_appeared: str = ""
    media: Media | None = None
    notes: tuple[Note, ...] = ()

    @property
    def stale(self) -> bool:
        return self.status == "stale" or (self.verdict is not None and self.verdict.status == "superseded")

    @property
    def state(self) -> str:
        """How final the claim's verdict is: final, submitted, stale or unchecked."""
        if self.verdict is None:
            return "unchecked"
        if self.stale:
            return "stale"
        return "final" if self.verdict.status == "approved" else "submitted"

    @property
    def published(self) -> bool:
        """An approved verdict on the text as it stands: the only kind a reader may see."""
        return self.state == "final"


@dataclass(frozen=True)
class Flag:
    id: int
    rule: str
    title: str
    category: str
    severity: str
    resolver_role: str
    reference: str
    guidance: str
    why: str
    status: str
    note: str
    resolved_by: str
    field: str
    start: int
    end: int
    text: str
    claim_number: int | None
    resolved_at: str = ""
    resolver_name: str = ""
    number: int = 0  # its place in the article's list of flags, 1, 2 …
    confidence: str = ""  # the scorer's band and probability, e.g. "high (82 %)"; "" if not scored

    @property
    def where(self) -> str:
        if self.field == "title":
            return "headline"
        return f"claim {self.claim_number}" if self.claim_number else "passage"

    @property
    def resolution(self) -> str:
        who = self.resolver_name or self.resolved_by
        return f"{self.status} by {who}: {self.note}" if self.status != "open" else "open"

    @property
    def open_legal(self) -> bool:
        return self.resolver_role == "legal" and self.status == "open"

    @property
    def done(self) -> bool:
        return self.status != "open"

    @property
    def explained(self) -> str:
        """Why the flag was raised, with the scorer's confidence while it is open (once a
        person has decided, the decision is what counts)."""
        if self.confidence and not self.done:
            return f"{self.why} — confidence {self.confidence}"
        return self.why


@dataclass(frozen=True)
class RatingEntry:
    """One entry of the rating scale, for legends."""

    label: str
    value: int | None
    colour: str


@dataclass(frozen=True)
class Publisher:
    """The organisation publishing the fact-checks (settings)."""

    name: str
    url: str
    logo: str = ""
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportDoc:
    article_id: int
    slug: str
    title: str
    url: str
    outlet: str
    byline: str
    published: str
    revision_id: int
    revision_number: int
    body: str
    exported_at: str
    site_url: str
    claims: tuple[Claim, ...] = ()
    flags: tuple[Flag, ...] = field(default=())
    scale: tuple[RatingEntry, ...] = ()
    publisher: Publisher | None = None
    exported_by: str = ""

    @property
    def article_uri(self) -> str:
        return f"{self.site_url}/articles/{self.article_id}"

    @property
    def source_uri(self) -> str:
        """What annotations target: the article's own URL, else its revision here."""
        return safe_url(self.url) or f"{self.article_uri}/revisions/{self.revision_number}"

    def claim_uri(self, claim: Claim) -> str:
        """The claim's page: public once its review is published, else the newsroom's claim page."""
        return f"{self.article_uri}/claims/{claim.id}"

    def flag_uri(self, flag: Flag) -> str:
        return f"{self.article_uri}/flags/{flag.id}"

    @property
    def org(self) -> Publisher:
        return self.publisher or Publisher(name=self.outlet or "Fact-check desk", url=self.site_url)

    @property
    def unresolved_legal(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.open_legal)

    def filename(self, suffix: str) -> str:
        return f"{self.article_id}-{self.slug or 'article'}{suffix}"


def cut(body: str, items) -> list[tuple[str, object | None]]:
    """Cut ``body`` into plain text and the items (anything with start/end) it contains.

    The pieces cover the body exactly, in order; an item overlapping the previous one is skipped.
    """
    out: list[tuple[str, object | None]] = []
    cursor = 0
    for item in sorted(items, key=lambda i: i.start):
        if item.start < cursor:
            continue
        if item.start > cursor:
            out.append((body[cursor : item.start], None))
        out.append((body[item.start : item.end], item))
        cursor = item.end
    if cursor < len(body):
        out.append((body[cursor:], None))
    return out


def segments(doc: ExportDoc) -> list[tuple[str, Claim | None]]:
    """The body cut into plain text and claims, in order, covering it exactly."""
    return cut(doc.body, doc.claims)


def safe_url(url: str) -> str:
    """The URL if it is http(s), else '' (no javascript:, data: or relative links in exports)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


STATE_NOTES = {
    "submitted": "submitted, awaiting approval: not final",
    "stale": "STALE: the sentence changed since this verdict; to be checked again",
}


def verdict_label(claim: Claim) -> str:
    """The rating as a reader must take it: final, awaiting approval, or stale."""
    if claim.verdict is None:
        return "Not yet checked" if claim.status != "not_checkworthy" else "Not check-worthy"
    note = STATE_NOTES.get(claim.state)
    return f"{claim.verdict.rating} ({note})" if note else claim.verdict.rating


def human_date(value: str, *, time: bool = False) -> str:
    """'2026-11-21T12:00:05.123+00:00' as '21 Nov 2026' (with ', 12:00 UTC' when ``time``)."""
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    text = f"{when.day} {when:%b %Y}"
    if time and "T" in value:
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        text += f", {when:%H:%M} UTC"
    return text


def timeline(verdict: Verdict) -> list[TimelineEntry]:
    """The verdict's steps, each once: consecutive history rows of one step (a save and its
    evidence being attached) are one event."""
    out: list[TimelineEntry] = []
    for entry in verdict.timeline:
        last = out[-1] if out else None
        if last and (last.who, last.status, last.rating) == (entry.who, entry.status, entry.rating):
            continue
        out.append(entry)
    return out


@dataclass(frozen=True)
class Reference:
    number: int
    rule: str
    title: str
    reference: str
    guidance: str


def references(doc: ExportDoc) -> dict[str, Reference]:
    """Each flag rule's reference and guidance once, numbered R1, R2 … in order of first use."""
    out: dict[str, Reference] = {}
    for flag in doc.flags:
        if flag.rule not in out:
            out[flag.rule] = Reference(len(out) + 1, flag.rule, flag.title, flag.reference, flag.guidance)
    return out


def summary(doc: ExportDoc) -> list[tuple[RatingEntry, int, int]]:
    """(rating, final verdicts, verdicts not final) for every rating of the scale, in order."""
    counts: dict[str, list[int]] = {}
    for claim in doc.claims:
        if claim.verdict is not None:
            pair = counts.setdefault(claim.verdict.rating, [0, 0])
            pair[0 if claim.state == "final" else 1] += 1
    return [(r, *counts.get(r.label, (0, 0))) for r in doc.scale]


def unchecked(doc: ExportDoc) -> int:
    return sum(1 for c in doc.claims if c.verdict is None and c.checkworthy)


UNCHECKED_COLOUR = "#fff3bf"
