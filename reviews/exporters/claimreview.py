"""schema.org ClaimReview (and MediaReview) JSON-LD per Google's fact-check rules.

Only approved verdicts on the text as it stands are reviews: a verdict awaiting approval or
one whose sentence has changed since is never published.
"""

import json

from .doc import Claim, ExportDoc, Publisher, safe_url

CONTEXT = "https://schema.org"
MEDIA_TYPES = {"video": "VideoObject", "image": "ImageObject"}


def organisation(publisher: Publisher) -> dict:
    org = {"@type": "Organization", "name": publisher.name, "url": publisher.url}
    if safe_url(publisher.logo):
        org["logo"] = {"@type": "ImageObject", "url": publisher.logo}
    same_as = [u for u in publisher.same_as if safe_url(u)]
    if same_as:
        org["sameAs"] = same_as
    return org


def claimant(claim: Claim) -> dict | None:
    if not claim.claimant:
        return None
    agent = {"@type": claim.claimant_kind or "Organization", "name": claim.claimant}
    if safe_url(claim.claimant_url):
        agent["sameAs"] = claim.claimant_url
    return agent


def appearances(doc: ExportDoc, claim: Claim) -> list[str]:
    """Where the claim was made (the checker's list, first appearance first), then the article."""
    urls = [u for u in claim.appearances if safe_url(u)]
    article = safe_url(doc.url) or doc.article_uri
    return urls + ([article] if article not in urls else [])


def claim_reviewed(claim: Claim) -> str:
    """The checker's statement of the claim; the whole sentence if none was written (never cut)."""
    text = claim.verdict.claim_reviewed if claim.verdict else ""
    return " ".join((text or claim.text).split())


def reviewer(claim: Claim) -> dict | None:
    """The fact-checker as a Person, when they gave their name (a username is not one)."""
    name = claim.verdict.author_name if claim.verdict else ""
    return {"@type": "Person", "name": name} if name else None


def _common(doc: ExportDoc, claim: Claim, kind: str) -> dict:
    v = claim.verdict
    out = {
        "@context": CONTEXT,
        "@type": kind,
        "@id": f"{doc.claim_uri(claim)}#{kind.lower()}",
        "url": doc.claim_uri(claim),
        "datePublished": (v.approved_at or v.submitted_at)[:10],
        "author": organisation(doc.org),
        "publisher": organisation(doc.org),
    }
    person = reviewer(claim)
    if person:
        out["creator"] = person
    return out


def review(doc: ExportDoc, claim: Claim) -> dict:
    v = claim.verdict
    rating = {
        "@type": "Rating",
        "alternateName": v.rating,
        "name": v.rating,
        "worstRating": v.worst,
        "bestRating": v.best,
    }
    if v.rating_value is not None:
        rating["ratingValue"] = v.rating_value
    if v.summary:
        rating["ratingExplanation"] = v.summary
    urls = appearances(doc, claim)
    item = {
        "@type": "Claim",
        "@id": f"{doc.claim_uri(claim)}#claim",
        "appearance": [{"@type": "CreativeWork", "url": u} for u in urls],
        "firstAppearance": {"@type": "CreativeWork", "url": urls[0]},
    }
    first = claim.first_appeared or doc.published
    if first:
        item["datePublished"] = first
        item["firstAppearance"]["datePublished"] = first
    agent = claimant(claim)
    if agent:
        item["author"] = agent
    out = _common(doc, claim, "ClaimReview")
    out.update(claimReviewed=claim_reviewed(claim), reviewRating=rating, itemReviewed=item)
    if v.explanation:
        out["reviewBody"] = v.explanation
    return out


def media_review(doc: ExportDoc, claim: Claim) -> dict:
    """A MediaReview of the claim's video or image, rated with schema.org's vocabulary."""
    media, v = claim.media, claim.verdict
    appearance = {"@type": MEDIA_TYPES.get(media.kind, "MediaObject"), "contentUrl": media.url}
    if safe_url(media.archive_url):
        appearance["archivedAt"] = media.archive_url
    if media.description:
        appearance["description"] = media.description
    item = {
        "@type": "MediaReviewItem",
        "mediaItemAppearance": [appearance],
        "interpretedAsClaim": {"@type": "Claim", "@id": f"{doc.claim_uri(claim)}#claim"},
    }
    agent = claimant(claim)
    if agent:
        item["creator"] = agent
    out = _common(doc, claim, "MediaReview")
    out.update(
        mediaAuthenticityCategory=f"https://schema.org/{v.media_rating}",
        itemReviewed=item,
        name=f"{v.media_rating_label or v.media_rating}: {claim_reviewed(claim)}",
    )
    if v.media_rating == "DecontextualizedContent":
        out["originalMediaContextDescription"] = v.explanation or v.summary
    if safe_url(media.archive_url):
        out["originalMediaLink"] = media.archive_url
    return out


def reviews(doc: ExportDoc) -> list[dict]:
    """A ClaimReview per published verdict, and a MediaReview where it rates a media item."""
    out = []
    for claim in doc.claims:
        if not claim.published:
            continue
        out.append(review(doc, claim))
        if claim.media is not None and safe_url(claim.media.url) and claim.verdict.media_rating:
            out.append(media_review(doc, claim))
    return out


def to_claimreview(doc: ExportDoc) -> bytes:
    return json.dumps(reviews(doc), ensure_ascii=False, indent=2).encode("utf-8")
