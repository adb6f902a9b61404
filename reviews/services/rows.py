"""Unsaved rows built from an analysis: one definition for every write path."""

from dataclasses import asdict

from ..models import ArticleRevision, Claim, sha256_hex
from ..textproc import Analysis, ClaimCandidate


def claim_fields(candidate: ClaimCandidate) -> dict:
    """A claim's fields as the pipeline found them (span, text, kind, score, checkables)."""
    return {
        "index": candidate.index,
        "start": candidate.start,
        "end": candidate.end,
        "text": candidate.text,
        "kind": candidate.kind,
        "score": candidate.score,
        "checkworthy": candidate.checkworthy,
        "checkables": candidate.checkables.as_dict(),
    }


def claim_rows(analysis: Analysis, *, article=None, revision=None) -> list[Claim]:
    return [Claim(article=article, revision=revision, **claim_fields(c)) for c in analysis.claims]


def revision_row(
    analysis: Analysis,
    *,
    article=None,
    number: int = 1,
    source_sha: str = "",
    name: str = "",
    fmt: str = "text",
    actor=None,
    changes=(),
) -> ArticleRevision:
    """An article revision holding ``analysis``'s body, with what cleaning removed and the metadata."""
    return ArticleRevision(
        article=article,
        number=number,
        body=analysis.body,
        sha256=sha256_hex(analysis.body),
        source_sha256=source_sha or sha256_hex(analysis.body),
        source_name=name[:500],
        source_format=fmt,
        removed=[{"text": r.text, "reason": r.reason} for r in analysis.removed],
        metadata={**asdict(analysis.metadata), **({"changes": list(changes)} if changes else {})},
        pipeline_version=analysis.pipeline_version,
        created_by=actor,
    )
