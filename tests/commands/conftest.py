"""Shared pieces of the command tests."""

import json

import pytest

from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"


@pytest.fixture
def small_shared(tmp_path):
    """One corpus page per fold and 400 ClaimBuster sentences: the real layout, small enough to train."""
    news = tmp_path / "gold" / "news"
    news.mkdir(parents=True)
    wanted = ("A01", "B01", "A07", "A04", "B05")
    lines = (SHARED / "gold" / "news" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if json.loads(line)["file"][:3] in wanted]
    (news / "gold.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    # All the labelled pairs: those whose two pages are not both here are left out on loading.
    (news / "pairs.jsonl").write_text(
        (SHARED / "gold" / "news" / "pairs.jsonl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for line in kept:
        name = json.loads(line)["file"]
        (news / name).write_text(
            (SHARED / "gold" / "news" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "gold" / "seeds.jsonl").write_text(
        (SHARED / "gold" / "seeds.jsonl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    rows = (SHARED / "benchmarks" / "claimbuster.jsonl").read_text(encoding="utf-8").splitlines()
    crowd = [r for r in rows if '"crowdsourced"' in r][:400]
    (bench / "claimbuster.jsonl").write_text("\n".join(crowd) + "\n", encoding="utf-8")
    return tmp_path
