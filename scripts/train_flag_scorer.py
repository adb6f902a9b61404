#!/usr/bin/env python
"""Train the shipped flag scorer on the whole news corpus: reviews/rules/data/flag_scorer.json.

usage: python scripts/train_flag_scorer.py [--news DIR] [--out PATH]

Deterministic. Needs the dev requirements (scikit-learn). `manage.py train` does the same
and adds the newsroom's confirmed and dismissed flags.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.rules.scorer import SCORER_PATH  # noqa: E402
from reviews.rules.training import train_flag_scorer, write_scorer  # noqa: E402
from reviews.textproc import corpus  # noqa: E402

VERSION = "flags-news50-2"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "gold" / "news")
    parser.add_argument("--out", type=Path, default=SCORER_PATH)
    args = parser.parse_args()
    scorer = train_flag_scorer(corpus.load(args.news), version=VERSION)
    write_scorer(scorer, args.out)
    print(f"wrote {args.out}: " + ", ".join(f"{c} ≥ {m.threshold}" for c, m in sorted(scorer.rules.items())))


if __name__ == "__main__":
    main()
