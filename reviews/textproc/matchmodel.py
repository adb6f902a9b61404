"""The match model: from the evidence two claims share to a score and a tier.

Candidates come from an inverted index of claim terms (``lookup_terms`` picks which of
a claim's terms are looked up); each candidate is scored by a logistic regression over
``similarity.pair_features``, trained on labelled claim pairs (the news corpus and the
newsroom's own confirmed and rejected matches, ``match_training``). The model file holds
the weights and the two thresholds chosen by cross-validation:

- *suggested* (score >= ``suggest_at``): proposed for a person to confirm;
- *likely the same* (score >= ``likely_at``): shown first.

Nothing below ``suggest_at`` is proposed, nor a pair that shares nothing its explanation
could name (``similarity.nameable``). Scored in plain Python: no library at runtime.
"""

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import similarity as sim

MODEL_PATH = Path(__file__).with_name("data") / "match_model.json"

LOOKUP_TERMS = 12  # the claim's rarest terms that are looked up in the index
MIN_SHARED = 1  # lookup terms a candidate must share
MAX_CANDIDATES = 20  # candidates scored per claim, those sharing the most lookup terms first
MIN_TERMS = 4  # claims with fewer content terms are too short to match on
LOOKUP_MAX_CLAIMS = 1000  # terms in more claims than this are not looked up (still weighed)
PER_CLAIM = 3  # proposals per claim, the best first

SUGGESTED = "suggested"
LIKELY = "likely"


def lookup_terms(terms: Iterable[str], df: Mapping[str, int], weight: Callable[[str], float]) -> list[str]:
    """The terms of a claim to look up in the index: its rarest, never a common one, so a
    lookup reads a bounded number of index entries however many claims are stored."""
    usable = [t for t in terms if df.get(t, 0) <= LOOKUP_MAX_CLAIMS]
    return sorted(usable, key=lambda t: (-weight(t), t))[:LOOKUP_TERMS]


def term_weight(df: Mapping[str, int], stored: int) -> Callable[[str], float]:
    """A term's weight: its rarity among the stored claims times its rarity in general speech."""

    def weight(term: str) -> float:
        return sim.idf(df.get(term, 0), stored) * sim.general_idf(term)

    return weight


def matchable(profile: sim.Profile) -> bool:
    return len(profile.terms - sim.figures(profile.terms)) >= MIN_TERMS


@dataclass(frozen=True)
class MatchModel:
    coef: tuple[float, ...]
    intercept: float
    suggest_at: float
    likely_at: float
    version: str = "untrained"
    # The index terms it was trained on and reads (``similarity.INDEX_VERSION``); "1" for a
    # model file from before versions were recorded.
    index_terms: str = sim.INDEX_VERSION

    def score(self, features: list[float]) -> float:
        z = self.intercept + sum(c * x for c, x in zip(self.coef, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def tier(self, score: float) -> str | None:
        """The tier of a match of this score, or None: not to be shown."""
        if score >= self.likely_at:
            return LIKELY
        if score >= self.suggest_at:
            return SUGGESTED
        return None

    def proposal_tier(self, score: float, a: sim.Profile, b: sim.Profile) -> str | None:
        """The tier in which ``b`` is proposed as a match of ``a``, or None: not proposed,
        because it scores below the suggestion threshold or shares nothing that words can
        name (a person shown it would read only "Little in common")."""
        tier = self.tier(score)
        return tier if tier is not None and sim.nameable(a, b) else None

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "features": list(sim.FEATURES),
            "coef": [round(c, 6) for c in self.coef],
            "intercept": round(self.intercept, 6),
            "suggest_at": round(self.suggest_at, 4),
            "likely_at": round(self.likely_at, 4),
            "index_terms": self.index_terms,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "MatchModel":
        if tuple(data["features"]) != sim.FEATURES:
            raise ValueError("match model was trained on other features; retrain it")
        return cls(
            tuple(data["coef"]),
            data["intercept"],
            data["suggest_at"],
            data["likely_at"],
            data["version"],
            data.get("index_terms", "1"),
        )


def write_model(model: MatchModel, path: Path) -> None:
    path.write_text(json.dumps(model.as_dict(), indent=1) + "\n", encoding="utf-8")


_active: list[MatchModel] = []


def use_model(path: Path | None) -> None:
    """Score with the model at ``path`` from now on (None: the shipped one)."""
    _active[:] = [MatchModel.from_dict(json.loads((path or MODEL_PATH).read_text(encoding="utf-8")))]


def active() -> MatchModel:
    if not _active:
        use_model(None)
    return _active[0]
