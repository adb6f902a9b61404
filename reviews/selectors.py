"""Composite reads for the admin, exports and dashboards."""

from dataclasses import dataclass

from .models import Article, Claim


@dataclass(frozen=True)
class BodySegment:
    text: str
    claim: Claim | None = None
    number: int | None = None


def article_body_segments(article: Article) -> list[BodySegment]:
    """Return the current revision's body cut into plain text and numbered claims.

    One query for the claims; the pieces cover the body exactly, in order.
    """
    revision = article.current_revision
    if revision is None:
        return []
    body = revision.body
    claims = Claim.objects.filter(revision=revision).select_related("assignee").order_by("start")
    segments: list[BodySegment] = []
    cursor = 0
    for number, claim in enumerate(claims, start=1):
        if claim.start < cursor:  # overlapping spans never come from the pipeline; skip safely
            continue
        if claim.start > cursor:
            segments.append(BodySegment(body[cursor : claim.start]))
        segments.append(BodySegment(body[claim.start : claim.end], claim=claim, number=number))
        cursor = claim.end
    if cursor < len(body):
        segments.append(BodySegment(body[cursor:]))
    return segments
