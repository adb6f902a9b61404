"""The pre-filter of every trigger is derived from its pattern and never rules out a match."""

import functools

import pytest

from reviews.rules import library
from reviews.rules.triggers import Trigger, key_prefixes, words
from tests.rules.test_library import NEGATIVE, POSITIVE

TRIGGERS = {name: value for name, value in vars(library).items() if isinstance(value, Trigger)}

# Words the first, hand-kept pre-filters lacked although their patterns named them.
DRIFTED = [
    "The attack was recorded by a drone.",
    "Videos were posted online.",
    "It spread on social media.",
    "Shoot anyone who gives up.",
    "It was alleged that the town was shelled.",
    "It was claimed that the bridge fell.",
    "It is said that the mayor resigned.",
]


def test_keys_are_the_literal_prefixes_of_each_alternative():
    assert key_prefixes(r"\b(?:film(?:s|ed)?|posted online|(?:a|b)c)\b") == {
        "film",
        "films",
        "filmed",
        "posted online",
        "ac",
        "bc",
    }
    # Past a group whose branches are all literal, the prefix goes on.
    assert key_prefixes(r"\b(?:is|was) (?:said|thought) to\b") == {
        "is said to",
        "is thought to",
        "was said to",
        "was thought to",
    }
    # Past a group that stops early (\w+), it cannot.
    assert key_prefixes(r"\b(?:says|said \w+) to\b") == {"says", "said"}
    assert key_prefixes(r"^reports (?:from|of)|\bit (?:is|was)") == {
        "reports from",
        "reports of",
        "it is",
        "it was",
    }


def test_a_pattern_without_a_literal_prefix_has_no_pre_filter():
    trigger = Trigger(r"\w+ly said")
    assert trigger.keys is None and trigger.possible("anything")


@pytest.mark.parametrize("name", sorted(TRIGGERS))
def test_pre_filter_never_hides_a_match(name):
    trigger = TRIGGERS[name]
    sentences = DRIFTED + [s for _, s in POSITIVE + NEGATIVE]
    for sentence in sentences:
        if trigger.pattern.search(sentence):
            assert trigger.possible(sentence), (name, sentence)


@pytest.mark.parametrize("sentence", DRIFTED)
def test_words_missing_from_the_old_hand_kept_sets_now_pass_the_pre_filter(sentence):
    assert any(t.pattern.search(sentence) and t.possible(sentence) for t in TRIGGERS.values())


def test_words_match_whole_words_only():
    trigger = words(r"clips?")
    assert trigger.search("two clips") and not trigger.search("eclipse")


def _all_triggers():
    from reviews.rules import scorer, typos

    found = dict(TRIGGERS)
    found.update({name: v for name, v in vars(scorer).items() if isinstance(v, Trigger)})
    found.update({f"grammar:{reason}": pattern for pattern, reason in typos._GRAMMAR})
    return found


@functools.cache
def _seed_sentences():
    from pathlib import Path

    from reviews.textproc import analyze

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    return [c.text for path in sorted(seeds.glob("*.txt")) for c in analyze(path.read_text()).claims]


@pytest.mark.parametrize("name", sorted(_all_triggers()))
def test_the_fast_search_finds_what_the_pattern_finds(name):
    """Lower-cased branches, first-word tests and remembered answers change nothing."""
    from reviews.rules.triggers import new_document

    trigger = _all_triggers()[name]
    base = DRIFTED + [s for _, s in POSITIVE + NEGATIVE] + _seed_sentences()
    # Capitals, and a letter whose lower case is longer (offsets would move).
    sentences = (
        base + [s.upper() for s in base] + [s.title() for s in base] + ["İstanbul: " + s for s in base]
    )
    for sentence in sentences:
        new_document()
        for _ in range(2):  # the second answer is the remembered one
            got, want = trigger.search(sentence), trigger.pattern.search(sentence)
            assert (got and (got.span(), got.group(0))) == (want and (want.span(), want.group(0))), sentence


