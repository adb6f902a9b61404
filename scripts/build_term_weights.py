#!/usr/bin/env python
"""Build reviews/textproc/data/term_weights.json.gz: how common each content term is in general.

usage: python scripts/build_term_weights.py [--data PATH] [--out PATH]

Claim matching weighs a shared term by how rare it is among the claims already stored
and, so that a young newsroom with few claims still tells "drone" from "said", by how
rare it is in general speech: the document frequency of each term over ClaimBuster's
23,533 sentences (both splits; only the text is used). Deterministic.
"""

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.textproc.similarity import WEIGHTS_PATH, terms  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "claimbuster.jsonl"
MIN_DF = 2


def build(data: Path) -> bytes:
    df, n = Counter(), 0
    with data.open(encoding="utf-8") as f:
        for line in f:
            n += 1
            df.update(terms(json.loads(line)["text"]))
    kept = {t: c for t, c in sorted(df.items()) if c >= MIN_DF and not t.startswith("#")}
    payload = json.dumps({"source": data.name, "sentences": n, "df": kept}, sort_keys=True)
    return gzip.compress(payload.encode("utf-8"), mtime=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    args.out.write_bytes(build(args.data))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
