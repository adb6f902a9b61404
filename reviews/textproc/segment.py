"""Split text into sentences with character offsets.

A single regular expression finds every place a sentence could end (a run of
terminal punctuation, closing quotes or brackets, citation markers like ``[1]``,
then white space or a capitalised word glued on); a handful of rules decide each
candidate by looking at the word before and the word after. Lines are always
boundaries: in news copy a single newline separates a headline, caption or list
item from the text.

Quotations that run over several sentences are split at each sentence, as news
style guides count them: each sentence of a quote is its own claim.
"""

import itertools
import re

from .types import Span

# A Wikipedia-style citation marker ("[2]", "[12]"): it ends the sentence it follows and
# says nothing itself (the flag rules read it as attribution; matching drops it).
CITATION = re.compile(r"\[\d{1,3}\]")
_QUOTES = "\"'`“”‘’«»"
_CANDIDATE = re.compile(
    r"(?P<term>[.!?…](?:[ ]?[.!?…])*)(?P<close>[\"'`”’»)\]]*)"
    rf"(?P<cite>(?:[ ]?{CITATION.pattern})*)"
    r"(?=\s|$|[A-Z][a-z])"
)
_NEXT_WORD = re.compile(r"[\"'`“‘«(\[]*([^\s\"'`“‘«(\[]?)(\S*)")
_STANDALONE_QUOTE = re.compile(r"(?:''|``|[\"'`”’“‘])(?=\s|$)")
_QUOTE_TOKEN = re.compile(r"(?<![^\W\d_])[\"'`“”‘’«»]+|[\"'`“”‘’«»]+(?![^\W\d_])")

# Titles and other words that are always followed by a name or number.
_PREPOSITIVE = frozenset(
    "mr mrs ms mx dr prof st mt gen sen rep gov lt col sgt capt cpl maj adm cmdr brig "
    "rev fr hon pres supt insp det messrs mme mlle mssrs gov't pvt spc amb atty".split()
)
# Abbreviations that read naturally at the end of a sentence.
_POSTPOSITIVE = frozenset(
    "co corp inc ltd llc plc bros jr sr etc al esq ph.d m.d b.a m.a b.sc m.sc d.phil "
    "ll.m ll.b ll.d j.d m.b.a b.s m.s ed.d d.d.s psy.d ed eds".split()
)
# Abbreviations usually followed by more of the same sentence.
_CONTINUING = frozenset(
    "vs v approx dept est fig figs vol vols op ch sec secs no nos nr pp p para cf ca "
    "e.g i.e viz ibid n° jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_UNITS = frozenset("in ft yd mi lb lbs oz fl pt qt gal sq cu hr hrs min mins".split())
# Times and eras: "at 6 p.m. Monday", "In 44 B.C. Caesar died" continue; "left at 6 p.m. He" ends.
_CLOCK = frozenset("a.m p.m".split())
_ERAS = frozenset("b.c a.d c.e b.c.e".split())
_TIMES = _CLOCK | _ERAS
_FOLLOWS_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december et est edt ct cst cdt mt mst "
    "mdt pt pst pdt gmt bst utc cet cest eet eest msk ist jst aest local eastern central "
    "pacific mountain".split()
)
# Words that commonly open an English sentence: after an ambiguous abbreviation such
# as "U.S." a capitalised word from this list means a new sentence has begun.
_STARTERS = frozenset(
    "the a an this that these those it its he she they we i you his her their our my your "
    "there here but and or so yet however meanwhile then when while if in on at after before "
    "since as for from with by to of what why how who whom whose where which did does do is "
    "are was were can could will would should may might must has have had not no yes one some "
    "many most all both each every another other such also still now today yesterday later "
    "earlier last next first according despite although though because once until among "
    "instead thus hence therefore moreover furthermore indeed nor neither either".split()
)
_PREPOSITIONS = frozenset(
    "at on by around about before after until till from since between in during".split()
)
_LIST_MARKER = re.compile(r"(?:(?<=\s)|^)(?:[•⁃▪◦‣]\s?)?(?P<num>\d{1,3}|[a-z])(?P<style>\.\)|\)|\.)\s")
_GLUED_WORD = re.compile(r"[A-Z][a-z]+[.,;:!?'’]*(?:\s|$)")
_INITIALISM = re.compile(r"^(?:[a-z]{1,3}\.)+[a-z]{1,3}$")
_BULLET = re.compile(r"(?:(?<=\s)|^)[•⁃▪◦‣]")


