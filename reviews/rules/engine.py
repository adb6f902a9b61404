"""Run the rule library over an analysed article."""

from dataclasses import dataclass

from reviews.textproc import Analysis

from .context import Document, Sentence
from .knowledge import Knowledge, default_knowledge
from .library import RULES, RULES_BY_CODE
from .watchterms import WatchTermRule

RULES_VERSION = "1.0"


@dataclass(frozen=True)
class Hit:
    """A flag raised on a passage: a body span, or a span of the headline."""

    rule: str
    field: str
    start: int
    end: int
    text: str
    claim: int | None
    why: str


def _sentences(analysis: Analysis) -> list[Sentence]:
    return [
        Sentence(
            index=c.index,
            start=c.start,
            end=c.end,
            text=c.text,
            kind=c.kind,
            numbers=c.checkables.numbers,
            attribution_verbs=c.checkables.attribution_verbs,
            speaker=c.checkables.speaker,
            direct_speech=c.kind == "quote" or c.checkables.quote,
        )
        for c in analysis.claims
    ]


def run_rules(
    analysis: Analysis,
    *,
    knowledge: Knowledge | None = None,
    enabled: frozenset[str] | None = None,
    watch_terms: tuple[WatchTermRule, ...] = (),
) -> list[Hit]:
    """Return the flags the rules raise on ``analysis``, in text order.

    ``enabled`` limits the built-in rules to those codes (None: all of them).
    """
    knowledge = knowledge or default_knowledge()
    title = analysis.metadata.title
    doc = Document(
        title=title,
        body=analysis.body,
        sentences=_sentences(analysis),
        knowledge=knowledge,
        parties=knowledge.active_parties(f"{title}\n{analysis.body}"),
    )
    rules = [r for r in RULES if enabled is None or r.code in enabled]
    hits: list[Hit] = []
    if title:
        headline = Sentence(index=-1, start=0, end=len(title), text=title, field="title")
        for rule in rules:
            if rule.on_title:
                why = rule.detect(headline, doc)
                if why:
                    hits.append(Hit(rule.code, "title", 0, len(title), title, None, why))
    for sentence in doc.sentences:
        for rule in rules:
            why = rule.detect(sentence, doc)
            if why:
                hits.append(
                    Hit(rule.code, "body", sentence.start, sentence.end, sentence.text, sentence.index, why)
                )
        for watch in watch_terms:
            for pattern in watch.patterns:
                m = pattern.search(sentence.text)
                if m:
                    why = f"watch term {m.group(0)!r}"
                    hits.append(
                        Hit(
                            watch.code,
                            "body",
                            sentence.start,
                            sentence.end,
                            sentence.text,
                            sentence.index,
                            why,
                        )
                    )
                    break
    return hits


def flags_json(hits: list[Hit]) -> list[dict]:
    """The ``flags`` part of the analyze contract.

    A body flag carries ``start``/``end`` into the body; a headline flag carries
    ``field: "title"`` and the headline as ``text`` (its offsets would not index the body).
    """
    out = []
    for hit in hits:
        rule = RULES_BY_CODE.get(hit.rule)
        item = {
            "rule": hit.rule,
            "severity": rule.severity if rule else "medium",
            "category": rule.category if rule else "",
            "field": hit.field,
            "claim": hit.claim,
            "text": hit.text,
            "reference": rule.reference if rule else "",
            "guidance": rule.guidance if rule else "",
            "why": hit.why,
        }
        if hit.field == "body":
            item["start"], item["end"] = hit.start, hit.end
        out.append(item)
    return out
