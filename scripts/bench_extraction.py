#!/usr/bin/env python
"""Measure the article text taken from real news pages against a public benchmark.

usage: python scripts/bench_extraction.py DIR

DIR is a checkout of the ScrapingHub article extraction benchmark
(github.com/scrapinghub/article-extraction-benchmark: 181 news pages as html/<id>.html.gz and
their hand-checked article bodies in ground-truth.json). Scored as that benchmark scores:
word 4-gram shingles of the expected body against the extracted text, each page's true
positives, false positives and false negatives normalised to sum to one, then summed.

Prints, for the body the pipeline keeps (headline and debris removed), for its claims, and for
trafilatura's own main text (the pipeline's settings): precision, recall and F1; and the pages
refused. The body is meant to be lower in recall than the extractor by design: section headings,
captions, datelines and promos are debris here (docs/notes.md).
"""

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def matching(truth: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of the two texts' shingles, normalised to sum to one."""
    a, b = shingles(truth), shingles(predicted)
    tp = sum((a & b).values())
    fp = sum((b - a).values())
    fn = sum((a - b).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    import trafilatura

    from reviews.textproc import InputError, analyze

    truth = json.loads((args.benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    sums = {"body": [0.0, 0.0, 0.0], "claims": [0.0, 0.0, 0.0], "trafilatura": [0.0, 0.0, 0.0]}
    refused = []
    for key, item in truth.items():
        page = args.benchmark / "html" / f"{key}.html.gz"
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        try:
            analysis = analyze(html, fmt="html")
            body, claims = analysis.body, "\n".join(c.text for c in analysis.claims)
        except InputError as exc:
            body = claims = ""
            refused.append(f"{item['url']}: {exc}")
        doc = trafilatura.bare_extraction(
            html, fast=True, include_comments=False, include_tables=True, include_images=False
        )
        extracted = (doc.text or "") if doc is not None else ""
        for name, text in (("body", body), ("claims", claims), ("trafilatura", extracted)):
            for i, value in enumerate(matching(item["articleBody"], text)):
                sums[name][i] += value
    print(f"{len(truth)} pages of {args.benchmark}")
    for name, (tp, fp, fn) in sums.items():
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        print(f"  {name:<12} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"  refused: {len(refused)}")
    for line in refused:
        print(f"    {line}")


if __name__ == "__main__":
    main()