def _prev_word(text: str, pos: int, floor: int) -> str:
    """Return the token that ends at ``pos`` (one space before it is allowed)."""
    end = pos
    if end > floor and text[end - 1] == " ":
        end -= 1
    start = end
    while start > floor and not text[start - 1].isspace() and text[start - 1] != "/":
        start -= 1
    return text[start:end].lstrip("\"'`“‘«([{")


def _is_list_enumerator(text: str, pos: int, sentence_start: int) -> bool:
    """True when the period at ``pos`` closes a list number at the sentence start."""
    head = text[sentence_start:pos].lstrip("•⁃▪◦‣ ")
    return bool(head) and len(head) <= 3 and (head.isdigit() or (len(head) == 1 and head.isalpha()))


def _opening_word(text: str, sentence_start: int, pos: int) -> str:
    """The first word of the sentence, or of its last clause after a colon or semicolon."""
    clause = max(text.rfind(": ", sentence_start, pos), text.rfind("; ", sentence_start, pos))
    head = text[clause + 2 if clause >= 0 else sentence_start : pos].split(maxsplit=1)
    return head[0].lower().strip(_QUOTES) if head else ""


def _quote_closes(text: str, line_start: int, quote_at: int, line_end: int) -> bool:
    """Whether the stand-alone quote mark at ``quote_at`` closes a quotation.

    Counted over the line: after an odd number of quote marks it closes one; after an
    even, non-zero number it opens a new one; with none before, it opens only if a
    partner follows on the line (else it closes a quotation begun before the text).
    """
    before = len(_QUOTE_TOKEN.findall(text, line_start, quote_at))
    if before % 2:
        return True
    if before:
        return False
    return not _QUOTE_TOKEN.search(text, quote_at + 2, line_end)


def _decide(text: str, m: re.Match, sentence_start: int, line_start: int, line_end: int) -> int | None:
    """Return where the sentence ends if candidate ``m`` is a boundary, else None."""
    end = m.end()
    glued = end < line_end and not text[end].isspace()
    if glued:
        # "world.Today": a period glued to a capitalised word ends a sentence, unless
        # the token is an address (jane.Doe@example.com, www.Example.org).
        token_start = text.rfind(" ", line_start, m.start()) + 1
        token_end = text.find(" ", end, line_end)
        token = text[token_start : token_end if token_end >= 0 else line_end]
        if "@" in token or "://" in token or "www." in token or not text[m.start() - 1].isalnum():
            return None
        if not _GLUED_WORD.match(text, end):
            return None  # "7.Bg5": notation, not a word
    j = end
    while j < line_end and text[j].isspace():
        j += 1
    if j >= line_end:
        return end
    if text.rfind("[", sentence_start, m.start()) > text.rfind("]", sentence_start, m.start()):
        return None  # inside square brackets: "[page. 42]", "[...]"
    quote = _STANDALONE_QUOTE.match(text, j, line_end)
    if quote and m.group("close"):
        # The quotation closed on the full stop ("next?'"), so a lone mark after it
        # opens the next one: "next?'  ' I was in bed".
        after = quote.end()
        while after < line_end and text[after].isspace():
            after += 1
        return end if text[after : after + 1].isupper() else None
    if quote:
        # A quote mark standing alone after the full stop, as in tokenised text:
        # "to do ? '' Graham was convicted" or "he said . '' Why did she leave ?"
        after = quote.end()
        while after < line_end and text[after].isspace():
            after += 1
        nxt = text[after : after + 1]
        if _quote_closes(text, line_start, j, line_end):
            if after >= line_end:
                return quote.end()
            return quote.end() if nxt.isupper() or nxt.isdigit() else None
        return end if nxt.isupper() else None
    nm = _NEXT_WORD.match(text, j, line_end)
    first, rest = nm.group(1), nm.group(2)
    next_word = (first + rest).rstrip(".,;:!?\"'`”’)")
    term = m.group("term")
    opened = nm.start(1) > j  # the next sentence opens with a quote or bracket
    if not first or first.islower():
        return None
    if "." not in term and "…" not in term:
        return end  # ! or ? before a capital, digit or quote
    if term != ".":
        return _decide_ellipsis(text, m, first, next_word, end)
    if not (first.isupper() or first.isdigit() or opened):
        return None
    prev = _prev_word(text, m.start(), sentence_start)
    low = prev.lower()
    if text[j] == "(" and (low in _TIMES or low in _POSTPOSITIVE):
        return None  # "10:42 p.m. (1442 GMT)", "Acme Inc. (NASDAQ: ACME)": a bracket goes on
    if first.isdigit():
        if (
            low in _CONTINUING
            or low in _PREPOSITIVE
            or low in _UNITS
            or low in _ERAS
            or _is_list_enumerator(text, m.start(), sentence_start)
        ):
            return None
        return end
    if _is_list_enumerator(text, m.start(), sentence_start) or low in _PREPOSITIVE:
        return None
    if not low or not low[-1].isalnum():
        return end
    if len(prev) == 1 and prev.isalpha():
        return _decide_initial(prev, next_word, end)
    if low in _TIMES:
        if next_word.lower().replace(".", "") in _FOLLOWS_TIME:
            return None
        if _opening_word(text, sentence_start, m.start()) in _PREPOSITIONS:
            return end if next_word.lower() in _STARTERS else None
        return end
    if low in _POSTPOSITIVE or low in _UNITS:
        return end
    if low in _CONTINUING or _INITIALISM.match(low):
        # An abbreviation or initialism such as U.S.: a new sentence only if the next
        # word is one that typically opens a sentence.
        return end if next_word.lower() in _STARTERS else None
    return end


