"""The title of a text with no headline: its first sentence, shortened at a word."""

import pytest

from reviews.textproc import TITLE_LIMIT, title_from

LONG = (
    "The city council voted 7-2 on Tuesday to approve a $4.2 million contract for road repairs "
    "across the northern districts, despite objections from residents who said the work had "
    "been promised three times since 2019 and never delivered, according to the minutes."
)


def test_a_short_sentence_is_the_title_as_it_is():
    assert title_from("The council voted 7-2 on Tuesday.") == "The council voted 7-2 on Tuesday."
    assert title_from("The council\n  voted 7-2.") == "The council voted 7-2."


def test_a_long_sentence_is_cut_after_a_whole_word_with_an_ellipsis():
    title = title_from(LONG)
    assert (
        title == "The city council voted 7-2 on Tuesday to approve a $4.2 million contract for road repairs…"
    )
    assert len(title) <= TITLE_LIMIT and LONG.startswith(title[:-1])
    assert title_from(LONG, limit=40) == "The city council voted 7-2 on Tuesday…"


@pytest.mark.parametrize("limit", range(20, 120, 7))
def test_the_cut_is_at_a_word_boundary_within_the_limit(limit):
    title = title_from(LONG, limit=limit)
    assert len(title) <= limit and title.endswith("…")
    kept = title[:-1]
    assert LONG.startswith(kept) and LONG[len(kept)] in " ,"
    assert not kept.endswith((" ", ","))


def test_one_word_longer_than_the_limit_is_cut_where_it_must_be():
    assert title_from("x" * 200, limit=10) == "x" * 9 + "…"
