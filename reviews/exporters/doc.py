"""The export snapshot: everything an exporter needs, as plain frozen dataclasses."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str
    excerpt: str
    stance: str
    accessed: str
    archive_url: str
    note: str


@dataclass(frozen=True)
class TimelineEntry:
    when: str
    who: str
    status: str
    rating: str
    note: str


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
    author: str
    approved_by: str
    submitted_at: str
    approved_at: str
    evidence: tuple[Evidence, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


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

    @property
    def stale(self) -> bool:
        return self.status == "stale"


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

    @property
    def where(self) -> str:
        if self.field == "title":
            return "headline"
        return f"claim {self.claim_number}" if self.claim_number else "passage"

    @property
    def resolution(self) -> str:
        return f"{self.status} by {self.resolved_by}: {self.note}" if self.status != "open" else "open"

    @property
    def open_legal(self) -> bool:
        return self.resolver_role == "legal" and self.status == "open"


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

    @property
    def article_uri(self) -> str:
        return f"{self.site_url}/articles/{self.article_id}"

    @property
    def source_uri(self) -> str:
        """What annotations target: the article's own URL, else its revision here."""
        return safe_url(self.url) or f"{self.article_uri}/revisions/{self.revision_number}"

    def claim_uri(self, claim: Claim) -> str:
        return f"{self.article_uri}/claims/{claim.id}"

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


def verdict_label(claim: Claim) -> str:
    if claim.verdict is None:
        return "Not yet checked" if claim.status != "not_checkworthy" else "Not check-worthy"
    label = claim.verdict.rating
    if claim.verdict.status != "approved":
        label += f" ({claim.verdict.status}, awaiting approval)"
    return label + (" — STALE: the text changed since the verdict" if claim.stale else "")