def test_named_groups_keep_their_names_when_lower_cased():
    trigger = Trigger(r"\b(?P<Word>[a-z]+) (?P=Word)\b")
    assert trigger.search("It was The the end").group(0) == "The the"


def test_a_leading_group_is_spread_into_one_piece_per_alternative():
    from reviews.rules.triggers import spread

    assert spread(r"\b(?:a|bc?|d(?:e|f))\b") == [r"\b(?:a)\b", r"\b(?:bc?)\b", r"\b(?:d(?:e|f))\b"]
    assert spread(r"(?<!\ban )\b(?:said|says) (?:it|so)") == [
        r"(?<!\ban )\b(?:said) (?:it|so)",
        r"(?<!\ban )\b(?:says) (?:it|so)",
    ]
    # Not spread: a repeated group, a group after a literal, capturing groups (their numbers).
    assert spread(r"\b(?:a|b)+c") == [r"\b(?:a|b)+c"]
    assert spread(r"x(?:a|b)") == [r"x(?:a|b)"]
    assert spread(r"\b(?:(a)|b)\1") == [r"\b(?:(a)|b)\1"]


@pytest.mark.parametrize("name", sorted(_all_triggers()))
def test_the_pieces_together_match_where_the_pattern_matches(name):
    """The pieces of every branch, as one alternation in order, match what the pattern matches."""
    import re

    from reviews.rules.triggers import spread, top_level_branches

    trigger = _all_triggers()[name]
    pieces = [
        p for branch in top_level_branches(trigger.source) for p in spread(branch, trigger.pattern.flags)
    ]
    joined = re.compile("|".join(f"(?:{p})" for p in pieces), trigger.pattern.flags)
    base = DRIFTED + [s for _, s in POSITIVE + NEGATIVE] + _seed_sentences()
    for sentence in base + [s.upper() for s in base]:
        got, want = joined.search(sentence), trigger.pattern.search(sentence)
        assert (got and got.span()) == (want and want.span()), sentence


def test_a_piece_searched_from_its_first_key_still_sees_the_text_before_it():
    trigger = Trigger(r"(?<!\ban )\b(?:said|told)\b|\bnever\b")
    # The first "said" is ruled out by the look-behind; the search goes on to the next one.
    assert trigger.search("An said that; he said it").span() == (17, 21)
    # A key inside a longer word is not a match at a word start.
    assert trigger.search("unsaid things were told").group(0) == "told"
    assert Trigger(r"\b(?:ab|b)c").search("xabc bc").span() == (5, 7)


def test_a_text_in_other_casing_shares_its_words_but_not_its_answers():
    from reviews.rules.triggers import new_document

    new_document()
    trigger = words(r"videos?")
    assert trigger.search("The VIDEO was shown").group(0) == "VIDEO"
    assert trigger.search("the video was shown").group(0) == "video"
    assert trigger.search("The Video was shown").span() == (4, 9)


def test_keys_after_a_run_of_single_characters_and_words_after_whitespace():
    from reviews.rules.triggers import heads_of

    # "," two characters into every match: searched from two before the first comma.
    comma = Trigger(r"[a-z]{2},[a-z]{2}", 0)
    assert comma._branches[0][2] == (2, (",",))
    for text in ("ab,cd", "x, y and ab,cd", ",ab,cd", "a,b", "AB,cd ef,gh"):
        got, want = comma.search(text), comma.pattern.search(text)
        assert (got and got.span()) == (want and want.span()), text
    glued = Trigger(r"\d(?:per|bn)\b", 0)
    assert glued.search("a 3 bn, then 4bn").span() == (13, 16)
    # No literal prefix, but whole words after whitespace: a text without them cannot match.
    assert heads_of(r"\b(?:[a-z]{4,}s)\s+(?:is|was)\b") == {"is", "was"}
    plural = Trigger(r"\b(?:[a-z]{4,}s)\s+(?:is|was)\b", 0)
    assert plural.search("the reports was late").group(0) == "reports was"
    assert plural.search("the reports were late") is None


