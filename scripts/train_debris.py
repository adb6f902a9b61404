#!/usr/bin/env python
"""Train the debris model and write reviews/textproc/data/debris.json.

usage: python scripts/train_debris.py [--shared PATH] [--out PATH]

Trains on every page of the annotated news corpus (shared/gold/news) and the seed gold
(shared/gold/seeds.jsonl with seeds/). `make bench` reports the model's figures by 5-fold
article-level cross-validation, each fold's model trained without that fold. Deterministic:
the same data gives the same file. Needs the dev requirements (scikit-learn).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.textproc import corpus  # noqa: E402
from reviews.textproc.debris import MODEL_PATH  # noqa: E402
from reviews.textproc.debris_training import train_debris, write  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    pages = corpus.load(args.shared / "gold" / "news")
    seeds = corpus.load_seeds(args.shared / "gold" / "seeds.jsonl", ROOT / "seeds")
    model = train_debris(pages + seeds)
    write(model, args.out)
    print(f"{args.out}: {model['version']}, trained on {len(pages)} news pages and {len(seeds)} seeds")


if __name__ == "__main__":
    main()
