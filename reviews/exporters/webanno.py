"""W3C Web Annotation Data Model: an AnnotationPage of claim and flag annotations."""

import json

from .doc import Claim, ExportDoc, Flag, verdict_label

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


def _selectors(doc: ExportDoc, start: int, end: int) -> list[dict]:
    return [
        {
            "type": "TextQuoteSelector",
            "exact": doc.body[start:end],
            "prefix": doc.body[max(0, start - CONTEXT_CHARS) : start],
            "suffix": doc.body[end : end + CONTEXT_CHARS],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _claim(doc: ExportDoc, claim: Claim) -> dict:
    v = claim.verdict
    text = verdict_label(claim)
    if v:
        text += f": {v.summary}" + (f"\n\n{v.explanation}" if v.explanation else "")
    body = [
        {
            "type": "TextualBody",
            "value": text,
            "format": "text/plain",
            "purpose": "assessing" if v else "describing",
        }
    ]
    if v:
        body += [
            # Evidence as a SpecificResource: only those may carry a purpose.
            {"type": "SpecificResource", "source": ev.url, "purpose": "linking"}
            for ev in v.evidence
            if ev.url.startswith(("http://", "https://"))
        ]
        body += [
            # A source with no link (an interview, a document seen) is described in words.
            {
                "type": "TextualBody",
                "value": f"Source ({ev.stance}): {ev.label}" + (f" — {ev.detail}" if ev.detail else ""),
                "format": "text/plain",
                "purpose": "describing",
            }
            for ev in v.evidence
            if not ev.url
        ]
    annotation = {
        "@context": CONTEXT,
        "id": f"{doc.claim_uri(claim)}#annotation",
        "type": "Annotation",
        "motivation": "assessing" if v else "highlighting",
        "created": doc.exported_at,
        "body": body,
        "target": {"source": doc.source_uri, "selector": _selectors(doc, claim.start, claim.end)},
    }
    if v and v.author:
        annotation["creator"] = {"type": "Person", "name": v.author_display}
    return annotation


def _flag(doc: ExportDoc, flag: Flag) -> dict:
    value = (
        f"{flag.title} ({flag.rule}, {flag.severity}, {flag.status}): {flag.explained}\n"
        f"Reference: {flag.reference}"
    )
    if flag.field == "title":
        target = {"source": doc.source_uri, "selector": {"type": "TextQuoteSelector", "exact": flag.text}}
    else:
        target = {"source": doc.source_uri, "selector": _selectors(doc, flag.start, flag.end)}
    return {
        "@context": CONTEXT,
        "id": f"{doc.flag_uri(flag)}#annotation",
        "type": "Annotation",
        "motivation": "moderating" if flag.category == "legal" else "commenting",
        "created": doc.exported_at,
        "body": {"type": "TextualBody", "value": value, "format": "text/plain"},
        "target": target,
    }


def annotations(doc: ExportDoc) -> list[dict]:
    return [_claim(doc, c) for c in doc.claims] + [_flag(doc, f) for f in doc.flags]


def to_webanno(doc: ExportDoc) -> bytes:
    page = {
        "@context": CONTEXT,
        "id": f"{doc.article_uri}/annotations",
        "type": "AnnotationPage",
        "items": annotations(doc),
    }
    return json.dumps(page, ensure_ascii=False, indent=2).encode("utf-8")
