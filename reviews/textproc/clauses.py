"""Where a sentence holding two assertions can be cut into two claims."""

import re

from .segment import split_sentences

# A semicolon or colon joins two clauses; a comma or spaced dash only when a joining word or
# a clause follows (not in "Kharkiv, Ukraine" or "Smith, 45, said").
_CLAUSE_MARK = re.compile(r"[;:](?=\s)")
_SOFT_MARK = re.compile(r"(?:,|\s[–—]|[–—])(?=\s)")
_ANY_MARK = re.compile(r"(?:[,;:]|\s?[–—])(?=\s)|[.!?](?=\s)")
_JOINING = frozenset("and but or nor yet so while whereas although though because".split())
# Words that open a phrase hanging on what came before, not a clause of its own.
_DEPENDENT = frozenset("who whom whose which where when including such as like".split())
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"[^\W_]['’]s\W*$", re.IGNORECASE)
# Words of a clause on either side of a comma (a rough floor, not a parse): "prices rose 5%, ‖
# wages fell" is cut, "Zelensky, Ukraine's president, ‖ said" is not.
_WORDS_BEFORE, _WORDS_AFTER = 3, 2


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _stretch(text: str, at: int, forward: bool) -> tuple[str, str]:
    """The text from ``at`` to the nearest comma, semicolon, colon or dash on that side, and
    that mark ("" when the text ends first)."""
    if forward:
        found = _ANY_MARK.search(text, at)
        return (text[at : found.start()], found.group()) if found else (text[at:], "")
    marks = list(_ANY_MARK.finditer(text, 0, at - 1))
    return (text[marks[-1].end() : at], marks[-1].group()) if marks else (text[:at], "")


def _soft_point(text: str, at: int) -> bool:
    """A comma or dash at ``at`` is a boundary when a joining word or a clause follows it.

    A clause: the words after it run to the sentence's end or a semicolon or colon (not to
    another comma: ", mostly women and children," is an aside), and a main clause comes before
    it from the sentence's start (not an aside or a name: "Zelensky, Ukraine's president, ‖").
    """
    after = _words(text[at:])
    if not after:
        return False
    first = after[0].lower()
    if first in _JOINING:
        return len(after) > 1
    if first in _DEPENDENT:
        return False
    ahead, ends = _stretch(text, at, forward=True)
    behind, starts = _stretch(text, at, forward=False)
    return (
        ends.strip() not in (",", "–", "—")
        and starts.strip() not in (",", "–", "—")
        and len(_words(ahead)) >= _WORDS_AFTER
        and len(_words(behind)) >= _WORDS_BEFORE
    )


def split_points(text: str) -> list[int]:
    """Offsets in ``text`` where it can be cut into two claims, each given once, in order.

    Only at sentence-like boundaries: after sentence-final punctuation (the sentence splitter's
    own decision, so "U.S. Army" or "Mr. Smith" is never cut), after a semicolon or colon, and
    after a comma or dash followed by a joining word ("and", "but" …) or by a clause. Never
    inside a name or after a possessive ("Ukraine's interior"). Each offset is the end of the
    first part's punctuation (the second part starts after the space).
    """
    points = {span.end for span in split_sentences(text)[:-1]}
    points |= {m.end() for m in _CLAUSE_MARK.finditer(text)}
    points |= {m.end() for m in _SOFT_MARK.finditer(text) if _soft_point(text, m.end())}
    return sorted(
        p
        for p in points
        if _words(text[:p]) and _words(text[p:]) and not _POSSESSIVE.search(text[:p].rstrip())
    )