def test_a_key_that_opens_with_a_space_is_looked_for_with_it():
    trigger = Trigger(r" said\b|\bnever")
    assert trigger.search("he said it").span() == (2, 7)


def test_letters_that_match_other_letters_case_insensitively_are_searched_with_the_pattern():
    from reviews.rules import library
    from reviews.rules.triggers import _FOLDS, new_document

    new_document()
    for text in ("The ſoldiers were ſhot.", "Kılled near the river", "The ΣOLDIERS were shot"):
        got, want = library.ATTACK.search(text), library.ATTACK.pattern.search(text)
        assert (got and got.span()) == (want and want.span()), text
    # _FOLDS holds every letter outside ASCII of Python's own table of extra cases.
    casefix = pytest.importorskip("re._casefix")
    letters = set()
    for key, values in casefix._EXTRA_CASES.items():
        for ch in map(chr, (key, *values)):
            letters |= {c for c in (ch, ch.upper(), ch.lower()) if len(c) == 1 and not c.isascii()}
    assert letters <= set(_FOLDS)


def test_first_matches_answers_as_each_trigger_does():
    from reviews.rules import typos
    from reviews.rules.triggers import first_matches, new_document

    triggers = [t for t, _ in typos._GRAMMAR] + list(TRIGGERS.values())
    for sentence in DRIFTED + [s for _, s in POSITIVE + NEGATIVE] + ["The ſoldiers were ſhot."]:
        new_document()
        got = first_matches(triggers, sentence)
        want = [t.pattern.search(sentence) for t in triggers]
        assert [m and m.span() for m in got] == [m and m.span() for m in want], sentence


def test_a_doubled_word_pattern_is_searched_only_where_a_word_repeats_the_one_before():
    import re
    import re._parser as parser

    from reviews.rules.triggers import _is_doubled_word, new_document

    assert _is_doubled_word(list(parser.parse(r"\b(?!(?:that)\b)([a-z]+) \1\b", 0)))
    assert not _is_doubled_word(list(parser.parse(r"([a-z]+) \1\b", 0)))  # no \b before: a word's end
    assert not _is_doubled_word(list(parser.parse(r"\b([a-z,]+) \1\b", 0)))  # "," is no word character
    assert not _is_doubled_word(list(parser.parse(r"\b([a-z]+)  \1\b", 0)))
    trigger = Trigger(r"\b(?!(?:that|is)\b)([a-z]+) \1\b", re.I)
    assert trigger._branches[0][0] is not None  # opened by its test, not searched everywhere
    for text in ("It was the the end", "The the", "that that is", "a b a b", "x, the the", "go go!", "no"):
        new_document()
        got, want = trigger.search(text), trigger.pattern.search(text)
        assert (got and got.span()) == (want and want.span()), text


@pytest.mark.parametrize("name", sorted(_all_triggers()))
def test_spans_are_those_of_every_match_of_the_pattern(name):
    from reviews.rules.triggers import new_document

    trigger = _all_triggers()[name]
    base = DRIFTED + [s for _, s in POSITIVE + NEGATIVE] + _seed_sentences()
    for sentence in base + [s.upper() for s in base] + ["İstanbul: " + s for s in base[:20]]:
        new_document()
        assert trigger.spans(sentence) == [m.span() for m in trigger.pattern.finditer(sentence)], sentence


def test_a_negated_whitespace_class_is_not_a_words_edge():
    from reviews.rules.triggers import Trigger

    trigger = Trigger(r"[^\s]+said\b")
    assert trigger.search("he unsaid it") and trigger.pattern.search("he unsaid it")


def test_a_pattern_with_a_letter_whose_lower_case_is_longer_is_searched_as_it_is():
    from reviews.rules.triggers import Trigger
    from reviews.textproc.casefree import Caseless

    text = "Istanbul officials said the ferry sank."
    assert Trigger(r"\b(?:İstanbul)\s+(?:officials)\b").search(text)
    caseless = Caseless(r"\b(?:İstanbul)\s+(?:officials)\b")
    assert list(caseless.finditer(text, text.lower()))
