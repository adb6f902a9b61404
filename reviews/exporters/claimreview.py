"""schema.org ClaimReview JSON-LD, one per approved verdict, per Google's fact-check rules."""

import json

from .doc import Claim, ExportDoc

MAX_CLAIM_REVIEWED = 75


def shorten(text: str, limit: int = MAX_CLAIM_REVIEWED) -> str:
    """Cut at a word boundary with an ellipsis so the result is at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def review(doc: ExportDoc, claim: Claim, *, publisher: str) -> dict:
    v = claim.verdict
    rating = {"@type": "Rating", "alternateName": v.rating, "worstRating": v.worst, "bestRating": v.best}
    if v.rating_value is not None:
        rating["ratingValue"] = v.rating_value
    item = {
        "@type": "Claim",
        "@id": doc.claim_uri(claim),
        "appearance": [{"@type": "CreativeWork", "url": doc.source_uri, "headline": doc.title}],
    }
    if doc.published:
        item["datePublished"] = doc.published
    if doc.outlet:
        item["author"] = {"@type": "Organization", "name": doc.outlet}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": f"{doc.claim_uri(claim)}#claimreview",
        "url": f"{doc.article_uri}#claim-{claim.number}",
        "claimReviewed": shorten(claim.text),
        "datePublished": (v.approved_at or v.submitted_at)[:10],
        "author": {"@type": "Organization", "name": publisher, "url": doc.site_url},
        "reviewRating": rating,
        "itemReviewed": item,
    }


def reviews(doc: ExportDoc, *, publisher: str = "Newsroom Review") -> list[dict]:
    return [
        review(doc, c, publisher=publisher)
        for c in doc.claims
        if c.verdict is not None and c.verdict.status == "approved" and not c.stale
    ]


def to_claimreview(doc: ExportDoc) -> bytes:
    return json.dumps(reviews(doc), ensure_ascii=False, indent=2).encode("utf-8")
