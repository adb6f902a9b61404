"""Classify sentences: kind, check-worthiness and the checkable parts.

Kinds follow the newsroom's order of precedence (first match wins): quote
(mainly direct speech) > statistic (a quantity is the core) > attribution
(reported speech, "according to") > event > opinion > other.
"""

import itertools
import re
from dataclasses import dataclass

from .casefree import Caseless, caseless
from .types import Checkables

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|"
    "dozen|half|third|quarter"
)
_NUMERIC = re.compile(
    r"(?:[$€£¥₴₽]\s?)?\d+(?:[.,]\d+)*(?:\s?(?:%|percent\b|per cent\b))?"
    r"(?:\s?(?:million|billion|trillion|thousand|bn)\b)?"
    r"(?:\s(?:people|soldiers|troops|civilians|prisoners|personnel|servicemen|casualties|deaths|"
    r"years|months|weeks|days|hours|km|kilometres|kilometers|miles|metres|meters|tonnes|tons|"
    r"dollars|euros|pounds|hryvnias|roubles|rubles|countries|cases|times|votes|units)\b)?"
)
_QUALIFIER = Caseless(
    r"(?:about|around|roughly|nearly|almost|over|more than|less than|fewer than|at least|up to|"
    r"some|an estimated|approximately)\s+$"
)
_NUMBER_PHRASE = Caseless(
    r"\b(?:hundreds|thousands|millions|dozens|tens of thousands|hundreds of thousands)\s+of\s+\w+"
    rf"|\b(?:{_NUMBER_WORDS})(?:[- ]in[- ](?:{_NUMBER_WORDS}))\b"
    r"|\b(?:twice|doubled|tripled|halved)\b"
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_PERIODS = "year|month|week|spring|summer|autumn|fall|winter"
_IN_YEAR = r"\b(?:in|since|by|until|before|after|during|of)\s+(?:1[89]|20)\d\d\b"
_DATE = re.compile(
    rf"\b(?:(?:{_DAYS}),?\s+)?"
    rf"(?:(?:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})(?:\s+\d{{4}})?)\b"
    rf"|\b(?:{_DAYS})\b"
    rf"|{_IN_YEAR}"
    rf"|\b(?:last|this|next|earlier this|later this)\s+(?:{_PERIODS})\b"
    r"|\b(?:yesterday|today|tomorrow)\b",
)
# Every match of _DATE but one of a year after a preposition has one of these words in it;
# a sentence without them has only those matches (and none without a digit).
_DATE_WORDS = (*_MONTH.split("|"), *_DAYS.split("|"), *_PERIODS.split("|"), "yesterday", "today", "tomorrow")
_YEAR_ONLY = re.compile(_IN_YEAR)
_ACCORDING = Caseless(r"\baccording to\s+((?:the\s+)?[^,.;:]+)")
_SOURCE_SUBJECT = re.compile(
    r"((?:[A-Z][\w’'.-]+\s+){0,6}(?:[A-Z][\w’'.-]+|officials|spokesman|spokeswoman|spokesperson|"
    r"ministry|army|intelligence|police|government|project|initiative|agency|experts|analysts|"
    r"statement|report|sources|soldiers?|commander|representative))\s+"
    r"(?:said|says|told|stated|reported|claimed|announced|confirmed|estimated|wrote|noted|warned)\b"
)
# Every match of _SOURCE_SUBJECT ends with one of these.
_SUBJECT_VERBS = (
    "said",
    "says",
    "told",
    "stated",
    "reported",
    "claimed",
    "announced",
    "confirmed",
    "estimated",
    "wrote",
    "noted",
    "warned",
)
_VERB_SPEAKER = re.compile(
    r"[,”’\"']\s*(?:(?:he|she|they|it|[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,4}|the\s+\w+(?:\s+\w+)?)\s+"
    r"(?:said|says|added|stated|told|wrote|noted|insisted|claimed|argued)|"
    r"(?:said|says|added|stated|told|wrote)\s+([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,4}|the\s+\w+))"
)
_SPEAKER_INTRO = re.compile(
    r"^((?:[A-Z][\w’'.-]*|One|He|She|It|They)(?:\s+[\w’'.-]+){0,5}?)\s+"
    r"(?:said|says|stated|added|told \w+|wrote)\s*:"
)
_QUOTE_CHARS = re.compile(r"[“”\"‘’']")
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\d[\d,.]*")
_HAS_DIGIT = re.compile(r"\d")
_QUESTION = re.compile(r"\?[\"'”’)]*$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Word lists are matched against lower-cased tokens and token pairs: one pass, set lookups.
# Markers of opinion, evaluation and prediction (modal verbs, stance adverbs, evaluative
# adjectives, first-person stance): general English, none taken from a particular article.
_OPINION_WORDS = _words(
    "should must ought arguably clearly obviously undoubtedly perhaps probably likely unlikely "
    "might seems shocking outrageous disgraceful remarkable tragic brutal heroic "
    "cowardly impossible inevitable truth better worse best worst "
    "terrible horrific appalling incredible unprecedented catastrophic absurd ridiculous sadly "
    "fortunately unfortunately hopefully surely"
)
_OPINION_PAIRS = _words(
    "need_to needs_to i_think we_think i_believe we_believe my_view our_view may_well could_be "
    "appears_to appear_to"
)
_PAIR_FIRSTS = frozenset(pair.split("_")[0] for pair in _OPINION_PAIRS)
_HEDGE_WORDS = _words("may might could perhaps possibly reportedly allegedly apparently likely")
_FIRST_PERSON = _words("I we We my My our Our us me")
_ATTRIBUTION_WORDS = _words(
    "said says say saying told tells stated states added adds noted notes claimed claims alleged "
    "alleges reported reports announced announces confirmed confirms denied denies accused accuses "
    "insisted insists argued argues asserted asserts estimated estimates wrote writes warned warns "
    "acknowledged admitted revealed cited cites condemned described describes indicated indicates "
    "assesses assessed suggested"
)
_EVENT_WORDS = _words(
    "killed captured surrendered attacked launched arrested released signed died invaded shot "
    "struck destroyed seized fired approved passed opened closed won lost recorded documented "
    "created began started"
)
_EVENT_AUX = _words("was were been being has have had")
_PARTICIPLES = _words("set built held sent taken given made hit shot seen found left brought begun won lost")
_EVENT_PREP = _words("by in on at to near with from")
_NUMBER_HINTS = _words(
    "hundreds thousands millions dozens twice doubled tripled halved one two three four five six "
    "seven eight nine ten hundred thousand million billion"
)
_DATE_HINTS = _words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow last this "
    "next earlier later"
)


@dataclass(frozen=True, slots=True)
class Features:
    """Linguistic signals that matter for news check-worthiness."""

    words: int
    numbers: int
    dates: int
    attribution: int
    quote_share: float
    proper_nouns: int
    opinion: int
    hedges: int
    first_person: int
    question: bool
    past_event: int
    in_open_quote: bool


def _quote_scan(sentence: str, in_open_quote: bool) -> tuple[list[tuple[int, int]], bool]:
    """Return the quoted ``[start, end)`` ranges and whether a quotation is still open at the end.

    Curly quotes say which way they face; a straight quote opens at a word's start and
    closes at its end; an apostrophe inside a word is neither. Nested quotations count
    as part of the outer one.
    """
    spans = []
    depth = 1 if in_open_quote else 0
    start = 0
    last = len(sentence) - 1
    for m in _QUOTE_CHARS.finditer(sentence):
        i, ch = m.start(), m.group()
        before = sentence[i - 1] if i else " "
        after = sentence[i + 1] if i < last else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe: don't, Ukraine's
        if ch in "“‘":
            opening = True
        elif ch in "”’":
            opening = False
        elif ch == '"':
            opening = depth == 0
        else:  # a straight single quote
            opening = not before.isalnum() and (after.isalnum() or after in '“‘"')
            if not opening and depth == 0:
                continue  # a trailing apostrophe: soldiers' lives
        if opening:
            if depth == 0:
                start = i + 1
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    if depth:
        spans.append((start, len(sentence)))
    return spans, depth > 0


def quote_spans(sentence: str, *, in_open_quote: bool = False) -> list[tuple[int, int]]:
    """Return the ``[start, end)`` ranges of the sentence that stand inside quotation marks."""
    return _quote_scan(sentence, in_open_quote)[0]


def _numbers(
    sentence: str, date_text: str, *, words: bool, digit: int = 0, low: str | None = None
) -> list[str]:
    """The quantities of ``sentence``. ``digit``: where its first digit is, -1 if it has none
    (a figure has one, and starts at most two characters before it: "$ 5"); ``low``:
    ``caseless(sentence)``."""
    found = []
    if digit >= 0:
        for m in _NUMERIC.finditer(sentence, max(0, digit - 2)):
            value = m.group(0).strip()
            if _YEAR.match(value):
                continue
            end = m.end()
            if sentence[end : end + 2] in ("st", "nd", "rd", "th"):
                continue  # an ordinal: "24th Brigade"
            if _clock_time(sentence, m.start(), end):
                continue  # a time of day: "at 3:15 p.m.", "09:40", "10pm"
            if value.isdigit() and len(value) <= 2 and value in date_text:
                continue  # the day of a date
            qualifier = _QUALIFIER.search(sentence, low, max(0, m.start() - 16), m.start())
            found.append(sentence[qualifier.start() : end] if qualifier else value)
    if words:
        found += [sentence[m.start() : m.end()] for m in _NUMBER_PHRASE.finditer(sentence, low)]
    return found


_AM_PM = re.compile(r"\s?[ap]\.?m\b\.?", re.I)


def _clock_time(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``sentence[start:end]`` is (part of) a time of day."""
    if sentence[end : end + 1] == ":" and sentence[end + 1 : end + 3].isdigit():
        return True  # the hour of "3:15"
    if start >= 2 and sentence[start - 1] == ":" and sentence[start - 2].isdigit():
        return True  # the minutes of "3:15"
    return bool(sentence[start].isdigit() and _AM_PM.match(sentence, end))


def _dates(sentence: str, has_digit: bool) -> list[str]:
    """``[m.group(0).strip() for m in _DATE.finditer(sentence)]``."""
    if any(word in sentence for word in _DATE_WORDS):
        pattern = _DATE
    elif has_digit:
        pattern = _YEAR_ONLY  # the other branches cannot match: these are _DATE's matches
    else:
        return []
    return [m.group(0).strip() for m in pattern.finditer(sentence)]


def analyse_sentence(sentence: str, *, in_open_quote: bool = False) -> tuple[Features, Checkables]:
    """Return the features and checkables of one sentence, in one pass over its tokens."""
    return analyse(sentence, in_open_quote)[:2]


def analyse(sentence: str, in_open_quote: bool = False) -> tuple[Features, Checkables, bool]:
    """``analyse_sentence``, and whether a quotation is still open after the sentence."""
    spans, still_open = _quote_scan(sentence, in_open_quote)
    quoted = sum(b - a for a, b in spans)
    if spans:
        pieces, cursor = [], 0
        for a, b in spans:
            pieces.append(sentence[cursor:a])
            cursor = b
        pieces.append(sentence[cursor:])
        unquoted = " ".join(pieces)
    else:
        unquoted = sentence
    tokens = _TOKEN.findall(sentence)
    lower = [t.lower() for t in tokens]
    lower_set = set(lower)
    own = _TOKEN.findall(unquoted) if spans else tokens
    own_lower = [t.lower() for t in own] if spans else lower
    # The opinion pairs start with one of a few words: only those pairs are made.
    own_pairs = {f"{a}_{b}" for a, b in itertools.pairwise(own_lower) if a in _PAIR_FIRSTS}

    first_digit = _HAS_DIGIT.search(sentence)
    has_digit = first_digit is not None
    dates = _dates(sentence, has_digit) if has_digit or lower_set & _DATE_HINTS else []
    number_words = bool(lower_set & _NUMBER_HINTS)
    low = caseless(sentence)
    numbers = (
        _numbers(
            sentence,
            " ".join(dates),
            words=number_words,
            digit=first_digit.start() if has_digit else -1,
            low=low,
        )
        if has_digit or number_words
        else []
    )
    verbs = sorted({t for t in lower if t in _ATTRIBUTION_WORDS})
    if "according" in lower_set and "according to" in sentence.lower():
        verbs.append("according to")
    sources: list[str] = []
    if verbs:
        sources = [sentence[m.start(1) : m.end(1)].strip() for m in _ACCORDING.finditer(sentence, low)]
        sources += [
            m.group(1).strip()
            for m in (
                _SOURCE_SUBJECT.finditer(sentence) if any(v in sentence for v in _SUBJECT_VERBS) else ()
            )
            if not (m.group(1).split()[0] in ("The", "A", "An") and len(m.group(1).split()) == 1)
        ]
    quotes = [sentence[max(0, a - 1) : b + 1] for a, b in spans if len(sentence[a:b].split()) >= 3]
    speaker = ""
    intro = _SPEAKER_INTRO.match(sentence) if ":" in sentence else None
    if intro:
        speaker = intro.group(1)
    elif quotes and verbs:
        vm = _VERB_SPEAKER.search(sentence)
        if vm:
            speaker = (vm.group(1) or vm.group(0)).strip(",”’\"' ")
            speaker = re.sub(
                r"\s+(?:said|says|added|stated|told|wrote|noted|insisted|claimed|argued)$", "", speaker
            )

    past_event = len([t for t in lower if t in _EVENT_WORDS])
    past_event += sum(
        1
        for a, b in itertools.pairwise(lower)
        if (a in _EVENT_AUX and (b.endswith("ed") or b in _PARTICIPLES))
        or (a.endswith("ed") and b in _EVENT_PREP)
    )
    feats = Features(
        words=len(tokens),
        numbers=len(numbers),
        dates=len(dates),
        attribution=len(verbs),
        quote_share=min(1.0, quoted / len(sentence)) if sentence else 0.0,
        proper_nouns=len([t for t in tokens[1:] if t[0].isupper()]),
        opinion=len([t for t in own_lower if t in _OPINION_WORDS]) + len(own_pairs & _OPINION_PAIRS),
        hedges=len([t for t in own_lower if t in _HEDGE_WORDS]),
        first_person=len([t for t in own if t in _FIRST_PERSON]),
        question=bool(_QUESTION.search(sentence)),
        past_event=past_event,
        in_open_quote=in_open_quote,
    )
    checkables = Checkables(
        numbers=tuple(dict.fromkeys(numbers)),
        dates=tuple(dict.fromkeys(dates)),
        sources=tuple(dict.fromkeys(s for s in sources if s)),
        attribution_verbs=tuple(verbs),
        quote=bool(quotes) or in_open_quote or bool(intro),
        quotes=tuple(quotes),
        speaker=speaker,
    )
    return feats, checkables, still_open


def features(sentence: str, *, in_open_quote: bool = False) -> Features:
    return analyse_sentence(sentence, in_open_quote=in_open_quote)[0]


def extract_checkables(sentence: str, *, in_open_quote: bool = False) -> Checkables:
    """Return the numbers, dates, sources, attribution verbs and quotes in a sentence."""
    return analyse_sentence(sentence, in_open_quote=in_open_quote)[1]


def kind_of(sentence: str, f: Features, checkables: Checkables) -> str:
    """Return the sentence's kind, by the newsroom's order of precedence."""
    if f.quote_share >= 0.5 or (checkables.speaker and checkables.quote):
        return "quote"
    if f.numbers:
        return "statistic"
    if f.attribution:
        return "attribution"
    if f.opinion or f.question or f.first_person:
        return "opinion"
    if f.past_event or f.proper_nouns:
        return "event"
    return "other"


def open_quote_after(sentence: str, in_open_quote: bool) -> bool:
    """Whether a quotation is still open after this sentence."""
    return _quote_scan(sentence, in_open_quote)[1]
