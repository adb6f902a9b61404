"""The learned flag scorer: how likely a rule's trigger is right, given its context.

Triggers are written for recall. For each proposed flag this module describes the
proposal with a few dozen named features (which trigger word fired, whether the
sentence is attributed, quoted, hedged, carries a figure, names a neutral verifier or a
party to a conflict, whether its neighbours raised the same rule, …) and a per-rule
logistic regression turns them into a probability. A flag is kept when the probability
reaches the rule's threshold, chosen on held-out articles when the model was trained.

Scoring is plain Python over a JSON file (``data/flag_scorer.json``); training
(``reviews.learning``) needs scikit-learn. A rule the model has no weights for (no
examples yet) keeps every trigger.
"""

import json
import math
import operator
import re
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

from .context import Document, Sentence
from .triggers import Trigger, first_matches

SCORER_PATH = Path(__file__).with_name("data") / "flag_scorer.json"

_QUOTED_IN_WHY = re.compile(r"'([^']{1,40})'|\"([^\"]{1,40})\"")
_LEGAL = Trigger(
    r"\b(?:conventions?|article|art\.|protocol|law|laws|legal|illegal|treaty|court|tribunal|rules?|"
    r"obliged|obligations?|prohibit\w*|forbid\w*|must|should)\b",
)
_NEUTRAL = Trigger(
    r"\b(?:office for national statistics|ONS|bureau|statistics|statistical|census|eurostat|"
    r"U\.?N\.?|united nations|OHCHR|WHO|world health organi[sz]ation|red cross|ICRC|police|"
    r"court|study|survey|researchers|university|institute|independent(?:ly)?|verified|monitors?|"
    r"mission|agency|data)\b",
)
_INTERESTED = Trigger(
    r"\b(?:company|firm|ministry|government|party|campaign|spokes(?:man|woman|person)|"
    r"commander|army|military|forces|headquarters|governor|administration|chair|aide|group)\b",
)
_HEDGE = Trigger(
    r"\b(?:about|around|roughly|nearly|almost|some|estimated|estimates?|approx\.?|approximately|"
    r"up to|at least|as many as|more than|thought|believed|may|might|could|appears?|appeared|"
    r"reportedly|allegedly|unverified|unconfirmed|claims?|claimed)\b",
)
_DENIAL = Trigger(
    r"\b(?:denied|denies|deny|rejected|dismissed|no evidence|not true|false)\b",
)
_CONDEMN = Trigger(
    r"\b(?:condemn\w*|urge\w*|call(?:s|ed)? (?:on|for)|appeal\w*|stop|refrain)\b",
)
_SOURCE_VERB = Trigger(
    r"\b(?:according to|said|says|say|told|reported|reports|estimated|estimates|announced|confirmed|"
    r"claimed|claims|stated|figures show|data show)\b",
)
_CONTEXT = (_NEUTRAL, _INTERESTED, _HEDGE, _LEGAL, _DENIAL, _CONDEMN)
_WORD = re.compile(r"[a-z][a-z’'.-]{2,}")
_AFTER = re.compile(r" ((?:[\w’'.-]+ ?){1,6})")
_TOKEN = re.compile(r"[\w’'.-]+")
_SOURCE_STOP = frozenset(
    "the a an of in on for to and its his her their this that which who it he she they".split()
)
_FIRST_PERSON = re.compile(r"\b(?:I|we|my|our|us)\b")


@dataclass(frozen=True)
class Proposal:
    """One trigger's proposed flag: the rule, the sentence and the trigger's reason."""

    rule: str
    sentence: Sentence
    why: str


def _trigger_words(why: str) -> list[str]:
    return [(a or b).lower() for a, b in _QUOTED_IN_WHY.findall(why)]


def _family(why: str) -> str:
    return _QUOTED_IN_WHY.sub("_", why).split("(")[0].strip().lower()[:40]


