#!/usr/bin/env python
"""Train reviews/textproc/data/match_model.json: the match model shipped with the code.

usage: python scripts/train_match_model.py [--news DIR] [--out PATH]

Trained on the news corpus's labelled pairs (``shared/gold/news/pairs.jsonl``) and the
candidates the index offers from other events, then measured by article-level
cross-validation (the figures are printed; the thresholds stored are those chosen on
the whole corpus by the same rule). Deterministic. ``manage.py train`` does the same
with the newsroom's own decisions added.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.textproc import corpus  # noqa: E402
from reviews.textproc import match_training as mt  # noqa: E402
from reviews.textproc.matchmodel import MODEL_PATH, write_model  # noqa: E402

DEFAULT_NEWS = ROOT.parent / "shared" / "gold" / "news"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    pages = corpus.load(args.news)
    pairs = mt.load_pairs(args.news, pages)
    total = mt.Scores()
    for number, _, scores in mt.cross_validate(pages, pairs):
        total.merge(scores)
        print(f"fold {number + 1}: {mt.summary(scores)}")
    print(f"pooled: {mt.summary(total)}")
    write_model(mt.train_on_corpus(pages, pairs), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
