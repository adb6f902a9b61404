"""Run the rule library over an analysed article."""

from dataclasses import dataclass

from reviews.textproc import Analysis

from .context import Document, Sentence
from .knowledge import Knowledge, default_knowledge
from .library import RULES, RULES_BY_CODE
from .scorer import FlagScorer, Proposal, load_scorer, neighbours_of
from .triggers import new_document
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
    # How likely a person will confirm the flag, by the learned scorer (None: a rule it does
    # not score, such as a newsroom's watch terms). Measured by article-level CV on the news
    # corpus, these probabilities are calibrated: of the flags given 0.6-0.9, 0.69-0.75 were
    # right; of those under 0.3, about one in five (docs/notes.md).
    confidence: float | None = None


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


def propose(
    analysis: Analysis,
    *,
    knowledge: Knowledge | None = None,
    enabled: frozenset[str] | None = None,
) -> tuple[Document, list[Proposal]]:
    """Every flag the rules' triggers propose on ``analysis``, in text order (before scoring)."""
    knowledge = knowledge or default_knowledge()
    new_document()
    title = analysis.metadata.title
    doc = Document(
        title=title,
        body=analysis.body,
        sentences=_sentences(analysis),
        knowledge=knowledge,
        parties=knowledge.active_parties(f"{title}\n{analysis.body}"),
    )
    rules = [r for r in RULES if enabled is None or r.code in enabled]
    proposals: list[Proposal] = []
    if title:
        headline = Sentence(index=-1, start=0, end=len(title), text=title, field="title")
        for rule in rules:
            if rule.on_title:
                why = rule.detect(headline, doc)
                if why:
                    proposals.append(Proposal(rule.code, headline, why))
    for sentence in doc.sentences:
        for rule in rules:
            why = rule.detect(sentence, doc)
            if why:
                proposals.append(Proposal(rule.code, sentence, why))
    return doc, proposals


def _hit(p: Proposal, confidence: float | None = None) -> Hit:
    s = p.sentence
    if s.field == "title":
        return Hit(p.rule, "title", 0, len(s.text), s.text, None, p.why, confidence)
    return Hit(p.rule, "body", s.start, s.end, s.text, s.index, p.why, confidence)


def run_rules(
    analysis: Analysis,
    *,
    knowledge: Knowledge | None = None,
    enabled: frozenset[str] | None = None,
    watch_terms: tuple[WatchTermRule, ...] = (),
    scorer: FlagScorer | bool | None = True,
) -> list[Hit]:
    """Return the flags the rules raise on ``analysis``, in text order.

    ``enabled`` limits the built-in rules to those codes (None: all of them). Each
    trigger's proposal is kept when the learned flag scorer says so (``scorer=True``:
    the active model; ``None`` or ``False``: every proposal).
    """
    doc, proposals = propose(analysis, knowledge=knowledge, enabled=enabled)
    if scorer is True:
        scorer = load_scorer()
    hits = []
    if scorer:
        near = neighbours_of(proposals)
        for p in proposals:
            keep, probability = scorer.judge(p, doc, near)
            if keep:
                hits.append(_hit(p, None if probability is None else round(probability, 3)))
    else:
        hits = [_hit(p) for p in proposals]
    if watch_terms:
        for sentence in doc.sentences:
            for watch in watch_terms:
                for pattern in watch.patterns:
                    m = pattern.search(sentence.text)
                    if m:
                        hits.append(
                            Hit(
                                watch.code,
                                "body",
                                sentence.start,
                                sentence.end,
                                sentence.text,
                                sentence.index,
                                f"watch term {m.group(0)!r}",
                            )
                        )
                        break
        hits.sort(key=lambda h: (h.field != "title", h.start if h.field == "body" else -1))
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
            "confidence": hit.confidence,
        }
        if hit.field == "body":
            item["start"], item["end"] = hit.start, hit.end
        out.append(item)
    return out
