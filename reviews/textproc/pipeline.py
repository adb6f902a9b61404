"""The text pipeline: clean -> segment -> classify."""

import re

from .classify import analyse, kind_of
from .clean import clean_text
from .debris import DebrisModel
from .markup import html_to_lines, markdown_to_lines
from .model import load_model
from .segment import split_sentences
from .sources import InputError
from .types import Analysis, ClaimCandidate, Cleaned, Metadata, Removed, Span

PIPELINE_VERSION = "1.2"


def prepare(raw: str, *, fmt: str = "text") -> tuple[str, tuple[Removed, ...], Metadata | None]:
    """Reduce HTML or Markdown to lines of text: the lines, what was left out, the metadata."""
    if fmt == "html":
        return html_to_lines(raw)
    if fmt == "markdown":
        return markdown_to_lines(raw)
    if fmt == "text":
        return raw, (), None
    raise InputError(f"unknown format {fmt!r}")


def clean(raw: str, *, fmt: str = "text", debris: DebrisModel | None = None) -> Cleaned:
    """Return the article body, the removed debris and the metadata of ``raw``.

    ``debris`` replaces the shipped debris model (cross-validation trains one per fold).
    """
    text, removed, metadata = prepare(raw, fmt=fmt)
    cleaned = clean_text(text, title_hint=metadata.title if metadata else "", metadata=metadata, model=debris)
    if removed:
        cleaned = Cleaned(cleaned.body, removed + cleaned.removed, cleaned.metadata)
    return cleaned


def classify(body: str, *, max_claims: int | None = None) -> tuple[ClaimCandidate, ...]:
    """Segment ``body`` and classify each sentence; InputError past ``max_claims`` sentences."""
    spans = split_sentences(body)
    if max_claims is not None and len(spans) > max_claims:
        raise InputError(
            f"article has {len(spans):,} sentences, over the limit of {max_claims:,} per article"
        )
    model = load_model()
    claims = []
    in_quote = False
    previous_end = 0
    for index, span in enumerate(_without_list_markers(body, spans)):
        text = body[span.start : span.end]
        if "\n" in body[previous_end : span.start]:
            in_quote = False  # quotations do not run across paragraphs here
        f, checkables, still_open = analyse(text, in_quote)
        score = model.score(text, f)
        claims.append(
            ClaimCandidate(
                index=index,
                start=span.start,
                end=span.end,
                text=text,
                kind=kind_of(text, f, checkables),
                checkworthy=score >= model.threshold,
                score=score,
                checkables=checkables,
            )
        )
        in_quote = still_open
        previous_end = span.end
    return tuple(claims)


# A bullet (any symbol) or an enumerator ("1.", "2)", "(a)", "iv)") opening a line.
_LIST_MARKER = re.compile(r"(?:[^\w\s\"'“‘(\[$£€]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])[ \t]+(?=\S)")


def _without_list_markers(body: str, spans: list[Span]) -> list[Span]:
    """Start a list item's sentence after its bullet or number, which is layout, not text."""
    out = []
    for span in spans:
        if span.start == 0 or body[span.start - 1] == "\n":
            m = _LIST_MARKER.match(body, span.start, span.end)
            if m and m.end() < span.end:
                span = Span(m.end(), span.end)
        out.append(span)
    return out


TITLE_LIMIT = 90


def title_from(sentence: str, *, limit: int = TITLE_LIMIT) -> str:
    """A title for a text with no headline, from its first sentence.

    A sentence of more than ``limit`` characters is cut after the last whole word that fits
    and ends with an ellipsis (counted in the limit), so the title reads as taken from the text.
    """
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # the word that does not fit goes whole
    return cut.rstrip(" ,;:—–-([{\"'“‘") + "…"


def analyze(
    raw: str, *, fmt: str = "text", max_claims: int | None = None, debris: DebrisModel | None = None
) -> Analysis:
    """Run the whole pipeline on one article; raise InputError if it has no text.

    ``max_claims`` refuses an article of more sentences before they are classified;
    ``debris`` replaces the shipped debris model (cross-validation trains one per fold).
    """
    cleaned = clean(raw, fmt=fmt, debris=debris)
    if not cleaned.body.strip():
        raise InputError("no article text found after removing page furniture")
    claims = classify(cleaned.body, max_claims=max_claims)
    return Analysis(
        metadata=cleaned.metadata,
        body=cleaned.body,
        removed=cleaned.removed,
        claims=claims,
        pipeline_version=PIPELINE_VERSION,
    )
