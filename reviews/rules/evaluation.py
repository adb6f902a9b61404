"""Flag recall and precision against gold annotations, as the gold scorer counts them."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from reviews.textproc import analyze

from .engine import run_rules

_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _overlaps(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass
class FlagScore:
    per_rule: dict = field(default_factory=dict)  # rule -> [gold, recalled, predicted, correct]

    def add(self, rule: str, column: int, value: int = 1) -> None:
        self.per_rule.setdefault(rule, [0, 0, 0, 0])[column] += value

    def merge(self, other: "FlagScore") -> None:
        for rule, values in other.per_rule.items():
            for column, value in enumerate(values):
                self.add(rule, column, value)

    @property
    def recall(self) -> float:
        gold = sum(v[0] for v in self.per_rule.values())
        return sum(v[1] for v in self.per_rule.values()) / gold if gold else 0.0

    @property
    def precision(self) -> float:
        predicted = sum(v[2] for v in self.per_rule.values())
        return sum(v[3] for v in self.per_rule.values()) / predicted if predicted else 0.0


def score_flags(gold: list[dict], text_dir: Path) -> FlagScore:
    """Compare (sentence, rule) pairs: a gold pair is recalled by an overlapping flag of its rule."""
    score = FlagScore()
    for entry in gold:
        fmt = "html" if entry["file"].endswith((".html", ".htm")) else "text"
        analysis = analyze((text_dir / entry["file"]).read_text(encoding="utf-8"), fmt=fmt)
        predicted = {(h.rule, _norm(h.text)) for h in run_rules(analysis)}
        expected = [(f["rule"], f["text"]) for f in entry["flags"]]
        for rule, text in expected:
            score.add(rule, 0)
            score.add(rule, 1, any(r == rule and _overlaps(text, t) for r, t in predicted))
        for rule, text in predicted:
            score.add(rule, 2)
            score.add(rule, 3, any(r == rule and _overlaps(text, t) for r, t in expected))
    return score
