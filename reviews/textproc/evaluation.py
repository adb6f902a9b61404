"""Measure the text pipeline against external suites and the seed gold (pure, no Django).

The metric definitions follow the gold scorer (``shared/gold/score_analyze.py``):
exact-match sentence F1 after whitespace normalisation, the share of gold debris
fragments (12+ characters) found inside a predicted claim, and check-worthiness
macro-F1 over sentences present in both gold and prediction.
"""

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .classify import features
from .corpus import Page, splits
from .debris import DebrisModel
from .model import load_model
from .pipeline import analyze
from .segment import split_sentences

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class SuiteResult:
    passed: int
    total: int
    failures: tuple[tuple[str, list[str], list[str]], ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0


def segmentation_suite(cases: list[dict], segment=None) -> SuiteResult:
    """Exact-match score of a segmenter (text -> list of strings) on boundary cases."""
    if segment is None:

        def segment(text):
            return [text[s.start : s.end] for s in split_sentences(text)]

    passed, failures = 0, []
    for case in cases:
        got = [s.strip() for s in segment(case["text"]) if s.strip()]
        expected = [s.strip() for s in case["sentences"] if s.strip()]
        if got == expected:
            passed += 1
        else:
            failures.append((str(case.get("id", "")), expected, got))
    return SuiteResult(passed, len(cases), tuple(failures))


@dataclass(frozen=True)
class GoldResult:
    sentence_f1: float
    debris_leak: float
    checkworthy_macro_f1: float
    sentences: int


@dataclass
class Tally:
    """Counts behind the gold scorer's figures, summed over pages (and folds)."""

    gold: int = 0
    predicted: int = 0
    hits: int = 0
    debris: int = 0
    leaks: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, entry: dict, claims) -> None:
        """Count one page: its gold entry and the predicted claims (objects with text, checkworthy)."""
        pred = [norm(c.text) for c in claims]
        gold_sentences = {norm(c["text"]): bool(c["checkworthy"]) for c in entry["claims"]}
        predicted = {norm(c.text): c.checkworthy for c in claims}
        self.gold += len(gold_sentences)
        self.predicted += len(set(pred))
        both = set(gold_sentences) & set(predicted)
        self.hits += len(both)
        fragments = [norm(d) for d in entry["debris"] if len(norm(d)) >= 12]
        self.debris += len(fragments)
        self.leaks += sum(1 for d in fragments if any(d in p for p in pred))
        for s in both:
            g, p = gold_sentences[s], predicted[s]
            self.tp += g and p
            self.fp += p and not g
            self.fn += g and not p
            self.tn += not g and not p

    def __iadd__(self, other: "Tally") -> "Tally":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def result(self) -> GoldResult:
        precision = self.hits / self.predicted if self.predicted else 0.0
        recall = self.hits / self.gold if self.gold else 0.0
        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        pos = f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
        neg = f1(tn / (tn + fn) if tn + fn else 0.0, tn / (tn + fp) if tn + fp else 0.0)
        return GoldResult(
            sentence_f1=f1(precision, recall),
            debris_leak=self.leaks / self.debris if self.debris else 0.0,
            checkworthy_macro_f1=(pos + neg) / 2,
            sentences=self.gold,
        )


def seeds_gold(gold: list[dict], text_dir: Path) -> GoldResult:
    """Score analyze() on gold-annotated articles, as the gold scorer does."""
    tally = Tally()
    for entry in gold:
        tally.add(entry, analyze((text_dir / entry["file"]).read_text(encoding="utf-8")).claims)
    return tally.result()


@dataclass(frozen=True)
class CrossValidation:
    folds: tuple[GoldResult, ...]
    pooled: GoldResult


def news_cross_validation(pages: list[Page], extra: list[Page] = (), train=None) -> CrossValidation:
    """Score the pipeline on each fold of the news corpus with a debris model trained
    without that fold (on the other folds and ``extra``), as the gold scorer does."""
    if train is None:
        from .debris_training import train_debris as train
    pooled, folds = Tally(), []
    for _, training, test in splits(pages):
        model = DebrisModel.from_dict(train(training + list(extra)))
        tally = Tally()
        for page in test:
            tally.add(page.gold, analyze(page.text, fmt=page.fmt, debris=model).claims)
        folds.append(tally.result())
        pooled += tally
    return CrossValidation(tuple(folds), pooled.result())


@dataclass(frozen=True)
class ClassifierResult:
    f1: float
    precision: float
    recall: float
    n: int


def claimbuster(rows: list[dict], split: str = "groundtruth") -> ClassifierResult:
    """F1 of the check-worthy class on one ClaimBuster split."""
    model = load_model()
    tp = fp = fn = 0
    n = 0
    for row in rows:
        if row["split"] != split:
            continue
        n += 1
        predicted = model.score(row["text"], features(row["text"])) >= model.threshold
        actual = row["label"] == 1
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return ClassifierResult(f1(precision, recall), precision, recall, n)


def throughput(function, texts: list[str], *, min_seconds: float = 1.0, rounds: int = 3) -> float:
    """Characters per second of ``function`` applied to each text (best of ``rounds``)."""
    chars = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(rounds):
        repeats = 0
        start = time.perf_counter()
        elapsed = 0.0
        while elapsed < min_seconds / rounds or repeats == 0:
            for text in texts:
                function(text)
            repeats += 1
            elapsed = time.perf_counter() - start
        best = min(best, elapsed / repeats)
    return chars / best
