#!/usr/bin/env python
"""Train the shipped check-worthiness model and write reviews/textproc/data/checkworthiness.json.gz.

usage: python scripts/train_checkworthiness.py [--data PATH] [--news DIR] [--seeds PATH] [--out PATH]

Trains on ClaimBuster's `crowdsourced` split (its `groundtruth` split is the test set,
reported by `make bench`) and on every gold sentence of the news corpus and the seed gold.
Deterministic: the same data gives the same file. Needs the dev requirements
(scikit-learn). `manage.py train` does the same and adds the newsroom's own decisions.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.textproc import corpus  # noqa: E402
from reviews.textproc.evaluation import read_jsonl  # noqa: E402
from reviews.textproc.model import MODEL_PATH  # noqa: E402
from reviews.textproc.training import page_sentences, train_checkworthiness, write_model  # noqa: E402

SHARED = ROOT.parent / "shared"
VERSION = "cb-news-stack-2"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "benchmarks" / "claimbuster.jsonl")
    parser.add_argument("--news", type=Path, default=SHARED / "gold" / "news")
    parser.add_argument("--seeds", type=Path, default=SHARED / "gold" / "seeds.jsonl")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    news = [s for page in corpus.load(args.news) for s in page_sentences(page)]
    news += [s for page in corpus.load_seeds(args.seeds, ROOT / "seeds") for s in page_sentences(page)]
    model = train_checkworthiness(news, read_jsonl(args.data), version=VERSION)
    write_model(model, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(model['vocabulary']):,} n-grams)")
    print(f"trained on {model['trained_on']}; threshold {model['threshold']}")


if __name__ == "__main__":
    main()
