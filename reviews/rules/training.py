"""Train the flag scorer on annotated pages and the newsroom's decisions; measure it by CV.

Pure Python apart from scikit-learn (a dev requirement), imported when training runs.
A training example is one trigger proposal labelled by the gold: right when a gold flag of
the same rule overlaps its sentence. Newsroom decisions (a flag confirmed or dismissed by a
person) are examples too, labelled by the decision.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reviews.textproc import Analysis, analyze

from .engine import propose
from .evaluation import FlagScore
from .knowledge import Knowledge
from .scorer import FlagScorer, features, neighbours_of

_WS = re.compile(r"\s+")
MIN_POSITIVES = 3
C = 0.5
INNER_FOLDS = 4
BETA = 1.0  # F-beta the threshold maximises on held-out proposals (below 1 favours precision)
THRESHOLDS = [t / 100 for t in range(10, 91, 2)]
# How far below a rule's best held-out F1 a threshold may be and still be its threshold.
TOLERANCE = 0.05


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def overlaps(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass(frozen=True)
class Example:
    """One proposal, its features and its label; ``group`` keeps an article's examples together."""

    rule: str
    text: str
    feats: dict
    label: bool
    group: str


@dataclass(frozen=True)
class Decision:
    """A person's verdict on a flag: the analysed article, the flagged passage, the rule, kept or not."""

    analysis: Analysis
    rule: str
    text: str
    confirmed: bool
    group: str


def page_examples(page, knowledge: Knowledge | None = None) -> list[Example]:
    """Every proposal on an annotated page, labelled by its gold flags."""
    analysis = analyze(page.text, fmt=page.fmt)
    doc, proposals = propose(analysis, knowledge=knowledge)
    near = neighbours_of(proposals)
    gold = [(f["rule"], f["text"]) for f in page.gold["flags"]]
    return [
        Example(
            p.rule,
            p.sentence.text,
            features(p, doc, near),
            any(r == p.rule and overlaps(t, p.sentence.text) for r, t in gold),
            page.key,
        )
        for p in proposals
    ]


def decision_examples(decisions: Iterable[Decision], knowledge: Knowledge | None = None) -> list[Example]:
    """The proposals that match the newsroom's decisions, labelled by them."""
    out = []
    cache: dict[int, tuple] = {}
    for d in decisions:
        key = id(d.analysis)
        if key not in cache:
            doc, proposals = propose(d.analysis, knowledge=knowledge)
            cache[key] = (doc, proposals, neighbours_of(proposals))
        doc, proposals, near = cache[key]
        for p in proposals:
            if p.rule == d.rule and overlaps(d.text, p.sentence.text):
                out.append(Example(p.rule, p.sentence.text, features(p, doc, near), d.confirmed, d.group))
                break
    return out


def _fit(examples: list[Example]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform([e.feats for e in examples])
    y = [e.label for e in examples]
    model = LogisticRegression(C=C, max_iter=2000, fit_intercept=False).fit(X, y)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.feature_names_, model.coef_[0], strict=True)
        if abs(w) > 1e-6
    }
    return weights


def _probability(weights: dict, feats: dict) -> float:
    import math

    z = sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _best_threshold(scored: list[tuple[float, bool]]) -> float:
    """The threshold with the best F1 on held-out proposals (ties: the higher, fewer flags)."""
    best, best_t = -1.0, 0.5
    for t, f1 in zip(THRESHOLDS, _f1_curve(scored), strict=True):
        if f1 is not None and f1 >= best:
            best, best_t = f1, t
    return best_t


def _learnable(examples: list[Example]) -> bool:
    positives = sum(e.label for e in examples)
    return positives >= MIN_POSITIVES and positives < len(examples)


def _by_rule(examples: list[Example]) -> dict[str, list[Example]]:
    out: dict[str, list[Example]] = {}
    for e in examples:
        out.setdefault(e.rule, []).append(e)
    return out


def held_out_scores(examples: list[Example]) -> dict[str, list[tuple[float, bool]]]:
    """Each rule's examples with their probability from the rule's model trained without the
    example's article (articles split into ``INNER_FOLDS`` folds, every rule's examples together)."""
    groups = sorted({e.group for e in examples})
    scored: dict[str, list[tuple[float, bool]]] = {}
    for i in range(INNER_FOLDS):
        held = set(groups[i::INNER_FOLDS])
        for code, rows in _by_rule(examples).items():
            train = [e for e in rows if e.group not in held]
            test = [e for e in rows if e.group in held]
            if test and _learnable(train):
                weights = _fit(train)
                scored.setdefault(code, []).extend((_probability(weights, e.feats), e.label) for e in test)
    return scored


def _f1_curve(scored: list[tuple[float, bool]]) -> list[float | None]:
    """F-beta (``BETA``) of keeping the proposals at or above each of ``THRESHOLDS``; None where
    nothing is kept or nothing is right."""
    positives = sum(label for _, label in scored)
    b2 = BETA * BETA
    out: list[float | None] = []
    for t in THRESHOLDS:
        kept = [label for p, label in scored if p >= t]
        tp = sum(kept)
        if not kept or not positives:
            out.append(None)
            continue
        precision, recall = tp / len(kept), tp / positives
        out.append((1 + b2) * precision * recall / (b2 * precision + recall) if tp else 0.0)
    return out


