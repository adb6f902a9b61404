"""The check-worthiness model: TF-IDF logistic regression stacked with news features.

Trained by ``scripts/train_checkworthiness.py`` on the ClaimBuster crowdsourced split;
the result ships as ``data/checkworthiness.json.gz`` and is scored here in plain
Python, so the runtime needs no machine-learning library.

Stage 1 is a logistic regression over sublinear TF-IDF of word 1- and 2-grams.
Stage 2 is a logistic regression over stage 1's decision value and the linguistic
features that matter in news (quantities, attribution, quotes, hedges, opinion,
first person, questions).
"""

import gzip
import itertools
import json
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

from .classify import Features

MODEL_PATH = Path(__file__).with_name("data") / "checkworthiness.json.gz"

_TOKEN = re.compile(r"(?u)\b\w\w+\b")

FEATURE_NAMES = (
    "text_decision",
    "numbers",
    "dates",
    "attribution",
    "quote_share",
    "proper_nouns",
    "opinion",
    "hedges",
    "first_person",
    "question",
    "past_event",
    "short",
    "log_words",
)


def ngrams(text: str) -> list[str]:
    """Lower-cased word 1- and 2-grams, as the model was trained on."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def feature_vector(decision: float, f: Features) -> list[float]:
    return [
        decision,
        min(f.numbers, 3),
        min(f.dates, 2),
        min(f.attribution, 2),
        f.quote_share,
        min(f.proper_nouns, 4),
        min(f.opinion, 3),
        min(f.hedges, 2),
        min(f.first_person, 2),
        float(f.question),
        min(f.past_event, 2),
        float(f.words < 6),
        math.log1p(f.words),
    ]


class CheckworthinessModel:
    def __init__(self, data: dict):
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError("model file was trained on other features; retrain it")
        self.version = data["version"]
        self.threshold = data["threshold"]
        # term -> (idf², coef·idf): its weight in the vector norm and its contribution per unit of tf.
        self.terms = {term: (iw[0] * iw[0], iw[0] * iw[1]) for term, iw in data["vocabulary"].items()}
        self.intercept = data["intercept"]
        self.stack_coef = data["stack"]["coef"]
        self.stack_intercept = data["stack"]["intercept"]

    def text_decision(self, text: str) -> float:
        """Stage 1: the TF-IDF logistic regression's decision value."""
        terms = self.terms
        grams = ngrams(text)
        unique = set(grams)
        counts = Counter(grams) if len(unique) < len(grams) else None
        dot = norm2 = 0.0
        for gram in unique & terms.keys():
            idf2, contribution = terms[gram]
            n = counts[gram] if counts else 1
            if n == 1:
                norm2 += idf2
                dot += contribution
            else:
                tf = 1.0 + math.log(n)
                norm2 += tf * tf * idf2
                dot += tf * contribution
        if not norm2:
            return self.intercept
        return self.intercept + dot / math.sqrt(norm2)

    def score(self, text: str, f: Features) -> float:
        """Return the probability that the sentence is check-worthy."""
        z = self.stack_intercept
        for c, x in zip(self.stack_coef, feature_vector(self.text_decision(text), f), strict=True):
            z += c * x
        return 1.0 / (1.0 + math.exp(-z))


@cache
def _load(path: Path) -> CheckworthinessModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return CheckworthinessModel(json.load(fh))


_active: dict[str, Path] = {}


def use_model(path: Path | None) -> None:
    """Score with the model at ``path`` from now on (None: the shipped model)."""
    if path is None:
        _active.pop("path", None)
    else:
        _load(path)  # a broken file fails here, before it is switched on
        _active["path"] = path


def load_model(path: Path | None = None) -> CheckworthinessModel:
    """The model at ``path``, else the active one (the shipped model unless another is in use)."""
    return _load(path or _active.get("path", MODEL_PATH))