def _decide_initial(prev: str, next_word: str, end: int) -> int | None:
    # "Jonas E. Smith" is a middle initial; "you and I. Did you" ends a sentence.
    if next_word.lower() in _STARTERS and (prev == "I" or next_word.lower() not in ("a", "i")):
        return end
    return None


def _decide_ellipsis(text: str, m: re.Match, first: str, next_word: str, end: int) -> int | None:
    term = m.group("term")
    attached = m.start() > 0 and not text[m.start() - 1].isspace()
    if attached and term.startswith(". .") and term.count(".") == 4 and first.isupper():
        # "compounds. . . . The": the attached period ends the sentence; the
        # spaced ellipsis opens the next one.
        return m.start() + 1
    if next_word == "I" or next_word.startswith(("I'", "I’")):
        return None  # "the thing is . . . I didn't mean it": an omission mid-sentence
    if first.isupper() or first.isdigit():
        return end
    return None


def _list_breaks(text: str, start: int, end: int) -> list[int]:
    """Return positions where a new list item starts inside one line."""
    if _BULLET.match(text, start, end):
        return [b.start() for b in _BULLET.finditer(text, start + 1, end)]
    head = _LIST_MARKER.match(text, start, end)
    if not head:
        return []
    breaks = []
    style = head.group("style")
    expected = _successor(head.group("num"))
    for mk in _LIST_MARKER.finditer(text, head.end(), end):
        if mk.group("style") == style and mk.group("num") == expected:
            breaks.append(mk.start())
            expected = _successor(expected)
    return breaks


def _successor(num: str) -> str:
    return str(int(num) + 1) if num.isdigit() else chr(ord(num) + 1)


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences; each span indexes ``text`` directly."""
    spans: list[Span] = []
    line_start = 0
    length = len(text)
    while line_start <= length:
        line_end = text.find("\n", line_start)
        if line_end == -1:
            line_end = length
        pieces = [line_start, *_list_breaks(text, line_start, line_end), line_end]
        for a, b in itertools.pairwise(pieces):
            _split_piece(text, a, b, line_start, line_end, spans)
        line_start = line_end + 1
    return spans


def _split_piece(text: str, start: int, end: int, line_start: int, line_end: int, spans: list[Span]) -> None:
    sentence_start = start
    for m in _CANDIDATE.finditer(text, start, end):
        if m.start() < sentence_start:
            continue
        cut = _decide(text, m, sentence_start, line_start, end)
        if cut is None:
            continue
        span = _trimmed(text, sentence_start, cut)
        if span:
            spans.append(span)
        sentence_start = cut
    span = _trimmed(text, sentence_start, end)
    if span:
        spans.append(span)
