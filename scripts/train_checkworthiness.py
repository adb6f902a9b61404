#!/usr/bin/env python
"""Train the check-worthiness model and write reviews/textproc/data/checkworthiness.json.gz.

usage: python scripts/train_checkworthiness.py [--data PATH] [--out PATH]

Trains on ClaimBuster's `crowdsourced` split only (its `groundtruth` split is the test
set, reported by `make bench`). Deterministic: the same data gives the same file.
Needs the dev requirements (scikit-learn).
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.textproc.classify import features  # noqa: E402
from reviews.textproc.model import FEATURE_NAMES, MODEL_PATH, feature_vector, ngrams  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "claimbuster.jsonl"
VERSION = "cb-tfidf-stack-1"
MIN_DF = 2
TEXT_C = 3.0
STACK_C = 1.0
# Decision threshold on the stacked probability. Balanced class weights centre the model
# on 0.5; a stricter threshold trades recall for the precision a fact-checking queue needs.
THRESHOLD = 0.6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.data.read_text().splitlines()]
    train = [r for r in rows if r["split"] == "crowdsourced"]
    texts = [r["text"] for r in train]
    y = np.array([r["label"] for r in train])

    vectorizer = TfidfVectorizer(analyzer=ngrams, min_df=MIN_DF, sublinear_tf=True)
    X = vectorizer.fit_transform(texts)
    text_model = LogisticRegression(C=TEXT_C, class_weight="balanced", max_iter=5000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    # Stage 2 learns from out-of-fold stage-1 decisions, so it does not trust an overfit stage 1.
    oof = cross_val_predict(text_model, X, y, cv=folds, method="decision_function")
    text_model.fit(X, y)

    F = np.array([feature_vector(d, features(t)) for t, d in zip(texts, oof, strict=True)])
    stack = LogisticRegression(C=STACK_C, class_weight="balanced", max_iter=5000).fit(F, y)

    vocabulary = {
        term: [round(float(vectorizer.idf_[i]), 5), round(float(text_model.coef_[0][i]), 5)]
        for term, i in sorted(vectorizer.vocabulary_.items())
    }
    model = {
        "version": VERSION,
        "trained_on": f"ClaimBuster crowdsourced ({len(train)} sentences)",
        "features": list(FEATURE_NAMES),
        "threshold": THRESHOLD,
        "intercept": round(float(text_model.intercept_[0]), 6),
        "vocabulary": vocabulary,
        "stack": {
            "coef": [round(float(c), 6) for c in stack.coef_[0]],
            "intercept": round(float(stack.intercept_[0]), 6),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(model, separators=(",", ":"), sort_keys=True).encode()
    with open(args.out, "wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(payload)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(vocabulary):,} n-grams)")
    print("stack:", dict(zip(FEATURE_NAMES, model["stack"]["coef"], strict=True)))


if __name__ == "__main__":
    main()
