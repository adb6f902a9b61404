"""Train the check-worthiness model on ClaimBuster and news sentences; measure it by CV.

Needs scikit-learn (a dev requirement), imported when training runs; the result is the
same JSON the runtime scores in plain Python (``model.py``).

Stage 1, a logistic regression over TF-IDF word 1- and 2-grams, learns from ClaimBuster's
crowdsourced sentences (political debates) and from the news sentences, which weigh more
because they are the domain. Stage 2 learns, from news sentences only, how to combine
stage 1's out-of-fold decision with the news features (figures, dates, attribution,
quotes, opinion and hedge words, …), and the decision threshold is the one with the best
macro-F1 on news sentences held out by article.
"""

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from .classify import analyse_sentence, open_quote_after
from .evaluation import f1
from .model import FEATURE_NAMES, CheckworthinessModel, feature_vector, ngrams

MIN_DF = 2
TEXT_C = 3.0
STACK_C = 1.0
NEWS_WEIGHT = 4.0
INNER_FOLDS = 4
THRESHOLDS = [t / 100 for t in range(30, 81, 2)]


@dataclass(frozen=True)
class Labelled:
    """One sentence with its label; ``group`` keeps an article's sentences together."""

    text: str
    checkworthy: bool
    group: str
    in_open_quote: bool = False


def page_sentences(page) -> list[Labelled]:
    """The gold claims of an annotated page, in order, with the quotation state before each."""
    out, in_quote = [], False
    for claim in page.gold["claims"]:
        text = claim["text"]
        out.append(Labelled(text, bool(claim["checkworthy"]), page.key, in_quote))
        in_quote = open_quote_after(text, in_quote)
    return out


def _features(rows: list[Labelled]):
    return [analyse_sentence(r.text, in_open_quote=r.in_open_quote)[0] for r in rows]


def _stage1(texts, labels, weights):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=ngrams, min_df=MIN_DF, sublinear_tf=True)
    X = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=TEXT_C, class_weight="balanced", max_iter=5000)
    model.fit(X, labels, sample_weight=weights)
    return vectorizer, model


def _model_json(vectorizer, text_model, stack, threshold: float, version: str, trained_on: str) -> dict:
    vocabulary = {
        term: [round(float(vectorizer.idf_[i]), 5), round(float(text_model.coef_[0][i]), 5)]
        for term, i in sorted(vectorizer.vocabulary_.items())
    }
    return {
        "version": version,
        "trained_on": trained_on,
        "features": list(FEATURE_NAMES),
        "threshold": threshold,
        "intercept": round(float(text_model.intercept_[0]), 6),
        "vocabulary": vocabulary,
        "stack": {
            "coef": [round(float(c), 6) for c in stack.coef_[0]],
            "intercept": round(float(stack.intercept_[0]), 6),
        },
    }


def _groups_split(rows: list[Labelled], folds: int):
    groups = sorted({r.group for r in rows})
    for i in range(folds):
        held = set(groups[i::folds])
        yield [r for r in rows if r.group not in held], [r for r in rows if r.group in held]


def _oof_decisions(cb_texts, cb_labels, news: list[Labelled]) -> list[float]:
    """Stage-1 decisions on each news sentence from a stage 1 that never saw its article."""
    import numpy as np

    out = {}
    for train, test in _groups_split(news, INNER_FOLDS):
        texts = cb_texts + [r.text for r in train]
        labels = cb_labels + [int(r.checkworthy) for r in train]
        weights = [1.0] * len(cb_texts) + [NEWS_WEIGHT] * len(train)
        vectorizer, model = _stage1(texts, np.array(labels), np.array(weights))
        decisions = model.decision_function(vectorizer.transform([r.text for r in test]))
        out.update({id(r): float(d) for r, d in zip(test, decisions, strict=True)})
    return [out[id(r)] for r in news]


def macro_f1(pairs) -> float:
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if p and not g)
    fn = sum(1 for g, p in pairs if g and not p)
    tn = sum(1 for g, p in pairs if not g and not p)
    pos = f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    neg = f1(tn / (tn + fn) if tn + fn else 0.0, tn / (tn + fp) if tn + fp else 0.0)
    return (pos + neg) / 2


def train_checkworthiness(
    news: list[Labelled], claimbuster_rows: list[dict], *, version: str = "", trained_on: str = ""
) -> dict:
    """Train the two-stage model on ClaimBuster's crowdsourced split and labelled news sentences.

    Returns the model as the JSON dict ``model.py`` loads.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    cb = [r for r in claimbuster_rows if r["split"] == "crowdsourced"]
    cb_texts, cb_labels = [r["text"] for r in cb], [int(r["label"]) for r in cb]
    feats = _features(news)
    oof = _oof_decisions(cb_texts, cb_labels, news)
    F = np.array([feature_vector(d, f) for d, f in zip(oof, feats, strict=True)])
    y = np.array([int(r.checkworthy) for r in news])

    # The threshold: best macro-F1 of a stage 2 fitted without the held-out articles.
    scored = []
    index = {id(r): i for i, r in enumerate(news)}
    for train, test in _groups_split(news, INNER_FOLDS):
        tr, te = [index[id(r)] for r in train], [index[id(r)] for r in test]
        stack = LogisticRegression(C=STACK_C, class_weight="balanced", max_iter=5000).fit(F[tr], y[tr])
        scored += list(zip(stack.predict_proba(F[te])[:, 1], y[te], strict=True))
    threshold = max(THRESHOLDS, key=lambda t: (macro_f1([(g, p >= t) for p, g in scored]), -abs(t - 0.5)))

    stack = LogisticRegression(C=STACK_C, class_weight="balanced", max_iter=5000).fit(F, y)
    texts = cb_texts + [r.text for r in news]
    labels = np.array(cb_labels + [int(r.checkworthy) for r in news])
    weights = np.array([1.0] * len(cb_texts) + [NEWS_WEIGHT] * len(news))
    vectorizer, text_model = _stage1(texts, labels, weights)
    trained_on = trained_on or f"ClaimBuster crowdsourced ({len(cb)}) + {len(news)} news sentences"
    return _model_json(vectorizer, text_model, stack, threshold, version, trained_on)


def decisions(model: CheckworthinessModel, rows: list[Labelled]) -> list[tuple[bool, bool]]:
    """(gold, predicted) check-worthiness of each labelled sentence."""
    pairs = []
    for r in rows:
        f = analyse_sentence(r.text, in_open_quote=r.in_open_quote)[0]
        pairs.append((r.checkworthy, model.score(r.text, f) >= model.threshold))
    return pairs


def cross_validate(pages, splits, claimbuster_rows, extra: list[Labelled] = ()):
    """[(fold, [(gold, predicted), …] on its test pages), …], trained afresh on each fold's
    training pages (plus ``extra`` sentences, e.g. the seeds)."""
    out = []
    for number, train, test in splits(pages):
        news = [s for p in train for s in page_sentences(p)] + list(extra)
        model = CheckworthinessModel(train_checkworthiness(news, claimbuster_rows))
        out.append((number, decisions(model, [s for p in test for s in page_sentences(p)])))
    return out


def write_model(model: dict, path: Path) -> None:
    """Write the model gzipped and byte-for-byte reproducible."""
    payload = json.dumps(model, separators=(",", ":"), sort_keys=True).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(payload)
