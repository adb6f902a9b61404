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


def seeds_gold(gold: list[dict], text_dir: Path) -> GoldResult:
    """Score analyze() on gold-annotated articles, as the gold scorer does."""
    g_total = p_total = hits = debris = leaks = 0
    tp = fp = fn = tn = 0
    for entry in gold:
        result = analyze((text_dir / entry["file"]).read_text(encoding="utf-8"))
        pred = [norm(c.text) for c in result.claims]
        gold_sentences = {norm(c["text"]): bool(c["checkworthy"]) for c in entry["claims"]}
        predicted = {norm(c.text): c.checkworthy for c in result.claims}
        g_total += len(gold_sentences)
        p_total += len(set(pred))
        both = set(gold_sentences) & set(predicted)
        hits += len(both)
        fragments = [norm(d) for d in entry["debris"] if len(norm(d)) >= 12]
        debris += len(fragments)
        leaks += sum(1 for d in fragments if any(d in p for p in pred))
        for s in both:
            g, p = gold_sentences[s], predicted[s]
            tp += g and p
            fp += p and not g
            fn += g and not p
            tn += not g and not p
    precision = hits / p_total if p_total else 0.0
    recall = hits / g_total if g_total else 0.0
    pos = f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    neg = f1(tn / (tn + fn) if tn + fn else 0.0, tn / (tn + fp) if tn + fp else 0.0)
    return GoldResult(
        sentence_f1=f1(precision, recall),
        debris_leak=leaks / debris if debris else 0.0,
        checkworthy_macro_f1=(pos + neg) / 2,
        sentences=g_total,
    )


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