def _source_words(text: str) -> set[str]:
    """The words naming who a sentence attributes itself to: up to six after "according to",
    up to four right before a reporting verb."""
    words = set()
    for start, end in _SOURCE_VERB.spans(text):
        if text[start:end].lower() == "according to":
            after = _AFTER.match(text, end)
            span = after.group(1) if after else ""
        else:
            before = text[max(0, start - 80) : start]
            tokens = []
            if before.endswith(" "):
                for token in reversed(before[:-1].split(" ")):
                    if len(tokens) == 4 or not _TOKEN.fullmatch(token):
                        break
                    tokens.append(token)
            span = " ".join(reversed(tokens))
        words.update(w for w in _WORD.findall(span.lower()) if w not in _SOURCE_STOP)
    return words


def _sentence_features(s: Sentence, doc: Document) -> dict[str, float]:
    """The features of a sentence that do not depend on the rule (kept per document)."""
    cache = doc.state.setdefault("sentence_features", {})
    key = (s.field, s.index)
    if key in cache:
        return cache[key]
    text, own = s.text, s.own_voice
    neutral, interested, hedged, legal, denial, condemn = first_matches(_CONTEXT, text)
    out = {
        "bias": 1.0,
        "title": float(s.field == "title"),
        "quoted": float(s.direct_speech),
        "own_voice_share": len(own) / len(text) if text else 0.0,
        "numbers": float(min(len(s.numbers), 3)),
        "attributed": float(bool(s.attribution_verbs)),
        "cited": float(s.cited),
        "neutral": float(bool(neutral)),
        "interested": float(bool(interested)),
        "hedged": float(bool(hedged)),
        "legal": float(bool(legal)),
        "denial": float(bool(denial)),
        "condemn": float(bool(condemn)),
        "first_person": float(bool(_FIRST_PERSON.search(own))) if own else 0.0,
        "parties": float(bool(doc.parties)),
        "party_source": float(bool(doc.party_source(text))),
        "kind:" + s.kind: 1.0,
        "long": float(len(text) > 160),
        "short": float(len(text) < 60),
        "question": float(text.rstrip("\"'”’ ").endswith("?")),
    }
    for word in _source_words(text):
        out["src:" + word] = 1.0
    for name in _concept_names(text, doc):
        out["in:" + name] = 1.0
    if s.field == "body":
        for prev in doc.previous(s, 1):
            for name in _concept_names(prev.text, doc):
                out["prev:" + name] = 1.0
        for name in ("imagery", "captive", "protected"):
            if name in _concept_names(doc.title, doc):
                out["title:" + name] = 1.0
    cache[key] = out
    return out


def features(p: Proposal, doc: Document, neighbours: dict[str, set[int]]) -> dict[str, float]:
    """Named features of a proposal (the context the rule's trigger cannot see)."""
    s = p.sentence
    out = dict(_sentence_features(s, doc))
    out["family:" + _family(p.why)] = 1.0
    for word in _trigger_words(p.why)[:2]:
        out["w:" + word] = 1.0
    same = neighbours.get(p.rule, set())
    if s.field == "body":
        out["prev_same"] = float(s.index - 1 in same)
        out["next_same"] = float(s.index + 1 in same)
        out["position"] = s.index / max(1, len(doc.sentences))
    out["rule_density"] = len(same) / max(1, len(doc.sentences))
    return out


@cache
def _concepts() -> dict:
    from . import library

    return {
        "imagery": library.IMAGERY,
        "captive": library.CAPTIVE,
        "protected": library.PROTECTED,
        "attack": library.ATTACK,
        "casualty": library.CASUALTY,
        "graphic": library.GRAPHIC,
        "anonymous": library.ANONYMOUS,
        "vague": library.VAGUE,
        "independent": library.INDEPENDENT,
        "loaded": library.LOADED,
        "allegation": library.ALLEGATION,
    }


