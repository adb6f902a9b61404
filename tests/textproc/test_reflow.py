import re
import textwrap
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.textproc import InputError, analyze, clean
from reviews.textproc.reflow import reflow, wrap_width

WIRE = """KYIV (Reuters) - The Ukrainian defence ministry said on Monday that
11,000 Russian troops had been killed in the fighting around the city
since the start of the month, a figure that could not be verified.

The ministry gave no details of how it had counted the dead, and
Moscow did not comment on the figure."""

_WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def accounted(cleaned) -> Counter:
    """Every word the cleaner kept, took as metadata or reported as removed."""
    meta = cleaned.metadata
    return (
        words(cleaned.body)
        + words(meta.title)
        + sum((words(r.text) for r in cleaned.removed), Counter())
        + (words(meta.url) if meta.url and meta.url not in cleaned.body else Counter())
    )


def test_the_first_line_of_a_wrapped_paragraph_is_kept():
    result = analyze("Troops killed, ministry says\n\n" + WIRE)
    texts = [c.text for c in result.claims]
    assert texts[0].startswith("The Ukrainian defence ministry said on Monday that 11,000 Russian")
    assert result.metadata.dateline == "KYIV (Reuters)"
    assert {"text": "KYIV (Reuters) -", "reason": "dateline"} in result.to_dict()["removed"]
    for claim in result.claims:
        assert result.body[claim.start : claim.end] == claim.text


def test_indented_paragraphs_and_hyphen_breaks_are_rejoined():
    text = (
        "   The ministry said the men were in Belarus, where they were receiving\n"
        "psychological and medical help, and would later be flown home by well-\n"
        "known carriers.\n"
        "   Neither side gave the ranks of those released or said how many of\n"
        "them were wounded.\n"
        "   The exchange was the fourteenth this year, the ministry said in a\n"
        "statement.\n"
    )
    assert reflow(text).splitlines() == [
        "   The ministry said the men were in Belarus, where they were receiving psychological"
        " and medical help, and would later be flown home by well-known carriers.",
        "   Neither side gave the ranks of those released or said how many of them were wounded.",
        "   The exchange was the fourteenth this year, the ministry said in a statement.",
    ]


def test_text_that_is_not_wrapped_is_left_alone():
    text = "Headline\nBy Jane Roe\nA short line.\nAnother short line.\n"
    assert wrap_width(text.split("\n")) == 0
    assert reflow(text) == text
    broken = "A line long enough to be a wrapped line of a story\nthat goes on here.\n"
    assert reflow(broken) == "A line long enough to be a wrapped line of a story that goes on here.\n"


def test_a_byline_or_label_never_continues_a_wrapped_line():
    lines = [
        "Lib Dems overturn 33-year Tory hold in Wexcombe and Harle by-electio",
        "By Martin Olufemi, UKNS Political Correspondent",
        "",
    ] + ["x" * 60 + " and then"] * 5
    assert reflow("\n".join(lines)).split("\n")[:2] == lines[:2]


# Words of news prose, so that the generated paragraphs read as a story to the debris model.
_VOCABULARY = (
    "the council said on monday that its budget for roads would rise by a third next year "
    "after residents complained about the state of streets in the old town where repairs "
    "have been delayed since officials found the cost of materials had doubled and the "
    "mayor told reporters she expected work to begin in spring although two members voted "
    "against the plan because shop owners were not consulted about closures during the works"
).split()
_words = st.sampled_from(_VOCABULARY)
_sentence = st.builds(
    lambda first, rest, comma, end: (
        " ".join([first.capitalize()] + [w + ("," if i == comma else "") for i, w in enumerate(rest)]) + end
    ),
    _words,
    st.lists(st.one_of(_words, st.builds(lambda a, b: f"{a}-{b}", _words, _words)), min_size=7, max_size=22),
    st.integers(0, 25),
    st.sampled_from([".", ".", ".", "?", "!"]),
)


@st.composite
def _article(draw):
    """Paragraphs of two to four distinct sentences, as in news copy."""
    sentences = draw(st.lists(_sentence, min_size=6, max_size=20, unique=True))
    paragraphs = []
    while sentences:
        size = draw(st.integers(2, 4))
        paragraphs.append(" ".join(sentences[:size]))
        sentences = sentences[size:]
    return paragraphs


def claims(text: str) -> list[str] | str:
    try:
        return [c.text for c in analyze(text).claims]
    except InputError as exc:
        return str(exc)


@settings(max_examples=60, deadline=None)
@given(_article(), st.integers(60, 80), st.booleans())
def test_wrapping_at_60_to_80_columns_changes_no_claim_and_loses_no_text(paragraphs, width, indented):
    # Wire style marks a paragraph by indenting its first line, with no blank line between.
    indent, between = ("   ", "\n") if indented else ("", "\n\n")
    headline = "Council budget vote\n\n"
    flowing = headline + between.join(indent + p for p in paragraphs)
    wrapped = headline + between.join(
        textwrap.fill(p, width, initial_indent=indent, break_on_hyphens=True) for p in paragraphs
    )
    assert claims(wrapped) == claims(flowing)
    cleaned = clean(wrapped)
    assert accounted(cleaned) == words(wrapped)
    result = analyze(wrapped) if cleaned.body.strip() else None
    for claim in result.claims if result else ():
        assert result.body[claim.start : claim.end] == claim.text
