"""Classify sentences: kind, check-worthiness and the checkable parts.

Kinds follow the newsroom's order of precedence (first match wins): quote
(mainly direct speech) > statistic (a quantity is the core) > attribution
(reported speech, "according to") > event > opinion > other.
"""

import re
from dataclasses import dataclass

from .types import Checkables

KINDS = ("statistic", "quote", "attribution", "event", "opinion", "other")

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|"
    "dozen|half|third|quarter"
)
_NUMBER = re.compile(
    r"(?:(?:about|around|roughly|nearly|almost|over|more than|less than|fewer than|at least|"
    r"up to|some|an estimated|approximately)\s+)?"
    r"(?:[$€£¥₴₽]\s?)?\d+(?:[.,]\d+)*(?:\s?(?:%|percent|per cent|pc))?"
    r"(?:\s?(?:million|billion|trillion|thousand|bn|m|k)\b)?"
    r"(?:\s(?:people|soldiers|troops|civilians|prisoners|personnel|servicemen|casualties|deaths|"
    r"years|months|weeks|days|hours|km|kilometres|kilometers|miles|metres|meters|tonnes|tons|"
    r"dollars|euros|pounds|hryvnias|roubles|rubles|countries|cases|times|votes|units)\b)?"
    r"|\b(?:hundreds|thousands|millions|dozens|tens of thousands|hundreds of thousands)\s+of\s+\w+"
    rf"|\b(?:{_NUMBER_WORDS})(?:[- ]in[- ](?:{_NUMBER_WORDS}))\b"
    r"|\b(?:twice|doubled|tripled|halved)\b",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(
    rf"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    rf"(?:(?:{_MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})(?:\s+\d{{4}})?)\b"
    rf"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:in|since|by|until|before|after|during|of)\s+(?:1[89]|20)\d\d\b"
    r"|\b(?:last|this|next|earlier this|later this)\s+(?:year|month|week|spring|summer|autumn|fall|winter)\b"
    r"|\b(?:yesterday|today|tomorrow)\b",
)
_ATTRIBUTION_VERB = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|states|added|adds|noted|notes|claimed|claims|"
    r"alleged|alleges|reported|reports|announced|announces|confirmed|confirms|denied|denies|"
    r"accused|accuses|insisted|insists|argued|argues|asserted|asserts|estimated|estimates|"
    r"wrote|writes|warned|warns|acknowledged|admitted|revealed|according to|cited|cites|"
    r"condemned|described|describes|indicated|indicates|assesses|assessed|suggested|"
    r"has been accused|have been accused|were accused|was accused)\b",
    re.I,
)
_ACCORDING = re.compile(r"\baccording to\s+((?:the\s+)?[^,.;:]+)", re.I)
_SOURCE_SUBJECT = re.compile(
    r"((?:[A-Z][\w’'.-]+\s+){0,6}(?:[A-Z][\w’'.-]+|officials|spokesman|spokeswoman|spokesperson|"
    r"ministry|army|intelligence|police|government|project|initiative|agency|experts|analysts|"
    r"statement|report|sources|soldiers?|commander|representative))\s+"
    r"(?:said|says|told|stated|reported|claimed|announced|confirmed|estimated|wrote|noted|warned)\b"
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
_QUOTE_SPAN = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"|(?<![\w])‘[^’]{2,}’(?![\w])|(?<![\w])'[^']{2,}'(?![\w])")
_OPINION = re.compile(
    r"\b(?:should|must|ought|need to|needs to|i think|we think|i believe|we believe|in my view|"
    r"in our view|arguably|clearly|obviously|undoubtedly|perhaps|probably|likely|unlikely|"
    r"may well|might|could be|seems|appears to|appear to|staggering|shocking|outrageous|"
    r"disgraceful|remarkable|tragic|brutal|heroic|cowardly|impossible|inevitable|truth|"
    r"better|worse|best|worst|most telling|revealing|grim|darker|hugely|"
    r"is losing|are choosing|cannot be won|no longer believe)\b",
    re.I,
)
_HEDGE = re.compile(r"\b(?:may|might|could|perhaps|possibly|reportedly|allegedly|apparently|likely)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|we|my|our|us|me)\b")
_PAST_EVENT = re.compile(
    r"\b(?:was|were|has been|have been|had been|is being|are being)\s+\w+ed\b|"
    r"\b\w+ed\b(?:\s+(?:by|in|on|at|to|near|with|from))|"
    r"\b(?:killed|captured|surrendered|attacked|launched|arrested|released|signed|died|"
    r"invaded|shot|struck|destroyed|seized|fired|approved|passed|opened|closed|won|lost|"
    r"recorded|documented|set up|created|began|started)\b",
    re.I,
)
_PROPER = re.compile(r"(?<=\s)[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)*")
_QUESTION = re.compile(r"\?[\"'”’)]*$")
_WORDS = re.compile(r"\w+")
_OPEN_QUOTES = "“\"‘'"
_CLOSE_FOR = {"“": "”", '"': '"', "‘": "’", "'": "'"}


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


