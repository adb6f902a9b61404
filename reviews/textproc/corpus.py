"""The annotated news corpus and its cross-validation folds (pure, no Django).

The corpus (``shared/gold/news``) is fifty pages; pages about the same event share facts and
wording, so they are never split between training and test material. ``FOLDS`` is the balanced
five-fold split its README gives (no same-event cluster straddles two folds); everything learned
from the corpus is scored on a fold it was not trained on.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FOLDS: tuple[tuple[str, ...], ...] = (
    ("A01", "A02", "A03", "A08", "B04", "B10", "C08", "D06", "E01", "E04"),
    ("B01", "B02", "B03", "C01", "C02", "C03", "C07", "C10", "D07", "D10"),
    ("A07", "A09", "C04", "C05", "D01", "D02", "D03", "D08", "E03", "E07", "E08"),
    ("A04", "A05", "A06", "A10", "D04", "D05", "E05", "E06", "E09", "E10"),
    ("B05", "B06", "B07", "B08", "B09", "C06", "C09", "D09", "E02"),
)


@dataclass(frozen=True)
class Page:
    """One annotated page: its gold entry (``file``, ``title``, ``debris``, ``claims``,
    ``flags``, …) and the page's text as stored."""

    gold: dict
    text: str

    @property
    def key(self) -> str:
        return self.gold["file"][:3]

    @property
    def fmt(self) -> str:
        return "html" if self.gold["file"].endswith(".html") else "text"


def fold_of(key: str) -> int:
    for number, keys in enumerate(FOLDS):
        if key in keys:
            return number
    raise KeyError(f"{key}: in no fold")


def load(news_dir: Path) -> list[Page]:
    """Every page of the corpus with its gold entry, in file order."""
    lines = (news_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return [Page(entry, (news_dir / entry["file"]).read_text(encoding="utf-8")) for entry in entries]


def splits(pages: list[Page]) -> Iterator[tuple[int, list[Page], list[Page]]]:
    """(fold number, training pages, test pages) for each of the five folds."""
    for number in range(len(FOLDS)):
        train = [p for p in pages if fold_of(p.key) != number]
        test = [p for p in pages if fold_of(p.key) == number]
        yield number, train, test


def load_seeds(gold_path: Path, seeds_dir: Path) -> list[Page]:
    """The five seed articles with their gold (``shared/gold/seeds.jsonl``); never in a fold."""
    lines = gold_path.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return [Page(entry, (seeds_dir / entry["file"]).read_text(encoding="utf-8")) for entry in entries]
