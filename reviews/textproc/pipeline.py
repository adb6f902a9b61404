"""The text pipeline: clean -> segment -> classify."""

from .classify import analyse_sentence, kind_of, open_quote_after
from .clean import clean_text
from .markup import html_to_lines, markdown_to_lines
from .model import load_model
from .segment import split_sentences
from .sources import InputError
from .types import Analysis, ClaimCandidate, Cleaned

PIPELINE_VERSION = "1.1"


def clean(raw: str, *, fmt: str = "text") -> Cleaned:
    """Return the article body, the removed debris and the metadata of ``raw``."""
    if fmt == "html":
        text, removed, metadata = html_to_lines(raw)
    elif fmt == "markdown":
        text, removed, metadata = markdown_to_lines(raw)
    elif fmt == "text":
        text, removed, metadata = raw, (), None
    else:
        raise InputError(f"unknown format {fmt!r}")
    cleaned = clean_text(text, title_hint=metadata.title if metadata else "", metadata=metadata)
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
    for index, span in enumerate(spans):
        text = body[span.start : span.end]
        if "\n" in body[previous_end : span.start]:
            in_quote = False  # quotations do not run across paragraphs here
        f, checkables = analyse_sentence(text, in_open_quote=in_quote)
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
        in_quote = open_quote_after(text, in_quote)
        previous_end = span.end
    return tuple(claims)


def analyze(raw: str, *, fmt: str = "text", max_claims: int | None = None) -> Analysis:
    """Run the whole pipeline on one article; raise InputError if it has no text.

    ``max_claims`` refuses an article of more sentences before they are classified.
    """
    cleaned = clean(raw, fmt=fmt)
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