def extract_checkables(sentence: str, *, in_open_quote: bool = False) -> Checkables:
    """Return the numbers, dates, sources, attribution verbs and quotes in a sentence."""
    numbers = []
    for m in _NUMBER.finditer(sentence):
        value = m.group(0).strip()
        if _YEAR.match(value) or not value:
            continue
        numbers.append(value)
    dates = [m.group(0).strip() for m in _DATE.finditer(sentence)]
    verbs = sorted({m.group(0).lower() for m in _ATTRIBUTION_VERB.finditer(sentence)})
    sources = [m.group(1).strip() for m in _ACCORDING.finditer(sentence)]
    for m in _SOURCE_SUBJECT.finditer(sentence):
        source = m.group(1).strip()
        if source.split()[0] in ("The", "A", "An") and len(source.split()) == 1:
            continue
        sources.append(source)
    quotes = [m.group(0) for m in _QUOTE_SPAN.finditer(sentence) if len(_WORDS.findall(m.group(0))) >= 3]
    speaker = ""
    sm = _SPEAKER_INTRO.match(sentence)
    if sm:
        speaker = sm.group(1)
    else:
        vm = _VERB_SPEAKER.search(sentence)
        if vm and quotes:
            speaker = (vm.group(1) or vm.group(0)).strip(",”’\"' ")
            speaker = re.sub(
                r"\s+(?:said|says|added|stated|told|wrote|noted|insisted|claimed|argued)$", "", speaker
            )
    is_quote = bool(quotes) or in_open_quote or bool(sm)
    return Checkables(
        numbers=tuple(dict.fromkeys(numbers)),
        dates=tuple(dict.fromkeys(dates)),
        sources=tuple(dict.fromkeys(s for s in sources if s)),
        attribution_verbs=tuple(verbs),
        quote=is_quote,
        quotes=tuple(quotes),
        speaker=speaker,
    )


def quote_share(sentence: str, *, in_open_quote: bool = False) -> float:
    """Share of the sentence's characters that stand inside quotation marks.

    Double quotes (curly or straight) and single quotes used as quotation marks
    (at a word's edge, not an apostrophe inside a word) both count; a quotation
    left open by the previous sentence carries over.
    """
    if not sentence:
        return 0.0
    inside = in_open_quote
    single = False
    quoted = 0
    last = len(sentence) - 1
    for i, ch in enumerate(sentence):
        before = sentence[i - 1] if i else " "
        after = sentence[i + 1] if i < last else " "
        if ch == "“" or (ch == '"' and not inside):
            inside = True
        elif ch == "”" or ch == '"':
            inside = False
        elif ch in "‘'" and not before.isalnum() and (after.isalnum() or after in "‘“"):
            single = True
        elif ch in "’'" and single and before and not after.isalnum():
            single = False
        elif inside or single:
            quoted += 1
    return min(1.0, quoted / len(sentence))


def features(sentence: str, *, in_open_quote: bool = False) -> Features:
    n_words = len(_WORDS.findall(sentence))
    unquoted = _QUOTE_SPAN.sub(" ", sentence)
    return Features(
        words=n_words,
        numbers=sum(1 for m in _NUMBER.finditer(sentence) if not _YEAR.match(m.group(0).strip())),
        dates=len(_DATE.findall(sentence)),
        attribution=len(_ATTRIBUTION_VERB.findall(sentence)),
        quote_share=quote_share(sentence, in_open_quote=in_open_quote),
        proper_nouns=len(_PROPER.findall(" " + sentence)),
        opinion=len(_OPINION.findall(unquoted)),
        hedges=len(_HEDGE.findall(unquoted)),
        first_person=len(_FIRST_PERSON.findall(unquoted)),
        question=bool(_QUESTION.search(sentence)),
        past_event=len(_PAST_EVENT.findall(sentence)),
        in_open_quote=in_open_quote,
    )


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
    """Whether a quotation is still open after this sentence (curly or straight double quotes)."""
    state = in_open_quote
    for ch in sentence:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state
