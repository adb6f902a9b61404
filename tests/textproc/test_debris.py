import json
import re
from collections import Counter
from pathlib import Path

import pytest

from reviews.textproc import clean, corpus
from reviews.textproc.debris import MODEL_PATH, Unit, load_debris_model
from reviews.textproc.debris_training import labels, train_debris
from reviews.textproc.markup import _parse, visible_lines

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "gold"
needs_corpus = pytest.mark.skipif(
    not (SHARED / "news" / "gold.jsonl").is_file(), reason="the shared news corpus is not beside the checkout"
)
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


@pytest.fixture(scope="module")
def pages():
    return corpus.load(SHARED / "news")


@needs_corpus
def test_the_shipped_model_is_reproducible(pages):
    seeds = corpus.load_seeds(SHARED / "seeds.jsonl", ROOT / "seeds")
    retrained = train_debris(pages + seeds)
    assert retrained == json.loads(MODEL_PATH.read_text(encoding="utf-8"))


@needs_corpus
def test_no_word_of_a_corpus_page_is_lost(pages):
    """Every word of every page is in the body, the headline or a removed fragment."""
    for page in pages:
        cleaned = clean(page.text, fmt=page.fmt)
        kept = (
            words(cleaned.body)
            + words(cleaned.metadata.title)
            + sum((words(r.text) for r in cleaned.removed), Counter())
        )
        if page.fmt == "html":
            page_words = sum((words(line) for line in visible_lines(_parse(page.text))), Counter())
        else:
            page_words = words(page.text)
        assert not page_words - kept, page.key


@needs_corpus
def test_lines_are_labelled_by_the_gold_claims(pages):
    page = next(p for p in pages if p.key == "E07")
    claim = page.gold["claims"][0]["text"]
    lines = [
        Unit("Share", True, True, "share widget"),
        Unit(claim[:40], False, False, ""),
        Unit("KYIV, Ukraine (EuroWire) — " + claim, True, True, ""),
    ]
    assert labels(page, lines) == [0, 1, 1]


def test_page_furniture_is_removed_with_reasons_and_the_story_kept():
    story = [
        "The council approved a budget of $4.2 million on Tuesday, officials said after a long meeting.",
        "The vote was 7 to 2 after a three-hour debate in the town hall, where residents spoke for "
        "and against the plan.",
        "Most of the money will go on resurfacing roads in the old town, which have not been repaired "
        "since 2009, according to the council's own survey.",
        "The mayor, Ana Ruiz, said the budget was the fairest the town had seen in a decade and that "
        "work would start in the spring.",
    ]
    raw = (
        "Home\nNews\nLocal\n\nCouncil passes budget for old town roads\n\nBy Jane Roe\n"
        "Tuesday, March 3, 2026\n\n" + "\n\n".join(story) + "\n\nShare\n\nMost Read\n"
        "Mayor opens new library in the north of the town\nFootball club signs striker from rivals\n"
        "\n© 2026 The Courier. All rights reserved.\n"
    )
    cleaned = clean(raw)
    assert cleaned.body == "\n\n".join(story)
    assert cleaned.metadata.title == "Council passes budget for old town roads"
    assert cleaned.metadata.byline == "Jane Roe"
    assert cleaned.metadata.published == "2026-03-03"
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Local"] == "page header"
    assert reasons["Most Read"] == "related or most-read list"
    assert reasons["Football club signs striker from rivals"] == "related or most-read list"


def test_the_model_scores_in_plain_python():
    model = load_debris_model()
    units = [Unit("Share", True, True, "share widget")] + [
        Unit(f"The council met on day {i} and voted on the budget for the roads of the town.", True, True, "")
        for i in range(5)
    ]
    probabilities = model.body_probabilities(units)
    assert len(probabilities) == 6 and all(0.0 <= p <= 1.0 for p in probabilities)
    assert probabilities[0] < model.threshold <= min(probabilities[1:])


def test_a_heads_letters_capitals_and_digits_are_counted_as_the_str_methods_count_them():
    from reviews.textproc.debris import _NEUTRAL, _char_counts

    for ch in _NEUTRAL.pattern.strip("[]"):
        assert not (ch.isalpha() or ch.isupper() or ch.isdigit()), ch
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    lines = [line for path in seeds for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ["Ünïcode ÀÉ letters — and “quotes”", "٣ Arabic-Indic digit, ² superscript", "ǅ titlecase", ""]
    for line in lines:
        head = line[:160]
        want = (sum(map(str.isalpha, head)), sum(map(str.isupper, head)), sum(map(str.isdigit, head)))
        assert _char_counts(head) == want, head


def test_a_line_is_urlish_exactly_when_the_pattern_finds_a_link():
    from reviews.textproc.debris import _URLISH, _urlish

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    lines = [line for path in seeds for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ["See HTTPS://example.org", "WWW.Example", "mail me @home", "the .GOV site", "a.co.uk", "www"]
    for line in lines:
        assert _urlish(line) == bool(_URLISH.search(line)), line