def rule_threshold(scored: list[tuple[float, bool]], shared: float) -> float:
    """A rule's threshold: among those whose held-out F1 is within ``TOLERANCE`` of the rule's
    best, the one nearest the threshold shared by all rules.

    A rule's F1 curve over its few dozen held-out proposals is flat over a wide range, so its
    maximum alone lands anywhere in it and moved by up to 0.4 between folds with small changes
    to the data; within the flat range the shared threshold decides. A rule whose proposals are
    rarely right (an F1 that falls away fast above a low threshold) keeps a low threshold, and
    so keeps raising flags the newsroom can teach it with.
    """
    curve = [f or 0.0 for f in _f1_curve(scored)]
    best = max(curve)
    near = [t for t, f in zip(THRESHOLDS, curve, strict=True) if f >= best - TOLERANCE]
    return min(near, key=lambda t: (abs(t - shared), -t))


def train_from_examples(examples: list[Example], version: str = "") -> FlagScorer:
    """One logistic regression per rule with enough examples to learn from, each with its
    threshold (``rule_threshold``), drawn toward the best threshold for every rule's held-out
    proposals together (docs/notes.md, "Flag thresholds drawn toward a shared one")."""
    by_rule = held_out_scores(examples)
    pooled = [row for rows in by_rule.values() for row in rows]
    shared = _best_threshold(pooled) if pooled else 0.5
    rules = {}
    for code, rows in sorted(_by_rule(examples).items()):
        if _learnable(rows):
            rules[code] = {
                "weights": _fit(rows),
                "threshold": rule_threshold(by_rule[code], shared) if by_rule.get(code) else shared,
                "examples": len(rows),
                "positives": sum(e.label for e in rows),
            }
    return FlagScorer({"version": version, "rules": rules})


def train_flag_scorer(pages, decisions: Iterable[Decision] = (), *, version: str = "") -> FlagScorer:
    """Train the scorer on annotated pages plus the newsroom's flag decisions."""
    examples = [e for page in pages for e in page_examples(page)]
    examples += decision_examples(decisions)
    return train_from_examples(examples, version)


def score_pages(pages, scorer: FlagScorer | None) -> FlagScore:
    """Flag recall and precision of the engine with ``scorer`` on annotated pages (the gold
    scorer's definitions: (sentence, rule) pairs, matched by overlap)."""
    from .engine import run_rules

    counts = FlagScore()
    for page in pages:
        analysis = analyze(page.text, fmt=page.fmt)
        predicted = {(h.rule, _norm(h.text)) for h in run_rules(analysis, scorer=scorer or False)}
        expected = [(f["rule"], f["text"]) for f in page.gold["flags"]]
        for rule, text in expected:
            counts.add(rule, 0)
            counts.add(rule, 1, any(r == rule and overlaps(text, t) for r, t in predicted))
        for rule, text in predicted:
            counts.add(rule, 2)
            counts.add(rule, 3, any(r == rule and overlaps(text, t) for r, t in expected))
    return counts


def cross_validate(pages, splits) -> list[tuple[int, FlagScore]]:
    """Train on each fold's training pages, score its test pages: [(fold, counts), …]."""
    return [(number, score_pages(test, train_flag_scorer(train))) for number, train, test in splits(pages)]


def write_scorer(scorer: FlagScorer, path) -> None:
    """Write the scorer as JSON (sorted keys: the same training gives the same file)."""
    import json

    path.write_text(json.dumps(scorer.to_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Simulation:
    before: FlagScore
    after: FlagScore
    decisions: int


def simulate_newsroom(
    pages, folds: int = 5, decisions: int = 200, fold_of=None, rule: str | None = None
) -> Simulation:
    """What ``decisions`` confirmed/dismissed flags teach the scorer, by rotation over the folds.

    For each test fold, the scorer is trained on two other folds (the annotated corpus); the
    remaining two folds are the newsroom's own articles: the flags that scorer raises there are
    resolved, in article order, up to ``decisions`` of them (confirmed when the gold agrees), and
    the scorer is retrained with them. Both scorers are scored on the test fold.
    """
    before, after = FlagScore(), FlagScore()
    total = 0
    by_fold = [[p for p in pages if fold_of(p.key) == k] for k in range(folds)]
    for k in range(folds):
        test = by_fold[k]
        base = by_fold[(k + 1) % folds] + by_fold[(k + 2) % folds]
        newsroom = by_fold[(k + 3) % folds] + by_fold[(k + 4) % folds]
        examples = [e for p in base for e in page_examples(p)]
        scorer = train_from_examples(examples)
        resolved = []
        for page in newsroom:
            analysis = analyze(page.text, fmt=page.fmt)
            gold = [(f["rule"], f["text"]) for f in page.gold["flags"]]
            from .engine import run_rules

            for hit in run_rules(analysis, scorer=scorer):
                if len(resolved) >= decisions:
                    break
                if rule and hit.rule != rule:
                    continue
                confirmed = any(r == hit.rule and overlaps(t, hit.text) for r, t in gold)
                resolved.append(Decision(analysis, hit.rule, hit.text, confirmed, page.key))
        total += len(resolved)
        before.merge(score_pages(test, scorer))
        after.merge(score_pages(test, train_from_examples(examples + decision_examples(resolved))))
    return Simulation(before, after, total)
