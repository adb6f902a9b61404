"""Value types shared by the text pipeline (plain frozen dataclasses, no Django)."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a body text."""

    start: int
    end: int

    def text(self, body: str) -> str:
        return body[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input that is not article text, and why it was dropped."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    byline: str = ""
    published: str = ""
    outlet: str = ""
    dateline: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The article body after cleaning, with what was removed and what was learnt."""

    body: str
    removed: tuple[Removed, ...]
    metadata: Metadata


@dataclass(frozen=True, slots=True)
class Checkables:
    """What in a sentence a fact-checker can check."""

    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    attribution_verbs: tuple[str, ...] = ()
    quote: bool = False
    quotes: tuple[str, ...] = ()
    speaker: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "Checkables":
        """The inverse of ``as_dict`` (a stored claim's JSON)."""
        return cls(
            numbers=tuple(data.get("numbers", ())),
            dates=tuple(data.get("dates", ())),
            sources=tuple(data.get("sources", ())),
            attribution_verbs=tuple(data.get("attribution_verbs", ())),
            quote=bool(data.get("quote")),
            quotes=tuple(data.get("quotes", ())),
            speaker=data.get("speaker", ""),
        )

    def as_dict(self) -> dict:
        return {
            "numbers": list(self.numbers),
            "dates": list(self.dates),
            "sources": list(self.sources),
            "attribution_verbs": list(self.attribution_verbs),
            "quote": self.quote,
            "quotes": list(self.quotes),
            "speaker": self.speaker,
        }


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    index: int
    start: int
    end: int
    text: str
    kind: str
    checkworthy: bool
    score: float
    checkables: Checkables = field(default_factory=Checkables)


@dataclass(frozen=True, slots=True)
class Analysis:
    metadata: Metadata
    body: str
    removed: tuple[Removed, ...]
    claims: tuple[ClaimCandidate, ...]
    pipeline_version: str

    def to_dict(self) -> dict:
        """Return the ``analyze`` JSON contract (see docs/architecture.md)."""
        return {
            "title": self.metadata.title,
            "byline": self.metadata.byline,
            "published": self.metadata.published,
            "outlet": self.metadata.outlet,
            "dateline": self.metadata.dateline,
            "url": self.metadata.url,
            "pipeline_version": self.pipeline_version,
            "body": self.body,
            "removed": [asdict(r) for r in self.removed],
            "claims": [
                {
                    "index": c.index,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "kind": c.kind,
                    "checkworthy": c.checkworthy,
                    "score": round(c.score, 4),
                    "checkables": c.checkables.as_dict(),
                }
                for c in self.claims
            ],
            "flags": [],
        }