def _concept_names(text: str, doc: Document) -> frozenset[str]:
    """The concepts a text carries (kept per document: a sentence is asked about by several
    proposals and by its successor's)."""
    seen = doc.state.setdefault("concepts", {})
    if text not in seen:
        names, triggers = _concept_triggers()
        found = first_matches(triggers, text)
        seen[text] = frozenset(name for name, m in zip(names, found, strict=True) if m)
    return seen[text]


@cache
def _concept_triggers() -> tuple[tuple[str, ...], tuple[Trigger, ...]]:
    return tuple(_concepts()), tuple(_concepts().values())


@dataclass(frozen=True)
class RuleModel:
    weights: dict
    threshold: float

    def probability(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def proposal_probability(self, p: Proposal, doc: Document, neighbours: dict[str, set[int]]) -> float:
        """``probability(features(p, doc, neighbours))`` without building the feature dict: the
        same terms added in the same order (the sentence's features, then the proposal's), so
        the same number to the last bit."""
        s = p.sentence
        get = self.weights.get
        sentence = _sentence_features(s, doc)
        # One sum over every term, as ``probability`` does: Python 3.12's sum() compensates
        # rounding, so partial sums added with += would differ from it in the last bits.
        terms = list(map(operator.mul, map(get, sentence, repeat(0.0)), sentence.values()))
        terms.append(get("family:" + _family(p.why), 0.0) * 1.0)
        for word in dict.fromkeys(_trigger_words(p.why)[:2]):
            terms.append(get("w:" + word, 0.0) * 1.0)
        same = neighbours.get(p.rule, set())
        if s.field == "body":
            terms.append(get("prev_same", 0.0) * float(s.index - 1 in same))
            terms.append(get("next_same", 0.0) * float(s.index + 1 in same))
            terms.append(get("position", 0.0) * (s.index / max(1, len(doc.sentences))))
        terms.append(get("rule_density", 0.0) * (len(same) / max(1, len(doc.sentences))))
        z = sum(terms)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class FlagScorer:
    def __init__(self, data: dict):
        self.version = data.get("version", "")
        self.rules = {
            code: RuleModel(weights=m["weights"], threshold=m["threshold"])
            for code, m in data["rules"].items()
        }

    def judge(self, p: Proposal, doc: Document, neighbours: dict[str, set[int]]) -> tuple[bool, float | None]:
        """``keep(p.rule, features(p, doc, neighbours))``, without building the features."""
        model = self.rules.get(p.rule)
        if model is None:
            return True, None
        probability = model.proposal_probability(p, doc, neighbours)
        return probability >= model.threshold, probability

    def keep(self, rule: str, feats: dict[str, float]) -> tuple[bool, float | None]:
        """Whether to raise the proposed flag, and its probability (None: rule not scored)."""
        model = self.rules.get(rule)
        if model is None:
            return True, None
        p = model.probability(feats)
        return p >= model.threshold, p

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "rules": {c: {"weights": m.weights, "threshold": m.threshold} for c, m in self.rules.items()},
        }


def neighbours_of(proposals: list[Proposal]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for p in proposals:
        if p.sentence.field == "body":
            out.setdefault(p.rule, set()).add(p.sentence.index)
    return out


@cache
def _load(path: Path) -> FlagScorer | None:
    if not path.exists():
        return None
    return FlagScorer(json.loads(path.read_text(encoding="utf-8")))


_active: dict[str, Path] = {}


def use_scorer(path: Path | None) -> None:
    """Score flags with the scorer at ``path`` from now on (None: the shipped scorer)."""
    if path is None:
        _active.pop("path", None)
    else:
        if _load(path) is None:
            raise FileNotFoundError(path)
        _active["path"] = path


def load_scorer(path: Path | None = None) -> FlagScorer | None:
    """The scorer at ``path``, else the active one (the shipped scorer unless another is in use)."""
    return _load(path or _active.get("path", SCORER_PATH))
